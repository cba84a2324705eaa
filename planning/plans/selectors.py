"""Reads of personal plans, scoped to the user: lists, the section check (§4), home tasks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from enterprise.models import Period, Section, Shop, Worker
from enterprise.money import NIL
from enterprise.permissions import can
from enterprise.selectors import own_worker

from . import rules
from .models import CorrectionCell, PersonalPlan, PrintJob, SectionTask


def plans_for(user):
    """Personal plans this user sees, with what their pages show."""
    return PersonalPlan.objects.visible_to(user).select_related(
        "worker__profession", "section__shop", "enterprise"
    )


def current_plans(section_ids, year: int):
    """The version of each worker's plan that counts for the year: the signed one while no
    later version is signed, else the open draft (first plans are drafts until signed)."""
    return (
        PersonalPlan.objects.filter(section_id__in=section_ids, year=year)
        .exclude(status=PersonalPlan.Status.SUPERSEDED)
        .order_by("worker_id", "-status")  # "signed" after "draft"/"agreed": first is signed
    )


# What a page of many workers' figures (the board, the bonus proposals) never reads of a
# plan: its calculation's inputs, commitments and signatures (half of its columns).
PLAN_DETAIL_FIELDS = (
    "production_task",
    "other_commitments",
    "average_output",
    "section_growth_percent",
    "worker_norm_fulfilment",
    "section_norm_fulfilment",
    "correction_coefficient",
    "time_balance_hours",
    "service_norm",
    "machine_productivity",
    "working_share",
    "scrap_reduction_percent",
    "labour_reduction_hours",
    "materials_savings",
    "tools_savings",
    "energy_savings",
    "worker_agreed_at",
    "master_signed_at",
    "economist_signed_at",
    "shop_head_signed_at",
)


def plans_in_force(
    section_ids, year: int, *, related: tuple[str, ...] = ("worker",), figures_only: bool = False
) -> dict[int, PersonalPlan]:
    """worker id → the plan in force for the year: signed if there is one, else the open
    version (a worker with a signed plan and a draft revision counts the signed one).

    ``related``: what is fetched with each plan; ``figures_only``: leave out
    :data:`PLAN_DETAIL_FIELDS` (for pages of a whole shop's figures)."""
    chosen: dict[int, PersonalPlan] = {}
    plans = current_plans(section_ids, year).select_related(*related)
    if figures_only:
        plans = plans.defer(*PLAN_DETAIL_FIELDS)
    for plan in plans:
        held = chosen.get(plan.worker_id)
        if held is None or (
            plan.status == PersonalPlan.Status.SIGNED and held.status != PersonalPlan.Status.SIGNED
        ):
            chosen[plan.worker_id] = plan
    return chosen


# --- what the plan pages show ----------------------------------------------------------------


def checked_sections(user, shop: Shop | None = None):
    """The sections whose §4 check the user sees (of one shop, if given), in shop order."""
    sections = Section.objects.visible_to(user).select_related("shop")
    if shop is not None:
        sections = sections.filter(shop=shop)
    return sections.order_by("shop__number", "number")


def shops_to_check(user):
    """The shops the user sees, to choose the §4 check of one."""
    return Shop.objects.visible_to(user).order_by("number")


def section_task(section: Section, year: int) -> SectionTask | None:
    """The section's task for the year, if one was set."""
    return SectionTask.objects.filter(section=section, year=year).first()


def section_workers(section: Section) -> list[Worker]:
    """The section's active workers, by name, with their professions."""
    return list(
        Worker.objects.active()
        .filter(section=section)
        .select_related("profession")
        .order_by("last_name", "first_name", "pk")
    )


def correction_cells(enterprise_id: int):
    """The enterprise's correction table (table 25)."""
    return CorrectionCell.objects.filter(enterprise_id=enterprise_id)


def has_correction_table(enterprise_id: int) -> bool:
    """Whether the enterprise filled in a correction table (plans default to it then)."""
    return correction_cells(enterprise_id).exists()


def open_plan(worker: Worker, year: int) -> PersonalPlan | None:
    """The worker's plan for the year that is not superseded (any status), if there is one."""
    return (
        PersonalPlan.objects.filter(worker=worker, year=year)
        .exclude(status=PersonalPlan.Status.SUPERSEDED)
        .first()
    )


def plan_versions(plan: PersonalPlan) -> list[PersonalPlan]:
    """Every version of the plan's worker's plan for its year, oldest first."""
    return list(
        PersonalPlan.objects.filter(worker_id=plan.worker_id, year=plan.year).order_by("version")
    )


def plan_years(user, limit: int = 50) -> set[int]:
    """The years of the plans the user sees (at most ``limit`` of them)."""
    return set(plans_for(user).order_by().values_list("year", flat=True).distinct()[:limit])


def print_jobs_of(user, limit: int) -> list[PrintJob]:
    """The batches the user ordered himself, newest first (at most ``limit``)."""
    return list(
        PrintJob.objects.visible_to(user)
        .filter(requested_by=user)
        .select_related("enterprise", "shop", "section__shop")[:limit]
    )


@dataclass(frozen=True)
class SectionCheck:
    """The sum of a section's personal plans against its task (§4)."""

    section: Section
    year: int
    task: SectionTask | None
    plans: int
    signed: int
    workers: int
    sum_of_plans: Decimal
    check: rules.PlanCheck | None

    @property
    def verdict(self) -> str | None:
        return self.check.verdict.value if self.check else None

    @property
    def message(self) -> str:
        if self.task is None:
            return _("Задание участка на год не введено: сверить планы не с чем.")
        if not self.plans:
            return _("Личных планов на этот год ещё нет.")
        return check_message(self.check)


def check_message(check: rules.PlanCheck) -> str:
    """The verdict of §4 in the active language, the percent to one place."""
    from enterprise.numbers import figure, figure_plain

    excess = check.excess_percent
    upper = figure_plain(check.sound_upper_percent)
    if check.verdict is rules.PlanVerdict.TOO_LOW:
        return _(
            "Сумма личных планов ниже задания участка на %(percent)s %%: участок не выполнит "
            "задание, стимулирование теряет смысл."
        ) % {"percent": figure(-excess, 1)}
    if check.verdict is rules.PlanVerdict.TOO_HIGH:
        return _(
            "Сумма личных планов превышает задание участка на %(percent)s %% (больше %(upper)s "
            "%%): избыточная численность, при оплате — перерасход фонда заработной платы."
        ) % {"percent": figure(excess, 1), "upper": upper}
    if check.excess_percent == 0:
        return _("Сумма личных планов равна заданию участка — планы обоснованы.")
    return _(
        "Сумма личных планов превышает задание участка на %(percent)s %% (не больше "
        "%(upper)s %%) — планы обоснованы."
    ) % {"percent": figure(excess, 1), "upper": upper}


def section_checks(sections, year: int) -> list[SectionCheck]:
    """The §4 check of every section in ``sections`` (a few queries for any number)."""
    sections = list(sections)
    ids = [s.pk for s in sections]
    tasks = {t.section_id: t for t in SectionTask.objects.filter(section_id__in=ids, year=year)}
    # Per section: the signed plans, plus the open versions of workers with none signed
    # (aggregated in the database: a plant-wide page adds up thousands of plans).
    plans = PersonalPlan.objects.filter(section_id__in=ids, year=year)
    signed = plans.filter(status=PersonalPlan.Status.SIGNED)
    open_only = plans.filter(
        status__in=[PersonalPlan.Status.DRAFT, PersonalPlan.Status.AGREED]
    ).exclude(
        worker_id__in=PersonalPlan.objects.filter(
            year=year, status=PersonalPlan.Status.SIGNED
        ).values("worker_id")
    )
    totals: dict[int, dict] = {}
    for kind, queryset in (("signed", signed), ("open", open_only)):
        for row in (
            queryset.order_by()
            .values("section_id")
            .annotate(n=Count("pk"), volume=Sum("annual_volume"))
        ):
            entry = totals.setdefault(row["section_id"], {"signed": 0, "open": 0, "volume": NIL})
            entry[kind] += row["n"]
            entry["volume"] += row["volume"]
    headcount = dict(
        Worker.objects.active()
        .filter(section_id__in=ids)
        .values_list("section_id")
        .annotate(n=Count("pk"))
    )
    result = []
    for section in sections:
        entry = totals.get(section.pk, {"signed": 0, "open": 0, "volume": NIL})
        count = entry["signed"] + entry["open"]
        task = tasks.get(section.pk)
        check = (
            rules.plans_vs_section_task(entry["volume"], task.task, task.sound_upper_percent)
            if task is not None and count
            else None
        )
        result.append(
            SectionCheck(
                section=section,
                year=year,
                task=task,
                plans=count,
                signed=entry["signed"],
                workers=headcount.get(section.pk, 0),
                sum_of_plans=entry["volume"],
                check=check,
            )
        )
    return result


@dataclass(frozen=True)
class Frame:
    """A five-year plan: each year with the worker's plan in force, and their sum."""

    years: list[tuple[int, PersonalPlan | None]]

    @property
    def total(self) -> Decimal:
        return rules.five_year_plan([p.annual_volume for _y, p in self.years if p is not None])

    @property
    def missing(self) -> int:
        return sum(1 for _y, p in self.years if p is None)


def five_year_frame(plan: PersonalPlan) -> Frame:
    """The years of the plan's five-year frame with the worker's plan in force for each."""
    return _frame(
        plan,
        PersonalPlan.objects.filter(
            worker_id=plan.worker_id,
            year__gte=plan.five_year_from,
            year__lte=plan.five_year_from + 4,
        )
        .exclude(status=PersonalPlan.Status.SUPERSEDED)
        .order_by("year", "version"),
    )


def _frame(plan: PersonalPlan, others) -> Frame:
    """The frame of ``plan`` from the worker's plans of its years (none superseded), in
    order of year and version."""
    plans: dict[int, PersonalPlan] = {}
    for other in others:
        held = plans.get(other.year)
        if held is None or held.status != PersonalPlan.Status.SIGNED:
            plans[other.year] = other
    return Frame(
        [(year, plans.get(year)) for year in range(plan.five_year_from, plan.five_year_from + 5)]
    )


def versions_and_frame(plan: PersonalPlan) -> tuple[list[PersonalPlan], Frame]:
    """:func:`plan_versions` and :func:`five_year_frame` of the plan's page, in one query: the
    plan's year is one of its frame's (a constraint), so the worker's plans of the frame's
    years hold every version of it."""
    plans = list(
        PersonalPlan.objects.filter(
            worker_id=plan.worker_id,
            year__gte=plan.five_year_from,
            year__lte=plan.five_year_from + 4,
        ).order_by("year", "version")
    )
    versions = [other for other in plans if other.year == plan.year]
    frame = _frame(
        plan, [other for other in plans if other.status != PersonalPlan.Status.SUPERSEDED]
    )
    return versions, frame


def year_end(plan: PersonalPlan) -> Period | None:
    """The plan's year's December, when the enterprise has it: a plan freezes with it."""
    return (
        Period.objects.filter(enterprise_id=plan.enterprise_id, year=plan.year, month=12)
        .select_related("closed_by")
        .first()
    )


def closed_year():
    """True for a plan of a year whose December is closed (frozen: nobody agrees or signs
    it) — an expression to filter or exclude plans by."""
    return Exists(
        Period.objects.filter(
            enterprise_id=OuterRef("enterprise_id"),
            year=OuterRef("year"),
            month=12,
            status=Period.Status.CLOSED,
        )
    )


def tasks_for(user) -> list:
    """Plans waiting for this user's signature or agreement (home page); a plan of a year
    whose December is closed waits for nobody."""
    from enterprise.selectors import Task

    open_statuses = [PersonalPlan.Status.DRAFT, PersonalPlan.Status.AGREED]
    plans = plans_for(user).filter(status__in=open_statuses).exclude(closed_year())
    tasks = []
    # A worker: his own plan waiting for his agreement (no query for a user who is no worker).
    own = []
    if own_worker(user) is not None:
        own = list(plans.filter(worker__user=user, status=PersonalPlan.Status.DRAFT)[:3])
    for plan in own:
        tasks.append(
            Task(
                _("Ваш личный план на %(year)s год ждёт согласия") % {"year": plan.year},
                _("Посмотрите план и подтвердите, что согласны с ним."),
                plan.get_absolute_url(),
                urgent=True,
            )
        )
    waiting = {
        "plan.sign_master": ("master", Q(master_signed_at__isnull=True)),
        "plan.sign_economist": ("economist", Q(economist_signed_at__isnull=True)),
        "plan.sign_shop_head": ("shop_head", Q(shop_head_signed_at__isnull=True)),
    }
    for action, (role, condition) in waiting.items():
        if not can(user, action):
            continue
        # not those he signed already under another role, nor his own (services.sign_refusal)
        pending = plans.filter(condition, status=PersonalPlan.Status.AGREED).exclude(
            Q(master_signed_by=user)
            | Q(economist_signed_by=user)
            | Q(shop_head_signed_by=user)
            | Q(worker__user=user)
        )
        by_section = (
            pending.values("section_id", "section__number", "section__shop__number", "year")
            .annotate(n=Count("pk"), volume=Sum("annual_volume"))
            .order_by("year", "section__shop__number", "section__number")[:10]
        )
        for row in by_section:
            from django.urls import reverse

            tasks.append(
                Task(
                    _("Подписать личные планы: цех %(shop)s, участок %(section)s, %(year)s год")
                    % {
                        "shop": row["section__shop__number"],
                        "section": row["section__number"],
                        "year": row["year"],
                    },
                    _("Согласованы с рабочими и ждут вашей подписи: %(count)s.")
                    % {"count": row["n"]},
                    reverse("planning:section_sign", args=[row["section_id"]]) + f"?role={role}",
                    urgent=True,
                )
            )
    return tasks


# --- the close of December: the year's plans still unsigned -------------------------------------


_UNSIGNED = (PersonalPlan.Status.DRAFT, PersonalPlan.Status.AGREED)


def _year_closes(period) -> bool:
    """A plan is of its year: it freezes with the year's December."""
    return period.month == 12


def open_in(period) -> list:
    """The year's personal plans not yet signed, when its December closes (by section)."""
    from enterprise.closing import OpenItem

    if not _year_closes(period):
        return []
    plans = (
        PersonalPlan.objects.filter(
            enterprise_id=period.enterprise_id, year=period.year, status__in=_UNSIGNED
        )
        .select_related("worker", "section__shop")
        .order_by("section__shop__number", "section__number", "worker__last_name", "pk")
    )
    return [
        OpenItem(
            pk=plan.pk,
            label=str(plan),
            unit=_("цех № %(shop)s, участок № %(section)s")
            % {"shop": plan.section.shop.number, "section": plan.section.number},
            status=plan.get_status_display(),
            url=plan.get_absolute_url(),
        )
        for plan in plans
    ]


def finished_in(period) -> int:
    """The year's plans signed (or superseded by a signed revision), at December's close."""
    if not _year_closes(period):
        return 0
    return (
        PersonalPlan.objects.filter(enterprise_id=period.enterprise_id, year=period.year)
        .exclude(status__in=_UNSIGNED)
        .count()
    )


# --- a worker's own plan (his menu, his home page) ------------------------------------------


def current_plan(worker_id: int, year: int) -> PersonalPlan | None:
    """The worker's plan of ``year`` in force: the signed version, else the newest agreed or
    draft one (a returned or superseded version is not his plan). One query, with the
    worker (his months' plans follow his employment)."""
    versions = (
        PersonalPlan.objects.select_related("worker")
        .filter(
            worker_id=worker_id,
            year=year,
            status__in=[
                PersonalPlan.Status.SIGNED,
                PersonalPlan.Status.AGREED,
                PersonalPlan.Status.DRAFT,
            ],
        )
        .order_by("-version")
    )
    versions = list(versions)
    signed = next((p for p in versions if p.status == PersonalPlan.Status.SIGNED), None)
    return signed or next(iter(versions), None)
