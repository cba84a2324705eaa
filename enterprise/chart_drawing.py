"""The drawing layer of :mod:`enterprise.charts`: pygal's bar charts with what pygal does not
draw (a reference line, a Pareto line on the bars, figures written upwards, category names
above horizontal bars), and the font sizes and text widths the layout is reckoned with.

The charts are made by :mod:`enterprise.charts`; this module only draws them.
"""

from __future__ import annotations

import pygal
from pygal.graph.line import Line
from pygal.util import alter, truncate

LABEL_FONT_SIZE = 13  # the style's label_font_size
VALUE_FONT_SIZE = 13  # the style's value_font_size: the figures printed at the bars
LEGEND_FONT_SIZE = 13  # the style's legend_font_size
# A character's width as a share of its font's size: an estimate on the wide side (PT Sans
# is narrower; the fallback sans-serif fonts are not).
CHAR_WIDTH = 0.6
LABEL_ROOM = 18  # above a horizontal bar group: its category's name
GROUP_GAP = 10  # below it: the space before the next category's name


def text_width(text: str, font_size: float) -> float:
    """The estimated width of ``text`` written in ``font_size`` (user units)."""
    return len(text) * font_size * CHAR_WIDTH


class Decorated:
    """What pygal does not draw: a reference line (the norm, the plan) and a Pareto line.

    ``reference`` (value, label) draws a dashed line across the plot at that value of the
    primary axis. With ``secondary_as_line`` the secondary series are drawn as a line
    through the middle of the categories (Pareto's cumulative percentage), and the bars
    of the primary series take the whole width of their category.

    ``labels_above`` (horizontal bars) writes each category's name above its bars, across
    the plot, instead of in a column on the left: long names took most of the chart's
    width and left the bars a strip. ``upright_values`` (vertical bars) writes the figures
    upwards from the bars' ends: written across, a figure wider than its bar ran into its
    neighbour's.
    """

    reference: tuple[float, str] | None = None
    secondary_as_line = False
    labels_above = False
    upright_values = False
    _drawing_line = False
    _self_close = False  # what Line.line asks of a line chart (an open line)

    def _plot(self):
        if self.labels_above:
            super()._plot()
            self._draw_labels_above()
        elif not self.secondary_as_line:
            super()._plot()
        else:
            for serie in self.series:
                self.bar(serie)
            half = 0.5 / self._len
            self._drawing_line = True
            for serie in self.secondary_series:
                serie.points = [(x + half, y) for x, y in serie.points]
                Line.line(self, serie, rescale=True)
            self._drawing_line = False
        if self.reference is not None:
            self._draw_reference(*self.reference)

    def _bar(self, serie, parent, x, y, i, zero, secondary=False):
        if self.labels_above:
            return self._bar_below_label(serie, parent, x, y, i, zero)
        if not self.secondary_as_line:
            return super()._bar(serie, parent, x, y, i, zero, secondary)
        # pygal's Bar._bar for one bar a category (the line takes no room from the bars).
        width = (self.view.x(1) - self.view.x(0)) / self._len
        x, y = self.view((x, y))
        margin = width * self._series_margin
        x += margin
        width -= 2 * margin
        height = self.view.y(zero) - y
        self.svg.transposable_node(
            parent,
            "rect",
            x=x,
            y=y,
            rx=0,
            ry=0,
            width=width,
            height=height,
            class_="rect reactive tooltip-trigger",
        )
        return x, y, width, height

    def _band(self, position: float) -> tuple[float, float]:
        """The top and bottom (user units) of the horizontal chart's category at
        ``position`` (pygal's 0 … 1 across the categories, the first at the bottom)."""
        return self.view.x(position + 1 / self._len), self.view.x(position)

    def _bar_below_label(self, serie, parent, x, y, i, zero):
        # pygal's Bar._bar for a horizontal chart, its bars under the room of the label.
        top, bottom = self._band(x)
        top += LABEL_ROOM
        bottom -= GROUP_GAP
        thickness = (bottom - top) / self._order
        across = top + serie.index * thickness  # the first series on top
        margin = thickness * self._serie_margin
        across += margin
        thickness -= 2 * margin
        start, end = self.view.y(zero), self.view.y(y)
        node = self.svg.node(
            parent,
            "rect",
            x=min(start, end),
            y=across,
            rx=0,
            ry=0,
            width=abs(end - start),
            height=thickness,
            class_="rect reactive tooltip-trigger",
        )
        alter(node, serie.metadata.get(i))
        # In pygal's terms before it transposes (what its value printing expects).
        return across, end, thickness, start - end

    def _draw_labels_above(self):
        left = self.view.y(self.range[0])  # where the bars start (the axis's lowest value)
        room = max(int((self.view.width - left) / (LABEL_FONT_SIZE * CHAR_WIDTH)), 6)
        for index, label in enumerate(self.x_labels):
            top, _bottom = self._band(index / self._len)
            node = self.svg.node(
                self.nodes["text_overlay"],
                "text",
                class_="category",
                x=left,
                y=top + LABEL_FONT_SIZE,
            )
            node.text = truncate(str(label), room)

    def _draw_reference(self, value: float, label: str):
        position = self.view.y(value)
        if position is None:
            return
        if self.horizontal:  # labelled above the plot (the chart leaves room for it)
            path = f"M{position:f} -4 v{self.view.height + 4:f}"
            text = {"x": position, "y": -8, "text-anchor": "middle"}
        else:
            path = f"M0 {position:f} h{self.view.width:f}"
            text = {"x": self.view.width - 2, "y": position - 5, "text-anchor": "end"}
        self.svg.node(self.nodes["plot"], "path", d=path, class_="reference")
        if label:
            node = self.svg.node(self.nodes["text_overlay"], "text", class_="reference")
            node.attrib.update({k: str(v) for k, v in text.items()})
            node.text = label

    def _static_value(self, serie_node, value, x, y, metadata, align_text="left", classes=None):
        if self.upright_values and not self.horizontal and not self._drawing_line:
            self._upright_value(serie_node, value, x, y, classes)
            return
        # A horizontal bar's value is written after its end, not centred on it.
        if self.horizontal and self.print_values_position == "top":
            align_text = "start"
            x -= 2
        elif self._drawing_line:  # a dot's figure above it (pygal writes it below right)
            align_text = "middle"
            x -= self.style.value_font_size
            y -= self.style.value_font_size * 2 + 6
        if self.reference is not None and not self._drawing_line:
            x, y = self._clear_of_reference(str(value), x, y, align_text)
        super()._static_value(serie_node, value, x, y, metadata, align_text, classes)

    def _clear_of_reference(self, value: str, x: float, y: float, align_text: str):
        """A figure the reference line would cross (a 97,5 % bar's, beside the 100 % line)
        moved just clear of it: above a horizontal line, after a vertical one."""
        line = self.view.y(self.reference[0])
        if line is None:
            return x, y
        size = self.style.value_font_size
        if self.horizontal:  # the figure after the bar's end: [x, x + its width]
            width = text_width(value, size)
            left = x if align_text == "start" else x - width / 2
            if left - 2 <= line <= left + width + 2:
                x += line + 3 - left
        else:  # pygal writes the baseline a third of the font below y; digits rise 0,75 of it
            baseline = y + size / 3
            if baseline - 0.75 * size - 2 <= line <= baseline + 2:
                y = line - 3 - size / 3
        return x, y

    def _upright_value(self, serie_node, value, x, y, classes):
        # pygal gives (the bar's middle, half a font's size beyond the bar's end): the figure
        # goes up from just above a bar's top (down from below a negative bar's bottom),
        # its letters centred on the bar.
        size = self.style.value_font_size
        below = y > self.view.y(self.zero)
        y += -size / 2 + 4 if below else size / 2 - 4
        x += size * 0.35
        node = self.svg.node(
            serie_node["text_overlay"],
            "text",
            class_=" ".join([*([classes] if classes else []), "value"]),
            x=x,
            y=y,
            attrib={
                "text-anchor": "end" if below else "start",
                "transform": f"rotate(-90 {x:f} {y:f})",
            },
        )
        node.text = value


class Bar(Decorated, pygal.Bar):
    pass


class HorizontalBar(Decorated, pygal.HorizontalBar):
    pass
