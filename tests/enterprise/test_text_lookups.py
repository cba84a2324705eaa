"""Text lookups fold the case of every alphabet, on SQLite as on PostgreSQL.

SQLite's own LIKE folds A–Z only: on the embedded database a search for «петров» found no
«Петров» (``enterprise.sqlite.unicode_like`` replaces it there).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprise.models import Worker
from tests.factories import WorkerFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(world):
    section = world.units["A1"]
    return [
        WorkerFactory(section=section, personnel_number="9001", last_name="Петров"),
        WorkerFactory(section=section, personnel_number="9002", last_name="Ёлкин"),
        WorkerFactory(section=section, personnel_number="9003", last_name="Иванов_100%"),
    ]


def _names(**lookup) -> list[str]:
    """The fixture's workers (the world's others have names of their own) found by it."""
    found = Worker.objects.filter(personnel_number__startswith="900", **lookup)
    return sorted(found.values_list("last_name", flat=True))


def test_cyrillic_is_found_whatever_its_case(named):
    assert _names(last_name__icontains="петров") == ["Петров"]
    assert _names(last_name__icontains="ПЕТР") == ["Петров"]
    assert _names(last_name__iexact="пЕТРОВ") == ["Петров"]
    assert _names(last_name__istartswith="пет") == ["Петров"]
    assert _names(last_name__iendswith="РОВ") == ["Петров"]
    assert _names(last_name__icontains="ёлк") == ["Ёлкин"]


def test_the_wildcards_typed_are_plain_characters(named):
    assert _names(last_name__icontains="_100%") == ["Иванов_100%"]
    assert _names(last_name__icontains="%") == ["Иванов_100%"]
    assert _names(last_name__icontains="Пет_ов") == []
    assert _names(last_name__icontains="") == ["Ёлкин", "Иванов_100%", "Петров"]


def test_the_workers_list_finds_a_name_typed_in_lower_case(client, world, named):
    client.force_login(world.users["labour"])
    page = client.get(reverse("enterprise:worker_list"), {"q": "петров"})
    assert page.status_code == 200
    assert "Петров" in text_of(page.content)
