"""The close in the browser's terms: the close page, summing up on the task worker, the
month's close waiting for current results, and a reopened month summed up again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.tasks import default_task_backend
from django.urls import reverse

from enterprise.models import Period, PeriodReopening
from enterprise.services import period_close, period_decide_reopen
from khozraschet.models import IndicatorValue, ResultRun, SectionResult
from khozraschet.services.close import results_compute

from .terms import install_terms, month_figures, passport

D = Decimal
pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
FIGURES = {"productivity": D(110), "volume": D(1050), "capital": D(1), "per_ruble": D("0.99")}


@pytest.fixture
def plant(world):
    world.extras["khz"] = install_terms(world.enterprise)
    passport(world.units["A1"], 767, 42)
    passport(world.units["A2"], 965, 38)
    passport(world.units["B1"], 1832, 86)
    return world


@pytest.fixture
def dummy(settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    return default_task_backend


def all_figures(world, period):
    for key in ("A1", "A2", "B1"):
        month_figures(world, world.units[key], period, **FIGURES)


def test_the_economist_sums_up_his_shop_on_the_worker_and_the_page_says_it_is_current(
    plant, client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    world, october = plant, plant.period(2026, 10)
    all_figures(world, october)
    client.force_login(world.users["economist"])
    page = client.get(reverse("khozraschet:close", args=[2026, 10]))
    assert page.status_code == 200
    states = page.context["states"]
    assert [(s.shop.pk, s.sections, s.missing, s.may_close) for s in states] == [
        (world.units["A"].pk, 2, 2, True)
    ]
    url = reverse("khozraschet:close_start", args=[2026, 10])
    asked = client.post(url, {"shop": world.units["A"].pk})
    assert asked.status_code == 200  # what summing up does, asked first: nothing queued
    assert "Подвести итоги цеха № 6" in asked.content.decode()
    assert not ResultRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"shop": world.units["A"].pk, "confirm": "1"})
    run = ResultRun.objects.get()
    assert response.url == reverse("khozraschet:run_detail", args=[run.pk])
    assert (run.status, run.shop, run.changed) == ("done", world.units["A"], 2)
    assert run.requested_by == world.users["economist"]
    assert SectionResult.objects.filter(period=october).count() == 2
    status = client.get(reverse("khozraschet:run_status", args=[run.pk])).json()
    assert (status["status"], status["percent"], status["finished"]) == ("done", 100, True)
    states = client.get(reverse("khozraschet:close", args=[2026, 10])).context["states"]
    assert [(s.current, s.missing, s.stale, s.ready) for s in states] == [(2, 0, 0, True)]


def test_a_figure_changed_after_the_close_shows_the_result_outdated(plant, client):
    world, october = plant, plant.period(2026, 10)
    all_figures(world, october)
    results_compute(period=october)
    value = IndicatorValue.objects.get(
        section=world.units["A2"], period=october, indicator__code="capital"
    )
    value.actual = D("1.05")
    value.save()
    client.force_login(world.users["labour"])
    states = client.get(reverse("khozraschet:close", args=[2026, 10])).context["states"]
    # The shop's places may change with one section's figure: its whole shop is outdated.
    assert [(s.shop.number, s.current, s.stale) for s in states] == [(6, 0, 2), (7, 1, 0)]


def test_ten_clicks_queue_one_run(plant, client, dummy, django_capture_on_commit_callbacks):
    world = plant
    client.force_login(world.users["shop_head"])
    url = reverse("khozraschet:close_start", args=[2026, 10])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            client.post(url, {"shop": world.units["A"].pk, "confirm": "1"})
    assert ResultRun.objects.count() == 1
    assert len(dummy.results) == 1


def test_a_closed_month_is_not_summed_up(plant, client, dummy):
    world = plant
    client.force_login(world.users["labour"])
    response = client.post(reverse("khozraschet:close_start", args=[2026, 8]), follow=True)
    assert not ResultRun.objects.exists()
    assert "закрыт" in response.content.decode()


def test_a_shop_head_cannot_sum_up_another_shop(plant, client, dummy):
    world = plant
    client.force_login(world.users["shop_head"])
    response = client.post(
        reverse("khozraschet:close_start", args=[2026, 10]), {"shop": world.units["B"].pk}
    )
    assert response.status_code == 404
    assert not ResultRun.objects.exists()


def test_the_month_closes_only_with_every_result_current_and_then_they_are_frozen(plant):
    world, october = plant, plant.period(2026, 10)
    all_figures(world, october)
    labour = world.users["labour"]
    with pytest.raises(ValidationError, match="Итоги хозрасчёта участков"):
        period_close(period=october, user=labour)
    results_compute(period=october)
    value = IndicatorValue.objects.get(
        section=world.units["B1"], period=october, indicator__code="capital"
    )
    value.actual = D("0.97")
    value.save()
    with pytest.raises(ValidationError, match="Итоги хозрасчёта участков"):
        period_close(period=october, user=labour)
    results_compute(period=october)
    period_close(period=october, user=labour)
    result = SectionResult.objects.get(section=world.units["B1"], period=october)
    result.tension = D(2)
    with pytest.raises(ValidationError):
        result.save()
    with pytest.raises(ValidationError):
        results_compute(period=october)


def test_a_month_with_a_problem_does_not_close(plant):
    world, october = plant, plant.period(2026, 10)
    month_figures(world, world.units["A1"], october, **FIGURES)  # A2 and B1 have nothing
    results_compute(period=october)
    with pytest.raises(ValidationError, match="не завершены: 2"):
        period_close(period=october, user=world.users["labour"])


def test_an_approved_reopening_queues_the_plant_s_close(
    plant, dummy, django_capture_on_commit_callbacks
):
    world = plant
    september = world.period(2026, 9)
    reopening = PeriodReopening.objects.create(
        period=september, reason="Пересчитать", requested_by=world.users["labour"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        period_decide_reopen(reopening=reopening, user=world.users["deputy_director"], approve=True)
    run = ResultRun.objects.get()
    assert (run.period, run.shop, run.status) == (september, None, "queued")
    assert Period.objects.get(pk=september.pk).status == "open"
