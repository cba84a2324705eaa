"""The lists' fast writers (the table body, the filters' drop-downs) write what the stock
templates write: the same page, apart from the whitespace between tags."""

from __future__ import annotations

import re
from decimal import Decimal

import django_tables2 as tables
import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from enterprise import table_body
from enterprise.filtersets import WorkerFilterSet
from enterprise.models import Worker
from enterprise.tables import WorkerTable
from enterprise.widgets import Select
from planning.plans.filtersets import PlanFilterSet
from planning.plans.models import PersonalPlan
from tests.permission_matrix import all_rows, ok
from tests.planning.factories import PersonalPlanFactory

CHOICES = [
    ("", "все"),
    (1, 'Цех <1> & "x"'),
    (2, 2026),
    (12345, mark_safe("<b>s</b>")),
    ("group", [(3, "a"), (4, "b")]),
    (None, "none"),
]


@pytest.mark.parametrize("value", [None, "", "1", 2, "12345", "4", ["1"]])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"class": "form-select", "id": "id_x", "required": True, "off": False, "q": 'a"b'}],
)
def test_the_drop_down_writes_what_djangos_templates_write(value, attrs):
    with translation.override("ru"):
        fast = Select(attrs=dict(attrs), choices=CHOICES).render("a<b>", value)
        stock = forms.Select(attrs=dict(attrs), choices=CHOICES).render("a<b>", value)
    assert fast == stock


def _normal(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


def _stock(monkeypatch):
    """Have the lists use django-tables2's template and Django's own drop-down."""
    monkeypatch.setattr(
        table_body.FastBodyTable,
        "template_name",
        property(lambda table: table._meta.template_name, lambda table, value: None),
    )
    for filterset in (WorkerFilterSet, PlanFilterSet):
        for filter_ in filterset.base_filters.values():
            if filter_.extra.get("widget") is Select:
                monkeypatch.setitem(filter_.extra, "widget", forms.Select)


@pytest.fixture
def plans(world):
    """Plans of every method, one without growth, one of a worker without a profession."""
    methods = list(PersonalPlan.Method)
    for n, worker in enumerate(Worker.objects.filter(enterprise=world.enterprise)):
        PersonalPlanFactory(
            worker=worker,
            method=methods[n % len(methods)],
            growth_percent=None if n == 1 else Decimal("5.5") + n,
            annual_volume=Decimal("12517.23") * (n + 1),
        )


LIST_URLS = (
    "enterprise:worker_list",
    "enterprise:worker_list?sort=-grade&grade=3",
    "enterprise:worker_list?q=nobody",
    "planning:plan_list",
    "planning:plan_list?sort=-annual_volume&method=average",
    "planning:plan_list?status=draft&per_page=2&page=2",
)
LIST_ROLES = ("labour", "master", "economist", "worker")


def _opened_lists() -> list:
    """The (role, url) pairs whose list the role opens, as the permission matrix says (it
    checks the other pairs: here they would only compare two refusals)."""
    opens = {
        (role, row.name)
        for row in all_rows()
        if row.method == "GET" and row.obj is None and not row.data
        for role in LIST_ROLES
        if row.expected[role] == ok
    }
    return [
        pytest.param(role, url, id=f"{role}-{url}")
        for url in LIST_URLS
        for role in LIST_ROLES
        if (role, url.partition("?")[0]) in opens
    ]


@pytest.mark.parametrize(("role", "url"), _opened_lists())
def test_the_lists_read_as_with_the_stock_templates(client, world, plans, monkeypatch, role, url):
    name, _, query = url.partition("?")
    url = reverse(name) + (f"?{query}" if query else "")
    client.force_login(world.users[role])
    fast = client.get(url)
    assert fast.status_code == 200
    _stock(monkeypatch)
    stock = client.get(url)
    assert _normal(fast.content.decode()) == _normal(stock.content.decode())


def test_a_table_of_template_cells_keeps_the_stock_template(world):
    class Templated(WorkerTable):
        note = tables.TemplateColumn("{{ record.grade }}")

    assert WorkerTable(Worker.objects.none()).template_name == table_body.TEMPLATE
    assert Templated(Worker.objects.none()).template_name == settings.DJANGO_TABLES2_TEMPLATE
