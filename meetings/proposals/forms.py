"""Forms of the proposals' pages: filing (with sketches and photos), each step of the
lifecycle, another attachment, and the org-technical measure a proposal becomes."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.services import check_file
from enterprise.fields import DecimalField, ModelMultipleChoiceField
from enterprise.forms import DateInput, PlantForm, localize
from enterprise.submissions import SubmittedOnce
from planning.measures.forms import factor_choices
from planning.measures.models import OrgMeasure

from ..models import Meeting, Proposal
from .services import DocumentIn, Expected

FILE_ROWS = 3
ACCEPT = ".pdf,.png,.jpg,.jpeg,.tif,.tiff"


class PageForm(forms.Form):
    """Laid out by crispy inside the page's own <form> (which has the token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ScanField(forms.FileField):
    """A sketch or a photo: PDF, PNG, JPEG or TIFF proven by its content, at most 10 MB
    (the claims' document check)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_file(upload)
            except ValidationError as error:
                raise forms.ValidationError(error.messages[0], code=error.code) from None
        return upload


def _money(label, **kwargs):
    return localize(
        DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0, **kwargs)
    )


class AttachmentsMixin(forms.Form):
    """Rows of (name, file); a file without a name gets the file's own name."""

    def add_file_rows(self, count: int) -> None:
        self.file_rows = []
        for index in range(count):
            name = forms.CharField(
                label=_("Что это (вложение %(n)s)") % {"n": index + 1},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("Эскиз, фото места")}),
            )
            upload = ScanField(label=_("Файл (вложение %(n)s)") % {"n": index + 1})
            self.fields[f"doc_{index}_name"] = name
            self.fields[f"doc_{index}_file"] = upload
            self.file_rows.append((f"doc_{index}_name", f"doc_{index}_file"))

    def documents(self) -> list[DocumentIn]:
        found = []
        for name_key, file_key in self.file_rows:
            upload = self.cleaned_data.get(file_key)
            if upload:
                name = (self.cleaned_data.get(name_key) or "").strip()
                found.append(DocumentIn(name=name or upload.name, file=upload))
        return found

    def uploaded_any(self) -> bool:
        return any(self.files.get(key) for _, key in getattr(self, "file_rows", ()))

    def bound_file_rows(self):
        return [(self[name], self[upload]) for name, upload in self.file_rows]


class ProposalForm(SubmittedOnce, AttachmentsMixin, PageForm):
    """Filing a proposal: where, who, what is wrong, what to do, what it gives."""

    shop = forms.ModelChoiceField(label=_("Цех"), queryset=None)
    section = forms.ModelChoiceField(label=_("Участок"), queryset=None, required=False)
    workplace = forms.CharField(label=_("Рабочее место, операция"), max_length=200, required=False)
    meeting = forms.ModelChoiceField(
        label=_("Внесено на совещании"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Пусто — подаётся непосредственно в бюро комиссии."),
    )
    authors = ModelMultipleChoiceField(
        label=_("Авторы"),
        queryset=None,
        help_text=_("Автор или группа соавторов. Несколько — с Ctrl."),
    )
    title = forms.CharField(label=_("Предложение кратко"), max_length=200)
    problem = forms.CharField(label=_("Что плохо"), widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(label=_("Что сделать"), widget=forms.Textarea(attrs={"rows": 3}))
    expected_labour = localize(
        DecimalField(
            label=_("Экономия труда, нормо-ч в год"),
            max_digits=10,
            decimal_places=1,
            min_value=0,
            required=False,
        )
    )
    expected_materials = _money(_("Экономия материалов, руб. в год"), required=False)
    expected_money = _money(_("Экономический эффект, руб. в год"), required=False)

    def __init__(self, *args, shops, sections, authors, meetings, own_worker=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops
        self.fields["section"].queryset = sections
        self.fields["meeting"].queryset = meetings
        self.fields["authors"].queryset = authors
        for name in ("shop", "section", "meeting"):
            self.fields[name].empty_label = _("— выберите —") if name == "shop" else _("— нет —")
        self.fields["authors"].widget.attrs["size"] = 6
        # the shop's and the plant's commissions number their meetings apart: «Совещание
        # № 4» alone names two meetings of the list, so the commission follows
        self.fields["meeting"].label_from_instance = lambda m: f"{m} — {m.commission}"
        if not self.is_bound:
            shop_list = list(shops[:2])
            if len(shop_list) == 1:
                self.fields["shop"].initial = shop_list[0].pk
            if own_worker is not None:
                self.fields["authors"].initial = [own_worker.pk]
                self.fields["section"].initial = own_worker.section_id
        self.add_file_rows(FILE_ROWS)

    def clean(self):
        cleaned = super().clean()
        shop, section = cleaned.get("shop"), cleaned.get("section")
        if shop is not None and section is not None and section.shop_id != shop.pk:
            self.add_error("section", _("Участок другого цеха."))
        return cleaned

    def expected(self) -> Expected:
        data = self.cleaned_data
        return Expected(
            labour=data.get("expected_labour") or Decimal(0),
            materials=data.get("expected_materials") or Decimal(0),
            money=data.get("expected_money") or Decimal(0),
        )


class ReviewForm(PageForm):
    decision = forms.ChoiceField(
        label=_("Решение бюро"),
        choices=[("accept", _("принять")), ("reject", _("отклонить"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Заключение бюро"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Отклоняя, укажите причину."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Отклоняя предложение, укажите причину."))
        return cleaned


class PassForm(PageForm):
    """Passing an accepted proposal to the administration: nothing to fill in."""


class AnswerForm(PageForm):
    decision = forms.ChoiceField(
        label=_("Ответ администрации"),
        choices=[("agree", _("согласовать")), ("decline", _("отказать"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Текст ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Отказывая, укажите причину."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Отказывая, укажите причину."))
        return cleaned


class ImplementForm(PageForm):
    implemented_on = forms.DateField(label=_("Дата внедрения"), widget=DateInput())
    responsible = forms.CharField(label=_("Ответственный за внедрение"), max_length=120)
    actual_labour = localize(
        DecimalField(
            label=_("Фактическая экономия труда, нормо-ч в год"),
            max_digits=10,
            decimal_places=1,
            min_value=0,
            required=False,
        )
    )
    actual_money = _money(_("Фактический эффект, руб. в год"), required=False)
    actual_effect = forms.CharField(
        label=_("Фактический эффект"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"implemented_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_implemented_on(self):
        day = self.cleaned_data["implemented_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Дата не может быть в будущем."))
        return day


class DropForm(PageForm):
    reason = forms.CharField(label=_("Причина снятия"), widget=forms.Textarea(attrs={"rows": 2}))


class AttachForm(SubmittedOnce, AttachmentsMixin, PageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_file_rows(1)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.documents():
            self.add_error("doc_0_file", _("Выберите файл."))
        return cleaned


class MeasureFromProposalForm(SubmittedOnce, PlantForm):
    """The org-technical measure a proposal becomes: its calculation (В1, В2, Д …)."""

    class Meta:
        model = OrgMeasure
        fields = [
            "section",
            "year",
            "name",
            "factor",
            "workplaces",
            "responsible",
            "deadline",
            "labour_before",
            "labour_after",
            "annual_quantity",
            "annual_time_fund",
            "norm_fulfilment",
            "headcount",
            "economic_effect",
        ]
        widgets = {"deadline": DateInput()}
        help_texts = {
            "labour_before": _("На единицу продукции, до мероприятия."),
            "labour_after": _("На единицу продукции, после мероприятия."),
            "annual_quantity": _("Единиц продукции в год."),
            "norm_fulfilment": _("Отношение: 1,2 — это 120 %."),
        }

    def __init__(self, *args, proposal: Proposal, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
        self.fields["factor"].choices = factor_choices()
        self.fields["headcount"].required = False
        self.fields["headcount"].help_text = _("Пусто — работающие участка на сегодня.")
        if not self.is_bound:
            self.initial.update(
                {
                    "section": proposal.section_id,
                    "year": timezone.localdate().year,
                    "name": proposal.title,
                    "workplaces": proposal.workplace,
                    "economic_effect": proposal.expected_money or None,
                }
            )
