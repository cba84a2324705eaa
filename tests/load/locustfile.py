"""The simulated shift of ``make load``: the plant's roles, logged in, on their usual pages.

The users are logged in already (a session each login, made by ``prepare.py``: the shift
started before the measure); ``LOAD_LOGIN=1`` makes each log in through the form instead.

Run by ``tests/load/run.py`` (locust, headless); the logins and the documents each role works
on come from the pool ``tests/load/prepare.py`` wrote (``LOAD_POOL``, a JSON file). Every
user logs in once, then walks its role's pages with 1–3 s between requests: home, workers,
brigades, distributions, a distribution, claims, inbox, the claims statement, plans, a plan,
the competition board, a shop's bonuses — and writes as the role does: a leader saves a
brigade's timesheet, a master files a claim against the neighbouring section and answers
the claims filed against his own, masters, economists and shop heads sign plans, and a
plan's sheet is printed (a PDF rendered by WeasyPrint).

Requests are named by page, not by URL, so that the report has one row per page. A write
that the application refuses (a form shown again with errors) counts as a failure.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from writes import one_more_half_hour

POOL = json.loads(open(os.environ["LOAD_POOL"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = POOL["password"]
_turns = {kind: itertools.count() for kind in POOL["pool"]}


def _account(kind: str) -> dict:
    """The next login of a role, round robin (more users than logins share sessions)."""
    accounts = POOL["pool"][kind]
    return accounts[next(_turns[kind]) % len(accounts)]


class _Forms(HTMLParser):
    """The forms of a page: action and the fields a browser would send (no buttons, files)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": []})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if "selected" in a or self._select_value is None:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self.forms[-1]["fields"].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append((self._textarea, "".join(self._text)))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str) -> dict | None:
    """The first form of the page that has a field named ``field``."""
    return next((f for f in forms_of(html) if any(n == field for n, _ in f["fields"])), None)


def _scan() -> bytes:
    """A scanned document: a one-pixel PNG (the upload check reads the content)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1, 1), 255).save(out, format="PNG")
    return out.getvalue()


SCAN = _scan()
SAMPLES: list[dict] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    """Every request's page, time and error, for run.py's percentiles."""
    error = ""
    if exception is not None:
        error = type(exception).__name__
        if error == "CatchResponseError":
            error = str(exception)[:80]
    SAMPLES.append({"name": name, "ms": response_time, "error": error})


@events.quitting.add_listener
def _dump(environment, **kwargs):
    if path := os.environ.get("LOAD_SAMPLES"):
        with open(path, "w", encoding="utf-8") as out:
            json.dump(SAMPLES, out)


CLAIM_LINK = re.compile(r'href="/claims/(\d+)/"')


class Shift(HttpUser):
    """A user of the plant: logs in as the next account of its role, then works."""

    abstract = True
    wait_time = between(1, 3)
    kind = ""

    def on_start(self):
        self.account = _account(self.kind)
        if os.environ.get("LOAD_LOGIN") != "1":  # logged in at the start of the shift
            self.client.cookies.set("sessionid", self.account["session"])
            return
        page = self.client.get("/login/", name="login (form)")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.account["username"],
                "password": PASSWORD,
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")
        del page

    # --- reading -----------------------------------------------------------------------------

    def page(self, url: str, name: str):
        return self.get(url, name)

    def get(self, url: str, name: str):
        """GET a page; one that sends the user to the login page counts as a failure."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if "/login/" in response.url and "/login/" not in url:
                response.failure("logged out")
        return response

    def home(self):
        self.page("/", "home")

    def statement(self):
        self.page(f"/claims/statement/?period={POOL['period']}", "claims statement")

    def board(self, shop: int):
        self.page(f"/planning/board/{shop}/", "competition board")

    def distribution(self):
        drafts = self.account.get("drafts") or []
        if drafts:
            self.page(f"/brigades/distributions/{random.choice(drafts)}/", "distribution")
        else:
            self.page("/brigades/distributions/", "distributions")

    def plan(self, pool: str = "signed"):
        plans = self.account.get(pool) or self.account.get("waiting") or []
        if plans:
            self.page(f"/planning/plans/{random.choice(plans)}/", "plan")

    # --- writing -----------------------------------------------------------------------------

    def submit(self, url: str, data, name: str, files=None) -> bool:
        """POST a form; a confirmation page («Подтверждаю») is confirmed; success is the
        redirect after the save."""
        with self.client.post(
            url, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 302:
                if "/login/" in response.headers.get("Location", ""):
                    response.failure("logged out")
                    return False
                return True
            confirm = response.status_code == 200 and form_with(response.text, "confirm")
            if not confirm:
                response.failure(f"not saved ({response.status_code})")
                return False
            response.success()
        fields = [(n, v) for n, v in confirm["fields"] if n != "confirm"] + [("confirm", "1")]
        with self.client.post(
            confirm["action"] or url,
            data=fields,
            name=f"{name} (confirmed)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"not saved after confirming ({response.status_code})")
                return False
        return True

    def sign_plan(self, role: str):
        plans = self.account.get("waiting") or []
        if not plans:
            return
        pk = random.choice(plans)
        page = self.get(f"/planning/plans/{pk}/", "plan")
        sign = f"/planning/plans/{pk}/sign/"
        form = next((f for f in forms_of(page.text) if f["action"] == sign), None)
        if form is None:  # signed already by this role, or by all three
            plans.remove(pk)
            return
        if self.submit(sign, form["fields"], "plan signed"):
            plans.remove(pk)

    def print_sheet(self):
        plans = self.account.get("signed") or []
        if plans:
            self.page(f"/planning/plans/{random.choice(plans)}/pdf/", "plan sheet (PDF)")


class Worker(Shift):
    kind = "worker"
    weight = 6

    @task(3)
    def my_home(self):
        self.home()

    @task(2)
    def my_plan(self):
        self.page(f"/planning/plans/{self.account['plan']}/", "plan")

    @task(1)
    def my_board(self):
        self.board(self.account["shop"])


class Leader(Shift):
    kind = "leader"
    weight = 6

    @task(2)
    def my_home(self):
        self.home()

    @task(2)
    def distributions(self):
        self.page("/brigades/distributions/", "distributions")

    @task(3)
    def a_distribution(self):
        self.distribution()

    @task(1)
    def brigades(self):
        self.page("/brigades/", "brigades")

    @task(1)
    def timesheet(self):
        drafts = self.account.get("drafts") or []
        if not drafts:
            return
        url = f"/brigades/distributions/{random.choice(drafts)}/timesheet/"
        page = self.get(url, "timesheet (form)")
        form = form_with(page.text, "form-TOTAL_FORMS")
        if form is not None:
            self.submit(url, one_more_half_hour(form["fields"], random.choice), "timesheet saved")


class Master(Shift):
    kind = "master"
    weight = 12

    @task(3)
    def my_home(self):
        self.home()

    @task(2)
    def workers(self):
        self.page("/workers/", "workers")

    @task(1)
    def brigades(self):
        self.page("/brigades/", "brigades")

    @task(1)
    def distributions(self):
        self.page("/brigades/distributions/", "distributions")

    @task(2)
    def a_distribution(self):
        self.distribution()

    @task(2)
    def plans(self):
        self.page("/planning/", "plans")

    @task(2)
    def a_plan(self):
        self.plan()

    @task(1)
    def claims(self):
        self.page("/claims/", "claims")

    @task(1)
    def sign(self):
        self.sign_plan("master")

    @task(1)
    def file_claim(self):
        page = self.get("/claims/new/", "claim (form)")
        hidden = [
            (n, v)
            for n, v in (form_with(page.text, "csrfmiddlewaretoken") or {"fields": []})["fields"]
            if n in {"csrfmiddlewaretoken", "submission"} or n.startswith("submission")
        ]
        kind = POOL["claim_type"]
        data = [
            *hidden,
            ("period", str(POOL["period"])),
            ("claim_type", str(kind["pk"])),
            ("claimant", f"section:{self.account['section']}"),
            ("defendant", f"section:{self.account['defendant']}"),
            ("description", "Нагрузочный тест: детали поданы позже графика."),
            *[(f"loss_{name}", "8") for name in kind["inputs"]],
            *[(f"doc_{i}_number", str(i + 1)) for i in range(kind["documents"])],
            *[(f"doc_{i}_date", "01.01.2026") for i in range(kind["documents"])],
        ]
        files = {
            f"doc_{i}_file": (f"scan{i}.png", SCAN, "image/png") for i in range(kind["documents"])
        }
        self.submit("/claims/new/", data, "claim filed", files=files)

    @task(2)
    def inbox(self):
        page = self.get("/claims/inbox/?box=to_answer", "inbox")
        claims = CLAIM_LINK.findall(page.text)
        if not claims:
            return
        pk = random.choice(claims)
        detail = self.get(f"/claims/{pk}/", "claim")
        # The answer form posts to the claim's page with the step it takes (``step=answer``).
        form = next((f for f in forms_of(detail.text) if ("step", "answer") in f["fields"]), None)
        if form is None:
            return
        data = [(n, v) for n, v in form["fields"] if n not in {"answer"}]
        data.append(("answer", "accept"))
        data.append(("confirm", "1"))  # the answer is confirmed, as on its confirmation page
        self.submit(form["action"] or f"/claims/{pk}/", data, "claim answered")


class Economist(Shift):
    kind = "economist"
    weight = 6

    @task(2)
    def my_home(self):
        self.home()

    @task(2)
    def bonuses(self):
        self.page("/planning/bonuses/", "bonuses")

    @task(2)
    def a_board(self):
        self.board(self.account["shop"])

    @task(1)
    def plans(self):
        self.page("/planning/", "plans")

    @task(1)
    def a_plan(self):
        self.plan()

    @task(1)
    def statement_(self):
        self.statement()

    @task(1)
    def sign(self):
        self.sign_plan("economist")

    @task(1)
    def sheet(self):
        self.print_sheet()


class ShopHead(Shift):
    kind = "shop_head"
    weight = 6

    @task(3)
    def my_home(self):
        self.home()

    @task(2)
    def a_board(self):
        self.board(self.account["shop"])

    @task(1)
    def bonuses(self):
        self.page("/planning/bonuses/", "bonuses")

    @task(1)
    def inbox(self):
        self.page("/claims/inbox/", "inbox")

    @task(1)
    def distributions(self):
        self.page("/brigades/distributions/", "distributions")

    @task(1)
    def sign(self):
        self.sign_plan("shop_head")


class Dispatcher(Shift):
    kind = "dispatcher"
    weight = 6

    @task(2)
    def my_home(self):
        self.home()

    @task(2)
    def claims(self):
        self.page("/claims/", "claims")

    @task(1)
    def statement_(self):
        self.statement()

    @task(1)
    def a_board(self):
        self.board(self.account["shop"])

    @task(1)
    def workers(self):
        self.page("/workers/", "workers")

    @task(1)
    def plans(self):
        self.page("/planning/", "plans")


class Plant(Shift):
    """The labour department, the production head and the deputy director."""

    kinds = ("labour", "prodhead", "deputy")
    weight = 8
    _next = itertools.count()

    def on_start(self):
        self.kind = self.kinds[next(self._next) % len(self.kinds)]
        super().on_start()

    @task(2)
    def my_home(self):
        self.home()

    @task(2)
    def a_board(self):
        self.board(random.choice(self.account["shops"]))

    @task(1)
    def inbox(self):
        self.page("/claims/inbox/", "inbox")

    @task(1)
    def statement_(self):
        self.statement()

    @task(1)
    def workers(self):
        self.page("/workers/", "workers")

    @task(1)
    def distributions(self):
        self.page("/brigades/distributions/", "distributions")

    @task(1)
    def bonuses(self):
        """The labour department reads a shop's bonuses; the others' own board instead."""
        shop = random.choice(self.account["shops"])
        if self.kind == "labour":
            self.page(f"/planning/bonuses/?shop={shop}", "bonuses")
        else:
            self.board(shop)
