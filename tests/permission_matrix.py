"""The permission matrix: every named URL × anonymous and every role → the expected status.

This is the one place that says who may open what. ``tests/test_permission_matrix.py``
requests every row as every principal and fails on any difference — and fails when the
project has a named URL that no row mentions, so a new page cannot go in without a
decision here about who sees it.

How to read a row::

    get(url name, object, anon, worker, brigade, master, shop_head, dispatcher,
        economist, labour, production_head, deputy_director, administrator)
    post(… the same …, data={…})

* ``object`` names an object of the test world (see :func:`matrix_objects`) whose pk the
  URL takes; ``None`` for URLs without arguments. Detail URLs have a row per object of
  several units, so scope is tested too: the master of A1 opens a worker of A1 and gets
  404 for a worker of B1.
* ``LOGIN`` — a redirect to the login page (``?next=`` back); ``ADMIN_LOGIN`` — to the
  admin's login; ``HOME`` — to the home page; ``BACK`` — a POST that did its work (or
  said why not, in a message) and went back to the object's page.
* 404 — the object is outside the user's scope or the action is not the user's: for the
  user it is not there (``enterprise.views._allow``). 405 — wrong method (POST-only).

Where the world places the role users (``tests.conftest.ROLE_UNITS``): worker — his own
record in section A1; brigade leader, master — section A1; shop head, dispatcher,
economist — shop A; labour, production head, deputy director, administrator — the
enterprise. Actions are ``enterprise.permissions.ACTIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from enterprise.models import PeriodReopening
from tests.factories import (
    PeriodFactory,
    StepScaleFactory,
    StepScaleRowFactory,
    UserFactory,
)

# Column order of every row.
PRINCIPALS = (
    "anonymous",
    "worker",
    "brigade_leader",
    "master",
    "shop_head",
    "dispatcher",
    "economist",
    "labour",
    "production_head",
    "deputy_director",
    "administrator",
)


@dataclass(frozen=True)
class Redirect:
    """A 302 to a named URL (``None``: anywhere — the page the POST came from)."""

    to: str | None

    def __str__(self):
        return f"302→{self.to or 'back'}"


LOGIN = Redirect("login")
ADMIN_LOGIN = Redirect("admin:login")
HOME = Redirect("home")
BACK = Redirect(None)

# Named URLs deliberately left out of the matrix.
#
# The admin: Django generates add/change/delete/history URLs for every registered model
# and its own login/logout/password pages; they are Django's code behind one gate,
# ``KhozraschetAdminSite.has_permission`` (the ``admin.access`` action). The matrix
# keeps the gate (``admin:index``) and two changelists of reference data, which check
# the model permissions of ``enterprise.permissions.ROLE_MODEL_PERMISSIONS``.
# Static files (``static/``) are served by WhiteNoise, not by URL patterns; should a
# ``static()``/``media`` pattern be added for development, it is excluded here too.
EXCLUDED_NAMESPACES = ("admin",)
INCLUDED_FROM_EXCLUDED = (
    "admin:index",
    "admin:enterprise_worker_changelist",
    "admin:enterprise_tariffrate_changelist",
)
EXCLUDED_ROUTE_PREFIXES = ("static/", "media/")


@dataclass(frozen=True)
class Row:
    name: str
    obj: str | None
    expected: dict
    method: str = "GET"
    data: tuple = ()

    @property
    def id(self) -> str:
        target = f"[{self.obj}]" if self.obj else ""
        return f"{self.method} {self.name}{target}"


def _row(method, name, obj, statuses, data) -> Row:
    if len(statuses) != len(PRINCIPALS):
        raise ValueError(f"{name}: {len(statuses)} statuses for {len(PRINCIPALS)} principals")
    expected = dict(zip(PRINCIPALS, statuses, strict=True))
    return Row(name, obj, expected, method, tuple(sorted((data or {}).items())))


def get(name, obj, *statuses) -> Row:
    return _row("GET", name, obj, statuses, None)


def post(name, obj, *statuses, data=None) -> Row:
    return _row("POST", name, obj, statuses, data)


L, AL, HM, BK, ok, NF, NA = LOGIN, ADMIN_LOGIN, HOME, BACK, 200, 404, 405

# fmt: off
REASON = {"reason": "Исправить табель"}
APPROVE = {"approve": "1", "comment": ""}

MATRIX = [
    # url name, object,                                 anon wrk brg mst shp dsp eco lab prh dep adm
    # --- the platform's own pages ------------------------------------------------------------
    get("home", None,                                   L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("login", None,                                  ok, HM, HM, HM, HM, HM, HM, HM, HM, HM, HM),
    # Logging out is POST-only (Django 5+): a GET is refused for everyone.
    get("logout", None,                                 NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("logout", None,                                L,  L,  L,  L,  L,  L,  L,  L,  L,  L,  L),
    get("password_change", None,                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("password_change_done", None,                   L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    # Choosing the language: a GET changes nothing and goes back.
    get("set_language", None,                           BK, BK, BK, BK, BK, BK, BK, BK, BK, BK, BK),
    # --- structure ---------------------------------------------------------------------------
    get("enterprise:shop_list", None,                   L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    # Shop A is seen by everyone of the plant: the worker and the section roles see it as
    # the shop of their own section (its row only; the sections inside are scoped again).
    get("enterprise:shop_detail", "shop A",             L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:shop_detail", "shop B",             L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("enterprise:shop_detail", "shop of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("enterprise:section_list", None,                L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:section_detail", "section A1",      L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:section_detail", "section A2",      L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:section_detail", "section B1",      L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("enterprise:section_detail", "section of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("enterprise:worker_list", None,                 L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:worker_detail", "own worker record (A1)",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:worker_detail", "worker of A1",     L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:worker_detail", "worker of A2",     L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:worker_detail", "worker of B1",     L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("enterprise:worker_detail", "worker of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # Adding a worker is structure.edit (administrator); changing one is worker.edit
    # (administrator, labour & wages) — within their unit.
    get("enterprise:worker_create", None,               L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, ok),
    get("enterprise:worker_edit", "own worker record (A1)",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("enterprise:worker_edit", "worker of A1",       L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("enterprise:worker_edit", "worker of B1",       L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("enterprise:worker_edit", "worker of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # --- tariff grid and step scales (enterprise-wide reference data) ----------------------
    get("enterprise:tariff_grid", None,                 L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:tariff_rate_create", None,          L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("enterprise:scale_list", None,                  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:scale_create", None,                L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, NF),
    get("enterprise:scale_detail", "scale",             L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:scale_detail", "scale of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("enterprise:scale_edit", "scale",               L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, NF),
    get("enterprise:scale_edit", "scale of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # --- periods -------------------------------------------------------------------------------
    get("enterprise:period_list", None,                 L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:period_detail", "open period",      L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:period_detail", "closed period",    L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("enterprise:period_detail", "period of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # POST-only actions: a GET is 405 once logged in. A POST by a role without the action
    # is 404; by a role with it, it is done (or refused with a message) and goes back.
    get("enterprise:period_close", "open period",       L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("enterprise:period_close", "open period",      L,  NF, NF, NF, NF, NF, NF, BK, NF, BK, BK),
    post("enterprise:period_close", "period of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("enterprise:period_request_reopen", "closed period",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("enterprise:period_request_reopen", "closed period",
                                                        L,  NF, NF, NF, BK, NF, BK, BK, NF, BK, BK,
         data=REASON),
    post("enterprise:period_request_reopen", "period of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=REASON),
    get("enterprise:reopening_decide", "pending reopening",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("enterprise:reopening_decide", "pending reopening",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, BK, BK,
         data=APPROVE),
    post("enterprise:reopening_decide", "reopening of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=APPROVE),
    # --- the admin (reference data; see EXCLUDED_NAMESPACES) ---------------------------------
    get("admin:index", None,                            AL, AL, AL, AL, AL, AL, AL, ok, AL, AL, ok),
    get("admin:enterprise_worker_changelist", None,     AL, AL, AL, AL, AL, AL, AL, ok, AL, AL, ok),
    get("admin:enterprise_tariffrate_changelist", None, AL, AL, AL, AL, AL, AL, AL, ok, AL, AL, ok),
]
# fmt: on


def matrix_objects(world) -> dict:
    """The objects rows name, from the world plus the few it lacks (a scale, a request).

    ``pending reopening``: September is closed and labour & wages asked to reopen it;
    ``closed period`` is August (nothing pending, so a request can be made);
    ``open period`` is October (the first open month, so closing it is allowed).
    """
    enterprise, other = world.enterprise, world.other_enterprise
    scale = StepScaleFactory(enterprise=enterprise, code="bonus", name="Премия за план")
    StepScaleRowFactory(scale=scale, lower=None, upper=Decimal("100"), value=Decimal("0"))
    StepScaleRowFactory(scale=scale, lower=Decimal("100"), upper=None, value=Decimal("10"))
    other_scale = StepScaleFactory(enterprise=other, code="bonus", name="Премия за план")
    other_closed = PeriodFactory(
        enterprise=other,
        year=2026,
        month=9,
        closed=True,
        closed_by=UserFactory(username="other-labour"),
    )
    other_open = PeriodFactory(enterprise=other, year=2026, month=10)
    pending = PeriodReopening.objects.create(
        period=world.period(2026, 9),
        reason="Пересчитать премию",
        requested_by=world.users["labour"],
    )
    other_pending = PeriodReopening.objects.create(
        period=other_closed, reason="Пересчитать премию", requested_by=other_closed.closed_by
    )
    assert other_open.pk
    return {
        "shop A": world.units["A"],
        "shop B": world.units["B"],
        "shop of other plant": world.units["other_shop"],
        "section A1": world.units["A1"],
        "section A2": world.units["A2"],
        "section B1": world.units["B1"],
        "section of other plant": world.units["other_section"],
        "own worker record (A1)": world.worker,
        "worker of A1": next(w for w in world.workers["A1"] if w.pk != world.worker.pk),
        "worker of A2": world.workers["A2"][0],
        "worker of B1": world.workers["B1"][0],
        "worker of other plant": world.other_worker,
        "scale": scale,
        "scale of other plant": other_scale,
        "open period": world.period(2026, 10),
        "closed period": world.period(2026, 8),
        "period of other plant": other_open,
        "pending reopening": pending,
        "reopening of other plant": other_pending,
    }
