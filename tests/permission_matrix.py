"""The permission matrix: every named URL × anonymous and every role → the expected status.

This is the one place that says who may open what. ``tests/test_permission_matrix.py``
requests every row as every principal and fails on any difference — and fails when the
project has a named URL that no row mentions, so a new page cannot go in without a
decision here about who sees it.

How to read a row::

    get(url name, object, anon, worker, brigade, master, shop_head, dispatcher,
        economist, labour, production_head, deputy_director, administrator, query={…})
    post(… the same …, data={…})

* ``object`` names an object of the test world (see :func:`matrix_objects`) whose pk the
  URL takes; ``None`` for URLs without arguments. Detail URLs have a row per object of
  several units, so scope is tested too: the master of A1 opens a worker of A1 and gets
  404 for a worker of B1.
* ``query`` — a GET's query string (``?period=…``), ``data`` — a POST's body; a value
  ``Pk("open period")`` is the pk of that named object (:func:`request_data`).
* ``LOGIN`` — a redirect to the login page (``?next=`` back); ``ADMIN_LOGIN`` — to the
  admin's login; ``HOME`` — to the home page; ``BACK`` — a POST that did its work (or
  said why not, in a message) and went back to the object's page.
* 404 — the object is outside the user's scope or the action is not the user's: for the
  user it is not there (``enterprise.web.allow``). 405 — wrong method (POST-only).

Where the world places the role users (``tests.conftest.ROLE_UNITS``): worker — his own
record in section A1; brigade leader, master — section A1; shop head, dispatcher,
economist — shop A; labour, production head, deputy director, administrator — the
enterprise. Actions are ``enterprise.permissions.ACTIONS``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile

from brigades import services as brigade_services
from claims import services as claim_services
from claims.models import Claim, ClaimDocument, ClaimType
from claims.seed import seed_claim_types
from claims.services import DocumentIn
from enterprise.models import PeriodReopening
from enterprise.models.roles import Role
from tests.brigades.factories import BrigadeFactory, MembershipFactory, PostFactory
from tests.claims.factories import PDF, ClaimFactory, party
from tests.claims.factories import pdf as claim_pdf_upload
from tests.factories import (
    PeriodFactory,
    RoleAssignmentFactory,
    StepScaleFactory,
    StepScaleRowFactory,
    TariffRateFactory,
    UserFactory,
    WorkerFactory,
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
        query = ""
        if self.method == "GET" and self.data:
            query = "?" + "&".join(f"{key}={value}" for key, value in self.data)
        return f"{self.method} {self.name}{target}{query}"


@dataclass(frozen=True)
class Pk:
    """A value of a row's query or data: the pk of the named object of the world."""

    obj: str

    def __str__(self):
        return f"<{self.obj}>"


def request_data(row: Row, objects) -> dict:
    """The row's query (GET) or body (POST), ``Pk`` values resolved among ``objects``."""
    return {
        key: objects[value.obj].pk if isinstance(value, Pk) else value for key, value in row.data
    }


def _row(method, name, obj, statuses, data) -> Row:
    if len(statuses) != len(PRINCIPALS):
        raise ValueError(f"{name}: {len(statuses)} statuses for {len(PRINCIPALS)} principals")
    expected = dict(zip(PRINCIPALS, statuses, strict=True))
    return Row(name, obj, expected, method, tuple(sorted((data or {}).items())))


def get(name, obj, *statuses, query=None) -> Row:
    return _row("GET", name, obj, statuses, query)


def post(name, obj, *statuses, data=None) -> Row:
    return _row("POST", name, obj, statuses, data)


L, AL, HM, BK, ok, NF, NA = LOGIN, ADMIN_LOGIN, HOME, BACK, 200, 404, 405

# fmt: off
REASON = {"reason": "Исправить табель"}
APPROVE = {"approve": "1", "comment": ""}
MINUTES = {"minutes": "№ 11 от 27.11.2026"}
ANSWER = {"answer": "partial", "accepted_amount": "1000,00", "reason": "Простой был короче"}
DECISION = {"amount": "2000,00", "reason": "Простой подтверждён графиком"}
WITHDRAWAL = {"reason": "Детали получены, простоя не было"}
# An irreversible step runs on the confirmed POST; without ``confirm`` it shows the
# confirmation (200) to who may take it, and changes nothing.
CONFIRMED = {"confirm": "1"}

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
    # The month's page takes its request to reopen (``step``) as the request's own address
    # does (below): whoever may not request is 404. Any other post to it is 404.
    post("enterprise:period_detail", "closed period",   L,  NF, NF, NF, BK, NF, BK, BK, NF, BK, BK,
         data={**REASON, "step": "request_reopen"}),
    post("enterprise:period_detail", "closed period",   L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=REASON),
    post("enterprise:period_detail", "open period",     L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**CONFIRMED, "step": "close"}),
    post("enterprise:period_detail", "period of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**REASON, "step": "request_reopen"}),
    # POST-only actions: a GET is 405 once logged in. A POST by a role without the action
    # is 404; by a role with it, it is done (or refused with a message) and goes back.
    # The pre-close page: only who may close the month sees what is open in it; its POST
    # (the ticks checked) shows the list again or the confirmation.
    get("enterprise:period_closing", "open period",     L,  NF, NF, NF, NF, NF, NF, ok, NF, ok, ok),
    post("enterprise:period_closing", "open period",    L,  NF, NF, NF, NF, NF, NF, ok, NF, ok, ok),
    get("enterprise:period_closing", "period of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("enterprise:period_close", "open period",       L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("enterprise:period_close", "open period",      L,  NF, NF, NF, NF, NF, NF, BK, NF, BK, BK,
         data=CONFIRMED),
    post("enterprise:period_close", "period of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=CONFIRMED),
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
    # --- brigades (brigades/permissions.py) --------------------------------------------------
    # The world's brigades: «own brigade» (section A1) is led today by the brigade leader's
    # worker record and has the worker's record as a member; «other brigade of A1» is led by
    # somebody else — the leader sees it (his section), but acts for his own one only. A
    # brigade of A2 (shop A) and one of B1 (shop B) show the shop and enterprise scopes.
    get("brigades:brigade_list", None,                  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:brigade_detail", "own brigade (A1)",  L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:brigade_detail", "other brigade of A1",
                                                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:brigade_detail", "brigade of A2",     L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:brigade_detail", "brigade of B1",     L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("brigades:brigade_detail", "brigade of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # The brigade itself, its members, leader and council: brigade.edit, within the unit.
    get("brigades:brigade_create", None,                L,  NF, NF, ok, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:brigade_edit", "own brigade (A1)",    L,  NF, NF, ok, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:brigade_edit", "brigade of A2",       L,  NF, NF, NF, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:brigade_edit", "brigade of B1",       L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("brigades:brigade_edit", "brigade of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:membership_add", "own brigade (A1)",  L,  NF, NF, ok, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:membership_add", "brigade of B1",     L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("brigades:membership_add", "brigade of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:membership_change", "membership in own brigade",
                                                        L,  NF, NF, ok, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:membership_change", "membership of B1",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("brigades:membership_change", "membership of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:membership_end", "membership in own brigade",
                                                        L,  NF, NF, ok, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:membership_end", "membership of B1",  L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("brigades:membership_end", "membership of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:post_assign", "own brigade (A1)",     L,  NF, NF, ok, ok, NF, NF, ok, NF, NF, ok),
    get("brigades:post_assign", "brigade of B1",        L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, ok),
    get("brigades:post_assign", "brigade of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # The month (timesheet, earnings, KTU): distribution.edit — the master of the section
    # and the leader of this very brigade.
    get("brigades:distribution_open", "own brigade (A1)",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:distribution_open", "other brigade of A1",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:distribution_open", "brigade of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # Documents: «draft» is November of the own brigade (the master drafted it), «approved»
    # its October; «agreed» is November of the other brigade of A1 (drafted and agreed by
    # the master). A worker sees the sheet of his brigade — his own line only.
    get("brigades:distribution_list", None,             L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:distribution_detail", "draft of own brigade",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:distribution_detail", "approved of own brigade",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:distribution_detail", "draft of other brigade of A1",
                                                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:distribution_detail", "draft of B1",  L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("brigades:distribution_detail", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # Editing pages: 404 for whoever may not edit; a document that is no longer a draft
    # sends those who may back to its sheet (with a message).
    get("brigades:timesheet_edit", "draft of own brigade",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:timesheet_edit", "draft of other brigade of A1",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:timesheet_edit", "approved of own brigade",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:timesheet_edit", "draft of B1",       L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:timesheet_edit", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:earnings_edit", "draft of own brigade",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:earnings_edit", "draft of other brigade of A1",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:earnings_edit", "approved of own brigade",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:earnings_edit", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # KTU of a member: /distributions/<document>/ktu/<worker>/.
    get("brigades:ktu_edit", "KTU of the worker in the draft",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:ktu_edit", "KTU of a member of other brigade of A1",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:ktu_edit", "KTU of the worker in the approved",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:ktu_edit", "KTU of a worker of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # Sign-off, POST-only: the council's agreement (leader, master), approval (shop head,
    # never the one who drafted), return for rework (shop head, master), a correction of
    # an approved month (leader, master: without a month chosen it says so and goes back).
    get("brigades:distribution_agree", "draft of own brigade",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("brigades:distribution_agree", "draft of own brigade",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF,
         data=MINUTES),
    post("brigades:distribution_agree", "draft of own brigade",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF,
         data={**MINUTES, **CONFIRMED}),
    post("brigades:distribution_agree", "draft of other brigade of A1",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
         data={**MINUTES, **CONFIRMED}),
    post("brigades:distribution_agree", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**MINUTES, **CONFIRMED}),
    get("brigades:distribution_approve", "agreed of other brigade of A1",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("brigades:distribution_approve", "agreed of other brigade of A1",
                                                        L,  NF, NF, NF, ok, NF, NF, NF, NF, NF, NF),
    post("brigades:distribution_approve", "agreed of other brigade of A1",
                                                        L,  NF, NF, NF, BK, NF, NF, NF, NF, NF, NF,
         data=CONFIRMED),
    post("brigades:distribution_approve", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=CONFIRMED),
    # Approving many: the shop head's list of agreed sheets of his shop; the POST asks to
    # confirm, the confirmed one goes back to the list, which shows each outcome.
    get("brigades:distribution_bulk_approve", None,     L,  NF, NF, NF, ok, NF, NF, NF, NF, NF, NF),
    post("brigades:distribution_bulk_approve", None,    L,  NF, NF, NF, ok, NF, NF, NF, NF, NF, NF,
         data={"pk": Pk("agreed of other brigade of A1")}),
    post("brigades:distribution_bulk_approve", None,    L,  NF, NF, NF, BK, NF, NF, NF, NF, NF, NF,
         data={"pk": Pk("agreed of other brigade of A1"), **CONFIRMED}),
    get("brigades:distribution_return", "agreed of other brigade of A1",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("brigades:distribution_return", "agreed of other brigade of A1",
                                                        L,  NF, NF, BK, BK, NF, NF, NF, NF, NF, NF,
         data=REASON),
    post("brigades:distribution_return", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=REASON),
    # Deleting a draft (master): an approved document is refused with a message (back).
    get("brigades:distribution_delete", "approved of own brigade",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("brigades:distribution_delete", "approved of own brigade",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF),
    post("brigades:distribution_delete", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("brigades:distribution_correct", "approved of own brigade",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("brigades:distribution_correct", "approved of own brigade",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF),
    post("brigades:distribution_correct", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # The printed sheet is the whole sheet (distribution.view_all): not a worker's.
    get("brigades:distribution_pdf", "draft of own brigade",
                                                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:distribution_pdf", "draft of other brigade of A1",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
    get("brigades:distribution_pdf", "draft of B1",     L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("brigades:distribution_pdf", "draft of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # The enterprise's KTU regulation: labour & wages.
    get("brigades:ktu_settings", None,                  L,  NF, NF, NF, NF, NF, NF, ok, NF, NF, NF),
    # The comparison of brigades (table 15): roles that see whole sheets.
    get("brigades:report", None,                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    # --- claims (claims/permissions.py; permissions.may_answer, permissions.is_arbitrator) --------
    # The world's claims (claim_objects): October, late parts, 3 000,00, each with a scan.
    # Shop A's dispatcher files «A1 against B1» — between shops, so the head of production
    # decides; nobody of the world answers for B1. He files «A2 against A1» too — inside
    # shop A: its head arbitrates (and so does not answer), the master of A1 answers; «… at
    # arbitration» is the same claim answered in part by the master. The brigade leader
    # leads «the leader's brigade» (A1) and answers for it; the master of A1 files its claim
    # against the worker's own record. A dispatcher of shop B files «B1 against shop B».
    # A worker sees the claims that name his own record, nothing else.
    get("claims:claim_list", None,                      L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:inbox", None,                           L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:inbox", None,                           L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"box": "to_decide"}),
    get("claims:claim_types", None,                     L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    # Filing (claim.file): the master, the shop head and the dispatcher, for their units.
    get("claims:claim_create", None,                    L,  NF, NF, ok, ok, ok, NF, NF, NF, NF, NF),
    post("claims:claim_create", None,                   L,  NF, NF, ok, ok, ok, NF, NF, NF, NF, NF),
    get("claims:claim_detail", "claim of A1 against B1",
                                                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:claim_detail", "claim of A2 against A1",
                                                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:claim_detail", "claim of the leader's brigade against the worker",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:claim_detail", "claim of B1 against shop B",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("claims:claim_detail", "claim of other plant",  L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("claims:claim_pdf", "claim of A1 against B1",   L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:claim_pdf", "claim of the leader's brigade against the worker",
                                                        L,  ok, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:claim_pdf", "claim of B1 against shop B",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("claims:claim_pdf", "claim of other plant",     L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # A document's file goes to whoever sees its claim; a document referenced by number
    # and date has no file to give.
    get("claims:document_download", "scan of claim of A1 against B1",
                                                        L,  NF, ok, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:document_download", "reference of claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    get("claims:document_download", "scan of claim of B1 against shop B",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
    get("claims:document_download", "scan of claim of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    # The lifecycle, POST-only. The answer: the defendant's head — never the filer, nor
    # the arbitrator (shop A's head for A2 against A1). It cannot be undone: unconfirmed,
    # it shows what it will do (200) and records nothing, as the decision does.
    get("claims:claim_answer", "claim of A2 against A1",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("claims:claim_answer", "claim of A2 against A1",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF,
         data=ANSWER),
    post("claims:claim_answer", "claim of A2 against A1",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED}),
    post("claims:claim_answer", "claim of A2 against the leader's brigade",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF,
         data=ANSWER),
    post("claims:claim_answer", "claim of A2 against the leader's brigade",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED}),
    post("claims:claim_answer", "claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED}),
    post("claims:claim_answer", "claim of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED}),
    # The decision: the claim's arbitrator only. A claim still waiting for its answer is
    # not decided yet: the head of production is told so (a message) and sent back.
    get("claims:claim_decide", "claim of A2 against A1 at arbitration",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("claims:claim_decide", "claim of A2 against A1 at arbitration",
                                                        L,  NF, NF, NF, ok, NF, NF, NF, NF, NF, NF,
         data=DECISION),
    post("claims:claim_decide", "claim of A2 against A1 at arbitration",
                                                        L,  NF, NF, NF, BK, NF, NF, NF, NF, NF, NF,
         data={**DECISION, **CONFIRMED}),
    post("claims:claim_decide", "claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, BK, NF, NF,
         data={**DECISION, **CONFIRMED}),
    post("claims:claim_decide", "claim of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**DECISION, **CONFIRMED}),
    # Withdrawal (claim.withdraw): the filer, or a filing role of the claimant's unit.
    get("claims:claim_withdraw", "claim of A1 against B1",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
    post("claims:claim_withdraw", "claim of A1 against B1",
                                                        L,  NF, NF, BK, BK, BK, NF, NF, NF, NF, NF,
         data=WITHDRAWAL),
    post("claims:claim_withdraw", "claim of A2 against A1",
                                                        L,  NF, NF, NF, BK, BK, NF, NF, NF, NF, NF,
         data=WITHDRAWAL),
    post("claims:claim_withdraw", "claim of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=WITHDRAWAL),
    # The claim's page takes its steps' posts (``step``) as the steps' own addresses do
    # (above): whoever may not take the step is 404, who may is sent back (a refused step
    # shows the page again, 200). A post with no step, or another, is 404.
    post("claims:claim_detail", "claim of A2 against A1",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, "step": "answer"}),
    post("claims:claim_detail", "claim of A2 against A1",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED, "step": "answer"}),
    post("claims:claim_detail", "claim of A2 against the leader's brigade",
                                                        L,  NF, ok, ok, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, "step": "answer"}),
    post("claims:claim_detail", "claim of A2 against the leader's brigade",
                                                        L,  NF, BK, BK, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED, "step": "answer"}),
    post("claims:claim_detail", "claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED, "step": "answer"}),
    post("claims:claim_detail", "claim of A2 against A1 at arbitration",
                                                        L,  NF, NF, NF, ok, NF, NF, NF, NF, NF, NF,
         data={**DECISION, "step": "decide"}),
    post("claims:claim_detail", "claim of A2 against A1 at arbitration",
                                                        L,  NF, NF, NF, BK, NF, NF, NF, NF, NF, NF,
         data={**DECISION, **CONFIRMED, "step": "decide"}),
    post("claims:claim_detail", "claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, BK, NF, NF,
         data={**DECISION, **CONFIRMED, "step": "decide"}),
    post("claims:claim_detail", "claim of A1 against B1",
                                                        L,  NF, NF, BK, BK, BK, NF, NF, NF, NF, NF,
         data={**WITHDRAWAL, "step": "withdraw"}),
    post("claims:claim_detail", "claim of A2 against A1",
                                                        L,  NF, NF, NF, BK, BK, NF, NF, NF, NF, NF,
         data={**WITHDRAWAL, "step": "withdraw"}),
    post("claims:claim_detail", "claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data=WITHDRAWAL),
    post("claims:claim_detail", "claim of A1 against B1",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**WITHDRAWAL, "step": "delete"}),
    post("claims:claim_detail", "claim of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**ANSWER, **CONFIRMED, "step": "answer"}),
    post("claims:claim_detail", "claim of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**DECISION, **CONFIRMED, "step": "decide"}),
    post("claims:claim_detail", "claim of other plant", L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
         data={**WITHDRAWAL, "step": "withdraw"}),
    # The netting statement (claim.statement): not the worker's nor the brigade leader's.
    # A shop's roles see their shop; the plant's roles any shop or the whole plant.
    get("claims:statement", None,                       L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:statement", None,                       L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"period": Pk("closed period")}),
    get("claims:statement_pdf", None,                   L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
    get("claims:statement_pdf", None,                   L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok,
        query={"period": Pk("open period"), "shop": Pk("shop A")}),
    get("claims:statement_pdf", None,                   L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok,
        query={"period": Pk("open period"), "shop": Pk("shop B")}),
    get("claims:statement_pdf", None,                   L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
        query={"period": Pk("period of other plant")}),
    # --- the log of grants and revocations of roles (roles.review): the director's review ------
    get("enterprise:role_grants", None,                 L,  NF, NF, NF, NF, NF, NF, NF, NF, ok, ok),
    get("enterprise:role_grants", None,                 L,  NF, NF, NF, NF, NF, NF, NF, NF, ok, ok,
        query={"date_from": "2026-10-01", "date_to": "2026-10-31"}),
    # --- the admin (reference data; see EXCLUDED_NAMESPACES) ---------------------------------
    get("admin:index", None,                            AL, AL, AL, AL, AL, AL, AL, ok, AL, AL, ok),
    get("admin:enterprise_worker_changelist", None,     AL, AL, AL, AL, AL, AL, AL, ok, AL, AL, ok),
    get("admin:enterprise_tariffrate_changelist", None, AL, AL, AL, AL, AL, AL, AL, ok, AL, AL, ok),
]
# fmt: on


# --- people holding several roles at once ------------------------------------------------------
#
# The columns above are one role each. Separation of duties is about one person holding
# several: what his roles together let him do, and what they do not (a second signature
# on one document, a decision on his own answer, a deciding role granted to himself). Each
# multi-role user below gets his roles in the world's units and runs his steps in order,
# on the same objects as the rows above (``matrix_objects``) plus «newcomer account», a
# user with no role yet.


ME = "the multi-role user himself"


@dataclass(frozen=True)
class MultiRoleUser:
    username: str
    roles: tuple  # (role, unit key of the world's units: "enterprise", "A", "A1" …)


@dataclass(frozen=True)
class Step:
    """One request of a multi-role user: the status (as in the rows above), what the page
    shows or must not show, and the state it leaves (``state(objects, me) -> bool``)."""

    what: str
    method: str
    name: str
    obj: str | None
    expected: object
    data: tuple = ()
    shows: tuple = ()
    hides: tuple = ()
    state: object = None


def step(what, method, name, obj, expected, *, data=None, shows=(), hides=(), state=None):
    return Step(
        what, method, name, obj, expected, tuple(sorted((data or {}).items())),
        tuple(shows), tuple(hides), state,
    )  # fmt: skip


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def _granted(objects, me, username, role) -> bool:
    from enterprise.models import RoleAssignment

    return RoleAssignment.objects.filter(user__username=username, role=role, granted_by=me).exists()


THREE_HATS = MultiRoleUser(
    "three-hats",
    ((Role.MASTER, "A1"), (Role.ECONOMIST, "A"), (Role.SHOP_HEAD, "A")),
)
ADMIN_AND_DEPUTY = MultiRoleUser(
    "admin-and-deputy", ((Role.ADMINISTRATOR, "enterprise"), (Role.DEPUTY_DIRECTOR, "enterprise"))
)
ADMIN_AND_MASTER = MultiRoleUser(
    "admin-and-master", ((Role.ADMINISTRATOR, "enterprise"), (Role.MASTER, "A1"))
)
MASTER_AND_LEADER = MultiRoleUser(
    "master-and-leader", ((Role.MASTER, "A1"), (Role.BRIGADE_LEADER, "A1"))
)
MULTI_ROLE_USERS = (THREE_HATS, ADMIN_AND_DEPUTY, ADMIN_AND_MASTER, MASTER_AND_LEADER)

PLAN, DOC = "agreed plan of A1", "agreed of other brigade of A1"
GRANT_ADD = "admin:enterprise_roleassignment_add"
OCTOBER_GRANT = {"valid_from": "01.10.2026", "valid_to": "", "shop": "", "section": ""}
SAID = "уже подписан вами"

# fmt: off
MULTI_ROLE_MATRIX = {
    # Master of A1, economist and head of shop A: each signature of a plan is his roles' —
    # but one of them only; he records a brigade's agreement and then may not approve it;
    # he arbitrates inside the shop, so he does not answer for A1; he sees the whole shop.
    THREE_HATS.username: [
        step("three signing buttons before any signature", "GET", "planning:plan_detail", PLAN, ok,
             shows=['data-testid="sign-master-button"', 'data-testid="sign-economist-button"',
                    'data-testid="sign-shop_head-button"']),
        step("signs as the master", "POST", "planning:plan_sign", PLAN, BK,
             data={"role": "master", **CONFIRMED},
             state=lambda o, me: _fresh(o[PLAN]).master_signed_by_id == me.pk),
        step("second signature (economist) refused", "POST", "planning:plan_sign", PLAN, BK,
             data={"role": "economist"},
             state=lambda o, me: _fresh(o[PLAN]).economist_signed_by_id is None),
        step("third signature (shop head) refused", "POST", "planning:plan_sign", PLAN, BK,
             data={"role": "shop_head"},
             state=lambda o, me: _fresh(o[PLAN]).shop_head_signed_by_id is None),
        step("the page says why, no more buttons", "GET", "planning:plan_detail", PLAN, ok,
             shows=['data-testid="sign-blocked"', SAID],
             hides=['data-testid="sign-economist-button"', 'data-testid="sign-shop_head-button"']),
        step("returns the agreed distribution for rework", "POST", "brigades:distribution_return",
             DOC, BK, data=REASON, state=lambda o, me: _fresh(o[DOC]).status == "draft"),
        step("records the council's agreement as the master", "POST",
             "brigades:distribution_agree", DOC, BK, data={**MINUTES, **CONFIRMED},
             state=lambda o, me: _fresh(o[DOC]).agreed_by_id == me.pk),
        step("no approve button, the reason instead", "GET", "brigades:distribution_detail", DOC,
             ok, shows=['data-testid="approve-blocked"'], hides=['data-testid="approve"']),
        step("approval of what he agreed refused", "POST", "brigades:distribution_approve", DOC,
             BK, state=lambda o, me: (_fresh(o[DOC]).status, _fresh(o[DOC]).approved_by_id)
             == ("agreed", None)),
        step("the arbitrator of shop A does not answer for A1", "POST", "claims:claim_answer",
             "claim of A2 against A1", NF, data={**ANSWER, **CONFIRMED}),
        step("decides the claim another person answered", "POST", "claims:claim_decide",
             "claim of A2 against A1 at arbitration", BK, data={**DECISION, **CONFIRMED},
             state=lambda o, me: _fresh(o["claim of A2 against A1 at arbitration"]).decided_by_id
             == me.pk),
        step("the whole shop's statement (as its economist)", "GET", "claims:statement", None, ok,
             data={"period": Pk("open period")}, hides=['data-testid="partial"']),
        step("no log of grants", "GET", "enterprise:role_grants", None, NF),
        step("no admin", "GET", "admin:index", None, AL),
    ],
    # The back office who is also the deputy director: he grants a shop head (a deciding
    # role, from the enterprise's level) — never a role to himself; he decides the labour
    # department's request to reopen a month.
    ADMIN_AND_DEPUTY.username: [
        step("the log of grants", "GET", "enterprise:role_grants", None, ok),
        step("grants a shop head of shop B", "POST", GRANT_ADD, None, BK,
             data={**OCTOBER_GRANT, "user": Pk("newcomer account"), "role": Role.SHOP_HEAD,
                   "enterprise": Pk("enterprise"), "shop": Pk("shop B")},
             state=lambda o, me: _granted(o, me, "newcomer", Role.SHOP_HEAD)),
        step("grants himself nothing", "POST", GRANT_ADD, None, ok,
             data={**OCTOBER_GRANT, "user": ME, "role": Role.MASTER,
                   "enterprise": Pk("enterprise"), "section": Pk("section A2")},
             shows=["себе не назначают"],
             state=lambda o, me: not _granted(o, me, me.username, Role.MASTER)),
        step("decides another's request to reopen", "POST", "enterprise:reopening_decide",
             "pending reopening", BK, data=APPROVE,
             state=lambda o, me: _fresh(o["pending reopening"]).decided_by_id == me.pk),
    ],
    # The back office who is also a master: no deciding role for anyone, roles that decide
    # nothing he grants (and they are recorded as his); the plant's statement (as the
    # back office); the log of grants.
    ADMIN_AND_MASTER.username: [
        step("a deputy director's role refused", "POST", GRANT_ADD, None, ok,
             data={**OCTOBER_GRANT, "user": Pk("newcomer account"), "role": Role.DEPUTY_DIRECTOR,
                   "enterprise": Pk("enterprise")},
             shows=["решает вопросы о деньгах"],
             state=lambda o, me: not _granted(o, me, "newcomer", Role.DEPUTY_DIRECTOR)),
        step("a shop head's role refused", "POST", GRANT_ADD, None, ok,
             data={**OCTOBER_GRANT, "user": Pk("newcomer account"), "role": Role.SHOP_HEAD,
                   "enterprise": Pk("enterprise"), "shop": Pk("shop B")},
             state=lambda o, me: not _granted(o, me, "newcomer", Role.SHOP_HEAD)),
        step("grants a master of A2", "POST", GRANT_ADD, None, BK,
             data={**OCTOBER_GRANT, "user": Pk("newcomer account"), "role": Role.MASTER,
                   "enterprise": Pk("enterprise"), "section": Pk("section A2")},
             state=lambda o, me: _granted(o, me, "newcomer", Role.MASTER)),
        step("the grant is in the log", "GET", "enterprise:role_grants", None, ok,
             shows=["newcomer"]),
        step("the plant's statement", "GET", "claims:statement", None, ok,
             data={"period": Pk("open period")}, hides=['data-testid="partial"']),
    ],
    # A section's two roles: the statement is his section's, not the shop's.
    MASTER_AND_LEADER.username: [
        step("his section's statement only", "GET", "claims:statement", None, ok,
             data={"period": Pk("open period")}, shows=['data-testid="partial"']),
        step("its PDF too", "GET", "claims:statement_pdf", None, ok,
             data={"period": Pk("open period"), "shop": Pk("shop A")}),
        step("the shop B statement is not his", "GET", "claims:statement_pdf", None, NF,
             data={"period": Pk("open period"), "shop": Pk("shop B")}),
        step("no log of grants", "GET", "enterprise:role_grants", None, NF),
    ],
}
# fmt: on


def url_args(obj) -> list:
    """The URL's arguments for an object of :func:`matrix_objects` (a tuple: several; a
    plain value in it — a year, a month — is passed as it is)."""
    if isinstance(obj, tuple):
        return [o.pk if hasattr(o, "pk") else o for o in obj]
    return [obj.pk]


def _brigade(section, number, workers):
    """A brigade of ``workers`` from 1 October 2026; the first of them leads it."""
    brigade = BrigadeFactory(section=section, number=number, name=f"Бригада № {number}")
    memberships = [MembershipFactory(brigade=brigade, worker=worker) for worker in workers]
    PostFactory(brigade=brigade, worker=workers[0])
    return brigade, memberships


BRIGADE_OBJECTS = frozenset(
    {
        "own brigade (A1)",
        "other brigade of A1",
        "brigade of A2",
        "brigade of B1",
        "brigade of other plant",
        "membership in own brigade",
        "membership of B1",
        "membership of other plant",
        "draft of own brigade",
        "approved of own brigade",
        "draft of other brigade of A1",
        "agreed of other brigade of A1",
        "draft of B1",
        "draft of other plant",
        "KTU of the worker in the draft",
        "KTU of a member of other brigade of A1",
        "KTU of the worker in the approved",
        "KTU of a worker of other plant",
    }
)


class _Objects(dict):
    """The named objects; those of a lazy group (the brigades', the claims') are built
    when a row first names one of them (they go through the services: no need for the
    other rows). ``groups`` maps the names of a group to the function that builds it."""

    def __init__(self, objects: dict, groups: dict):
        super().__init__(objects)
        self._groups = dict(groups)

    def __contains__(self, name):
        return super().__contains__(name) or any(name in names for names in self._groups)

    def __missing__(self, name):
        names = next((names for names in self._groups if name in names), None)
        if names is None:
            raise KeyError(name)
        built = self._groups.pop(names)()
        assert set(built) == names, set(built) ^ names
        self.update(built)
        return self[name]


def brigade_objects(world, other_october) -> dict:
    """Brigades of section A1 (one led by the world's brigade leader), A2, B1 and the
    other plant, from 1 October 2026, and their month documents (see the rows)."""
    users, workers = world.users, world.workers
    a1 = world.units["A1"]
    master, root = users["master"], UserFactory(username="root", is_superuser=True)
    leader_worker = WorkerFactory(
        section=a1,
        personnel_number="150",
        profession=world.professions["turner"],
        pay_condition=world.conditions["piece"],
        grade=5,
        user=users["brigade_leader"],
    )
    own, own_members = _brigade(a1, 1, [leader_worker, world.worker])
    other_a1, _ = _brigade(a1, 2, [workers["A1"][1]])
    a2, _ = _brigade(world.units["A2"], 1, [workers["A2"][0]])
    b1, b1_members = _brigade(world.units["B1"], 1, [workers["B1"][0]])
    other, other_members = _brigade(world.units["other_section"], 1, [world.other_worker])
    TariffRateFactory(
        enterprise=world.other_enterprise,
        pay_condition=world.other_worker.pay_condition,
        grade=world.other_worker.grade,
        hourly_rate=Decimal("126.700"),
        valid_from=other_october.start,  # September is closed there
    )
    october, november = world.period(2026, 10), world.period(2026, 11)

    def open_(brigade, period, user=master):
        return brigade_services.distribution_open(brigade=brigade, period=period, user=user)

    def worked(distribution):
        """Hours in every line: a month nobody worked is not agreed."""
        rows = [
            brigade_services.TimesheetRow(line.pk, Decimal("160"))
            for line in distribution.lines.all()
        ]
        brigade_services.timesheet_save(distribution=distribution, rows=rows, user=master)

    approved = open_(own, october)
    worked(approved)
    brigade_services.distribution_agree(
        distribution=approved, minutes="№ 10 от 30.10.2026", user=users["brigade_leader"]
    )
    brigade_services.distribution_approve(distribution=approved, user=users["shop_head"])
    draft = open_(own, november)
    other_draft = open_(other_a1, october)
    agreed = open_(other_a1, november)
    worked(agreed)
    brigade_services.distribution_agree(
        distribution=agreed, minutes="№ 11 от 27.11.2026", user=master
    )
    other_plant_draft = open_(other, other_october, root)
    return {
        "own brigade (A1)": own,
        "other brigade of A1": other_a1,
        "brigade of A2": a2,
        "brigade of B1": b1,
        "brigade of other plant": other,
        "membership in own brigade": own_members[1],
        "membership of B1": b1_members[0],
        "membership of other plant": other_members[0],
        "draft of own brigade": draft,
        "approved of own brigade": approved,
        "draft of other brigade of A1": other_draft,
        "agreed of other brigade of A1": agreed,
        "draft of B1": open_(b1, november, root),
        "draft of other plant": other_plant_draft,
        "KTU of the worker in the draft": (draft, world.worker),
        "KTU of a member of other brigade of A1": (other_draft, workers["A1"][1]),
        "KTU of the worker in the approved": (approved, world.worker),
        "KTU of a worker of other plant": (other_plant_draft, world.other_worker),
    }


CLAIM_OBJECTS = frozenset(
    {
        "claim of A1 against B1",
        "scan of claim of A1 against B1",
        "reference of claim of A1 against B1",
        "claim of A2 against A1",
        "claim of A2 against A1 at arbitration",
        "claim of A2 against the leader's brigade",
        "claim of the leader's brigade against the worker",
        "claim of B1 against shop B",
        "scan of claim of B1 against shop B",
        "claim of other plant",
        "scan of claim of other plant",
    }
)
# The loss of every claim: idle pay 1 200,00 with 150 % overhead — 3 000,00.
CLAIM_LOSS = {"idle_pay": Decimal("1200.00"), "overhead_percent": Decimal("150")}


def claim_objects(world, other_open) -> dict:
    """Claims of October 2026 for late parts (3 000,00), filed through the service: the
    first required document attached as a PDF scan, the others referenced by number and
    date. See the claims rows for who files, answers and decides each."""
    users, units = world.users, world.units
    seed_claim_types(world.enterprise)
    late_parts = ClaimType.objects.get(enterprise=world.enterprise, code="late_parts")
    october = world.period(2026, 10)

    def file(claimant, defendant, user):
        documents = [
            DocumentIn(title=title, number=str(n), date=datetime.date(2026, 10, 5))
            for n, title in enumerate(late_parts.documents, start=11)
        ]
        documents[0] = DocumentIn(title=documents[0].title, file=claim_pdf_upload())
        return claim_services.claim_file(
            period=october,
            claim_type=late_parts,
            claimant=party(claimant),
            defendant=party(defendant),
            description="Детали корпуса поданы на двое суток позже графика.",
            loss_inputs=dict(CLAIM_LOSS),
            documents=documents,
            user=user,
        )

    leader_worker = WorkerFactory(
        section=units["A1"],
        personnel_number="150",
        profession=world.professions["turner"],
        pay_condition=world.conditions["piece"],
        grade=5,
        user=users["brigade_leader"],
    )
    leaders_brigade, _ = _brigade(units["A1"], 1, [leader_worker, world.worker])
    dispatcher, master = users["dispatcher"], users["master"]
    dispatcher_b = UserFactory(username="dispatcher-b")
    RoleAssignmentFactory(user=dispatcher_b, role=Role.DISPATCHER, shop=units["B"])

    a1_b1 = file(units["A1"], units["B1"], dispatcher)
    arbitration = file(units["A2"], units["A1"], dispatcher)
    claim_services.claim_answer(
        claim=arbitration,
        answer=Claim.Answer.PARTIAL,
        accepted_amount=Decimal("1000.00"),
        reason="Простой был короче: детали подали через сутки.",
        user=master,
    )
    b1_shop_b = file(units["B1"], units["B"], dispatcher_b)
    other = ClaimFactory(
        period=other_open,
        claimant=units["other_section"],
        defendant=units["other_shop"],
        status=Claim.Status.FILED,
    )
    other_scan = ClaimDocument(
        claim=other,
        title="Листок на оплату простоя",
        file_name="Листок простоя.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    other_scan.file.save("x.pdf", ContentFile(PDF), save=False)
    other_scan.save()

    def scan(claim):
        return claim.documents.exclude(file="").get()

    return {
        "claim of A1 against B1": a1_b1,
        "scan of claim of A1 against B1": scan(a1_b1),
        "reference of claim of A1 against B1": a1_b1.documents.filter(file="").first(),
        "claim of A2 against A1": file(units["A2"], units["A1"], dispatcher),
        "claim of A2 against A1 at arbitration": arbitration,
        "claim of A2 against the leader's brigade": file(units["A2"], leaders_brigade, dispatcher),
        "claim of the leader's brigade against the worker": file(
            leaders_brigade, world.worker, master
        ),
        "claim of B1 against shop B": b1_shop_b,
        "scan of claim of B1 against shop B": scan(b1_shop_b),
        "claim of other plant": other,
        "scan of claim of other plant": other_scan,
    }


def matrix_objects(world) -> dict:
    """The objects rows name (see :func:`matrix_layers`); a group is built when a row
    first names one of its objects."""
    return _Objects(*matrix_layers(world))


def matrix_layers(world) -> tuple[dict, dict]:
    """The objects rows name, from the world plus the few it lacks (a scale, a request),
    and the groups built on demand: ``(objects, {frozenset of names: build})``.

    ``pending reopening``: September is closed and labour & wages asked to reopen it;
    ``closed period`` is August (nothing pending, so a request can be made);
    ``open period`` is October (the first open month, so closing it is allowed).
    The brigades and their documents: :func:`brigade_objects`; the claims and their
    documents: :func:`claim_objects`.
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
    objects = {
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
    return objects, {
        BRIGADE_OBJECTS: lambda: brigade_objects(world, other_open),
        CLAIM_OBJECTS: lambda: claim_objects(world, other_open),
        **{
            module.OBJECTS: (lambda module=module: module.objects(world))
            for module in planning_matrices()
        },
    }


# --- the personal plans' pages: rows and objects kept beside their tests ------------------


def planning_matrices() -> tuple:
    """The matrix modules of the personal plans' pages. They build their rows with get/post
    of this module, so they are imported when asked for (a test module may import one of
    them before this module: an import at this module's end would then find it half-built)."""
    from tests.khozraschet import matrix_close, matrix_costs, matrix_months, matrix_results
    from tests.meetings import matrix_meetings, matrix_proposals
    from tests.planning import (
        matrix_measures,
        matrix_operational,
        matrix_plans,
        matrix_print,
        matrix_shifts,
        matrix_tracking,
    )

    return (
        matrix_plans,
        matrix_measures,
        matrix_operational,
        matrix_print,
        matrix_tracking,
        matrix_shifts,
        matrix_close,
        matrix_months,
        matrix_results,
        matrix_costs,
        matrix_meetings,
        matrix_proposals,
    )


def all_rows() -> list[Row]:
    """MATRIX and the personal plans' rows: every URL of the project."""
    return [*MATRIX, *(row for module in planning_matrices() for row in module.ROWS)]
