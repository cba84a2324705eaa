"""Writes of personal plans: drafting (one or a section's by a method), agreement,
signatures, return to draft, revision; and the section's task.

Every service checks the user's right on the object, locks the row it changes, runs
``full_clean()`` (which also refuses a year whose December is closed) and records who
did it through :func:`enterprise.tracking.acting_as`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprise import duties, plausibility
from enterprise.models import Section, Worker
from enterprise.money import KOPECK, NIL, THOUSANDTH, half_even, half_up
from enterprise.permissions import can, require
from enterprise.tracking import acting_as
from planning.tracking.models import MonthlyOutput

from . import calculation
from .models import DEFAULT_TIME_FUND, PersonalPlan, SectionTask, correction_table
from .plausibility import check_plan

P = PersonalPlan
COMMITMENT_FIELDS = (
    "production_task",
    "scrap_reduction_percent",
    "labour_reduction_hours",
    "materials_savings",
    "tools_savings",
    "energy_savings",
    "proposals",
    "other_commitments",
)
SIGNATURE_TITLES = {
    "master": gettext_lazy("мастер"),
    "economist": gettext_lazy("экономист"),
    "shop_head": gettext_lazy("начальник цеха"),
}
SIGNATURES = {
    "master": ("plan.sign_master", "master_signed_by", "master_signed_at"),
    "economist": ("plan.sign_economist", "economist_signed_by", "economist_signed_at"),
    "shop_head": ("plan.sign_shop_head", "shop_head_signed_by", "shop_head_signed_at"),
}


def five_year_start(year: int) -> int:
    """The first year of the five-year plan holding ``year`` (1976–1980, …, 2026–2030)."""
    return year - (year - 1976) % 5


def _locked(plan: PersonalPlan) -> PersonalPlan:
    return P.objects.select_for_update().select_related("worker", "section__shop").get(pk=plan.pk)


def _apply(plan: PersonalPlan, method: str, values: dict) -> calculation.Figures:
    """Calculate by ``method`` and put inputs and figures on the plan (not saved)."""
    table = correction_table(plan.enterprise_id) if method == P.Method.TABLE else None
    figures = calculation.calculate(method, values, table=table)
    plan.method = method
    used = set(calculation.REQUIRED[method]) | {"base_output"}
    for name in calculation.INPUT_FIELDS:
        setattr(plan, name, values.get(name) if name in used else None)
    if method == P.Method.AVERAGE:
        plan.base_output = values.get("base_output")
    plan.growth_percent = figures.growth_percent
    plan.annual_volume = figures.annual_volume
    plan.correction_coefficient = figures.correction_coefficient
    if figures.annual_time_fund is not None:
        plan.annual_time_fund = figures.annual_time_fund
    elif values.get("annual_time_fund"):
        plan.annual_time_fund = values["annual_time_fund"]
    return figures


def _open_version(worker_id: int, year: int) -> PersonalPlan | None:
    return (
        P.objects.select_for_update()
        .filter(worker_id=worker_id, year=year, status__in=[P.Status.DRAFT, P.Status.AGREED])
        .first()
    )


@transaction.atomic
def plan_save_draft(
    *,
    worker: Worker,
    year: int,
    method: str,
    values: dict,
    user,
    plan: PersonalPlan | None = None,
    five_year_from: int | None = None,
    output_unit: str | None = None,
    unit: str | None = None,
    commitments: dict | None = None,
    confirmed: bool = False,
) -> PersonalPlan:
    """Create the worker's draft for ``year`` or change the given draft ``plan``.

    The parameters and figures are checked (:mod:`planning.plans.plausibility`):
    impossible ones refuse by field, unlikely ones raise
    :class:`~enterprise.plausibility.UnlikelyFigures` until ``confirmed``, and the
    history records the confirmation."""
    if plan is None:
        plan = P(
            enterprise_id=worker.enterprise_id,
            worker=worker,
            section=worker.section,
            year=year,
            five_year_from=five_year_from or five_year_start(year),
            drafted_by=user,
        )
        require(user, "plan.edit", plan)
        if _open_version(worker.pk, year) is not None:
            raise ValidationError(
                _("У рабочего уже есть неподписанная редакция плана на этот год — измените её.")
            )
        signed = P.objects.filter(worker=worker, year=year, status=P.Status.SIGNED).first()
        if signed is not None:
            raise ValidationError(
                _("План на этот год подписан: изменения вносятся новой редакцией.")
            )
    else:
        plan = _locked(plan)
        require(user, "plan.edit", plan)
        if plan.status != P.Status.DRAFT:
            raise ValidationError(_("Изменять можно только черновик плана."))
        if five_year_from:
            plan.five_year_from = five_year_from
    if output_unit:
        plan.output_unit = output_unit
    if unit:
        plan.unit = unit
    _apply(plan, method, values)
    for name, value in (commitments or {}).items():
        if name in COMMITMENT_FIELDS:
            setattr(plan, name, value if value is not None or name.endswith("_task") else None)
    findings = plausibility.Findings(by_field=True)
    check_plan(findings, plan)
    notes = findings.settle(confirmed=confirmed)
    plan.full_clean()
    with acting_as(user, plausibility.confirmed_reason(notes)):
        plan.save()
    return plan


@transaction.atomic
def plan_agree(*, plan: PersonalPlan, user) -> PersonalPlan:
    """The worker agrees with his draft — himself, or the master/economist records it."""
    plan = _locked(plan)
    require(user, "plan.agree", plan)
    if plan.status != P.Status.DRAFT:
        raise ValidationError(_("Согласовать с рабочим можно только черновик плана."))
    plan.status = P.Status.AGREED
    plan.worker_agreed_at = timezone.now()
    plan.worker_agreed_recorded_by = user
    plan.full_clean()
    with acting_as(user):
        plan.save()
    return plan


def _open_signatures(plan: PersonalPlan, user) -> list[str]:
    """The signatures still missing that ``user``'s roles would let him put."""
    if plan.status != P.Status.AGREED:
        return []
    return [
        key
        for key, (action, _by, at) in SIGNATURES.items()
        if getattr(plan, at) is None and can(user, action, plan)
    ]


def sign_refusal(plan: PersonalPlan, user) -> str | None:
    """Why ``user`` puts no further signature on ``plan`` whatever roles he holds (None:
    nothing stops him): the three signatures are three people's, and nobody signs his
    own plan."""
    if plan.worker.user_id is not None and plan.worker.user_id == user.pk:
        return _(
            "Свой личный план вы не подписываете: его подписывают мастер, экономист и "
            "начальник цеха."
        )
    given = [
        (SIGNATURE_TITLES[key], getattr(plan, f"{by}_id"))
        for key, (_action, by, at) in SIGNATURES.items()
        if getattr(plan, at) is not None
    ]
    title = duties.signed_as(user, given)
    return duties.already_signed_message(title) if title else None


def signable_roles(plan: PersonalPlan, user) -> list[str]:
    """The signatures (``master`` / ``economist`` / ``shop_head``) ``user`` may put now:
    none once he has signed under one of his roles (:func:`sign_refusal`)."""
    roles = _open_signatures(plan, user)
    if roles and sign_refusal(plan, user):
        return []
    return roles


def sign_blocked(plan: PersonalPlan, user) -> str | None:
    """The reason to show instead of the buttons his roles would otherwise give him."""
    if not _open_signatures(plan, user):
        return None
    return sign_refusal(plan, user)


@transaction.atomic
def plan_sign(*, plan: PersonalPlan, role: str, user) -> PersonalPlan:
    """Put ``role``'s signature; the third signature makes the plan signed and final.

    The three signatures are three people's: one who signed under one role does not
    sign again under another, and the worker does not sign his own plan.

    A signed revision supersedes the version it revises in the same transaction.
    """
    if role not in SIGNATURES:
        raise PermissionDenied
    action, by_field, at_field = SIGNATURES[role]
    plan = _locked(plan)
    require(user, action, plan)
    if plan.status != P.Status.AGREED:
        raise ValidationError(_("Подписывают план, согласованный с рабочим."))
    if getattr(plan, at_field) is not None:
        raise ValidationError(_("Эта подпись уже стоит."))
    refusal = sign_refusal(plan, user)
    if refusal:
        raise ValidationError(refusal, code="same_signer")
    now = timezone.now()
    setattr(plan, by_field, user)
    setattr(plan, at_field, now)
    with acting_as(user):
        if all(getattr(plan, at) is not None for _a, _b, at in SIGNATURES.values()):
            if plan.revises_id:
                old = P.objects.select_for_update().get(pk=plan.revises_id)
                if old.status == P.Status.SIGNED:
                    old.status = P.Status.SUPERSEDED
                    old.save(update_fields=["status"])
            plan.status = P.Status.SIGNED
            plan.signed_at = now
        plan.full_clean()
        plan.save()
    return plan


@transaction.atomic
def plan_return(*, plan: PersonalPlan, reason: str, user) -> PersonalPlan:
    """Back to draft before all have signed: the agreement and signatures are withdrawn."""
    plan = _locked(plan)
    require(user, "plan.return", plan)
    if plan.status != P.Status.AGREED:
        raise ValidationError(
            _("Вернуть в черновик можно только согласованный, не подписанный план.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину.")})
    plan.status = P.Status.DRAFT
    plan.worker_agreed_at = plan.worker_agreed_recorded_by = None
    for _action, by_field, at_field in SIGNATURES.values():
        setattr(plan, by_field, None)
        setattr(plan, at_field, None)
    with acting_as(user, reason=reason):
        plan.save()
    return plan


@transaction.atomic
def plan_revise(*, plan: PersonalPlan, reason: str, user) -> PersonalPlan:
    """A new draft version of a signed plan; the signed one stays in force until the new
    one is signed."""
    plan = _locked(plan)
    require(user, "plan.edit", plan)
    if plan.status != P.Status.SIGNED:
        raise ValidationError(_("Новую редакцию составляют к подписанному плану."))
    if not reason.strip():
        raise ValidationError({"reason": _("Укажите причину изменения.")})
    if _open_version(plan.worker_id, plan.year) is not None:
        raise ValidationError(_("Новая редакция этого плана уже составляется."))
    latest = P.objects.filter(worker_id=plan.worker_id, year=plan.year).order_by("-version")[0]
    revision = P.objects.get(pk=plan.pk)
    revision.pk = revision.id = None
    revision._state.adding = True
    revision.version = latest.version + 1
    revision.revises = plan
    revision.status = P.Status.DRAFT
    revision.drafted_by = user
    revision.section = plan.worker.section
    revision.worker_agreed_at = revision.worker_agreed_recorded_by = None
    revision.signed_at = None
    for _action, by_field, at_field in SIGNATURES.values():
        setattr(revision, by_field, None)
        setattr(revision, at_field, None)
    revision.full_clean()
    with acting_as(user, reason=reason):
        revision.save()
    return revision


# --- a section's plans at once -----------------------------------------------------------------


@dataclass
class Proposal:
    """One worker's plan as a section-wide calculation would set it."""

    worker: Worker
    values: dict
    figures: calculation.Figures | None = None
    error: str = ""
    existing: PersonalPlan | None = None
    skipped: str = ""

    @property
    def ok(self) -> bool:
        return self.figures is not None and not self.skipped


@dataclass
class SectionProposal:
    section: Section
    year: int
    method: str
    rows: list[Proposal] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.figures.annual_volume for r in self.rows if r.ok), NIL)

    @property
    def ready(self) -> list[Proposal]:
        return [r for r in self.rows if r.ok]

    @property
    def method_label(self) -> str:
        return P.Method(self.method).label


def base_year_figures(worker_ids, year: int) -> dict[int, dict]:
    """Each worker's figures of the year before ``year`` from the monthly output:
    output, hours, and hourly output (output / hours) — None where nothing was entered."""
    rows = (
        MonthlyOutput.objects.filter(worker_id__in=worker_ids, period__year=year - 1)
        .values("worker_id")
        .annotate(output=Sum("output"), hours=Sum("hours_worked"))
    )
    return {
        r["worker_id"]: {
            "output": r["output"],
            "hours": r["hours"],
            "hourly": (r["output"] / r["hours"]) if r["hours"] else None,
        }
        for r in rows
    }


def profession_averages(enterprise_id: int, year: int) -> dict[int, Decimal]:
    """profession id → the profession's average hourly output in the year before ``year``
    across the enterprise (Σ output / Σ hours): Вср per hour of §3a."""
    rows = (
        MonthlyOutput.objects.filter(enterprise_id=enterprise_id, period__year=year - 1)
        .values("worker__profession_id")
        .annotate(output=Sum("output"), hours=Sum("hours_worked"))
    )
    return {r["worker__profession_id"]: r["output"] / r["hours"] for r in rows if r["hours"]}


def section_proposal(
    *,
    section: Section,
    year: int,
    method: str,
    params: dict,
    average_by_profession: dict[int, Decimal] | None = None,
) -> SectionProposal:
    """The plans a section-wide calculation would set, per active worker (nothing saved).

    ``params`` holds the common inputs: ``growth_percent`` (average method),
    ``section_growth_percent`` and ``section_norm_fulfilment`` (differentiated methods),
    ``service_norm``, ``machine_productivity``, ``working_share`` (textile) and
    ``annual_time_fund``. Each worker's own inputs come from the year before: the base
    output = his hourly output × the time fund, Нр = his hourly output in norm-hours per
    hour worked; the average output Вср = the profession's hourly output × the time fund
    (``average_by_profession`` overrides Вср per profession).
    """
    fund = params.get("annual_time_fund") or DEFAULT_TIME_FUND
    workers = list(
        Worker.objects.active()
        .filter(section=section)
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )
    base = base_year_figures([w.pk for w in workers], year)
    averages = profession_averages(section.shop.enterprise_id, year)
    table = correction_table(section.shop.enterprise_id) if method == P.Method.TABLE else None
    existing: dict[int, PersonalPlan] = {}
    for plan in P.objects.filter(worker__in=workers, year=year).exclude(status=P.Status.SUPERSEDED):
        if plan.status in (P.Status.DRAFT, P.Status.AGREED) or plan.worker_id not in existing:
            existing[plan.worker_id] = plan
    result = SectionProposal(section, year, method)
    for worker in workers:
        own = base.get(worker.pk, {})
        hourly = own.get("hourly")
        values = {"annual_time_fund": fund}
        if hourly is not None:
            values["base_output"] = half_up(hourly * fund, THOUSANDTH)
        if method == P.Method.AVERAGE:
            average = (average_by_profession or {}).get(worker.profession_id)
            if average is None and worker.profession_id in averages:
                average = half_up(averages[worker.profession_id] * fund, THOUSANDTH)
            values.update(average_output=average, growth_percent=params.get("growth_percent"))
        elif method in (P.Method.TABLE, P.Method.FORMULA):
            values.update(
                section_growth_percent=params.get("section_growth_percent"),
                section_norm_fulfilment=params.get("section_norm_fulfilment"),
                worker_norm_fulfilment=(half_even(hourly, KOPECK) if hourly is not None else None),
            )
        elif method == P.Method.TEXTILE:
            values.update(
                time_balance_hours=fund,
                service_norm=params.get("service_norm"),
                machine_productivity=params.get("machine_productivity"),
                working_share=params.get("working_share"),
            )
        row = Proposal(worker=worker, values=values, existing=existing.get(worker.pk))
        if row.existing is not None and row.existing.status != P.Status.DRAFT:
            row.skipped = (
                _("подписан — изменения вносятся новой редакцией")
                if row.existing.status == P.Status.SIGNED
                else _("согласован с рабочим — сначала верните в черновик")
            )
        try:
            row.figures = calculation.calculate(method, values, table=table)
        except ValidationError as error:
            missing_base = hourly is None and method != P.Method.TEXTILE
            row.error = (
                _("нет выработки за прошлый год — задайте план рабочему отдельно")
                if missing_base and method != P.Method.AVERAGE
                else "; ".join(error.messages)
            )
        result.rows.append(row)
    return result


@transaction.atomic
def plans_set_by_method(
    *,
    section: Section,
    year: int,
    method: str,
    params: dict,
    user,
    average_by_profession: dict[int, Decimal] | None = None,
    five_year_from: int | None = None,
    confirmed: bool = False,
) -> SectionProposal:
    """Write the drafts of :func:`section_proposal`: new drafts, or the open drafts
    recalculated; signed and agreed plans are left alone (the rows say why).

    Each plan's figures are checked as one plan's are (:func:`plan_save_draft`); the
    refusals and questions of all come together, keyed by the worker's id (unlikely ones
    pass with ``confirmed``)."""
    require(user, "plan.edit", section)
    proposal = section_proposal(
        section=section,
        year=year,
        method=method,
        params=params,
        average_by_profession=average_by_profession,
    )
    task = SectionTask.objects.filter(section=section, year=year).first()
    refused: dict[int, list[str]] = {}
    doubted: dict[int, list[str]] = {}
    for row in proposal.ready:
        values = dict(row.values)
        plan = row.existing if row.existing is not None else None
        try:
            with transaction.atomic():
                plan_save_draft(
                    worker=row.worker,
                    year=year,
                    method=method,
                    values=values,
                    user=user,
                    plan=plan,
                    five_year_from=five_year_from,
                    output_unit=task.output_unit if task else None,
                    unit=task.unit if task else None,
                    confirmed=confirmed,
                )
        except plausibility.RowErrors as error:
            held = doubted if plausibility.asks_confirmation(error) else refused
            held[row.worker.pk] = [
                f"{row.worker.short_name}: {message}" for message in error.messages
            ]
    if refused:
        raise plausibility.RowErrors(refused, labelled=True)
    if doubted:
        raise plausibility.UnlikelyFigures(doubted, labelled=True)
    return proposal


# --- the section's task ----------------------------------------------------------------------


@transaction.atomic
def section_task_save(*, task: SectionTask, user) -> SectionTask:
    require(user, "section_task.edit", task)
    task.full_clean()
    with acting_as(user):
        task.save()
    return task
