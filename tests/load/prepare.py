"""The load test's data: the plant-scale data set and the users who work in it.

``prepare(seed)`` builds the plant with :func:`enterprise.generate.generate_plant` when the
database lacks it (7,000 workers, 24 months; ``LOAD_WORKERS`` changes the size) and reuses it
when present; then it gives the plant's people logins — the generator makes one user per
role, a shift's office has many: heads, economists and dispatchers of six shops, masters and
brigade leaders of their first three sections, workers with a plan of their own, and the
plant-level roles. It is idempotent: a second run finds everything made.

It returns the pool the simulated users draw from (``tests/load/locustfile.py``): for each
login, the units and the documents its role's usual pages and writes need — the section's
plans waiting for a signature, its brigades' draft months, a neighbouring section to file a
claim against, the signed plans whose sheets are printed.
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import rules as claim_rules
from claims.models import ClaimType
from claims.seed import seed_claim_types
from enterprise.auth import SHIFT_STARTED
from enterprise.demo import DEMO_PASSWORD
from enterprise.generate import generate_plant
from enterprise.models import Enterprise, Period, RoleAssignment, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.tracking import acting_as

LOAD_SHOPS = 6  # shops (by number) whose heads, economists and dispatchers log in
LOAD_SECTIONS = 3  # sections per such shop whose masters and leaders log in
LOAD_WORKERS = 24  # workers with a plan who log in
PLANT_ROLES = (
    ("labour", Role.LABOUR),
    ("prodhead", Role.PRODUCTION_HEAD),
    ("deputy", Role.DEPUTY_DIRECTOR),
)


def plant(seed: int, workers: int) -> Enterprise:
    """The generated plant of ``seed``: found, or made now (minutes at 7,000 workers)."""
    found = Enterprise.objects.filter(name=f"Завод-генератор (seed {seed})").first()
    if found is not None:
        return found
    print(f"load: generating the plant ({workers} workers, 24 months), once …", flush=True)
    return generate_plant(workers=workers, months=24, seed=seed)


def _user(username: str, password: str, first_name: str, last_name: str):
    model = get_user_model()
    user, _created = model.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "password": password},
    )
    return user


def _assign(user, role: str, enterprise, *, shop=None, section=None, start) -> None:
    if not RoleAssignment.objects.filter(
        user=user, role=role, enterprise=enterprise, shop=shop, section=section
    ).exists():
        RoleAssignment.objects.create(
            user=user,
            role=role,
            enterprise=enterprise,
            shop=shop,
            section=section,
            valid_from=start,
        )


def _plans(section_ids, statuses) -> dict[int, list[int]]:
    from planning.plans.models import PersonalPlan

    plans: dict[int, list[int]] = {}
    rows = PersonalPlan.objects.filter(worker__section__in=section_ids, status__in=statuses)
    for pk, section_id in rows.order_by("pk").values_list("pk", "worker__section_id"):
        plans.setdefault(section_id, []).append(pk)
    return plans


def _drafts(section_ids, period) -> dict[int, list[int]]:
    from brigades.models import Distribution

    drafts: dict[int, list[int]] = {}
    rows = Distribution.objects.filter(
        brigade__section__in=section_ids, period=period, status=Distribution.Status.DRAFT
    )
    for pk, section_id in rows.order_by("pk").values_list("pk", "brigade__section_id"):
        drafts.setdefault(section_id, []).append(pk)
    return drafts


def _lead(user, section, period) -> list[int] | None:
    """The user leads a brigade of the section with a draft month (its leader's worker gets
    the login, as a leader's does): the drafts he fills in."""
    from brigades.models import Distribution, Post

    today = timezone.localdate()
    posts = Post.objects.filter(
        kind=Post.Kind.LEADER, brigade__section=section, valid_from__lte=today
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    post = posts.filter(worker__user=user).first()
    if post is None:
        post = posts.filter(worker__user__isnull=True).order_by("brigade_id").first()
        if post is None:
            return None
        Worker.objects.filter(pk=post.worker_id).update(user=user)
    drafts = Distribution.objects.filter(
        brigade=post.brigade_id, period=period, status=Distribution.Status.DRAFT
    )
    return list(drafts.values_list("pk", flat=True))


def _claim_type(enterprise) -> dict:
    """A claim type of the plant with its loss inputs and required documents."""
    seed_claim_types(enterprise)
    kind = ClaimType.objects.filter(enterprise=enterprise, code="late_parts").first()
    kind = kind or ClaimType.objects.filter(enterprise=enterprise).order_by("pk").first()
    rule = claim_rules.LOSS_RULES.get(kind.loss_rule)
    return {
        "pk": kind.pk,
        "inputs": [spec.name for spec in rule.inputs] if rule else [],
        "documents": len(kind.documents),
    }


@transaction.atomic
def _people(enterprise) -> dict:
    from planning.plans.models import PersonalPlan

    password = make_password(DEMO_PASSWORD)
    year = Period.objects.filter(enterprise=enterprise).order_by("year").first().year
    start = datetime.date(year, 1, 1)
    period = (
        Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN)
        .order_by("-year", "-month")
        .first()
    )
    shops = list(Shop.objects.filter(enterprise=enterprise).order_by("number")[:LOAD_SHOPS])
    sections = {
        shop.pk: list(Section.objects.filter(shop=shop).order_by("number")[:LOAD_SECTIONS])
        for shop in shops
    }
    section_ids = [s.pk for rows in sections.values() for s in rows]
    waiting = _plans(section_ids, [PersonalPlan.Status.AGREED])
    signed = _plans(section_ids, [PersonalPlan.Status.SIGNED])
    drafts = _drafts(section_ids, period)  # a master opens his section's brigades' months
    pool: dict[str, list[dict]] = {}

    def add(kind: str, username: str, **data) -> None:
        pool.setdefault(kind, []).append({"username": username, **data})

    for shop in shops:
        own = sections[shop.pk]
        shop_waiting = [pk for s in own for pk in waiting.get(s.pk, [])]
        shop_signed = [pk for s in own for pk in signed.get(s.pk, [])][:20]
        for kind, role, last_name in (
            ("shop_head", Role.SHOP_HEAD, "Начцеха"),
            ("economist", Role.ECONOMIST, "Экономист"),
            ("dispatcher", Role.DISPATCHER, "Диспетчер"),
        ):
            name = f"load-{kind.replace('_', '')}-{shop.number}"
            user = _user(name, password, f"Цех {shop.number}", last_name)
            _assign(user, role, enterprise, shop=shop, start=start)
            add(
                kind,
                name,
                shop=shop.pk,
                sections=[s.pk for s in own],
                waiting=shop_waiting,
                signed=shop_signed,
            )
        for index, section in enumerate(own):
            neighbour = own[(index + 1) % len(own)]
            label = f"Участок {shop.number}.{section.number}"
            name = f"load-master-{shop.number}-{section.number}"
            user = _user(name, password, label, "Мастер")
            _assign(user, Role.MASTER, enterprise, section=section, start=start)
            add(
                "master",
                name,
                shop=shop.pk,
                section=section.pk,
                defendant=neighbour.pk,
                waiting=waiting.get(section.pk, []),
                signed=signed.get(section.pk, [])[:20],
                drafts=drafts.get(section.pk, []),
            )
            name = f"load-leader-{shop.number}-{section.number}"
            user = _user(name, password, label, "Бригадир")
            _assign(user, Role.BRIGADE_LEADER, enterprise, section=section, start=start)
            if (led := _lead(user, section, period)) is not None:
                add("leader", name, shop=shop.pk, section=section.pk, drafts=led)
    taken = set(Worker.objects.filter(user__isnull=False).values_list("pk", flat=True))
    plans = (
        PersonalPlan.objects.filter(worker__section__in=section_ids, worker__user__isnull=True)
        .exclude(worker__in=taken)
        .order_by("worker__section_id", "pk")
        .values_list("pk", "worker_id", "worker__section__shop_id")
    )
    chosen = {}
    for plan_pk, worker_pk, shop_pk in plans:
        chosen.setdefault(worker_pk, (plan_pk, shop_pk))
        if len(chosen) >= LOAD_WORKERS:
            break
    existing = {
        w.user.username: w
        for w in Worker.objects.filter(user__username__startswith="load-worker-").select_related(
            "user"
        )
    }
    for number in range(1, LOAD_WORKERS + 1):
        name = f"load-worker-{number}"
        if name in existing:
            worker = existing[name]
            plan = PersonalPlan.objects.filter(worker=worker).order_by("-year").first()
            add("worker", name, plan=plan.pk, shop=worker.section.shop_id)
            continue
        worker_pk, (plan_pk, shop_pk) = next(iter(chosen.items()))
        del chosen[worker_pk]
        user = _user(name, password, "Рабочий", str(number))
        _assign(user, Role.WORKER, enterprise, start=start)
        Worker.objects.filter(pk=worker_pk).update(user=user)
        add("worker", name, plan=plan_pk, shop=shop_pk)
    for kind, role in PLANT_ROLES:
        name = f"load-{kind}"
        user = _user(name, password, "Завод", kind)
        _assign(user, role, enterprise, start=start)
        add(kind, name, shops=[shop.pk for shop in shops])
    return pool


def _sessions(pool: dict) -> None:
    """A session for every login, as if each had logged in at the start of the shift (the
    password's hashing is a login's cost, once a shift, not a page's): its key goes into the
    pool. Needs the server's SECRET_KEY (the session carries a hash made with it)."""
    engine = import_module(settings.SESSION_ENGINE)
    users = get_user_model().objects.in_bulk(
        [a["username"] for accounts in pool.values() for a in accounts], field_name="username"
    )
    for accounts in pool.values():
        for account in accounts:
            user = users[account["username"]]
            session = engine.SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "enterprise.permissions.RoleBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[SHIFT_STARTED] = timezone.now().timestamp()  # enterprise.auth's shift
            session.create()
            account["session"] = session.session_key


def prepare(*, seed: int = 1, workers: int = 7000) -> dict:
    """The plant and its logins; the pool the simulated users draw from (JSON-ready)."""
    enterprise = plant(seed, workers)
    with acting_as(None, "Нагрузочный тест: пользователи"):
        pool = _people(enterprise)
        claim_type = _claim_type(enterprise)
    _sessions(pool)
    period = (
        Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN)
        .order_by("-year", "-month")
        .first()
    )
    return {
        "enterprise": enterprise.pk,
        "password": DEMO_PASSWORD,
        "period": period.pk,
        "claim_type": claim_type,
        "pool": pool,
    }
