"""Brigades of the plant-scale data set (``manage.py generate_plant`` runs :data:`GENERATE_STEPS`).

About one brigade per 17.5 workers (≈ 400 for 7,000), spread over the sections in
proportion to their workers, 5–25 members each from the section's own workers, with a
leader (the highest grade) and a council; the enterprise's KTU criteria; and the last
:data:`DISTRIBUTION_MONTHS` months of every brigade: the older ones approved (a few of
the open ones only agreed), the current month a draft with its timesheet, KTU and
earnings entered and computed — the load a month's distribution puts on the plant.

Rows are written with the tracked ``bulk_create`` (history included), computed in
memory by :func:`brigades.services.compute_figures`, as
:func:`brigades.services.distribution_compute` computes them.
:func:`distribute_month` recomputes every draft of a month in a fixed number of queries
(the benchmark's batch, against the service's one draft at a time).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from enterprise.demo import PLANT_TZ
from enterprise.generate import BATCH_SIZE, GenerateContext
from enterprise.models import Enterprise, HistoryRecord, Period
from enterprise.money import ONE, TENTH, ZERO, half_even, half_up
from enterprise.rules import month_bounds
from enterprise.selectors import load_tariff_grid
from enterprise.tracking import MonthKey, assert_months_open, diff, record_history, snapshot

from . import rules, services
from .demo import KTU_CRITERIA
from .models import Brigade, Distribution, Ktu, KtuCriterion, Line, Membership, Post, Surcharge
from .services.surcharge import compute_surcharges, segments_key

DISTRIBUTION_MONTHS = 3
WORKERS_PER_BRIGADE = 17.5
MIN_SIZE, MAX_SIZE = 5, 25
LINE_FIELDS = services.LINE_COMPUTED
DOCUMENT_FIELDS = ["tariff_total", "coefficient", "below_tariff"]
# what computing a line and recording its history read (the rest is not loaded)
LINE_READ = [
    *LINE_FIELDS,
    "distribution",
    "period",
    "date_from",
    "date_to",
    "hours",
    "output",
    "membership__grade",
    "membership__conditional_grade",
    "worker__pay_condition",
    "worker__last_name",
    "worker__first_name",
    "worker__middle_name",
]

METHODS = (
    (Brigade.Method.KTU, 55),
    (Brigade.Method.TARIFF, 25),
    (Brigade.Method.CONDITIONAL, 12),
    (Brigade.Method.OUTPUT, 8),
)
ABSENCES = (
    "очередной отпуск",
    "временная нетрудоспособность",
    "учебный отпуск",
    "отгулы",
    "донорский день",
    "неявка с разрешения администрации",
)
# profession → the brigade's name (genitive plural)
BRIGADE_NAMES = {
    "токарь": "Токарей",
    "фрезеровщик": "Фрезеровщиков",
    "сверловщик": "Сверловщиков",
    "шлифовщик": "Шлифовщиков",
    "наладчик": "Наладчиков",
    "контролёр станочных и слесарных работ": "Контролёров",
    "слесарь-сборщик": "Слесарей-сборщиков",
    "намотчик катушек": "Намотчиков катушек",
    "электромонтёр": "Электромонтёров",
    "штамповщик": "Штамповщиков",
    "слесарь-ремонтник": "Слесарей-ремонтников",
    "термист": "Термистов",
    "гальваник": "Гальваников",
    "маляр": "Маляров",
    "слесарь-инструментальщик": "Слесарей-инструментальщиков",
    "водитель электро- и автотележки": "Водителей электро- и автотележек",
}


@transaction.atomic
def distribute_month(enterprise: Enterprise, period: Period) -> int:
    """Recompute every draft of the enterprise's month at once; the number of drafts.

    The same result as :func:`brigades.services.distribution_compute` on each draft, in a
    fixed number of queries whatever the number of brigades and members: the documents
    (locked), their lines, their KTU and the tariff grid are read once; the rows that
    changed are written with one statement run for all of them, after one check that
    the month is open (PostgreSQL's trigger checks each row again), and their history is
    recorded in bulk as the tracked querysets would record it.
    """
    drafts = {
        d.pk: d
        for d in Distribution.objects.select_for_update(of=("self",))
        .filter(enterprise=enterprise, period=period, status=Distribution.Status.DRAFT)
        .select_related("period", "brigade")
    }
    if not drafts:
        return 0
    assert_months_open([MonthKey(enterprise.pk, period.year, period.month)])
    lines_of: dict[int, list[Line]] = defaultdict(list)
    for line in (
        Line.objects.filter(period=period, distribution__in=drafts.keys())
        .select_related("membership", "worker")
        .only(*LINE_READ)
        .order_by("distribution_id", "date_from", "pk")
    ):
        line.distribution = drafts[line.distribution_id]
        line.period = period
        lines_of[line.distribution_id].append(line)
    ktus: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for distribution_id, worker_id, value in Ktu.objects.filter(
        period=period, distribution__in=drafts.keys()
    ).values_list("distribution_id", "worker_id", "value"):
        ktus[distribution_id][worker_id] = value
    last_day = max(
        (line.date_to for lines in lines_of.values() for line in lines),
        default=month_bounds(period.year, period.month)[0],
    )
    grid = load_tariff_grid(enterprise.pk, last_day)
    spans = _leader_spans(drafts.values(), period)
    stored: dict[int, list[Surcharge]] = defaultdict(list)
    for row in Surcharge.objects.filter(period=period, distribution__in=drafts.keys()):
        stored[row.distribution_id].append(row)
    changed_lines, changed_documents, segments, stale = [], [], [], []
    for pk, distribution in drafts.items():
        lines = lines_of.get(pk, [])
        before_lines = [_values(line, LINE_FIELDS) for line in lines]
        before = _values(distribution, DOCUMENT_FIELDS)
        services.compute_figures(distribution, lines, ktus.get(pk, {}), grid)
        new = compute_surcharges(distribution, lines, spans.get(distribution.brigade_id, {}), grid)
        if segments_key(new) != segments_key(stored.get(pk, [])):
            stale += stored.get(pk, [])
            segments += new
        for line, old in zip(lines, before_lines, strict=True):
            if changes := diff(old, _values(line, LINE_FIELDS)):
                changed_lines.append((line, changes))
        if changes := diff(before, _values(distribution, DOCUMENT_FIELDS)):
            changed_documents.append((distribution, changes))
    _write(Line, LINE_FIELDS, changed_lines)
    _write(Distribution, DOCUMENT_FIELDS, changed_documents)
    if stale:
        Surcharge.objects.filter(pk__in=[row.pk for row in stale]).delete()
    Surcharge.objects.bulk_create(segments, batch_size=BATCH_SIZE)
    return len(drafts)


def _leader_spans(drafts, period: Period) -> dict[int, dict[int, list[tuple]]]:
    """The spans the leaders led each draft's brigade within the month: brigade → worker."""
    start, end = month_bounds(period.year, period.month)
    spans: dict[int, dict[int, list[tuple]]] = defaultdict(dict)
    for brigade_id, worker_id, valid_from, valid_to in (
        Post.objects.filter(
            brigade_id__in={d.brigade_id for d in drafts},
            kind=Post.Kind.LEADER,
            valid_from__lte=end,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("brigade_id", "worker_id", "valid_from", "valid_to")
    ):
        spans[brigade_id].setdefault(worker_id, []).append((valid_from, valid_to))
    return spans


def _values(obj, names: list[str]) -> dict:
    """The fields as history stores them (a decimal to the column's places, as text)."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, Decimal):
            value = str(value.quantize(Decimal(1).scaleb(-field.decimal_places)))
        values[field.attname] = value
    return values


def _write(model, names: list[str], rows: list[tuple]) -> None:
    """One UPDATE statement run for every changed row, and the rows' history."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    # The identifiers are the model's own, quoted; every value is a parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # nosec B608
        quote(model._meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in fields),
        quote(model._meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        + [obj.pk]
        for obj, _changes in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    record_history([(obj, HistoryRecord.Action.UPDATE, changes) for obj, changes in rows])


# --- the generator's step ---------------------------------------------------------------------


def _allocate(target: int, capacities: list[int], weights: list[int]) -> list[int]:
    """``target`` brigades over sections by weight, none over its capacity."""
    counts = [0] * len(weights)
    total = sum(weights)
    if not total:
        return counts
    exact = [target * w / total for w in weights]
    counts = [min(int(x), cap) for x, cap in zip(exact, capacities, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    left = target - sum(counts)
    while left > 0:
        grown = False
        for i in order:
            if left and counts[i] < capacities[i]:
                counts[i] += 1
                left -= 1
                grown = True
        if not grown:
            break
    return counts


def _sizes(rng, brigades: int, pool: int) -> list[int]:
    sizes = [MIN_SIZE] * brigades
    spare = min(pool, MAX_SIZE * brigades) - MIN_SIZE * brigades
    while spare > 0:
        i = rng.randrange(brigades)
        if sizes[i] < MAX_SIZE:
            sizes[i] += 1
            spare -= 1
    return sizes


def _name(rng, workers) -> tuple[str, str]:
    """The brigade's name and kind from its members' professions."""
    counts: dict[str, int] = defaultdict(int)
    for worker in workers:
        counts[worker.profession.name] += 1
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    first = BRIGADE_NAMES.get(ranked[0], ranked[0])
    if len(ranked) == 1:
        kind = rng.choice([Brigade.Kind.SPECIALISED, Brigade.Kind.THROUGH_SPECIALISED])
        return first, kind
    second = BRIGADE_NAMES.get(ranked[1], ranked[1]).lower()
    kind = rng.choice([Brigade.Kind.THROUGH_COMPLEX, Brigade.Kind.SHIFT_COMPLEX])
    return f"{first} и {second}", kind


def step_brigades(ctx: GenerateContext) -> None:
    rng = ctx.random("brigades")
    enterprise = ctx.enterprise
    months = ctx.months[-DISTRIBUTION_MONTHS:]
    first_day = datetime.date(months[0][0], months[0][1], 1)
    criteria = KtuCriterion.objects.bulk_create(
        [
            KtuCriterion(enterprise=enterprise, name=name, adjustment=adjustment, order=order)
            for order, (name, adjustment) in enumerate(KTU_CRITERIA, start=1)
        ]
    )
    positive = [c for c in criteria if c.adjustment > 0]
    negative = [c for c in criteria if c.adjustment < 0]

    # who may be a member: on the staff through all the generated months
    eligible: dict[int, list] = defaultdict(list)
    for worker in ctx.workers:
        if worker.dismissal_date is None and worker.hire_date < first_day:
            eligible[worker.section_id].append(worker)
    sections = ctx.sections
    counts = _allocate(
        round(len(ctx.workers) / WORKERS_PER_BRIGADE),
        [len(eligible[s.pk]) // MIN_SIZE for s in sections],
        [len(eligible[s.pk]) for s in sections],
    )

    brigades: list[Brigade] = []
    members: dict[int, list[Membership]] = {}  # by index of the brigade
    for section, count in zip(sections, counts, strict=True):
        if not count:
            continue
        staff = sorted(eligible[section.pk], key=lambda w: w.personnel_number)
        rng.shuffle(staff)
        pool = max(MIN_SIZE * count, int(len(staff) * rng.uniform(0.7, 0.95)))
        start = 0
        for number, size in enumerate(_sizes(rng, count, pool), start=1):
            crew = staff[start : start + size]
            start += size
            name, kind = _name(rng, crew)
            piece = sum(1 for w in crew if w.pay_condition.code == "piece") * 2 > len(crew)
            method = rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
            if not piece and method == Brigade.Method.OUTPUT:
                method = Brigade.Method.TARIFF
            if piece:
                pay_system = rng.choice(
                    [Brigade.PaySystem.PIECE_BONUS] * 3 + [Brigade.PaySystem.PIECEWORK]
                )
            else:
                pay_system = Brigade.PaySystem.TIME_BONUS
            average = Decimal(sum(w.grade for w in crew)) / len(crew)
            work_grade = half_even(
                min(Decimal(6), max(Decimal(1), average + Decimal(rng.randint(-3, 3)) / 10)),
                TENTH,
            )
            formed_on = first_day - datetime.timedelta(days=rng.randint(200, 3650))
            brigade = Brigade(
                enterprise=enterprise,
                section=section,
                number=number,
                name=name,
                kind=kind,
                pay_system=pay_system,
                single_work_order=rng.random() < 0.85,
                method=method,
                work_grade=work_grade,
                formed_on=formed_on,
            )
            members[len(brigades)] = [
                Membership(
                    brigade=brigade,
                    worker=worker,
                    profession=worker.profession,
                    grade=worker.grade,
                    conditional_grade=(
                        min(6, max(1, worker.grade + rng.choice([-1, 1])))
                        if method == Brigade.Method.CONDITIONAL and rng.random() < 0.25
                        else None
                    ),
                    valid_from=max(formed_on, worker.hire_date),
                )
                for worker in crew
            ]
            brigades.append(brigade)
    Brigade.objects.bulk_create(brigades, batch_size=BATCH_SIZE)
    Membership.objects.bulk_create(
        [m for crew in members.values() for m in crew], batch_size=BATCH_SIZE
    )

    posts = []
    led: dict[int, dict[int, list[tuple]]] = {}  # brigade index → the leader's span
    for index, brigade in enumerate(brigades):
        crew = members[index]
        leader = max(crew, key=lambda m: (m.grade, -m.valid_from.toordinal(), m.worker.pk))
        led[index] = {leader.worker.pk: [(leader.valid_from, None)]}
        posts.append(
            Post(
                brigade=brigade,
                worker=leader.worker,
                kind=Post.Kind.LEADER,
                valid_from=leader.valid_from,
            )
        )
        others = [m for m in crew if m is not leader]
        for member in rng.sample(others, 2 if len(crew) <= 10 else 3):
            posts.append(
                Post(
                    brigade=brigade,
                    worker=member.worker,
                    kind=Post.Kind.COUNCIL,
                    valid_from=member.valid_from,
                )
            )
    Post.objects.bulk_create(posts, batch_size=BATCH_SIZE)

    grid = load_tariff_grid(enterprise.pk, month_bounds(*months[-1])[1])
    drafter, leader_user = ctx.users["gen-master"], ctx.users["gen-leader"]
    approver = ctx.users["gen-shophead"]
    now = timezone.now()
    documents, lines, ktu_rows, surcharges = [], [], [], []
    for year, month in months:
        period = ctx.periods[year, month]
        start, end = month_bounds(year, month)
        current = (year, month) == ctx.months[-1]
        agreed_at = min(now, datetime.datetime.combine(end, datetime.time(10), PLANT_TZ) + _days(2))
        approved_at = min(
            now, datetime.datetime.combine(end, datetime.time(15), PLANT_TZ) + _days(5)
        )
        for index, brigade in enumerate(brigades):
            if current:
                status = Distribution.Status.DRAFT
            elif (year, month) in ctx.closing or rng.random() < 0.8:
                status = Distribution.Status.APPROVED
            else:
                status = Distribution.Status.AGREED
            document = Distribution(
                enterprise=enterprise,
                brigade=brigade,
                period=period,
                method=brigade.method,
                status=status,
                drafted_by=drafter,
            )
            if status != Distribution.Status.DRAFT:
                document.agreed_by, document.agreed_at = leader_user, agreed_at
                document.council_minutes = f"Протокол № {month} от {end:%d.%m.%Y}"
            if status == Distribution.Status.APPROVED:
                document.approved_by, document.approved_at = approver, approved_at
            crew_lines, ktus = [], {}
            hours_total = ZERO
            for membership in members[index]:
                hours = Decimal(period.working_hours)
                absence, note = ZERO, ""
                if rng.random() < 0.12:
                    absence = Decimal(8 * rng.randint(1, 10))
                    note = rng.choice(ABSENCES)
                    hours -= absence
                hours = max(hours, ZERO)
                hours_total += hours
                output = ZERO
                if brigade.method == Brigade.Method.OUTPUT:
                    rate = grid.rate(membership.worker.pay_condition_id, membership.grade, start)
                    output = half_up(hours * rate * Decimal(str(round(rng.uniform(1.2, 1.7), 3))))
                crew_lines.append(
                    Line(
                        distribution=document,
                        period=period,
                        membership=membership,
                        worker=membership.worker,
                        date_from=max(membership.valid_from, start),
                        date_to=end,
                        grade=membership.grade,
                        pay_grade=membership.grade,
                        rate=ZERO,
                        hours=hours,
                        absence_hours=absence,
                        absence_note=note,
                        output=output,
                    )
                )
                if brigade.method == Brigade.Method.KTU:
                    draw = rng.random()
                    chosen = []
                    if draw > 0.55:
                        chosen.append(rng.choice(positive if draw < 0.85 else negative))
                    if draw > 0.95:
                        chosen.append(rng.choice(positive))
                    if not chosen:
                        continue  # no KTU set: the base 1.0, as in a month the council left
                    value = rules.ktu_from_criteria(ONE, [c.adjustment for c in chosen])
                    ktus[membership.worker.pk] = value
                    ktu_rows.append(
                        Ktu(
                            distribution=document,
                            period=period,
                            worker=membership.worker,
                            value=value,
                            adjustments=[
                                {"criterion": c.pk, "name": c.name, "adjustment": str(c.adjustment)}
                                for c in chosen
                            ],
                        )
                    )
            # earnings: the tariff part first, then what the work order paid above it
            services.compute_figures(document, crew_lines, ktus, grid)
            if brigade.method == Brigade.Method.OUTPUT:
                document.piecework = sum((line.output for line in crew_lines), ZERO)
            else:
                factor = Decimal(str(round(rng.uniform(1.3, 1.8), 3)))
                document.piecework = half_up(document.tariff_total * factor)
            if brigade.pay_system != Brigade.PaySystem.PIECEWORK:
                document.bonus = half_up(document.piecework * Decimal(rng.randint(8, 20)) / 100)
            if rng.random() < 0.15:
                document.savings = half_up(document.tariff_total * Decimal(rng.randint(2, 6)) / 100)
            document.norm_hours = half_up(hours_total * Decimal(rng.randint(102, 125)) / 100)
            crew_lines.sort(key=lambda line: line.date_from)
            services.compute_figures(document, crew_lines, ktus, grid)
            surcharges += compute_surcharges(document, crew_lines, led[index], grid)
            documents.append(document)
            lines += crew_lines
    Distribution.objects.bulk_create(documents, batch_size=BATCH_SIZE)
    Line.objects.bulk_create(lines, batch_size=BATCH_SIZE)
    Ktu.objects.bulk_create(ktu_rows, batch_size=BATCH_SIZE)
    Surcharge.objects.bulk_create(surcharges, batch_size=BATCH_SIZE)
    ctx.summary.append(
        f"бригад {len(brigades)} (членов {sum(len(c) for c in members.values())}), "
        f"распределений {len(documents)} за {len(months)} мес."
    )


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def delete_brigades(enterprise: Enterprise) -> None:
    """The plant's brigades and their months, with a history record for every row.

    The thousands of document rows, members and posts are checked (their months open,
    in one query) and recorded in bulk, then deleted in one statement per table — the
    row-by-row path of a cascade costs several queries a row. The brigades and the KTU
    criteria go the ordinary way, so rows of other apps that point to a brigade still
    refuse or follow as their foreign keys say.
    """
    assert_months_open(
        MonthKey(enterprise.pk, year, month)
        for year, month in Period.objects.filter(enterprise=enterprise).values_list("year", "month")
    )
    documents = Distribution.objects.filter(enterprise=enterprise)
    in_bulk = (
        Surcharge.objects.filter(distribution__in=documents).select_related("worker"),
        Ktu.objects.filter(distribution__in=documents).select_related("worker"),
        Line.objects.filter(distribution__in=documents).select_related("worker"),
        documents.filter(corrects__isnull=False).select_related("brigade", "period"),
        documents.select_related("brigade", "period"),
        Post.objects.filter(brigade__enterprise=enterprise).select_related("worker"),
        Membership.objects.filter(brigade__enterprise=enterprise).select_related("worker"),
    )
    for queryset in in_bulk:
        rows = list(queryset)
        if not rows:
            continue
        if _referenced_from_outside(queryset.model):
            queryset.delete()
            continue
        record_history(
            [(obj, HistoryRecord.Action.DELETE, diff(snapshot(obj), None)) for obj in rows]
        )
        queryset.model._base_manager.filter(pk__in=[obj.pk for obj in rows])._raw_delete(
            queryset.db
        )
    Brigade.objects.filter(enterprise=enterprise).delete()
    KtuCriterion.objects.filter(enterprise=enterprise).delete()


def _referenced_from_outside(model) -> bool:
    """Does a model other than the brigade documents' own point to ``model``?"""
    own = {Distribution, Line, Ktu, Surcharge, Membership, Post, Brigade}
    return any(relation.related_model not in own for relation in model._meta.related_objects)


GENERATE_STEPS = [step_brigades]
DELETE_STEPS = [delete_brigades]
