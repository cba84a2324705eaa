"""The pages a manager reads: the booklet's figures on the section's page, the shop's and
the plant's summaries, the board; 404 outside the scope; pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .results_world import results_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(world):
    world.extras["months"] = results_world(world)
    return world


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_section_page_shows_the_booklet_s_plan_tension(client, plant):
    url = reverse("khozraschet:section_month", args=[plant.units["A1"].pk, 2026, 11])
    response = _get(client, plant.users["shop_head"], url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1,3378" in html
