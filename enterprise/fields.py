"""The project's number inputs: one decimal field and one integer field for every form.

Hostile or mistyped input is refused with a Russian message and never raises:

- ``sNaN``, ``NaN``, ``Infinity``/``inf``, exponents (``1e400``), digits of other scripts
  («١٢٣», full-width) — «Введите число.»; Django's own field takes some of them, and a
  signalling NaN reaching ``has_changed`` (``Decimal`` comparison) raises
  ``InvalidOperation``;
- more digits or places than the column holds, or a value out of its range, is refused
  with the limit in Russian figures («Слишком большое число: не больше 999 999,99.»):
  a field with no limits of its own gets the widest a money column holds;
- Russian input is accepted: a decimal comma or point, spaces, no-break and narrow
  no-break spaces as thousands separators, a typographic minus («−»); on an English page
  a figure as the page shows it («1,800.5») is read with its grouping commas.

:func:`formfield` maps a model's decimal field to :class:`DecimalField`; the project's
model forms (``enterprise.forms.PlantForm``, the admin's ``DecimalInputs``) use it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_DIGITS = 18
DEFAULT_PLACES = 6
INTEGER_LIMIT = 2**63 - 1
"""The widest integer any column holds (``bigint``): a larger one never reaches a query."""

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009\u2008']")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-"})


_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")


def _plain(value) -> str:
    """The text as typed, without thousands separators, with a point and an ASCII minus.

    In Russian a comma is the decimal separator. Where the page speaks a language whose
    decimal separator is a point (English), a comma that groups thousands — as the page
    itself shows figures there («1,800.5») — is a thousands separator; any other comma
    is still read as a decimal one («1234,5»)."""
    text = _SPACES.sub("", str(value)).translate(_MINUSES)
    if get_format("DECIMAL_SEPARATOR") == "." and _GROUPED.fullmatch(text):
        return text.replace(",", "")
    return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text


def _figure(value) -> str:
    places = max(0, -value.as_tuple().exponent) if isinstance(value, Decimal) else 0
    return number_format(value, places, force_grouping=True)


class RangeMax(MaxValueValidator):
    message = _("Слишком большое число: не больше %(limit_value)s.")

    def __call__(self, value):
        if self.compare(value, self.limit_value):
            raise ValidationError(
                self.message, code=self.code, params={"limit_value": _figure(self.limit_value)}
            )


class RangeMin(MinValueValidator):
    message = _("Слишком маленькое число: не меньше %(limit_value)s.")

    def __call__(self, value):
        if self.compare(value, self.limit_value) and self.limit_value == 0:
            raise ValidationError(_("Число не может быть отрицательным."), code=self.code)
        if self.compare(value, self.limit_value):
            raise ValidationError(
                self.message, code=self.code, params={"limit_value": _figure(self.limit_value)}
            )


class DecimalField(forms.DecimalField):
    """A decimal input in Russian format that refuses anything but a finite number that
    fits its column (see the module's docstring)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Введите число."),
        "max_digits": _("Слишком много цифр: не больше %(max)s."),
        "max_decimal_places": _("Слишком много знаков после запятой: не больше %(max)s."),
        "max_whole_digits": _("Слишком большое число: не больше %(max)s цифр до запятой."),
    }

    def __init__(
        self,
        *,
        max_value=None,
        min_value=None,
        max_digits=None,
        decimal_places=None,
        localize=True,
        **kwargs,
    ):
        if max_digits is None:
            max_digits = DEFAULT_MAX_DIGITS
        if decimal_places is None:
            decimal_places = min(DEFAULT_PLACES, max_digits)
        widest = Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places
        max_value = widest if max_value is None else min(Decimal(max_value), widest)
        min_value = -widest if min_value is None else max(Decimal(min_value), -widest)
        super().__init__(
            max_digits=max_digits, decimal_places=decimal_places, localize=localize, **kwargs
        )
        # The range (with the limit in Russian figures) and the places are checked by
        # ``run_validators``, one message at a time: the digits' check is implied by them.
        self.max_value, self.min_value = max_value, min_value
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, MinValueValidator | MaxValueValidator | DecimalValidator)
        ]
        self.range = [RangeMax(max_value), RangeMin(min_value)]
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.is_localized = localize

    def widget_attrs(self, widget):
        # No HTML min/max/step: a text input (a number input refuses the decimal comma).
        return {
            k: v for k, v in super().widget_attrs(widget).items() if k not in ("min", "max", "step")
        }

    def to_python(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        text = _plain(value)
        if len(text) > 100 or not _NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number

    def validate(self, value):
        if value is None:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return
        if not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def run_validators(self, value):
        if value is None:
            return
        for validator in self.range:
            validator(value)
        places = -value.as_tuple().exponent
        if places > self.decimal_places and value != value.quantize(
            Decimal(10) ** -self.decimal_places
        ):
            raise ValidationError(
                self.error_messages["max_decimal_places"],
                code="max_decimal_places",
                params={"max": self.decimal_places},
            )
        super().run_validators(value)

    def clean(self, value):
        number = super().clean(value)
        if number is not None and -number.as_tuple().exponent > self.decimal_places:
            number = number.quantize(Decimal(10) ** -self.decimal_places)  # "1,50000" → 1.50
        return number

    def has_changed(self, initial, data):
        try:
            initial = self.to_python(initial)
            data = self.to_python(data)
        except ValidationError:
            return True
        if initial is None or data is None:
            return (initial is None) != (data is None)
        return initial != data


class IntegerField(forms.IntegerField):
    """A whole number in ASCII digits (spaces as thousands separators allowed), within
    ``bigint`` unless narrower limits are given: a larger one is refused, not sent to the
    database."""

    default_error_messages = {"invalid": _("Введите целое число.")}

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        max_value = INTEGER_LIMIT if max_value is None else min(max_value, INTEGER_LIMIT)
        min_value = -INTEGER_LIMIT if min_value is None else max(min_value, -INTEGER_LIMIT)
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        self.validators += [RangeMax(max_value), RangeMin(min_value)]

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _SPACES.sub("", str(value)).translate(_MINUSES)
        if len(text) > 30 or not _INTEGER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows by id: an id that is no whole number within ``bigint`` is refused as
    an invalid choice before the lookup (Django's ``__in`` lookup sends it as is: an
    ``OverflowError`` on SQLite, a ``DataError`` on PostgreSQL)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        opts = self.queryset.model._meta
        target = opts.pk if key == "pk" else opts.get_field(key)
        if isinstance(target, models.IntegerField):
            for pk in value:
                if safe_int(pk, minimum=-INTEGER_LIMIT) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:20]},
                    )
        return super()._check_values(value)


def formfield(db_field: models.Field, **kwargs):
    """A model form's field: the project's decimal field for a decimal column, its
    multiple choice for a many-to-many one."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
        # The column's own range, checked by the form in Russian figures: left to the
        # model, it came back as Django's «больше либо равно 0.01» with a decimal point.
        for validator in db_field.validators:
            limit = getattr(validator, "limit_value", None)
            if callable(limit) or not isinstance(limit, Decimal | int):
                continue
            if type(validator) is MinValueValidator:
                kwargs.setdefault("min_value", Decimal(limit))
            elif type(validator) is MaxValueValidator:
                kwargs.setdefault("max_value", Decimal(limit))
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


ADMIN_OVERRIDES = {
    models.DecimalField: {"form_class": DecimalField},
    models.ManyToManyField: {"form_class": ModelMultipleChoiceField},
}
"""``formfield_overrides`` of every admin class and inline."""


def safe_int(value, *, minimum: int = 1, maximum: int = INTEGER_LIMIT) -> int | None:
    """A GET parameter as an int in range, or ``None``: never a query's overflow."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > 20 or not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None
