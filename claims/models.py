"""Internal claims between units: types (table 10), claims with evidence, their lifecycle.

A claim is filed by one unit (the claimant) against another (the defendant) for a
period; its loss is computed by the type's rule (``claims.rules``). The defendant
answers within the enterprise's deadline; what he does not accept goes to the
arbitrator, whose level follows from the parties (section → shop → plant). The amount
finally charged (``final_amount``) moves from the defendant's result to the
claimant's in the claim's period; counter-claims of a pair are netted in the statement.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprise.models import Enterprise, Period, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.money import ZERO
from enterprise.scoping import Scope, ScopedQuerySet, within
from enterprise.tracking import MonthKey, TrackedModel, TrackedQuerySet

from . import rules

MONEY = {"max_digits": 14, "decimal_places": 2}


class ClaimSettings(TrackedModel):
    """The enterprise's regulation on claims: how long the defendant has to answer."""

    enterprise = models.OneToOneField(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.CASCADE, related_name="+"
    )
    answer_days = models.PositiveSmallIntegerField(
        _("срок ответа, рабочих дней"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("положение о претензиях")
        verbose_name_plural = _("положение о претензиях")

    def __str__(self):
        return str(_("Положение о претензиях: %(e)s") % {"e": self.enterprise})

    @classmethod
    def of(cls, enterprise_id: int) -> ClaimSettings:
        found = cls.objects.filter(enterprise_id=enterprise_id).first()
        return found or cls(enterprise_id=enterprise_id)


class ClaimType(TrackedModel):
    """A kind of claim (table 10): grounds, required documents, loss rule, arbitrator."""

    ARBITRATOR_ROLES = [
        (Role.PRODUCTION_HEAD, Role.PRODUCTION_HEAD.label),
        (Role.DEPUTY_DIRECTOR, Role.DEPUTY_DIRECTOR.label),
    ]

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("код"), max_length=40)
    name = models.CharField(_("вид претензии"), max_length=300)
    grounds = models.TextField(_("основание"), blank=True)
    documents = models.JSONField(
        _("обязательные первичные документы"),
        default=list,
        blank=True,
        help_text=_("Список наименований документов, без которых претензию не принимают."),
    )
    loss_rule = models.CharField(
        _("правило расчёта потерь"),
        max_length=30,
        choices=[(code, rule.label) for code, rule in rules.LOSS_RULES.items()],
    )
    arbitrator_role = models.CharField(
        _("арбитр по межцеховым претензиям"), max_length=20, choices=ARBITRATOR_ROLES
    )
    active = models.BooleanField(_("действует"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = _("вид претензии")
        verbose_name_plural = _("виды претензий")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "code"],
                name="claim_type_code_unique",
                violation_error_message=_("Вид претензии с таким кодом уже есть."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not isinstance(self.documents, list) or not all(
            isinstance(d, str) and d.strip() for d in self.documents
        ):
            raise ValidationError({"documents": _("Перечислите документы списком названий.")})

    def history_group(self):
        return f"claims.claimtype:{self.enterprise_id}"


class PartyKind(models.TextChoices):
    WORKER = "worker", _("рабочий")
    BRIGADE = "brigade", _("бригада")
    SECTION = "section", _("участок")
    SHOP = "shop", _("цех")


class ClaimQuerySet(ScopedQuerySet, TrackedQuerySet):
    _with_parties = False

    def with_parties(self):
        """The claims with their period and type joined, and the units of their parties —
        shop, section, brigade or worker, each with its section and shop — read for all
        the claims fetched in one small query per kind (:func:`load_parties`).

        As ``select_related("claimant_brigade__section__shop", …)`` would give them, but
        without its join of twenty tables, which PostgreSQL took ~80 ms to plan for each
        page of claims (the rows themselves, ~1 ms)."""
        clone = self.select_related("period", "claim_type")
        clone._with_parties = True
        return clone

    def without_parties(self):
        """The claims alone: their parties' units are not read (a list that names them
        otherwise, as the home page's tasks do through ``claims.netting.unit_labels``)."""
        clone = self._chain()
        clone._with_parties = False
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._with_parties = self._with_parties
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        rows = issubclass(self._iterable_class, models.query.ModelIterable)
        if fresh and self._with_parties and rows:
            load_parties(self._result_cache)

    def scope_filter(self, scope: Scope) -> models.Q:
        arbitrating = {
            g.enterprise_id
            for g in scope.grants
            if g.role in (Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR)
        }
        return (
            within("enterprise_id", scope.enterprises)
            | within("enterprise_id", frozenset(arbitrating))
            | within("claimant_shop_id", scope.shops)
            | within("defendant_shop_id", scope.shops)
            | within("claimant_section_id", scope.sections)
            | within("defendant_section_id", scope.sections)
            | within("claimant_worker_id", scope.workers)
            | within("defendant_worker_id", scope.workers)
        )


class Claim(TrackedModel):
    """A claim of one unit against another for a loss in a period."""

    class Status(models.TextChoices):
        FILED = "filed", _("ждёт ответа")
        ARBITRATION = "arbitration", _("у арбитра")
        SETTLED = "settled", _("признана")
        DECIDED = "decided", _("решена арбитром")
        WITHDRAWN = "withdrawn", _("отозвана")

    class Answer(models.TextChoices):
        ACCEPT = "accept", _("признаю полностью")
        PARTIAL = "partial", _("признаю частично")
        REJECT = "reject", _("отклоняю")

    class Level(models.TextChoices):
        SECTION = "section", _("участок")
        SHOP = "shop", _("цех")
        PLANT = "plant", _("завод")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("предприятие"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField(_("номер"))
    period = models.ForeignKey(
        Period, verbose_name=_("период"), on_delete=models.PROTECT, related_name="+"
    )
    carried_from = models.ForeignKey(
        Period,
        verbose_name=_("перенесена из периода"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Месяц, в котором претензию подали: она не была решена к его закрытию "
            "и перенесена в следующий открытый месяц."
        ),
    )
    claim_type = models.ForeignKey(
        ClaimType, verbose_name=_("вид претензии"), on_delete=models.PROTECT, related_name="claims"
    )
    # The parties: the shop always, then the section, the brigade or the worker.
    claimant_kind = models.CharField(_("истец — вид"), max_length=10, choices=PartyKind.choices)
    claimant_shop = models.ForeignKey(
        Shop, verbose_name=_("цех истца"), on_delete=models.PROTECT, related_name="+"
    )
    claimant_section = models.ForeignKey(
        Section,
        verbose_name=_("участок истца"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimant_brigade = models.ForeignKey(
        "brigades.Brigade",
        verbose_name=_("бригада истца"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    claimant_worker = models.ForeignKey(
        Worker,
        verbose_name=_("рабочий-истец"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    defendant_kind = models.CharField(_("ответчик — вид"), max_length=10, choices=PartyKind.choices)
    defendant_shop = models.ForeignKey(
        Shop, verbose_name=_("цех ответчика"), on_delete=models.PROTECT, related_name="+"
    )
    defendant_section = models.ForeignKey(
        Section,
        verbose_name=_("участок ответчика"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    defendant_brigade = models.ForeignKey(
        "brigades.Brigade",
        verbose_name=_("бригада ответчика"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    defendant_worker = models.ForeignKey(
        Worker,
        verbose_name=_("рабочий-ответчик"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("суть нарушения"))
    loss_inputs = models.JSONField(_("исходные данные расчёта"), default=dict)
    loss_amount = models.DecimalField(_("сумма претензии, руб."), **MONEY)
    loss_formula = models.TextField(_("расчёт"), blank=True)
    history_shown = {"loss_inputs": rules.inputs_text}
    """The panel reads the loss's inputs by their labels, not as the stored mapping."""
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.FILED
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("подал"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("подана"))
    answer_due = models.DateField(_("ответить до"))
    answer = models.CharField(_("ответ"), max_length=10, choices=Answer.choices, blank=True)
    accepted_amount = models.DecimalField(
        _("признано ответчиком, руб."), null=True, blank=True, **MONEY
    )
    answer_reason = models.TextField(_("доводы ответчика"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("ответ дан"), null=True, blank=True)
    escalated_unanswered = models.BooleanField(_("передана арбитру без ответа"), default=False)
    arbitrator_level = models.CharField(_("уровень арбитра"), max_length=10, choices=Level.choices)
    arbitrator_role = models.CharField(_("арбитр — роль"), max_length=20, choices=Role.choices)
    arbitrator_shop = models.ForeignKey(
        Shop,
        verbose_name=_("арбитр — цех"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    arbitrator_section = models.ForeignKey(
        Section,
        verbose_name=_("арбитр — участок"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_amount = models.DecimalField(_("решено арбитром, руб."), null=True, blank=True, **MONEY)
    decision_reason = models.TextField(_("обоснование решения"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("решил"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("решено"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("причина отзыва"), blank=True)
    final_amount = models.DecimalField(
        _("отнесено на ответчика, руб."), null=True, blank=True, **MONEY
    )
    submission = models.CharField(_("ключ подачи"), max_length=40, blank=True, editable=False)

    # the double-submit key means nothing to a reader of the history
    history_exclude = ("submission",)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("претензия")
        verbose_name_plural = _("претензии")
        ordering = ["-filed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "number"],
                name="claim_number_unique",
                violation_error_message=_("Претензия с таким номером уже есть."),
            ),
            models.UniqueConstraint(
                fields=["filed_by", "submission"],
                condition=~models.Q(submission=""),
                name="claim_filed_once",
                violation_error_message=_("Эта претензия уже подана."),
            ),
            models.CheckConstraint(
                condition=models.Q(loss_amount__gt=0),
                name="claim_amount_positive",
                violation_error_message=_("Сумма претензии должна быть больше нуля."),
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_amount__isnull=True)
                | models.Q(accepted_amount__gte=0, accepted_amount__lte=models.F("loss_amount")),
                name="claim_accepted_within_amount",
                violation_error_message=_("Признать можно от нуля до суммы претензии."),
            ),
            models.CheckConstraint(
                condition=models.Q(decided_amount__isnull=True)
                | models.Q(decided_amount__gte=0, decided_amount__lte=models.F("loss_amount")),
                name="claim_decided_within_amount",
                violation_error_message=_("Решение — от нуля до суммы претензии."),
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "period", "status"]),
            models.Index(fields=["status", "answer_due"]),
        ]

    @property
    def status_colour(self) -> str:
        """The colour of the status badge (``{% status_badge %}``)."""
        colours = {
            self.Status.FILED: "warning",
            self.Status.ARBITRATION: "info",
            self.Status.WITHDRAWN: "secondary",
        }
        return colours.get(self.status, "success")

    def __str__(self):
        return str(_("Претензия № %(n)s") % {"n": self.number})

    def get_absolute_url(self):
        from enterprise.links import object_url

        return object_url("claims:claim_detail", self.pk)

    def period_keys(self):
        return [MonthKey(self.enterprise_id, self.period.year, self.period.month)]

    def scope_unit(self):
        # The claim as a whole belongs to the enterprise; the services check each
        # party's unit for the actions that concern it.
        return self.enterprise_id, None, None

    # --- the parties --------------------------------------------------------------------

    def party(self, side: str):
        """The claimant's or defendant's unit object (worker, brigade, section or shop)."""
        kind = getattr(self, f"{side}_kind")
        return getattr(self, f"{side}_{kind}")

    def party_label(self, side: str) -> str:
        return party_label(getattr(self, f"{side}_kind"), self.party(side))

    @property
    def claimant_label(self) -> str:
        return self.party_label("claimant")

    @property
    def defendant_label(self) -> str:
        return self.party_label("defendant")

    def unit(self, side: str) -> rules.Unit:
        kind = getattr(self, f"{side}_kind")
        return rules.Unit(
            kind,
            getattr(self, f"{side}_{kind}_id"),
            section_id=getattr(self, f"{side}_section_id"),
            shop_id=getattr(self, f"{side}_shop_id"),
        )

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.FILED, self.Status.ARBITRATION)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == self.Status.FILED and today > self.answer_due

    @property
    def disputed_amount(self) -> Decimal:
        """What is left for the arbitrator: the claim less what the defendant accepted."""
        return self.loss_amount - (self.accepted_amount or ZERO)


_SIDES = ("claimant", "defendant")
_UNITS = ("shop", "section", "brigade", "worker")


def load_parties(claims: list[Claim]) -> None:
    """Read the units of the claims' parties and wire them in: ``claim.claimant_brigade``,
    its ``section`` and that section's ``shop`` are then loaded, as are the claim's shops,
    sections and workers and the month it was carried from. One query per kind of unit
    present (brigades, workers, sections, shops), none per claim; a unit is one object
    however many claims name it."""
    if not claims:
        return
    brigade_model = Claim._meta.get_field("claimant_brigade").related_model

    def ids(unit: str) -> set[int]:
        found = (getattr(claim, f"{side}_{unit}_id") for claim in claims for side in _SIDES)
        return {pk for pk in found if pk is not None}

    def read(model, pks) -> dict:
        # (by id: the model's ordering would join its parents for nothing)
        return model._base_manager.order_by().in_bulk(pks) if pks else {}

    brigades = read(brigade_model, ids("brigade"))
    workers = read(Worker, ids("worker"))
    members = [*brigades.values(), *workers.values()]
    sections = read(Section, ids("section") | {unit.section_id for unit in members})
    shops = read(Shop, ids("shop") | {section.shop_id for section in sections.values()})
    for section in sections.values():
        section.shop = shops[section.shop_id]
    for unit in members:
        unit.section = sections.get(unit.section_id)
    units = {"shop": shops, "section": sections, "brigade": brigades, "worker": workers}
    # The month is usually joined (``with_parties``); a queryset that dropped the join
    # reads the months here, once for all the claims, as it reads their carried-from ones.
    period_field = Claim._meta.get_field("period")
    periods = {c.period_id: c.period for c in claims if period_field.is_cached(c)}
    wanted = {c.period_id for c in claims} | {c.carried_from_id for c in claims}
    periods.update(read(Period, wanted - set(periods) - {None}))
    for claim in claims:
        if not period_field.is_cached(claim):
            claim.period = periods[claim.period_id]
        for side in _SIDES:
            for unit in _UNITS:
                pk = getattr(claim, f"{side}_{unit}_id")
                setattr(claim, f"{side}_{unit}", units[unit][pk] if pk is not None else None)
        if claim.carried_from_id is not None:
            claim.carried_from = periods[claim.carried_from_id]


def party_label(kind: str, unit) -> str:
    if unit is None:
        return "—"
    if kind == PartyKind.WORKER:
        return str(_("рабочий %(name)s (уч. %(section)s, цех %(shop)s)")) % {
            "name": unit.short_name,
            "section": unit.section.number,
            "shop": unit.section.shop.number,
        }
    if kind == PartyKind.BRIGADE:
        return str(_("бригада № %(n)s (уч. %(section)s, цех %(shop)s)")) % {
            "n": unit.number,
            "section": unit.section.number,
            "shop": unit.section.shop.number,
        }
    if kind == PartyKind.SECTION:
        return str(_("участок № %(n)s цеха № %(shop)s")) % {
            "n": unit.number,
            "shop": unit.shop.number,
        }
    return str(_("цех № %(n)s")) % {"n": unit.number}


def document_path(instance: ClaimDocument, filename: str) -> str:
    """Files are stored under a server-made name; the user's name is kept as data.

    ``filename`` is the service's own (``x.pdf``, the extension from the file's content):
    only its extension is kept.
    """
    import os
    import uuid

    extension = os.path.splitext(filename)[1].lower()
    if extension not in (".pdf", ".png", ".jpg", ".tif"):
        extension = ""
    return f"claims/{instance.claim.enterprise_id}/{uuid.uuid4().hex}{extension}"


class ClaimDocument(TrackedModel):
    """A primary document of a claim: an attached file or a reference (number, date)."""

    # The stored file's server-made name means nothing to people (``file_name`` and type
    # are recorded), and the history's serializer does not take a FieldFile; its size in
    # bytes is internal («Размер, байт: — → 0» on every document told nobody anything).
    history_exclude = ("file", "size")

    claim = models.ForeignKey(
        Claim, verbose_name=_("претензия"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("документ"), max_length=200)
    number = models.CharField(_("номер"), max_length=50, blank=True)
    date = models.DateField(_("дата"), null=True, blank=True)
    file = models.FileField(_("файл"), upload_to=document_path, blank=True)
    file_name = models.CharField(_("имя файла"), max_length=200, blank=True)
    content_type = models.CharField(_("тип файла"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("размер, байт"), default=0)

    class Meta:
        verbose_name = _("документ претензии")
        verbose_name_plural = _("документы претензии")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="")
                | (~models.Q(number="") & models.Q(date__isnull=False)),
                name="claim_document_file_or_reference",
                violation_error_message=_("Приложите файл или укажите номер и дату документа."),
            )
        ]

    def __str__(self):
        if self.file:
            return f"{self.title}: {self.file_name}"
        return f"{self.title} № {self.number} от {self.date:%d.%m.%Y}"

    def period_keys(self):
        return self.claim.period_keys()

    def history_group(self):
        return f"claims.claim:{self.claim_id}"
