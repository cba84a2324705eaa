"""Section self-financing in the admin: the labour & wages department keeps the plant's
configuration; a section's month is read there, never written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from khozraschet.models import CostArticle, Indicator, Settings
from tests.factories import UserFactory
from tests.khozraschet.factories_costs import CostArticleFactory, CostLineFactory

CONFIG = [
    "settings",
    "indicator",
    "tensionfactor",
    "costarticle",
    "scorecardrow",
    "competitionrule",
    "bonuscategory",
]
MONTH = [
    "passport",
    "timestudy",
    "idlerecord",
    "sectionmonth",
    "indicatorvalue",
    "costline",
    "costcorrection",
    "deviationnote",
]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", CONFIG)
def test_labour_opens_the_configuration(world, model):
    client = _client(world.users[Role.LABOUR])
    assert client.get(reverse(f"admin:khozraschet_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:khozraschet_{model}_add")).status_code == 200


@pytest.mark.parametrize("role", [Role.ECONOMIST, Role.MASTER, Role.SHOP_HEAD])
def test_the_shop_roles_have_no_admin(world, role):
    response = _client(world.users[role]).get(reverse("admin:khozraschet_indicator_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_labour_adds_an_indicator_and_it_is_recorded(world):
    labour = world.users[Role.LABOUR]
    response = _client(labour).post(
        reverse("admin:khozraschet_indicator_add"),
        {
            "enterprise": world.enterprise.pk,
            "code": "productivity",
            "name": "Производительность труда",
            "unit": "руб./чел.",
            "direction": "higher",
            "source": "manual",
            "role": "productivity",
            "mandatory": "on",
            "active": "on",
            "order": "3",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(enterprise=world.enterprise, code="productivity")
    assert indicator.mandatory and indicator.role == "productivity"
    record = HistoryRecord.objects.filter(
        group=indicator.history_group(), action=HistoryRecord.Action.CREATE
    ).get()
    assert record.actor == labour


def test_the_enterprise_offered_is_the_users_own(world):
    page = _client(world.users[Role.LABOUR]).get(reverse("admin:khozraschet_costarticle_add"))
    offered = set(page.context["adminform"].form.fields["enterprise"].queryset)
    assert offered == {world.enterprise}


def test_thresholds_must_grow(world):
    response = _client(world.users[Role.LABOUR]).post(
        reverse("admin:khozraschet_settings_add"),
        {
            "enterprise": world.enterprise.pk,
            "mass_max": "2",
            "large_serial_max": "10",
            "serial_max": "25",
            "small_serial_max": "20",
            "section_due_day": "12",
            "shop_due_day": "20",
            "quality_rank_minimum": "0,5",
            "withhold_percent": "25",
            "unlikely_ratio": "1,5",
            "energy_min_percent": "17",
            "energy_max_percent": "45",
        },
    )
    assert response.status_code == 200
    assert "должны возрастать" in response.content.decode()
    assert not Settings.objects.filter(enterprise=world.enterprise).exists()


def test_labour_may_not_delete_a_cost_article(world):
    article = CostArticleFactory(enterprise=world.enterprise, code="tools", name="Инструмент")
    client = _client(world.users[Role.LABOUR])
    response = client.post(
        reverse("admin:khozraschet_costarticle_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert CostArticle.objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize("model", MONTH)
def test_a_months_rows_are_read_only_even_for_the_superuser(world, model):
    root = UserFactory(username="khz-root", is_superuser=True, is_staff=True)
    client = _client(root)
    assert client.get(reverse(f"admin:khozraschet_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:khozraschet_{model}_add")).status_code == 403


def test_a_cost_line_opens_without_a_save_button(world):
    article = CostArticleFactory(enterprise=world.enterprise, code="tools", name="Инструмент")
    line = CostLineFactory(
        section=world.units["A1"],
        period=world.period(2026, 10),
        article=article,
        plan=Decimal("300.00"),
    )
    root = UserFactory(username="khz-root", is_superuser=True, is_staff=True)
    client = _client(root)
    url = reverse("admin:khozraschet_costline_change", args=[line.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"plan": "1"}).status_code == 403
    line.refresh_from_db()
    assert line.plan == Decimal("300.00")
