"""Reads of the brigades app, scoped to the user; the sheet's data for page and PDF."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.closing import workers_as_printed
from enterprise.models import Period, RoleAssignment, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.money import KOPECK, ONE, ZERO, half_up
from enterprise.permissions import can
from enterprise.rules import month_bounds, years_between
from enterprise.scoping import scope_of

from . import rules
from .models import Brigade, Distribution, Ktu, KtuCriterion, Line, Membership, Post
from .models.brigades import led_brigade_ids
from .permissions import may_approve

YOUNG_REVIEW_MONTHS = 3


def brigades_for(user):
    today = timezone.localdate()
    current = Membership.objects.filter(brigade=OuterRef("pk"), valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    leader = Post.objects.filter(
        brigade=OuterRef("pk"), kind=Post.Kind.LEADER, valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return (
        Brigade.objects.visible_to(user)
        .select_related("section__shop")
        .annotate(
            member_count=Coalesce(
                Subquery(
                    current.order_by()
                    .values("brigade")
                    .annotate(n=Count("worker", distinct=True))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            leader_last_name=Subquery(leader.values("worker__last_name")[:1]),
            leader_initials=Subquery(leader.values("worker__first_name")[:1]),
        )
    )


def distributions_for(user):
    return Distribution.objects.visible_to(user).select_related(
        "brigade__section__shop", "period", "corrects__period"
    )


@dataclass
class GradeCheck:
    members_average: Decimal | None
    work_average: Decimal | None
    difference: Decimal | None

    @property
    def message(self) -> str:
        if self.difference is None:
            return ""
        if self.difference > 0:
            return _(
                "Средний разряд членов бригады (%(members)s) выше среднего разряда работ "
                "(%(work)s): заработок смещается к высоким разрядам."
            ) % {"members": _num(self.members_average, 2), "work": _num(self.work_average, 1)}
        return _(
            "Средний разряд членов бригады (%(members)s) ниже среднего разряда работ "
            "(%(work)s): есть риск для качества."
        ) % {"members": _num(self.members_average, 2), "work": _num(self.work_average, 1)}


def _num(value: Decimal | None, places: int) -> str:
    from enterprise.numbers import figure

    return figure(value, places)


def grade_check(brigade: Brigade, members: list[Membership]) -> GradeCheck:
    grades = [(Decimal(m.grade), Decimal(1)) for m in members]
    average = rules.average_grade(grades)
    return GradeCheck(
        average, brigade.work_grade, rules.grade_mismatch(average, brigade.work_grade)
    )


def current_members(brigade: Brigade, on: datetime.date | None = None) -> list[Membership]:
    on = on or timezone.localdate()
    return list(
        brigade.memberships.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("worker", "profession")
    )


def openable_workers(user, memberships: list[Membership]) -> set[int]:
    """The ids of the members' workers whose page ``user`` may open: as that page decides
    (``Worker.objects.visible_to``), so a name links only where the link answers (a
    worker sees his brigade, not his fellows' pages). One query."""
    ids = {m.worker_id for m in memberships}
    if not ids:
        return set()
    return set(Worker.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


# --- the sheet -----------------------------------------------------------------------------


@dataclass
class SheetRow:
    line: Line
    ktu: Decimal
    ktu_adjustments: list[dict]
    ktu_note: str
    young_unreviewed: bool = False

    @property
    def share(self) -> Decimal:
        return self.line.tariff + self.line.surplus


@dataclass
class LeaderSurcharge:
    """The leader's surcharge of the month as the sheet shows it: his stored segments."""

    worker_name: str
    percent: Decimal
    segments: list  # brigades.models.Surcharge, in the order of their days
    amount: Decimal
    hours: Decimal


@dataclass
class Sheet:
    """Everything the sheet shows, for the page and the PDF alike (the PDF runs no query)."""

    distribution: Distribution
    brigade: Brigade
    period: Period
    rows: list[SheetRow]
    own_only: bool
    headcount: int
    totals: dict[str, Decimal]
    problems: list[str]
    coefficient_label: str
    coefficient: Decimal | None
    surcharge: LeaderSurcharge | None
    leader_name: str
    council_names: list[str]
    master_name: str
    shop_head_name: str
    warnings: list[str] = field(default_factory=list)

    @property
    def checks_out(self) -> bool:
        return not self.problems


def check_totals(distribution: Distribution, lines: list[Line]) -> list[str]:
    """Why the document cannot be agreed or approved (empty: the sums agree)."""
    problems = []
    if not lines:
        problems.append(_("В табеле нет ни одной строки."))
    elif not any(line.hours for line in lines):
        problems.append(_("В табеле нет отработанных часов: заполните табель."))
    columns = (
        (
            distribution.piecework,
            [line.tariff + line.surplus for line in lines],
            _("сдельный заработок"),
        ),
        (distribution.bonus, [line.bonus for line in lines], _("премия")),
        (distribution.savings, [line.savings for line in lines], _("экономия ФЗП")),
    )
    for total, parts, label in columns:
        if sum(parts, ZERO) != total:
            problems.append(
                _("Сумма по столбцу «%(column)s» не равна итогу: распределять не по чему.")
                % {"column": label}
            )
    return problems


def _young_unreviewed(distribution: Distribution, lines: list[Line]) -> set[int]:
    """Young workers whose KTU the council has not reviewed for three months."""
    period = distribution.period
    day = month_bounds(period.year, period.month)[1]
    young = {
        line.worker_id
        for line in lines
        if years_between(line.worker.birth_date, day) < distribution.enterprise.young_worker_max_age
    }
    if not young:
        return set()
    index = period.year * 12 + period.month - 1
    earliest = index - (YOUNG_REVIEW_MONTHS - 1)
    reviewed = set(
        Ktu.objects.filter(
            worker_id__in=young,
            distribution__brigade_id=distribution.brigade_id,
        )
        .exclude(adjustments=[])
        .filter(
            Q(period__year__gt=earliest // 12)
            | Q(period__year=earliest // 12, period__month__gte=earliest % 12 + 1)
        )
        .filter(
            Q(period__year__lt=period.year)
            | Q(period__year=period.year, period__month__lte=period.month)
        )
        .values_list("worker_id", flat=True)
    )
    return young - reviewed


def leader_surcharge(
    distribution: Distribution, lines: list[Line], workers: set[int] | None = None
) -> LeaderSurcharge | None:
    """The stored surcharge segments of the document, of ``workers`` only when given
    (None: no surcharge to show)."""
    segments = [
        s for s in distribution.surcharges.all() if workers is None or s.worker_id in workers
    ]
    if not segments:
        return None
    names = {line.worker_id: line.worker.short_name for line in lines}
    return LeaderSurcharge(
        worker_name=", ".join(sorted({names.get(s.worker_id, "") for s in segments})),
        percent=segments[0].percent,
        segments=segments,
        amount=sum((s.amount for s in segments), ZERO),
        hours=sum((s.hours for s in segments), ZERO),
    )


SHEET_RELATED = (
    "brigade__section__shop",
    "period",
    "enterprise",
    "corrects__period",
)
"""What the sheet shows beside its lines: fetched with the document, in one query."""

# The people it names (who drafted, agreed and approved it; the section's master and the
# shop's head), read in one more query (:func:`_with_people`): joined in, they made the
# document's query thirteen tables, which PostgreSQL's planner took ~7 ms to plan (its
# genetic search starts at twelve) for a row it reads in 0,5 ms.
SHEET_PEOPLE = ("drafted_by", "agreed_by", "approved_by")


def _with_people(distribution: Distribution) -> Distribution:
    section = distribution.brigade.section
    ids = {getattr(distribution, f"{name}_id") for name in SHEET_PEOPLE}
    ids |= {section.head_id, section.shop.head_id}
    people = get_user_model()._base_manager.in_bulk(ids - {None})
    # (a reference left empty reads None without a query; one set is the row it names)
    for holder, name in (*((distribution, n) for n in SHEET_PEOPLE), (section, "head"),
                         (section.shop, "head")):  # fmt: skip
        pk = getattr(holder, f"{name}_id")
        if pk is not None:
            setattr(holder, name, people[pk])
    return distribution


def sheet_document(user, pk: int) -> Distribution | None:
    """The document ``pk`` with what its sheet shows (:data:`SHEET_RELATED`, the people
    it names), if ``user`` sees it (None: outside his scope) — two queries, ready for
    ``sheet(…, fetched=True)``."""
    visible = Distribution.objects.visible_to(user).values("pk")
    found = list(
        Distribution.objects.select_related(*SHEET_RELATED).filter(pk=pk, pk__in=visible).order_by()
    )
    return _with_people(found[0]) if found else None


def sheet(distribution: Distribution, user, *, fetched: bool = False) -> Sheet:
    """The distribution sheet as ``user`` may see it: a worker sees his own line only.
    ``fetched``: ``distribution`` comes from :func:`sheet_document` (not read again)."""
    if not fetched:
        distribution = _with_people(
            Distribution.objects.select_related(*SHEET_RELATED).get(pk=distribution.pk)
        )
    brigade = distribution.brigade
    lines = list(distribution.lines.select_related("worker", "membership__profession"))
    start, end = month_bounds(distribution.period.year, distribution.period.month)
    posts = list(
        brigade.posts.filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .select_related("worker")
        .order_by("kind", "-valid_from")
    )
    # A closed month's sheet shows its people as they were when it closed.
    shown = workers_as_printed(
        distribution.period, [line.worker for line in lines] + [p.worker for p in posts]
    )
    for part in (*lines, *posts):
        part.worker = shown[part.worker_id]
    ktus = {k.worker_id: k for k in distribution.ktus.all()}
    unreviewed = _young_unreviewed(distribution, lines)
    own_only = not can(user, "distribution.view_all", distribution)
    rows = []
    for line in lines:
        ktu = ktus.get(line.worker_id)
        rows.append(
            SheetRow(
                line=line,
                ktu=ktu.value if ktu else ONE,
                ktu_adjustments=ktu.adjustments if ktu else [],
                ktu_note=ktu.note if ktu else "",
                young_unreviewed=line.worker_id in unreviewed,
            )
        )
    headcount = len({line.worker_id for line in lines})
    totals = {
        name: sum((getattr(line, name) for line in lines), ZERO)
        for name in (
            "hours",
            "absence_hours",
            "output",
            "tariff",
            "surplus",
            "bonus",
            "savings",
            "surcharge",
            "total",
        )
    }
    totals["share"] = totals["tariff"] + totals["surplus"]
    problems = check_totals(distribution, lines)
    warnings = []
    if distribution.below_tariff:
        warnings.append(
            _(
                "Заработок бригады меньше её тарифного заработка: весь заработок распределён "
                "по тарифу, каждому — меньше его тарифа."
            )
        )
    if unreviewed and not own_only:
        warnings.append(
            _("КТУ молодых рабочих не пересматривался три месяца: %(names)s.")
            % {
                "names": ", ".join(
                    sorted({r.line.worker.short_name for r in rows if r.young_unreviewed})
                )
            }
        )
    leader = next((p for p in posts if p.kind == Post.Kind.LEADER), None)
    surcharge = leader_surcharge(distribution, lines)
    method = distribution.method
    coefficient_label = _("Кп") if method == Brigade.Method.KTU else _("K")
    if own_only:
        own = scope_of(user).workers
        rows = [r for r in rows if r.line.worker_id in own]
        surcharge = leader_surcharge(distribution, lines, own)
    section = brigade.section
    return Sheet(
        distribution=distribution,
        brigade=brigade,
        period=distribution.period,
        rows=rows,
        own_only=own_only,
        headcount=headcount,
        totals=totals,
        problems=problems,
        coefficient_label=coefficient_label,
        coefficient=distribution.coefficient,
        surcharge=surcharge,
        leader_name=leader.worker.short_name if leader else "",
        council_names=[p.worker.short_name for p in posts if p.kind == Post.Kind.COUNCIL],
        master_name=section.head.get_full_name() if section.head_id else "",
        shop_head_name=section.shop.head.get_full_name() if section.shop.head_id else "",
        warnings=warnings,
    )


def criteria_for(enterprise_id: int):
    return KtuCriterion.objects.filter(enterprise_id=enterprise_id, active=True)


# --- what the pages show beside their object --------------------------------------------------


def past_members(brigade: Brigade, current: list[Membership]):
    """The brigade's stretches other than ``current`` (the members of today), latest first."""
    return (
        brigade.memberships.exclude(pk__in=[m.pk for m in current])
        .select_related("worker", "profession")
        .order_by("-valid_from")
    )


def posts_of(brigade: Brigade):
    """The brigade's leaders and council members, past and present."""
    return brigade.posts.select_related("worker").order_by("kind", "-valid_from")


def brigade_distributions(user, brigade: Brigade):
    """The brigade's months that ``user`` sees."""
    return distributions_for(user).filter(brigade=brigade)


def brigade_sections(user, enterprise_id: int):
    """The sections of the enterprise a brigade may be placed in, as ``user`` sees them."""
    return Section.objects.visible_to(user).filter(shop__enterprise_id=enterprise_id)


def post_candidates(brigade: Brigade, on: datetime.date | None = None):
    """Workers of the brigade's section who are its members on ``on`` (today) or later."""
    on = on or timezone.localdate()
    members = brigade.memberships.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).values(
        "worker"
    )
    return brigade.section.workers.filter(pk__in=members)


def open_periods(enterprise_id: int):
    """The enterprise's open months (a correction goes into one of them)."""
    return Period.objects.filter(enterprise_id=enterprise_id, status=Period.Status.OPEN)


def periods_to_open(brigade: Brigade):
    """Open months of the brigade's enterprise without a document of the brigade yet."""
    taken = Distribution.objects.filter(brigade=brigade, corrects=None).values("period")
    return open_periods(brigade.enterprise_id).exclude(pk__in=taken)


def corrections_of(distribution: Distribution) -> list[Distribution]:
    """The corrections made to an approved month, in the order they were made (only an
    approved document is corrected: ``distribution_correct`` refuses any other)."""
    if distribution.status != Distribution.Status.APPROVED:
        return []
    return list(distribution.corrections.select_related("period").order_by("pk"))


def timesheet_lines(distribution: Distribution) -> list[Line]:
    """The document's timesheet lines with their worker and profession."""
    return list(distribution.lines.select_related("worker", "membership__profession"))


def member_line(distribution: Distribution, worker_pk: int) -> Line | None:
    """A member's (first) line of the document, with the worker; None if not a member."""
    return distribution.lines.select_related("worker").filter(worker_id=worker_pk).first()


def member_ktu(distribution: Distribution, worker) -> Ktu | None:
    """The KTU the council set for a member this month (None: not set, 1.00)."""
    return distribution.ktus.filter(worker=worker).first()


def ktu_criteria(enterprise):
    """All the enterprise's KTU criteria, the retired ones too (the regulation's page)."""
    return KtuCriterion.objects.filter(enterprise=enterprise)


def report_shops(user):
    """The shops the brigades report may be filtered by."""
    return Shop.objects.visible_to(user).order_by("enterprise", "number")


def report_sections(user):
    """The sections the brigades report may be filtered by."""
    return (
        Section.objects.visible_to(user)
        .select_related("shop")
        .order_by("shop__enterprise", "shop__number", "number")
    )


def kept_by_leaders(brigade_ids, day: datetime.date) -> frozenset[int]:
    """The brigades of ``brigade_ids`` whose month their leader keeps here on ``day``: a
    leader appointed then, with an active account holding the brigade leader's role in the
    brigade's section. The others' months fall to their master (one query)."""
    if not brigade_ids:
        return frozenset()
    role = (
        RoleAssignment.objects.current(day)
        .filter(role=Role.BRIGADE_LEADER, user__is_active=True)
        .filter(user_id=OuterRef("worker__user_id"), section_id=OuterRef("brigade__section_id"))
    )
    return frozenset(
        Post.objects.filter(brigade_id__in=brigade_ids, kind=Post.Kind.LEADER)
        .filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .filter(Exists(role))
        .values_list("brigade_id", flat=True)
    )


def _asked_to_keep(user, brigade_id: int, kept: frozenset[int]) -> bool:
    """Is the brigade's month this user's to fill? Its leader's, when he keeps it here
    (domain: the leader enters the timesheet and proposes the KTU); else the master's,
    whose role may stand in for a brigade without one. (A user holding no brigade leader's
    role keeps no brigade's month: his posts are not read.)"""
    if brigade_id not in kept:
        return True
    return Role.BRIGADE_LEADER in scope_of(user).roles and brigade_id in led_brigade_ids(user)


def tasks_for(user) -> list:
    """What waits for this user in the brigades: approvals, drafts, months to open. A
    master may draft any brigade's month of his section, but is asked to only for a
    brigade whose leader does not keep it here (:func:`kept_by_leaders`)."""
    from django.urls import reverse

    from enterprise.selectors import Task, open_periods_of

    tasks = []
    # Roles that neither draft nor approve a month have nothing here (no query for them):
    # ``can`` on any object implies ``can`` without one.
    drafts = can(user, "distribution.edit")
    if not drafts and not can(user, "distribution.approve"):
        return tasks
    documents = (
        distributions_for(user)
        # the labels, links and checks read the brigade, its section and the month only
        .select_related(None)
        .select_related("brigade__section", "period")
        .filter(status__in=[Distribution.Status.DRAFT, Distribution.Status.AGREED])
        .filter(period__status=Period.Status.OPEN)  # a closed month's waits for nobody
        .order_by("period__year", "period__month", "brigade__number")[:30]
    )
    today = timezone.localdate()
    kept = (
        kept_by_leaders(
            {d.brigade_id for d in documents if d.status == Distribution.Status.DRAFT}, today
        )
        if drafts
        else frozenset()
    )
    for d in documents:
        label = {"brigade": d.brigade, "period": d.period}
        if d.status == Distribution.Status.AGREED:
            if may_approve(user, d):
                tasks.append(
                    Task(
                        _("Утвердить распределение: %(brigade)s, %(period)s") % label,
                        _("Совет бригады согласовал; ждёт утверждения начальником цеха."),
                        d.get_absolute_url(),
                        urgent=True,
                    )
                )
        elif can(user, "distribution.edit", d) and _asked_to_keep(user, d.brigade_id, kept):
            tasks.append(
                Task(
                    _("Табель и распределение: %(brigade)s, %(period)s") % label,
                    _("Черновик: заполните табель, КТУ и заработок, затем согласуйте с советом."),
                    d.get_absolute_url(),
                )
            )
    to_approve_count = sum(1 for d in documents if d.status == Distribution.Status.AGREED
                           and may_approve(user, d))  # fmt: skip
    if to_approve_count > 1:
        tasks.insert(
            0,
            Task(
                _("Утвердить списком согласованные распределения (%(n)s)")
                % {"n": to_approve_count},
                _("Отметьте согласованные распределения и утвердите их одним действием."),
                reverse("brigades:distribution_bulk_approve"),
                urgent=True,
            ),
        )
    if not drafts:
        return tasks
    # The months of the user's grants (open_periods_of's); a superuser, holding none, is
    # asked to open no brigade's month.
    current = next(
        (
            period
            for period in (open_periods_of(user) if scope_of(user).grants else ())
            if (period.year, period.month) == (today.year, today.month)
        ),
        None,
    )
    if current is not None:
        missing = (
            Brigade.objects.visible_to(user)
            .filter(enterprise_id=current.enterprise_id, disbanded_on__isnull=True)
            .exclude(distributions__period=current)
            .select_related("section")[:20]
        )
        missing = list(missing)
        kept = kept_by_leaders({brigade.pk for brigade in missing}, today)
        for brigade in missing:
            if can(user, "distribution.edit", brigade) and _asked_to_keep(user, brigade.pk, kept):
                tasks.append(
                    Task(
                        _("Открыть месяц «%(period)s»: %(brigade)s")
                        % {"period": current, "brigade": brigade},
                        _("Табеля бригады за текущий месяц ещё нет."),
                        reverse("brigades:distribution_open", args=[brigade.pk]),
                    )
                )
    return tasks


def headcount(distribution: Distribution) -> int:
    """How many workers the document's timesheet holds (a grade change makes two lines)."""
    return distribution.lines.values("worker_id").distinct().count()


def to_approve(user):
    """The agreed distributions of open months this user's role approves (his units),
    oldest month first — the list of the bulk approval. Who drafted or agreed one may
    still not approve it: :func:`brigades.permissions.approve_refusal` says so per row."""
    agreed = (
        distributions_for(user)
        .filter(status=Distribution.Status.AGREED, period__status=Period.Status.OPEN)
        .select_related("agreed_by", "drafted_by")
        .order_by(
            "period__year", "period__month", "brigade__section__shop__number", "brigade__number"
        )
    )
    return [d for d in agreed if can(user, "distribution.approve", d)]


def open_in(period) -> list:
    """Brigades' documents of the month not yet approved (for the close), by section."""
    from enterprise.closing import OpenItem

    pending = (
        Distribution.objects.filter(period=period)
        .exclude(status=Distribution.Status.APPROVED)
        .select_related("brigade__section__shop", "period")
        .order_by("brigade__section__shop__number", "brigade__section__number", "brigade__number")
    )
    return [
        OpenItem(
            pk=d.pk,
            label=str(d),
            unit=_("цех № %(shop)s, участок № %(section)s")
            % {"shop": d.brigade.section.shop.number, "section": d.brigade.section.number},
            status=d.get_status_display(),
            url=d.get_absolute_url(),
        )
        for d in pending
    ]


def finished_in(period) -> int:
    """Brigades' documents of the month approved."""
    return Distribution.objects.filter(period=period, status=Distribution.Status.APPROVED).count()


# --- for other apps (claims reads brigades only through these) ------------------------------


def brigades_led_by(user, on: datetime.date | None = None):
    """The ids of the brigades ``user`` leads on the day ``on`` (today), as a subquery."""
    on = on or timezone.localdate()
    posts = Post.objects.filter(kind=Post.Kind.LEADER, worker__user=user, valid_from__lte=on)
    return posts.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).values("brigade")


def brigades_by_pk(pks):
    """Brigades with their section and shop, for labels."""
    return Brigade.objects.filter(pk__in=pks).select_related("section__shop")


def section_wage_funds(enterprise_id: int, period) -> dict[int, Decimal | None]:
    """Each section's collective pay of the month from its brigades' approved documents
    (piecework + bonus + savings; a correction is booked in its own month), to the kopeck.
    A section whose brigades have documents of the month but none approved yet maps to
    None (not known yet); a section without any brigade document is absent. One query.
    (Read by section self-financing.)"""
    rows = (
        Distribution.objects.filter(enterprise_id=enterprise_id, period=period)
        .values_list("brigade__section_id")
        .annotate(
            total=Sum(
                F("piecework") + F("bonus") + F("savings"),
                filter=Q(status=Distribution.Status.APPROVED),
            )
        )
        .order_by()
    )
    result: dict[int, Decimal | None] = {}
    for section_id, total in rows:
        # SQLite sums decimals as floats: back to the kopeck.
        result[section_id] = None if total is None else half_up(total, KOPECK)
    return result
