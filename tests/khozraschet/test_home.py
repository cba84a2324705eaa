"""The home page's panel of self-financing: the latest results and a six months' trend
for a shop's readers (their sections) and the plant's (the shops), in a few queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprise.scoping import scope_of
from enterprise.selectors import HOME_PANELS
from khozraschet.selectors.overview import home_panel

from .results_world import results_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(world):
    results_world(world)
    return world


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_app_registers_its_panel():
    assert home_panel in HOME_PANELS


def test_the_shop_head_s_home_shows_his_sections_latest_results_and_trend(client, plant):
    html = _home(client, plant.users["shop_head"])
    panel = html.split('data-testid="khz-panel"', 1)[1].split("</section>", 1)[0]
    assert "итоги за ноябрь 2026" in panel
    assert "Токарный участок" in panel and "Фрезерный участок" in panel
    assert "Участок сборки" not in panel  # shop B
    assert ">1,3378<" in panel
    assert panel.count("<svg") == 2  # a sparkline a section
    # the to-do list is still there
    assert "Ждёт ваших действий" in html


def test_the_production_head_s_home_shows_the_shops(client, plant):
    html = _home(client, plant.users["production_head"])
    panel = html.split('data-testid="khz-panel"', 1)[1].split("</section>", 1)[0]
    assert "Цех № 6" in panel and "Цех № 7" in panel
    assert ">1,654<" in panel
    assert panel.count("<svg") == 2


def test_the_master_sees_his_section_and_the_worker_no_panel(client, plant):
    panel = _home(client, plant.users["master"]).split('data-testid="khz-panel"', 1)[1]
    panel = panel.split("</section>", 1)[0]
    assert "Токарный участок" in panel and "Фрезерный участок" not in panel
    assert 'data-testid="khz-panel"' not in _home(client, plant.users["worker"])


def test_the_panel_reads_in_one_query(plant):
    user = plant.users["shop_head"]
    scope_of(user)  # cached for the request, as on the page
    with CaptureQueriesContext(connection) as queries:
        panel = home_panel(user)
    assert len(queries) == 1
    assert [item["unit"].number for item in panel["items"]] == [1, 2]
    trend = plant.users["production_head"]
    scope_of(trend)
    with CaptureQueriesContext(connection) as queries:
        home_panel(trend)
    assert len(queries) == 1


def test_without_results_there_is_no_panel(client, world):
    assert home_panel(world.users["shop_head"]) is None
    assert 'data-testid="khz-panel"' not in _home(client, world.users["shop_head"])
