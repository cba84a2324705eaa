"""Every form and formset of the project, fuzzed with hostile input through the test client.

Each target is a URL that takes a POST, the user allowed to post it, and the page whose
form posts there. The form's fields are read from that page as a browser would send
them (inputs, selects, textareas, formset management forms); hypothesis then changes
them: signalling and quiet NaN, infinities, huge and negative numbers, digits of other
scripts, long strings, NUL bytes, HTML, empty values, dropped fields, wrong
``TOTAL_FORMS``/``INITIAL_FORMS``, ids of rows out of the user's scope, duplicated rows.

Each submission must answer below 500; a refusal (anything but a redirect) must save
nothing (no history record: every tracked write leaves one). The world and the rows'
objects are built once for the module; each submission runs in a savepoint rolled back
after it. ``test_every_post_url_is_fuzzed`` walks the URLconf: a view that handles POST
is either a target here or excluded with a reason.

``FUZZ_EXAMPLES`` (environment) sets the submissions per target (default below); the
module asserts the total is at least :data:`MIN_TOTAL` when every target ran.
"""

from __future__ import annotations

import copy
import inspect
import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import transaction
from django.db.models import Max
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import ClaimSettings
from enterprise.models import HistoryRecord
from tests.brigades.factories import KtuCriterionFactory
from tests.factories import UserFactory
from tests.khozraschet.factories_costs import admin_rows as khozraschet_admin_rows
from tests.meetings.worlds import admin_rows as meetings_admin_rows
from tests.pages import plain_rendering
from tests.permission_matrix import (
    BRIGADE_OBJECTS,
    CLAIM_OBJECTS,
    matrix_layers,
    planning_matrices,
    url_args,
)
from tests.planning.operational.factories import admin_rows as operational_admin_rows

MIN_TOTAL = 10_000
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)

# --- the targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """POST ``name`` (with ``obj``'s pk) as ``role``; the form is read from ``page`` (a URL
    name and object; the target itself when ``None``) with ``query``."""

    name: str
    obj: str | None
    role: str
    page: tuple | None = None
    query: tuple = ()
    weight: int = 1
    extra: tuple = ()
    layer: str = ""
    """The matrix's group of objects the target needs when it names none (the admin's)."""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.obj or ''}]:{self.role}"


def T(name, obj, role, page=None, query=None, weight=1, extra=None, layer="") -> Target:
    return Target(
        name,
        obj,
        role,
        page,
        tuple(sorted((query or {}).items())),
        weight,
        tuple(sorted((extra or {}).items())),
        layer,
    )


# The grids (formsets) and the forms with decimals get more submissions (weight).
TARGETS = [
    # the platform
    T("login", None, "anonymous"),
    T("logout", None, "worker", page=("home", None)),
    T("password_change", None, "worker"),
    T("set_language", None, "worker", page=("home", None)),
    # structure, tariffs, scales, periods
    T("enterprise:worker_create", None, "administrator", weight=2),
    T("enterprise:worker_edit", "worker of A1", "administrator", weight=2),
    T("enterprise:tariff_rate_create", None, "labour", weight=2),
    T("enterprise:scale_create", None, "labour", weight=3),
    T("enterprise:scale_edit", "scale", "labour", weight=3),
    T(
        "enterprise:period_close",
        "open period",
        "labour",
        page=("enterprise:period_detail", "open period"),
        extra={"confirm": "1"},  # the confirmed step: unconfirmed, nothing runs
    ),
    T("enterprise:period_closing", "open period", "labour", weight=2),
    T(
        "enterprise:period_request_reopen",
        "closed period",
        "labour",
        page=("enterprise:period_detail", "closed period"),
        extra={"reason": "Ошибка в табеле"},  # the page's form posts to the page now
    ),
    # the month's page takes its request to reopen (``step``), as its form posts it
    T("enterprise:period_detail", "closed period", "labour"),
    T(
        "enterprise:reopening_decide",
        "pending reopening",
        "deputy_director",
        page=("enterprise:period_detail", "pending reopening period"),
        extra={"approve": "1", "comment": ""},
    ),
    # brigades
    T("brigades:brigade_create", None, "master", weight=2),
    T("brigades:brigade_edit", "own brigade (A1)", "master", weight=2),
    T("brigades:membership_add", "own brigade (A1)", "master"),
    T("brigades:membership_change", "membership in own brigade", "master"),
    T("brigades:membership_end", "membership in own brigade", "master"),
    T("brigades:post_assign", "own brigade (A1)", "master"),
    T("brigades:distribution_open", "own brigade (A1)", "master"),
    T("brigades:timesheet_edit", "draft of own brigade", "master", weight=4),
    T("brigades:earnings_edit", "draft of own brigade", "master", weight=3),
    T("brigades:ktu_edit", "KTU of the worker in the draft", "master", weight=2),
    T(
        "brigades:distribution_agree",
        "draft of own brigade",
        "brigade_leader",
        page=("brigades:distribution_detail", "draft of own brigade"),
        extra={"minutes": "№ 11 от 27.11.2026", "confirm": "1"},
    ),
    T(
        "brigades:distribution_approve",
        "agreed of other brigade of A1",
        "shop_head",
        page=("brigades:distribution_detail", "agreed of other brigade of A1"),
        extra={"confirm": "1"},
    ),
    # approving many: the ticked ids (a foreign or unknown id is dropped), confirmed
    T(
        "brigades:distribution_bulk_approve",
        None,
        "shop_head",
        layer="brigades",
        extra={"confirm": "1"},
    ),
    T(
        "brigades:distribution_return",
        "agreed of other brigade of A1",
        "shop_head",
        page=("brigades:distribution_detail", "agreed of other brigade of A1"),
        extra={"reason": "Исправить табель"},
    ),
    T(
        "brigades:distribution_correct",
        "approved of own brigade",
        "master",
        page=("brigades:distribution_detail", "approved of own brigade"),
    ),
    T(
        "brigades:distribution_delete",
        "draft of own brigade",
        "master",
        page=("brigades:distribution_detail", "draft of own brigade"),
    ),
    T("brigades:ktu_settings", None, "labour", weight=4),
    # claims
    T("claims:claim_create", None, "dispatcher", weight=3),
    T(
        "claims:claim_create",
        None,
        "dispatcher",
        query={"type": "late parts type"},
        weight=3,
    ),
    T(
        "claims:claim_answer",
        "claim of A2 against A1",
        "master",
        page=("claims:claim_detail", "claim of A2 against A1"),
        extra={
            "answer": "partial",
            "accepted_amount": "1000,00",
            "reason": "Короче",
            "confirm": "1",
        },
        weight=2,
    ),
    T(
        "claims:claim_decide",
        "claim of A2 against A1 at arbitration",
        "shop_head",
        page=("claims:claim_detail", "claim of A2 against A1 at arbitration"),
        extra={"amount": "2000,00", "reason": "Подтверждено", "confirm": "1"},
        weight=2,
    ),
    # the claim's page takes its steps (``step``), as its forms post them
    T(
        "claims:claim_detail",
        "claim of A2 against A1 at arbitration",
        "shop_head",
        extra={"amount": "2000,00", "reason": "Подтверждено", "confirm": "1"},
        weight=2,
    ),
    T(
        "claims:claim_withdraw",
        "claim of A1 against B1",
        "dispatcher",
        page=("claims:claim_detail", "claim of A1 against B1"),
        extra={"reason": "Детали получены"},
    ),
    # personal plans
    T("planning:section_plans", "section A1", "master", weight=3),
    T("planning:section_task_edit", "section A1", "economist", weight=2),
    T("planning:plan_create", "worker of A1", "master", weight=3),
    T("planning:plan_edit", "draft plan of the worker (A1)", "master", weight=3),
    T(
        "planning:plan_agree",
        "draft plan of the worker (A1)",
        "master",
        page=("planning:plan_detail", "draft plan of the worker (A1)"),
        extra={"confirm": "1"},
    ),
    T(
        "planning:plan_sign",
        "agreed plan of A1",
        "master",
        page=("planning:plan_detail", "agreed plan of A1"),
        extra={"confirm": "1"},
    ),
    # signing a section's plans at once; the query names an agreed plan only so that the
    # plans' objects are built (the view reads no such parameter)
    T(
        "planning:section_sign",
        "section A1",
        "master",
        query={"plan": "agreed plan of A1"},
        extra={"confirm": "1", "role": "master"},
    ),
    T(
        "planning:plan_return",
        "agreed plan of A1",
        "master",
        page=("planning:plan_detail", "agreed plan of A1"),
    ),
    T(
        "planning:plan_revise",
        "signed plan of A1",
        "master",
        page=("planning:plan_detail", "signed plan of A1"),
    ),
    T("planning:print_create", None, "economist", page=("planning:print_list", None)),
    T(
        "planning:print_resume",
        "batch of the economist (shop A)",
        "economist",
        page=("planning:print_detail", "batch of the economist (shop A)"),
    ),
    # measures and savings
    T("planning:measure_create", None, "master", weight=3),
    T("planning:measure_edit", "measure of A1", "master", weight=3),
    T(
        "planning:measure_status",
        "measure of A1",
        "master",
        page=("planning:measure_detail", "measure of A1"),
    ),
    T(
        "planning:savings_add",
        "worker of A1",
        "master",
        page=("planning:account", "worker of A1"),
        weight=2,
    ),
    T(
        "planning:savings_delete",
        "savings of worker of A1",
        "master",
        page=("planning:account", "worker of A1"),
    ),
    # the workers' proposals (meetings): filing, each step of their life, the measure
    T("meetings:proposal_create", None, "worker", weight=3),
    T(
        "meetings:proposal_review",
        "submitted proposal of A",
        "worker",
        page=("meetings:proposal_detail", "submitted proposal of A"),
        extra={"confirm": "1"},
    ),
    T(
        "meetings:proposal_pass",
        "accepted proposal of A",
        "brigade_leader",
        page=("meetings:proposal_detail", "accepted proposal of A"),
    ),
    T(
        "meetings:proposal_answer",
        "passed proposal of A",
        "shop_head",
        page=("meetings:proposal_detail", "passed proposal of A"),
        extra={"confirm": "1"},
    ),
    T(
        "meetings:proposal_implement",
        "agreed proposal of A",
        "master",
        page=("meetings:proposal_detail", "agreed proposal of A"),
        extra={"confirm": "1"},
        weight=2,
    ),
    T(
        "meetings:proposal_drop",
        "agreed proposal of A",
        "master",
        page=("meetings:proposal_detail", "agreed proposal of A"),
        extra={"confirm": "1"},
    ),
    T(
        "meetings:proposal_attach",
        "submitted proposal of A",
        "worker",
        page=("meetings:proposal_detail", "submitted proposal of A"),
    ),
    T("meetings:proposal_measure", "agreed proposal of A", "master", weight=3),
    # commissions and meetings: the composition, the meeting's page and its small forms
    T("meetings:commission_create", None, "shop_head"),
    T("meetings:commission_edit", "commission of A", "shop_head"),
    T("meetings:member_create", "commission of A", "shop_head"),
    T("meetings:member_edit", "bureau member of A", "shop_head"),
    T(
        "meetings:member_remove",
        "bureau member of A",
        "shop_head",
        page=("meetings:commission_detail", "commission of A"),
    ),
    T("meetings:meeting_create", "commission of A", "shop_head", weight=2),
    T("meetings:meeting_edit", "meeting of A", "shop_head", weight=2),
    T("meetings:meeting_attendance", "meeting of A", "shop_head"),
    *(
        T(name, obj, "shop_head", page=("meetings:meeting_detail", "meeting of A"))
        for name, obj in (
            ("meetings:invitation_add", "meeting of A"),
            ("meetings:invitation_remove", "invitation of ОТК to meeting of A"),
            ("meetings:agenda_add", "meeting of A"),
            ("meetings:agenda_remove", "agenda item of meeting of A"),
            ("meetings:decision_add", "meeting of A"),
            ("meetings:decision_done", "decision of meeting of A"),
            ("meetings:request_add", "meeting of A"),
            ("meetings:request_answer", "request of meeting of A"),
        )
    ),
    # output
    # operational scheduling: the bureau's parts, routes (a formset), stocks, assembly days
    T("planning:part_create", None, "dispatcher", weight=2),
    T("planning:part_edit", "part assembled by A", "dispatcher"),
    T("planning:route_create", "part via A1", "dispatcher", weight=3),
    T("planning:route_edit", "route of A1", "economist", weight=3),
    T("planning:stock_record", None, "dispatcher", query={"part": "part via A1"}, weight=2),
    # shift tasks: the bureau's new task, its lines and the issue; the master's readiness
    # marks, signature and the output from the stubs
    T("planning:shift_month", "shifts: A1, October", "dispatcher", weight=2),
    T("planning:shift_task_items", "shift task: A1 draft", "dispatcher", weight=3),
    T(
        "planning:shift_task_issue",
        "shift task: A1 draft",
        "dispatcher",
        page=("planning:shift_task", "shift task: A1 draft"),
        extra={"confirm": "1"},
    ),
    T(
        "planning:shift_task_check",
        "shift task: A1 issued",
        "master",
        page=("planning:shift_task", "shift task: A1 issued"),
        weight=2,
    ),
    T(
        "planning:shift_task_sign",
        "shift task: A1 issued",
        "master",
        page=("planning:shift_task", "shift task: A1 issued"),
        extra={"confirm": "1"},
    ),
    T(
        "planning:shift_task_cancel",
        "shift task: A1 issued",
        "dispatcher",
        page=("planning:shift_task", "shift task: A1 issued"),
        extra={"confirm": "1"},
    ),
    T("planning:shift_output", "shift task: A1 signed", "master", weight=4),
    T("planning:assembly_day_record", "shop A", "dispatcher", weight=2),
    T("planning:output_entry", "output: A1, October", "master", weight=4),
    T("planning:output_import", None, "master"),
    T(
        "planning:output_import_confirm",
        None,
        "master",
        page=("planning:output_import", None),
        extra={"token": "0123456789abcdef"},
    ),
    T("planning:section_days", "output: A1, October", "master", weight=3),
    # --- months (khz-entry) ---
    T("khozraschet:month_indicators", "khz: A1, October", "dispatcher", weight=4),
    T("khozraschet:month_sheet", "khz: A1, October", "economist", weight=3),
    T("khozraschet:month_idle", "khz: A1, October", "dispatcher", weight=2),
    T("khozraschet:month_energy", "khz: A1, October", "economist", weight=3),
    T("khozraschet:funds", "khz funds: October", "labour", weight=2),
    # khozraschet: the cost plan, its corrections and explanations, time studies, passport
    T("khozraschet:costs", "khz: A1, October", "economist", weight=4),
    T(
        "khozraschet:correction_add",
        "khz: A1, October",
        "economist",
        page=("khozraschet:costs", "khz: A1, October"),
        weight=2,
    ),
    T("khozraschet:correction_delete", "khz: correction of A1 by the economist", "economist"),
    T("khozraschet:explanations", "khz: A1, October", "master", weight=2),
    T("khozraschet:explanation_edit", "khz: note of A1 by the master", "master", weight=2),
    T("khozraschet:time_study", "khz: A1, October", "economist", weight=3),
    T(
        "khozraschet:profile_save",
        "section A1",
        "economist",
        page=("khozraschet:passport", "section A1"),
    ),
    T(
        "khozraschet:passport_add",
        "section A1",
        "economist",
        page=("khozraschet:passport", "section A1"),
        weight=3,
    ),
    T("khozraschet:passport_edit", "khz: passport of A1", "economist", weight=3),
]

# Views that take a POST and are not fuzzed here, with the reason.
EXCLUDED = {
    "khozraschet:close_start": "no input but one hidden shop id: a shop not the user's is 404 "
    "(the matrix, tests/khozraschet/test_close_views.py); ten posts queue one run",
    "admin:*_delete": "Django's delete confirmation: a POST of 'post=yes' only, no input",
    "admin:django_tasks_database_dbtaskresult_add": "a third-party, read-only admin of task "
    "results (no add, no change form)",
    "admin:django_tasks_database_dbtaskresult_change": "the same",
    "admin:*_history": "read-only",
    "admin:*_changelist": "fuzzed through the admin actions target (_selected_action ids)",
    "admin:auth_user_password": "Django's own password form (fuzzed as password_change)",
    "admin:logout": "POST-only logout, no input",
    "admin:login": "Django's login form, fuzzed as login",
    "admin:password_change": "Django's form, fuzzed as password_change",
    "admin:password_change_done": "a page, no form",
    "admin:index": "a page, no form",
    "admin:app_list": "a page, no form",
    "admin:autocomplete": "GET only (JSON)",
    "admin:view_on_site": "a redirect",
    "admin:jsi18n": "JavaScript catalogue",
    "password_change_done": "a page, no form",
}


def _excluded(name: str) -> bool:
    if name in EXCLUDED:
        return True
    if name.startswith("admin:"):
        return any(name.endswith(key.split("*", 1)[1]) for key in EXCLUDED if "*" in key)
    return False


LAYERS = {"brigades": BRIGADE_OBJECTS, "claims": CLAIM_OBJECTS}


def _admin_targets() -> list[Target]:
    """The add and change form of every model in the admin, and the changelist's action
    (its ``_selected_action`` ids), as a superuser."""
    targets = []
    for model, _admin in sorted(admin.site._registry.items(), key=lambda i: i[0]._meta.label):
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        layer = model._meta.app_label if model._meta.app_label in LAYERS else ""
        row = f"admin object {model._meta.label}"
        if not _excluded(f"{base}_add"):
            targets.append(T(f"{base}_add", None, "superuser", weight=2, layer=layer))
        if not _excluded(f"{base}_change"):
            targets.append(T(f"{base}_change", row, "superuser", weight=2, layer=layer))
    targets.append(T("admin:auth_user_password_change", "admin object auth.User", "superuser"))
    targets.append(
        T(
            "admin:enterprise_worker_changelist",
            None,
            "superuser",
            extra={"action": "delete_selected", "index": "0"},
        )
    )
    return targets


def group_of(target: Target, builders):
    """The group of the matrix's objects the target names (at most one)."""
    if target.layer:
        return LAYERS[target.layer]
    names = {target.obj, target.page[1] if target.page else None, *(v for _k, v in target.query)}
    return next((group for group in builders if names & group), None)


GROUPS = (BRIGADE_OBJECTS, CLAIM_OBJECTS, *(m.OBJECTS for m in planning_matrices()))
ALL_TARGETS = sorted(
    TARGETS + _admin_targets(),
    key=lambda t: -1 if (g := group_of(t, GROUPS)) is None else GROUPS.index(g),
)
TOTAL_WEIGHT = sum(t.weight for t in ALL_TARGETS)
# The fewest per weight that make MIN_TOTAL hostile examples (hypothesis runs each target's
# max_examples in full: checked below), besides each page's own body.
PER_WEIGHT = EXAMPLES or -(-MIN_TOTAL // TOTAL_WEIGHT)

# --- the values -------------------------------------------------------------------------------

HOSTILE = [
    "sNaN", "-sNaN", "NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "1e400", "1E5",
    "9" * 30, "-" + "9" * 30, "99999999999999999999", "9223372036854775808",
    "-9223372036854775809", "2147483648", "32768", "-1", "0", "-0", "0,001", "1,5", "1.5",
    "1 000,25", "1\u00a0000,25", "−5", "١٢٣", "１２", "²", "٣,٥", "0x10", "1_000", "",
    " ", "\t", "<script>alert(1)</script>", "\x00", "a\x00b", "x" * 5000, "ё" * 301,
    "'; DROP TABLE x; --", '=HYPERLINK("http://x","click")', "2026-13-45", "31.02.2026",
    "0000-00-00", "99999-01-01", "2026-11-31", "true", "on", "None", "null", "[]", "{}",
    "../../etc/passwd", "%00", "\ud7ff", "🙂", "\u202e", "1;2", "1,2,3", "--1",
]  # fmt: skip
MANAGEMENT = ["-1", "0", "1", "2", "3", "5", "6", "7", "101", "99999999999999999999", "abc", ""]
# The admin's inlines build (and draw) every row a count asks for, up to Django's 1,000:
# a page of a thousand inline rows per submission is the cost of the whole fuzz, not a
# finding (it is the superuser's own page). Small and broken counts only there.
ADMIN_MANAGEMENT = ["-1", "0", "1", "2", "3", "5", "abc", ""]


@dataclass
class Field:
    name: str
    value: str
    options: list = field(default_factory=list)
    kind: str = "text"


@dataclass
class Form:
    action: str
    fields: list = field(default_factory=list)
    multipart: bool = False


class FormsOfPage(HTMLParser):
    """The POST forms of a page: each field with the value a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None
        self.selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(
                    a.get("action") or "", multipart="multipart" in (a.get("enctype") or "")
                )
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                known = next((f for f in self.form.fields if f.name == name), None)
                if known is None:
                    known = Field(name, a.get("value", "on") if "checked" in a else "", kind=kind)
                    self.form.fields.append(known)
                elif "checked" in a and kind == "radio":
                    known.value = a.get("value", "on")
                known.options.append(a.get("value", "on"))
                if kind == "checkbox" and "checked" in a and known.value != a.get("value", "on"):
                    self.form.fields.append(Field(name, a.get("value", "on"), kind=kind))
            elif kind in ("submit", "button", "image", "reset"):
                return
            else:
                self.form.fields.append(Field(name, a.get("value", ""), kind=kind))
        elif tag == "select" and name:
            self.select = Field(name, "", kind="select")
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select.options.append(value)
            if "selected" in a or (len(self.select.options) == 1):
                self.select.value = value
        elif tag == "textarea" and name:
            self.textarea = Field(name, "", kind="textarea")
            self.form.fields.append(self.textarea)
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            self.form.fields.append(Field(name, a.get("value", ""), kind="button"))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormsOfPage()
    parser.feed(html)
    return parser.forms


# --- the module's world: built once, each submission in a savepoint --------------------------


class Env:
    """The world, the objects of the matrix (``tests.permission_matrix``) in savepoints:
    the base layer, and above it the group of objects (brigades, claims, plans …) the
    current target names — the targets run grouped, a group is built once."""

    def __init__(self, world, blocker):
        self.blocker = blocker
        self.world = world
        self.atomics: list = []
        with blocker.unblock():
            self._enter()
            self.base, self.builders = matrix_layers(world)
            self.world.users["superuser"] = UserFactory(
                username="fuzz-root", is_superuser=True, is_staff=True
            )
            self.base["pending reopening period"] = self.base["pending reopening"].period
            # Rows the admin's change forms open that the matrix has none of.
            KtuCriterionFactory(enterprise=world.enterprise, name="Совмещение профессий")
            ClaimSettings.objects.get_or_create(enterprise=world.enterprise)
            khozraschet_admin_rows(world)
            operational_admin_rows(world)
            meetings_admin_rows(world)
            # Logged in once, in the base layer: a session made in a test's transaction
            # would be rolled back with it.
            self.clients = {"anonymous": Client()}
            for role, user in self.world.users.items():
                self.clients[role] = Client()
                self.clients[role].force_login(user)
            self.group = None
            self.objects = dict(self.base)
            self._more()
        self.baselines: dict = {}
        self.page_status: dict = {}
        self.count = 0
        self.seconds = 0.0
        self.ran: set = set()

    def _enter(self):
        atomic = transaction.atomic()
        atomic.__enter__()
        self.atomics.append(atomic)

    def _roll_back(self):
        transaction.set_rollback(True)
        self.atomics.pop().__exit__(None, None, None)

    def close(self):
        with self.blocker.unblock():
            while self.atomics:
                self._roll_back()

    def enter(self, target: Target) -> None:
        """The objects of the target's group (built now when another group was up)."""
        group = group_of(target, self.builders)
        if group == self.group:
            return
        with self.blocker.unblock():
            if self.group is not None:
                self._roll_back()
            self.group, self.objects = None, dict(self.base)
            self.baselines.clear()
            if group is not None:
                self._enter()
                self.objects.update(self.builders[group]())
                self.group = group
            self._more()

    @staticmethod
    def _login_locks():
        """A login lock and its logs, for django-axes' (read-only) admin pages."""
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        seen = {"user_agent": "fuzz", "ip_address": "10.0.0.9", "username": "nobody"}
        AccessAttempt.objects.get_or_create(
            **seen,
            defaults={
                "path_info": "/login/",
                "get_data": "",
                "post_data": "",
                "failures_since_start": 10,
            },
        )
        AccessLog.objects.get_or_create(**seen, path_info="/login/")
        AccessFailureLog.objects.get_or_create(**seen, path_info="/login/", locked_out=True)

    def _more(self):
        from django.contrib.auth.models import Group

        from claims.models import ClaimType

        Group.objects.get_or_create(name="Нормировщики")
        late = ClaimType.objects.filter(enterprise=self.world.enterprise, code="late_parts").first()
        if late is not None:
            self.objects["late parts type"] = late
        self._login_locks()
        for model in admin.site._registry:
            row = model._default_manager.order_by("pk").first()
            if row is not None:
                self.objects[f"admin object {model._meta.label}"] = row
        # Ids of rows out of reach: the other plant's, shop B's.
        self.foreign_ids = sorted(
            {
                str(o.pk)
                for name, o in self.objects.items()
                if ("other plant" in name or "B1" in name or "shop B" in name) and hasattr(o, "pk")
            }
        )

    def client(self, role) -> Client:
        return self.clients[role]

    def url(self, name, obj, query=()) -> str:
        args = [] if obj is None else url_args(self.objects[obj])
        url = reverse(name, args=args)
        if query:
            values = {k: (self.objects[v].pk if v in self.objects else v) for k, v in query}
            url += "?" + "&".join(f"{k}={v}" for k, v in values.items())
        return url

    def baseline(self, target: Target) -> tuple[str, Form]:
        """The target's URL and its form as the page renders it."""
        if target not in self.baselines:
            url = self.url(target.name, target.obj, target.query if not target.page else ())
            page_name, page_obj = target.page or (target.name, target.obj)
            page_url = self.url(page_name, page_obj, target.query)
            client = self.client(target.role)
            with transaction.atomic():
                response = client.get(page_url)
                transaction.set_rollback(True)
            found = None
            self.page_status[target] = response.status_code
            if response.status_code == 200:
                path = urlsplit(url).path
                for form in forms_of(response.content.decode()):
                    action = urlsplit(form.action).path if form.action else urlsplit(page_url).path
                    if action == path:
                        found = form
                        break
            if found is None:
                found = Form(url)
            known = {f.name for f in found.fields}
            for key, value in target.extra:
                if key not in known:
                    found.fields.append(Field(key, value))
            self.baselines[target] = (url, found)
        return self.baselines[target]


@pytest.fixture(scope="module", autouse=True)
def _media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def env(world_keeper, django_db_blocker):
    world = world_keeper.commit()
    assert world is not None, "the fuzz needs the committed world"
    env = Env(copy.deepcopy(world), django_db_blocker)
    with plain_rendering():
        yield env
    env.close()
    print(f"\nfuzz: {env.count} submissions to {len(env.ran)} targets in {env.seconds:.1f} s")


@pytest.fixture
def entered(request, env):
    """The env with the target's group of objects, set up before the test's transaction."""
    env.enter(request.node.callspec.params["target"])
    return env


# --- the strategy: a body from the baseline ----------------------------------------------------


def _is_management(name: str) -> bool:
    return name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"))


TENTHS, ROUNDS, TWENTIETHS = st.integers(0, 9), st.integers(1, 4), st.integers(0, 19)
EXTRA_NAMES = st.sampled_from(["id", "pk", "enterprise", "form-TOTAL_FORMS", "x"])


def hostile_values(foreign_ids: list) -> st.SearchStrategy:
    foreign = st.sampled_from(foreign_ids) if foreign_ids else st.just("0")
    return st.one_of(
        st.sampled_from(HOSTILE),
        foreign,
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.text(max_size=40),
    )


def bodies(form: Form, foreign_ids: list, management: list = MANAGEMENT) -> st.SearchStrategy:
    """The form as the page sends it with a few fields changed (or all of them, or a row
    copied, or a field added): hostile values, ids of rows out of reach, fields left out.

    The strategies are built once for the target, not for every body: a new strategy is
    validated again at its first draw, as much as a third of drawing a body."""
    hostile = hostile_values(foreign_ids)
    fields = form.fields
    any_field = st.sampled_from(fields) if fields else None
    managed = st.sampled_from(management)
    options = {
        i: st.sampled_from([*f.options, *foreign_ids[:5], ""])
        for i, f in enumerate(fields)
        if f.options
    }
    prefixes = sorted({f.name.rsplit("-", 1)[0] for f in fields if f.name.count("-") >= 2})
    any_prefix = st.sampled_from(prefixes) if prefixes else None
    sent: dict[str, list] = {}
    for f in fields:
        sent.setdefault(f.name, []).append(f.value)

    @st.composite
    def body_of_form(draw):
        body = {name: list(values) for name, values in sent.items()}
        if fields and draw(TENTHS) == 0:
            value = draw(hostile)  # every field the same hostile value
            body = {name: [value] for name in body if not _is_management(name)} | {
                name: values for name, values in body.items() if _is_management(name)
            }
        elif fields:
            for _ in range(draw(ROUNDS)):
                f = draw(any_field)
                how = draw(TENTHS)
                if how == 0:
                    body.pop(f.name, None)  # the field is not sent
                elif _is_management(f.name):
                    body[f.name] = [draw(managed)]
                elif f.options and how < 4:
                    body[f.name] = [draw(options[fields.index(f)])]
                else:
                    body[f.name] = [draw(hostile)]
        if fields and draw(TENTHS) == 0 and any_prefix is not None:
            # a row copied: its fields sent again under the next row's prefix
            prefix = draw(any_prefix)
            head, number = prefix.rsplit("-", 1)
            if number.isdigit():
                for f in fields:
                    if f.name.startswith(prefix + "-"):
                        name = f"{head}-{int(number) + 1}-{f.name.rsplit('-', 1)[1]}"
                        body[name] = [f.value]
        if draw(TWENTIETHS) == 0:
            name = draw(EXTRA_NAMES)
            body[name] = [draw(hostile)]
        return {k: v if len(v) > 1 else v[0] for k, v in body.items()}

    return body_of_form()


def _last_history() -> int:
    return HistoryRecord.objects.aggregate(m=Max("pk"))["m"] or 0


def _submit(env: Env, target: Target, url: str, body: dict, before: int):
    """POST ``body``; ``before`` is the last history record before it (the same for each
    submission to the target: each is rolled back)."""
    client = env.client(target.role)
    # Logging out or changing the password cycles the session: its deletion is rolled
    # back, the client's cookie is put back.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.post(url, body)
        assert response.status_code < 500, (response.status_code, body)
        if response.status_code != 302:
            assert _last_history() == before, (
                f"{target.id}: refused ({response.status_code}) but saved something: {body}"
            )
        transaction.set_rollback(True)
    client.cookies = cookies
    env.count += 1


@pytest.mark.parametrize("target", ALL_TARGETS, ids=lambda t: t.id)
def test_a_hostile_submission_is_answered_without_a_server_error(entered, world, target):
    env = entered
    url, form = env.baseline(target)
    # A page that no longer shows the form would leave the target fuzzed with no fields.
    # (A page refused at the door — an admin without an add form — is fuzzed all the same.)
    assert form.fields or target.name in FIELDLESS or env.page_status[target] == 403, (
        f"no form posting to {url} on its page"
    )
    started = time.perf_counter()
    management = ADMIN_MANAGEMENT if target.name.startswith("admin:") else MANAGEMENT

    @settings(
        max_examples=PER_WEIGHT * target.weight,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=bodies(form, env.foreign_ids, management))
    def submit(body):
        _submit(env, target, url, body, before)

    before = _last_history()
    as_sent = {f.name: f.value for f in form.fields}  # the body as the page sends it
    _submit(env, target, url, as_sent, before)
    submit()
    env.seconds += time.perf_counter() - started
    env.ran.add(target)


# POST-only actions without inputs: the fuzz sends them random fields all the same.
FIELDLESS = {
    "logout",
    "enterprise:period_close",
    "brigades:distribution_approve",
    "planning:plan_agree",
    "planning:plan_sign",
    "planning:plan_revise",
    "planning:print_resume",
    "planning:savings_delete",
    "meetings:proposal_pass",
    "meetings:member_remove",
    "meetings:invitation_remove",
    "meetings:agenda_remove",
}


def test_the_fuzz_makes_enough_submissions(env, world):
    """At least :data:`MIN_TOTAL` hostile submissions (hypothesis' examples, the page's own
    body of each target not counted): as configured, and as counted when every target ran
    in this process (under pytest-xdist the targets are spread over the workers)."""
    planned = sum(PER_WEIGHT * t.weight for t in ALL_TARGETS)
    if not EXAMPLES:
        assert planned >= MIN_TOTAL, planned
    if env.ran == set(ALL_TARGETS):
        examples = env.count - len(ALL_TARGETS)  # less the pages' own bodies
        assert examples >= min(planned, MIN_TOTAL), (examples, planned)


# --- every view that handles POST is a target or excluded -------------------------------------


def _patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(pattern, joined)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern.callback


def _handles_post(view) -> bool:
    """Does the view read a POST (a class view's ``post``, ``request.POST`` or a
    ``require_POST``/``require_http_methods`` with POST in its layers)?"""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    if getattr(view, "admin_site", None) is not None or "admin" in getattr(view, "__module__", ""):
        return True
    layer = view
    while layer is not None:
        closure = inspect.getclosurevars(layer).nonlocals if hasattr(layer, "__code__") else {}
        methods = closure.get("request_method_list")
        if methods and "POST" in methods:
            return True
        try:
            source = inspect.getsource(layer)
        except (OSError, TypeError):
            source = ""
        if "request.POST" in source or '"POST"' in source:
            return True
        layer = getattr(layer, "__wrapped__", None)
    return False


def test_every_post_url_is_fuzzed():
    fuzzed = {t.name for t in ALL_TARGETS}
    missing = sorted(
        name
        for name, view in _patterns()
        if _handles_post(view) and name not in fuzzed and not _excluded(name)
    )
    assert not missing, (
        f"views that take a POST but are not fuzzed: {missing} — add a Target to "
        "tests/test_fuzz_forms.py (or to EXCLUDED, with the reason)"
    )
