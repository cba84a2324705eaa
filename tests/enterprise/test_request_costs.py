"""What every request pays, kept small without changing an answer (issue 16): the request's
memo, the charts drawn once, the scope's conditions without their empty alternatives and
the main menu rendered once per combination of its answers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from enterprise import charts
from enterprise.memo import memoised, request_memo
from enterprise.middleware import ActorMiddleware
from enterprise.models import Worker
from enterprise.scoping import pruned, within
from enterprise.templatetags.menus import menu_key

D = Decimal


# --- the request's memo -------------------------------------------------------------------------


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_it_computes_a_memoised_answer_once_inside_a_request():
    calls, compute = _counter()
    with request_memo():
        assert memoised(("k", 1), compute) == 1
        assert memoised(("k", 1), compute) == 1
        assert memoised(("k", 2), compute) == 2  # another key is another answer
    assert len(calls) == 2


def test_it_computes_every_time_outside_a_request():
    calls, compute = _counter()
    memoised("k", compute)
    memoised("k", compute)
    assert len(calls) == 2


def test_it_gives_each_request_its_own_memo():
    calls, compute = _counter()
    for _ in range(2):
        with request_memo():
            memoised("k", compute)
    assert len(calls) == 2


@pytest.mark.parametrize(("method", "computed"), [("get", 1), ("head", 1), ("post", 2)])
def test_it_memoises_only_for_requests_that_write_nothing(method, computed):
    """A page that writes may read the same thing before and after its write."""
    calls, compute = _counter()

    def view(request):
        memoised("k", compute)
        memoised("k", compute)
        return None

    request = getattr(RequestFactory(), method)("/")
    ActorMiddleware(view)(request)
    assert len(calls) == computed


# --- charts drawn once --------------------------------------------------------------------------


def _without_ids(svg: str) -> str:
    return re.sub(r"chart-[0-9a-f-]{36}", "chart-ID", svg)


def _ids(svg: str) -> set[str]:
    return set(re.findall(r'id="(chart-[0-9a-f-]{36})"', svg))


def test_it_draws_the_same_chart_again_with_a_fresh_id():
    args = (["июль", "август"], [("Кнапр", [D("1.11"), D("0.95")])])
    first = charts.trend(*args, title="Участок № 1", small=True)
    second = charts.trend(*args, title="Участок № 1", small=True)
    assert _without_ids(first) == _without_ids(second)
    assert _ids(first) and _ids(first).isdisjoint(_ids(second))  # two on a page stay apart


def test_it_draws_figures_that_print_differently_as_different_charts():
    """1.10 and 1.1 are equal Decimals but print «1,10» and «1,1»: not the same chart."""
    one = charts.bars(["Цех"], [("Факт", [D("1.10")])], title="t")
    other = charts.bars(["Цех"], [("Факт", [D("1.1")])], title="t")
    assert "1,10" in one and "1,10" not in other


def test_it_draws_a_chart_again_in_another_language():
    with translation.override("ru"):
        russian = charts.decades([D(30), D(30), D(40)], [D(20), D(30), D(50)], title="t")
    with translation.override("en"):
        english = charts.decades([D(30), D(30), D(40)], [D(20), D(30), D(50)], title="t")
    assert _without_ids(russian) != _without_ids(english)


def test_it_keeps_nothing_to_draw_as_nothing():
    assert charts.trend(["июль"], [("x", [None])], title="t") is None
    assert charts.trend(["июль"], [("x", [None])], title="t") is None


# --- the scope's conditions ---------------------------------------------------------------------


def test_it_drops_the_alternatives_that_match_no_row():
    condition = within("shop_id", frozenset()) | within("section_id", frozenset({3, 1}))
    assert pruned(condition) == Q(section_id__in=[1, 3])


def test_it_matches_no_row_when_every_alternative_is_empty():
    condition = within("shop_id", frozenset()) | within("section_id", frozenset())
    assert pruned(condition) == Q(pk__in=[])


def test_it_leaves_a_negated_or_combined_condition_as_it_is():
    negated = ~(within("shop_id", frozenset()) | Q(section_id=1))
    both = within("shop_id", frozenset()) & Q(section_id=1)
    assert pruned(negated) is negated
    assert pruned(both) is both


@pytest.mark.parametrize("role", ["worker", "master", "shop_head", "labour"])
def test_it_finds_the_same_rows_with_the_pruned_scope(world, role):
    from enterprise import scoping

    user = world.users[role]
    found = set(Worker.objects.visible_to(user).values_list("pk", flat=True))
    original = scoping.pruned
    scoping.pruned = lambda condition: condition
    try:
        unpruned = set(Worker.objects.visible_to(user).values_list("pk", flat=True))
    finally:
        scoping.pruned = original
    assert found == unpruned and found


# --- the main menu ------------------------------------------------------------------------------


def test_it_keys_the_menu_by_every_answer_and_the_language():
    nav = {"admin": False, "brigades": True, "has_role": lambda *roles: True}
    same = menu_key(nav, {"file": True})
    assert menu_key(dict(nav), {"file": True}) == same
    assert menu_key({**nav, "admin": True}, {"file": True}) != same
    assert menu_key(nav, {"file": False}) != same
    with translation.override("en"):
        assert menu_key(nav, {"file": True}) != same


def _menu(html: str) -> str:
    return html.split('id="mainnav"', 1)[1].split('data-testid="user-menu"', 1)[0]


def test_it_shows_each_role_its_own_menu_from_the_cache(client, world):
    """Rendered once per combination of answers: a role never gets another role's menu."""
    menus = {}
    for _ in range(2):  # the second round reads the kept markup
        for role in ("worker", "master", "shop_head", "labour"):
            client.force_login(world.users[role])
            menus.setdefault(role, set()).add(_menu(client.get(reverse("home")).content.decode()))
    assert all(len(found) == 1 for found in menus.values())
    shown = {role: found.pop() for role, found in menus.items()}
    assert reverse("planning:bonuses") in shown["shop_head"]
    assert reverse("planning:bonuses") not in shown["worker"]
    assert len(set(shown.values())) == 4
