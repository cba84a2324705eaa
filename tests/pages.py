"""Reading rendered pages in tests: visible text, a form field's block, a form's data."""

from __future__ import annotations

import datetime
import html
import re
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.messages import get_messages


def text_of(content) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces collapsed."""
    if isinstance(content, bytes):
        content = content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    content = re.sub(r"<[^>]+>", " ", content)
    return re.sub(r"\s+", " ", html.unescape(content)).strip()


def field_block(content, name: str) -> str:
    """The HTML crispy renders for one field: its label, input and the errors under it."""
    if isinstance(content, bytes):
        content = content.decode()
    start = content.find(f'id="div_id_{name}"')
    assert start != -1, f"no field {name!r} on the page"
    end = content.find('id="div_id_', start + 1)
    return content[start : end if end != -1 else len(content)]


def field_errors(content, name: str) -> str:
    """The error text shown next to a field (empty when it has none)."""
    block = field_block(content, name)
    return " ".join(
        text_of(match)
        for match in re.findall(r'<span id="error_\d+_id_[^"]*">(.*?)</span>', block, re.S)
    )


def _as_posted(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")  # as a Russian user types it
    return str(value)


def form_data(form) -> dict:
    """What the browser would send back for an unchanged form (initial values, prefixed)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool) and not value:
            continue
        data[form.add_prefix(name)] = _as_posted(value)
    return data


def formset_data(formset) -> dict:
    data = form_data(formset.management_form)
    for form in formset.forms:
        data.update(form_data(form))
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@contextmanager
def plain_rendering():
    """Templates rendered as in production: the test environment's instrumentation (a
    signal and a copy of the context for every template, every widget's option among
    them, for ``response.context``) is a sixth of a page's time. For the modules that
    make thousands of requests and read only their status, content and the database
    (the fuzz, the permission matrix): ``response.context`` is ``None`` inside."""
    from django.template.base import PartialTemplate, Template
    from django.test.utils import _TestState

    saved = getattr(_TestState, "saved_data", None)
    if saved is None:
        yield
        return
    instrumented = Template._render, PartialTemplate._render
    Template._render, PartialTemplate._render = (
        saved.template_render,
        saved.partial_template_render,
    )
    try:
        yield
    finally:
        Template._render, PartialTemplate._render = instrumented
