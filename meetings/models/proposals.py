"""A worker's (or a group's) proposal and its documents (domain/meetings.md §2).

Lifecycle: submitted → the bureau accepts or rejects it (by ``review_due``) → an accepted
one is passed to the administration through the factory committee → the administration
agrees or declines (by ``answer_due``) → an agreed one is implemented or dropped.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Section, Shop, Worker
from enterprise.scoping import Scope, ScopedQuerySet, scope_of, within
from enterprise.tracking import TrackedModel, TrackedQuerySet

from .commissions import memberships_of
from .meetings import Meeting

MONEY = {"max_digits": 12, "decimal_places": 2}
HOURS = {"max_digits": 10, "decimal_places": 1}


class ProposalQuerySet(ScopedQuerySet, TrackedQuerySet):
    """Seen by the people of its unit, its authors and filer, and the members of the
    commissions of its shop (or of the plant)."""

    def scope_filter(self, scope: Scope) -> models.Q:
        return (
            within("enterprise_id", scope.enterprises)
            | within("shop_id", scope.shops)
            | within("section_id", scope.sections)
            | within("authors__id", scope.workers)
        )

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        seats = memberships_of(user)
        condition = (
            models.Q(submitted_by=user)
            | within("shop_id", seats.shops)
            | within("enterprise_id", seats.plants)
        )
        if scope.grants:
            condition |= self.scope_filter(scope)
        return self.filter(condition).distinct()


class Proposal(TrackedModel):
    """A proposal (рабочее предложение): what is wrong, what to do, where, what it gives."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("подано, ждёт бюро")
        ACCEPTED = "accepted", _("принято бюро")
        REJECTED = "rejected", _("отклонено бюро")
        PASSED = "passed", _("передано администрации")
        AGREED = "agreed", _("согласовано администрацией")
        DECLINED = "declined", _("отклонено администрацией")
        IMPLEMENTED = "implemented", _("внедрено")
        DROPPED = "dropped", _("снято")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("номер"))
    shop = models.ForeignKey(
        Shop, verbose_name=_("цех"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("участок"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    workplace = models.CharField(_("рабочее место, операция"), max_length=200, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("внесено на совещании"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text=_("Пусто — подано непосредственно."),
    )
    authors = models.ManyToManyField(
        Worker,
        verbose_name=_("авторы"),
        through="ProposalAuthor",
        related_name="proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подал"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("предложение кратко"), max_length=200)
    problem = models.TextField(_("что плохо"))
    solution = models.TextField(_("что сделать"))
    expected_labour = models.DecimalField(
        _("ожидаемая экономия труда, нормо-ч в год"),
        default=0,
        validators=[MinValueValidator(0)],
        **HOURS,
    )
    expected_materials = models.DecimalField(
        _("ожидаемая экономия материалов, руб. в год"),
        default=0,
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    expected_money = models.DecimalField(
        _("ожидаемый экономический эффект, руб. в год"),
        default=0,
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_on = models.DateField(_("подано"))
    review_due = models.DateField(_("рассмотреть бюро до"))
    reviewed_on = models.DateField(_("рассмотрено бюро"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("рассмотрел"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_reason = models.TextField(_("заключение бюро"), blank=True)
    passed_on = models.DateField(_("передано администрации"), null=True, blank=True)
    passed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("передал"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer_due = models.DateField(_("ответить администрации до"), null=True, blank=True)
    answered_on = models.DateField(_("ответ администрации"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("ответ администрации"), blank=True)
    implemented_on = models.DateField(_("внедрено"), null=True, blank=True)
    implementation_responsible = models.CharField(
        _("ответственный за внедрение"), max_length=120, blank=True
    )
    actual_labour = models.DecimalField(
        _("фактическая экономия труда, нормо-ч в год"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **HOURS,
    )
    actual_money = models.DecimalField(
        _("фактический экономический эффект, руб. в год"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **MONEY,
    )
    actual_effect = models.TextField(_("фактический эффект"), blank=True)
    dropped_on = models.DateField(_("снято"), null=True, blank=True)
    dropped_reason = models.TextField(_("причина снятия"), blank=True)
    measure = models.ForeignKey(
        "planning.OrgMeasure",
        verbose_name=_("оргтехмероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("предложение рабочих")
        verbose_name_plural = _("предложения рабочих")
        ordering = ["-submitted_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"],
                name="proposal_number_unique",
                violation_error_message=_("Предложение с таким номером уже есть."),
            ),
            models.CheckConstraint(
                condition=models.Q(review_due__gte=models.F("submitted_on")),
                name="proposal_review_due_after_submission",
                violation_error_message=_("Срок рассмотрения не может быть раньше подачи."),
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True)
                | models.Q(reviewed_on__gte=models.F("submitted_on")),
                name="proposal_reviewed_after_submission",
                violation_error_message=_("Рассмотреть предложение раньше подачи нельзя."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="submitted") | models.Q(reviewed_on__isnull=False),
                name="proposal_reviewed_has_date",
                violation_error_message=_("Укажите дату рассмотрения бюро."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="implemented") | models.Q(implemented_on__isnull=False),
                name="proposal_implemented_has_date",
                violation_error_message=_("Укажите дату внедрения."),
            ),
            models.CheckConstraint(
                condition=models.Q(expected_labour__gte=0)
                & models.Q(expected_materials__gte=0)
                & models.Q(expected_money__gte=0),
                name="proposal_expected_not_negative",
                violation_error_message=_("Ожидаемый эффект не может быть отрицательным."),
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "submitted_on"]),
            models.Index(fields=["shop", "status"]),
        ]

    def __str__(self):
        return str(_("Предложение № %(n)s")) % {"n": self.number}

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("meetings:proposal_detail", self.pk)

    def clean(self):
        super().clean()
        if (
            self.section_id is not None
            and self.shop_id is not None
            and (self.section.shop_id != self.shop_id)
        ):
            raise ValidationError({"section": _("Участок другого цеха.")})
        if (
            self.shop_id is not None
            and self.enterprise_id is not None
            and (self.shop.enterprise_id != self.enterprise_id)
        ):
            raise ValidationError({"shop": _("Цех другого предприятия.")})
        if self.reviewed_on and self.submitted_on and self.reviewed_on < self.submitted_on:
            raise ValidationError({"reviewed_on": _("Рассмотреть раньше подачи нельзя.")})
        if self.passed_on and self.reviewed_on and self.passed_on < self.reviewed_on:
            raise ValidationError({"passed_on": _("Передать раньше рассмотрения нельзя.")})
        if self.answered_on and self.passed_on and self.answered_on < self.passed_on:
            raise ValidationError({"answered_on": _("Ответить раньше передачи нельзя.")})
        if self.status == self.Status.IMPLEMENTED and self.implemented_on is None:
            raise ValidationError({"implemented_on": _("Укажите дату внедрения.")})

    def scope_unit(self):
        return self.enterprise_id, self.shop_id, self.section_id

    # --- where it stands ---------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Still waiting for someone: the bureau, the factory committee, the
        administration, or the implementation."""
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.ACCEPTED,
            self.Status.PASSED,
            self.Status.AGREED,
        )

    def due_date(self) -> datetime.date | None:
        """The term of the step it waits on (the bureau's or the administration's)."""
        if self.status == self.Status.SUBMITTED:
            return self.review_due
        if self.status == self.Status.PASSED:
            return self.answer_due
        return None

    def is_overdue(self, today: datetime.date) -> bool:
        due = self.due_date()
        return due is not None and today > due

    def days_waiting(self, today: datetime.date) -> int:
        return (today - self.submitted_on).days

    @property
    def status_colour(self) -> str:
        colours = {
            self.Status.IMPLEMENTED: "success",
            self.Status.AGREED: "success",
            self.Status.ACCEPTED: "info",
            self.Status.PASSED: "info",
            self.Status.REJECTED: "secondary",
            self.Status.DECLINED: "secondary",
            self.Status.DROPPED: "secondary",
        }
        return colours.get(self.status, "warning")


class ProposalAuthor(models.Model):
    """An author of a proposal; the first (lowest ``order``) filed it."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("предложение"), on_delete=models.CASCADE, related_name="+"
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("рабочий"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("автор предложения")
        verbose_name_plural = _("авторы предложения")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "worker"],
                name="proposal_author_once",
                violation_error_message=_("Этот рабочий уже среди авторов."),
            )
        ]

    def __str__(self):
        return str(self.worker)


def document_path(instance: ProposalDocument, filename: str) -> str:
    """Stored under a server-made name; only the extension of the service's name is kept."""
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    if extension not in (".pdf", ".png", ".jpg", ".tif"):
        extension = ""
    return f"proposals/{instance.proposal.enterprise_id}/{uuid.uuid4().hex}{extension}"


class ProposalDocument(TrackedModel):
    """A sketch, a photo or a description attached to a proposal (checked by content)."""

    history_exclude = ("file",)

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("предложение"), on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(_("документ"), max_length=200)
    file = models.FileField(_("файл"), upload_to=document_path)
    file_name = models.CharField(_("имя файла"), max_length=200, blank=True)
    content_type = models.CharField(_("тип файла"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("размер, байт"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("приложил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("приложен"))

    class Meta:
        verbose_name = _("документ предложения")
        verbose_name_plural = _("документы предложения")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name}: {self.file_name}"

    def history_group(self):
        return f"meetings.proposal:{self.proposal_id}"
