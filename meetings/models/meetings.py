"""A production meeting: invitations of departments, attendance, the classified agenda,
minutes, decisions and requests for information (domain/meetings.md §1)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Worker
from enterprise.tracking import TrackedModel

from .commissions import Commission, CommissionMember, CommissionQuerySet, Department


class MeetingQuerySet(CommissionQuerySet):
    """A meeting is seen by whoever sees its commission."""

    prefix = "commission__"


class Meeting(TrackedModel):
    """One production meeting (производственное совещание) of a commission's unit."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("назначено")
        HELD = "held", _("проведено")
        CANCELLED = "cancelled", _("отменено")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    commission = models.ForeignKey(
        Commission,
        verbose_name=_("комиссия"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    number = models.PositiveIntegerField(_("номер"), validators=[MinValueValidator(1)])
    date = models.DateField(_("дата"))
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    chair = models.ForeignKey(
        CommissionMember,
        verbose_name=_("председатель — член комиссии"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chair_name = models.CharField(
        _("председатель"),
        max_length=120,
        blank=True,
        help_text=_("Если председательствовал не член комиссии."),
    )
    headcount = models.PositiveIntegerField(
        _("рабочих в подразделении, чел."),
        default=0,
        help_text=_("Списочная численность рабочих цеха (завода) на день совещания."),
    )
    attendees = models.ManyToManyField(
        Worker, verbose_name=_("присутствовали"), blank=True, related_name="+"
    )
    minutes = models.TextField(_("протокол"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("производственное совещание")
        verbose_name_plural = _("производственные совещания")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "number"],
                name="meeting_number_unique",
                violation_error_message=_("Совещание с таким номером у комиссии уже есть."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(headcount__gt=0),
                name="meeting_held_has_headcount",
                violation_error_message=_(
                    "У проведённого совещания укажите численность рабочих подразделения."
                ),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "date"])]

    def __str__(self):
        return str(_("Совещание № %(n)s от %(d)s")) % {
            "n": self.number,
            "d": self.date.strftime("%d.%m.%Y") if self.date else "—",
        }

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("meetings:meeting_detail", self.pk)

    def clean(self):
        super().clean()
        if (
            self.commission_id is not None
            and self.enterprise_id is not None
            and self.commission.enterprise_id != self.enterprise_id
        ):
            raise ValidationError({"commission": _("Комиссия другого предприятия.")})
        if self.chair_id is not None and self.chair.commission_id != self.commission_id:
            raise ValidationError({"chair": _("Председатель — член другой комиссии.")})
        if self.status == self.Status.HELD and not self.headcount:
            raise ValidationError(
                {"headcount": _("Укажите численность рабочих подразделения на день совещания.")}
            )

    def scope_unit(self):
        return self.enterprise_id, self.commission.shop_id, None

    @property
    def level(self) -> str:
        return self.commission.level

    def get_level_display(self) -> str:
        return self.commission.get_level_display()

    @property
    def chair_label(self) -> str:
        if self.chair_id is not None:
            return self.chair.name
        return self.chair_name or "—"

    @property
    def status_colour(self) -> str:
        colours = {self.Status.HELD: "success", self.Status.CANCELLED: "secondary"}
        return colours.get(self.status, "light border")


class Invitation(TrackedModel):
    """A technical department's representative invited to a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("совещание"), on_delete=models.CASCADE, related_name="invitations"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("отдел"), on_delete=models.PROTECT, related_name="+"
    )
    representative = models.CharField(_("представитель"), max_length=120)
    attended = models.BooleanField(_("присутствовал"), default=False)

    class Meta:
        verbose_name = _("приглашение отдела")
        verbose_name_plural = _("приглашённые отделы")
        ordering = ["meeting", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"],
                name="invitation_once",
                violation_error_message=_("Этот отдел на совещание уже приглашён."),
            )
        ]

    def __str__(self):
        return f"{self.department}: {self.representative}"

    def clean(self):
        super().clean()
        if (
            self.meeting_id is not None
            and self.department_id is not None
            and self.department.enterprise_id != self.meeting.enterprise_id
        ):
            raise ValidationError({"department": _("Отдел другого предприятия.")})

    def history_group(self):
        return f"meetings.meeting:{self.meeting_id}"


class AgendaItem(TrackedModel):
    """An item of a meeting's agenda, classified as the 1925 statistics were."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("организация совещаний")
        REPORT = "report", _("доклады и отчёты")
        PROPOSAL = "proposal", _("предложения")
        # The 1925 statistics leave a tenth of the questions in none of the three classes.
        OTHER = "other", _("прочие вопросы")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("совещание"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField(_("№ п/п"), validators=[MinValueValidator(1)])
    title = models.CharField(_("вопрос"), max_length=300)
    kind = models.CharField(_("класс вопроса"), max_length=14, choices=Kind.choices)
    major = models.BooleanField(
        _("крупное усовершенствование или изобретение"),
        default=False,
        help_text=_("Только для предложений."),
    )

    class Meta:
        verbose_name = _("вопрос повестки")
        verbose_name_plural = _("повестка дня")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="agenda_item_order_unique",
                violation_error_message=_("Вопрос с таким номером в повестке уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(major=False) | models.Q(kind="proposal"),
                name="agenda_item_major_is_proposal",
                violation_error_message=_(
                    "Крупным усовершенствованием или изобретением может быть только предложение."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    def clean(self):
        super().clean()
        if self.major and self.kind != self.Kind.PROPOSAL:
            raise ValidationError(
                {
                    "major": _(
                        "Крупным усовершенствованием или изобретением может быть только "
                        "предложение."
                    )
                }
            )

    @property
    def agenda_class(self) -> str:
        """The statistics' class: organisation, report, proposal or major (a proposal)."""
        return "major" if self.major else self.kind

    def history_group(self):
        return f"meetings.meeting:{self.meeting_id}"


class Decision(TrackedModel):
    """A decision of a meeting: what, who answers for it, by when; done or not."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("совещание"), on_delete=models.CASCADE, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("по вопросу"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("решение"))
    responsible = models.CharField(_("ответственный"), max_length=120)
    deadline = models.DateField(_("срок"))
    done_on = models.DateField(_("выполнено"), null=True, blank=True)

    class Meta:
        verbose_name = _("решение совещания")
        verbose_name_plural = _("решения совещания")
        ordering = ["meeting", "deadline", "pk"]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        super().clean()
        if self.agenda_item_id is not None and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("Вопрос повестки другого совещания.")})
        if self.meeting_id is not None and self.deadline and self.deadline < self.meeting.date:
            raise ValidationError({"deadline": _("Срок не может быть раньше дня совещания.")})
        if self.meeting_id is not None and self.done_on and self.done_on < self.meeting.date:
            raise ValidationError(
                {"done_on": _("Решение не может быть выполнено раньше дня совещания.")}
            )

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_on is None and self.deadline < today

    def history_group(self):
        return f"meetings.meeting:{self.meeting_id}"


SESTRORETSK_RULE = _(
    "Запрос сведений к отделу действителен, только если представитель этого отдела был "
    "приглашён на совещание (урок Сестрорецкого конфликта, январь 1925 г.). Совещание "
    "обсуждает производственные вопросы, а не лиц."
)


class InfoRequest(TrackedModel):
    """A meeting's request for information from a technical department."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("совещание"), on_delete=models.CASCADE, related_name="requests"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("отдел"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("запрос"))
    answer = models.TextField(_("ответ отдела"), blank=True)
    answered_on = models.DateField(_("дата ответа"), null=True, blank=True)

    class Meta:
        verbose_name = _("запрос сведений")
        verbose_name_plural = _("запросы сведений")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True) | ~models.Q(answer=""),
                name="info_request_answer_with_date",
                violation_error_message=_("С датой ответа запишите и сам ответ."),
            )
        ]

    def __str__(self):
        return f"{self.department}: {self.question[:60]}"

    def clean(self):
        super().clean()
        if self.meeting_id is not None and self.department_id is not None:
            invited = Invitation.objects.filter(
                meeting_id=self.meeting_id, department_id=self.department_id
            ).exists()
            if not invited:
                raise ValidationError(
                    {
                        "department": _(
                            "Представитель отдела «%(d)s» не был приглашён на это совещание: "
                            "запрос к отделу не действителен."
                        )
                        % {"d": self.department}
                    },
                    code="not_invited",
                )
        if self.answered_on and not self.answer.strip():
            raise ValidationError({"answer": _("С датой ответа запишите и сам ответ.")})
        if self.answer.strip() and self.answered_on is None:
            raise ValidationError({"answered_on": _("Укажите дату ответа отдела.")})
        if (
            self.answered_on is not None
            and self.meeting_id is not None
            and self.answered_on < self.meeting.date
        ):
            raise ValidationError({"answered_on": _("Ответ не может быть раньше дня совещания.")})

    def history_group(self):
        return f"meetings.meeting:{self.meeting_id}"
