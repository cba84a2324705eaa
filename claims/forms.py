"""Forms of the claims pages: filing (parties, the loss calculator, the documents), the
defendant's answer, the arbitrator's decision, withdrawal, and the statement's choice.

The filing form is built for one claim type: its loss rule's inputs become decimal
fields (Russian comma), its required documents rows of title, number, date and file.
Uploads are checked at the field by content (the first bytes), not by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enterprise import widgets
from enterprise.fields import DecimalField
from enterprise.forms import DateInput, localize
from enterprise.models import Period, Shop
from enterprise.submissions import SubmittedOnce

from . import rules, selectors, services
from .models import Claim, ClaimType, PartyKind, party_label

EXTRA_DOCUMENTS = 2


class PageForm(forms.Form):
    """A plain form laid out by crispy inside the page's own <form> (which has the token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def _money(label, **kwargs) -> forms.DecimalField:
    return localize(DecimalField(label=label, max_digits=14, decimal_places=2, **kwargs))


# --- the parties ------------------------------------------------------------------------------


@dataclass
class Units:
    """Units offered for one side of a claim: ``"kind:id"`` → (kind, unit object)."""

    items: dict[str, tuple[str, object]] = field(default_factory=dict)
    groups: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    GROUP_LABELS = {
        PartyKind.SHOP: _("Цеха"),
        PartyKind.SECTION: _("Участки"),
        PartyKind.BRIGADE: _("Бригады"),
        PartyKind.WORKER: _("Рабочие (спор внутри бригады)"),
    }

    def add(self, kind: str, unit, label: str | None = None) -> None:
        key = f"{kind}:{unit.pk}"
        self.items[key] = (kind, unit)
        self.groups.setdefault(kind, []).append((key, label or unit_label(kind, unit)))

    def choices(self) -> list:
        grouped = [
            (self.GROUP_LABELS[kind], self.groups[kind])
            for kind in (PartyKind.SHOP, PartyKind.SECTION, PartyKind.BRIGADE, PartyKind.WORKER)
            if self.groups.get(kind)
        ]
        return [("", _("— выберите —")), *grouped]

    def party(self, key: str) -> services.Party | None:
        """The party chosen, with its unit's model row."""
        found = self.items.get(key)
        if not found:
            return None
        kind, unit = found
        return services.Party(kind, selectors.party_object(unit))

    def __bool__(self) -> bool:
        return bool(self.items)


def unit_label(kind: str, unit) -> str:
    if kind == PartyKind.SHOP:
        return str(unit)
    if kind == PartyKind.SECTION:
        return str(unit)
    if kind == PartyKind.BRIGADE:
        return f"{party_label(kind, unit)} «{unit.name}»"
    return f"{unit.full_name} ({unit.personnel_number}), " + str(
        _("уч. %(section)s, цех %(shop)s")
    ) % {"section": unit.section.number, "shop": unit.section.shop.number}


# --- filing -----------------------------------------------------------------------------------


def check_upload(upload):
    """A scanned document: PDF, PNG, JPEG or TIFF proven by its content, at most 10 MB."""
    if not upload:
        return upload
    try:
        services.check_file(upload)
    except ValidationError as error:
        raise forms.ValidationError(error.messages[0], code=error.code) from None
    return upload


class DocumentFileField(forms.FileField):
    def clean(self, data, initial=None):
        return check_upload(super().clean(data, initial))


class ClaimForm(SubmittedOnce, PageForm):
    """Filing a claim. ``claim_type`` decides the loss inputs and the document rows."""

    period = forms.ModelChoiceField(
        label=_("Период"), queryset=Period.objects.none(), widget=widgets.Select
    )
    claim_type = forms.ModelChoiceField(
        label=_("Вид претензии"), queryset=ClaimType.objects.none(), widget=widgets.Select
    )
    # every shop, section and brigade of the plant: hundreds of options
    claimant = forms.ChoiceField(label=_("Истец — кто предъявляет"), widget=widgets.Select)
    defendant = forms.ChoiceField(label=_("Ответчик — к кому"), widget=widgets.Select)
    description = forms.CharField(
        label=_("Суть нарушения"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Что, когда и по чьей вине произошло; на что опирается расчёт."),
    )

    def __init__(
        self, *args, periods, types, claimants: Units, defendants: Units, chosen_type=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.claimants, self.defendants = claimants, defendants
        self.fields["period"].queryset = periods
        self.fields["claim_type"].queryset = types
        for name in ("period", "claim_type"):
            self.fields[name].empty_label = _("— выберите —")
        self.fields["claimant"].choices = claimants.choices()
        self.fields["defendant"].choices = defendants.choices()
        self.fields["claim_type"].widget.attrs["data-claim-type"] = ""
        self.chosen_type = chosen_type or self._chosen_type(types)
        self.rule = rules.LOSS_RULES.get(self.chosen_type.loss_rule) if self.chosen_type else None
        self.loss_names = []
        for spec in self.rule.inputs if self.rule else ():
            self.fields[f"loss_{spec.name}"] = loss_field(spec)
            self.loss_names.append(f"loss_{spec.name}")
        self.document_rows = []
        self.summary_labels: dict[str, str] = {}
        titles = list(self.chosen_type.documents) if self.chosen_type else []
        for index, title in enumerate([*titles, *[""] * EXTRA_DOCUMENTS]):
            self._add_document(index, title, required=index < len(titles))
        self.documents_error = ""
        self.loss_error = ""

    def _chosen_type(self, types):
        raw = self.data.get("claim_type") if self.is_bound else self.initial.get("claim_type")
        raw = getattr(raw, "pk", raw)
        if raw in (None, "") or not str(raw).isdigit():
            return None
        return types.filter(pk=int(raw)).first()

    def _add_document(self, index: int, title: str, *, required: bool) -> None:
        prefix = f"doc_{index}_"
        # Each row's fields are labelled with their document, so that the error summary at
        # the top of the page says whose file was refused (not «Файл (скан)» three times).
        document = f"«{title}»" if title else _("другой документ %(n)s") % {"n": index + 1}
        title_field = forms.CharField(
            label=_("Документ"), max_length=200, required=False, initial=title
        )
        if required:
            title_field.disabled = True
        else:
            title_field.label = _("Документ: %(document)s") % {"document": document}
            title_field.widget.attrs["placeholder"] = _("Другой документ")
        self.fields[prefix + "title"] = title_field
        self.fields[prefix + "number"] = forms.CharField(
            label=_("Номер: %(document)s") % {"document": document},
            max_length=50,
            required=False,
        )
        self.fields[prefix + "date"] = forms.DateField(
            label=_("Дата: %(document)s") % {"document": document},
            required=False,
            widget=DateInput(),
        )
        self.fields[prefix + "file"] = DocumentFileField(
            label=_("Файл (скан): %(document)s") % {"document": document},
            required=False,
            widget=forms.FileInput(
                attrs={"accept": "application/pdf,image/png,image/jpeg,image/tiff"}
            ),
        )
        for part in ("title", "number", "date", "file"):
            field = self.fields[prefix + part]
            field.widget.attrs["class"] = "form-control form-control-sm"
            field.widget.attrs["aria-label"] = str(field.label)  # the table shows no labels
        self.document_rows.append(
            {
                "index": index,
                "required": required,
                "title": title,
                "document": document,
                "fields": [self[prefix + part] for part in ("title", "number", "date", "file")],
            }
        )

    # --- reading the form -------------------------------------------------------------------

    def clean_claimant(self):
        key = self.cleaned_data["claimant"]
        if key not in self.claimants.items:
            raise forms.ValidationError(_("Выберите подразделение из списка."))
        return key

    def clean_defendant(self):
        key = self.cleaned_data["defendant"]
        if key not in self.defendants.items:
            raise forms.ValidationError(_("Выберите подразделение из списка."))
        return key

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claimant") and cleaned.get("claimant") == cleaned.get("defendant"):
            self.add_error(
                "defendant", _("Подразделение не может предъявить претензию самому себе.")
            )
        return cleaned

    def loss_inputs(self) -> dict:
        """The rule's inputs as far as they are valid (``None`` where not)."""
        data = getattr(self, "cleaned_data", {})
        return {name.removeprefix("loss_"): data.get(name) for name in self.loss_names}

    def documents(self) -> list[services.DocumentIn]:
        data = self.cleaned_data
        return [
            services.DocumentIn(
                title=(data.get(f"doc_{i}_title") or "").strip(),
                number=(data.get(f"doc_{i}_number") or "").strip(),
                date=data.get(f"doc_{i}_date"),
                file=data.get(f"doc_{i}_file") or None,
            )
            for i in range(len(self.document_rows))
        ]

    def parties(self) -> tuple[services.Party, services.Party]:
        return (
            self.claimants.party(self.cleaned_data["claimant"]),
            self.defendants.party(self.cleaned_data["defendant"]),
        )

    def uploaded_any(self) -> bool:
        return any(self.files.get(f"doc_{i}_file") for i in range(len(self.document_rows)))

    def drop_missing_value_errors(self) -> None:
        """For a preview: keep what is wrong, forget what is merely not filled in yet."""
        for name in list(self.errors):
            if name == "__all__":
                continue
            if all(error.code == "required" for error in self.errors.as_data()[name]):
                del self.errors[name]

    def service_errors(self, error: ValidationError) -> None:
        """Put the service's refusal next to the fields it names."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            messages = [message for e in errors for message in e.messages]
            if key == "documents":
                self.documents_error = " ".join(messages)
            elif key == "loss":
                self.loss_error = " ".join(messages)
            elif key.startswith("document_") and f"doc_{key[9:]}_file" in self.fields:
                name = f"doc_{key[9:]}_file"
                if not self.files.get(name):
                    # Neither a file nor a number and date: the summary names the document,
                    # not its file («Файл (скан)» opened each missing one's line).
                    document = self.document_rows[int(key[9:])]["document"]
                    self.summary_labels[name] = _("Документ: %(document)s") % {"document": document}
                self.add_error(name, messages)
            elif key in self.fields:
                self.add_error(key, messages)
            elif key.startswith("loss_"):
                self.loss_error = " ".join(messages)
            else:
                self.add_error(None, messages)


def loss_field(spec: rules.InputSpec) -> forms.DecimalField:
    if spec.kind == "percent":
        field = localize(
            DecimalField(label=spec.label, max_digits=7, decimal_places=2, min_value=0)
        )
    else:
        field = _money(spec.label + ", " + str(_("руб.")), min_value=0)
    field.widget.attrs["class"] = "text-end"
    return field


# --- the lifecycle ----------------------------------------------------------------------------


class AnswerForm(PageForm):
    answer = forms.ChoiceField(
        label=_("Ответ"), choices=Claim.Answer.choices, widget=forms.RadioSelect
    )
    accepted_amount = _money(
        _("Признаю сумму, руб."),
        required=False,
        help_text=_("Только при частичном признании."),
    )
    reason = forms.CharField(
        label=_("Доводы"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("С чем не согласны и почему; при полном признании — необязательно."),
    )


class DecideForm(PageForm):
    amount = _money(_("Отнести на ответчика, руб."))
    reason = forms.CharField(
        label=_("Обоснование решения"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, claim: Claim | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.claim = claim

    def clean_amount(self):
        # beside a missing reason, not only after it is given (the service checks it too)
        amount = self.cleaned_data["amount"]
        if self.claim is not None and (
            refused := services.decide_amount_refusal(self.claim, amount)
        ):
            raise ValidationError(refused)
        return amount


class WithdrawForm(PageForm):
    reason = forms.CharField(
        label=_("Причина отзыва"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- the statement ----------------------------------------------------------------------------


class StatementForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Период"), queryset=Period.objects.none(), widget=widgets.Select
    )
    shop = forms.ModelChoiceField(
        label=_("Цех"), queryset=Shop.objects.none(), required=False, widget=widgets.Select
    )

    def __init__(self, *args, periods, shops, plant_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["period"].empty_label = None
        self.fields["shop"].queryset = shops
        self.fields["shop"].empty_label = _("весь завод") if plant_wide else None
        self.fields["shop"].required = not plant_wide
        for bound in self.fields.values():
            bound.widget.attrs["class"] = "form-select"
