"""Forms of commissions and meetings. Each posted form that fails comes back with its
errors next to the fields; the base template sums them up at the top of the page."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from enterprise.forms import DateInput, PlantForm
from enterprise.submissions import SubmittedOnce

from .models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Department,
    Invitation,
    Meeting,
)
from .models.meetings import SESTRORETSK_RULE
from .selectors import unit_headcount


class PageForm(forms.Form):
    """A plain form laid out by crispy inside the page's own <form> (which has the token)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CommissionForm(SubmittedOnce, PlantForm):
    class Meta:
        model = Commission
        fields = ["level", "shop", "name", "review_days", "answer_days"]

    def __init__(self, *args, shops, plant_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops
        if not plant_allowed:
            self.fields["level"].choices = [
                c for c in self.fields["level"].choices if c[0] != "plant"
            ]
        if self.instance.pk:
            # What the commission is (its level and shop) does not change.
            for name in ("level", "shop"):
                self.fields[name].disabled = True


class MemberForm(PlantForm):
    class Meta:
        model = CommissionMember
        fields = [
            "name",
            "position",
            "group",
            "worker",
            "user",
            "is_bureau",
            "is_factory_committee",
        ]
        help_texts = {
            "name": _("Пусто — по рабочему или пользователю."),
            "user": _("Если член комиссии работает в системе: он увидит предложения комиссии."),
        }

    def __init__(self, *args, workers, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["worker"].queryset = workers
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username


class MeetingForm(SubmittedOnce, PlantForm):
    class Meta:
        model = Meeting
        fields = ["date", "status", "chair", "chair_name", "headcount", "minutes"]
        widgets = {"date": DateInput(), "minutes": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "headcount": _("Пусто или 0 — по списку рабочих подразделения на день совещания."),
        }

    def __init__(self, *args, commission: Commission, **kwargs):
        super().__init__(*args, **kwargs)
        self.commission = commission
        self.fields["chair"].queryset = commission.members.order_by("name")
        self.fields["headcount"].required = False

    def clean_headcount(self):
        # empty means the unit's workers on the meeting's day, as the help text promises;
        # counted here because the model refuses a held meeting without a headcount
        # before the service would count it
        headcount = self.cleaned_data.get("headcount") or 0
        day = self.cleaned_data.get("date")
        if not headcount and day is not None:
            headcount = unit_headcount(self.commission, day)
        return headcount


class AttendanceForm(PageForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Присутствовали"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = workers
        self.fields["attendees"].label_from_instance = lambda w: (
            f"{w.short_name} — {w.personnel_number}, {w.section.short_label}"
        )


class InvitationForm(PlantForm):
    class Meta:
        model = Invitation
        fields = ["department", "representative", "attended"]

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class AgendaItemForm(PageForm):
    title = forms.CharField(label=_("Вопрос"), max_length=300)
    kind = forms.ChoiceField(label=_("Класс вопроса"), choices=AgendaItem.Kind.choices)
    major = forms.BooleanField(
        label=_("Крупное усовершенствование или изобретение"),
        required=False,
        help_text=_("Только для предложений."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("major") and cleaned.get("kind") != AgendaItem.Kind.PROPOSAL:
            self.add_error(
                "major",
                _("Крупным усовершенствованием или изобретением может быть только предложение."),
            )
        return cleaned


class DecisionForm(SubmittedOnce, PageForm):
    text = forms.CharField(label=_("Решение"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.ModelChoiceField(
        label=_("По вопросу"), queryset=None, required=False, empty_label=_("— без вопроса —")
    )
    responsible = forms.CharField(label=_("Ответственный"), max_length=120)
    deadline = forms.DateField(label=_("Срок"), widget=DateInput())

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.all()


class DoneForm(PageForm):
    done_on = forms.DateField(
        label=_("Выполнено"),
        required=False,
        widget=DateInput(),
        help_text=_("Пусто — снять отметку о выполнении."),
    )


class InfoRequestForm(SubmittedOnce, PageForm):
    department = forms.ModelChoiceField(
        label=_("Отдел"), queryset=Department.objects.none(), empty_label=_("— выберите —")
    )
    question = forms.CharField(
        label=_("Какие сведения нужны"), widget=forms.Textarea(attrs={"rows": 2})
    )
    rule = SESTRORETSK_RULE

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].help_text = _(
            "Запрос можно направить только отделу, представитель которого приглашён на совещание."
        )


class AnswerForm(PageForm):
    answer = forms.CharField(label=_("Ответ отдела"), widget=forms.Textarea(attrs={"rows": 2}))
    answered_on = forms.DateField(label=_("Дата ответа"), widget=DateInput())


class StatsForm(PageForm):
    """The unit and the period of the statistics (GET)."""

    unit = forms.ChoiceField(label=_("Подразделение"))
    date_from = forms.DateField(label=_("с"), widget=DateInput())
    date_to = forms.DateField(label=_("по"), widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.key, unit.label) for unit in units]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Конец периода раньше его начала."))
        if start and end and (end - start).days > 366 * 5:
            self.add_error("date_from", _("Период не длиннее пяти лет."))
        return cleaned
