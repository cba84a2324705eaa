"""The «История» panel reads as a person reads: names, figures, labels; paged, newest first."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brigades.models import Distribution, Ktu, Line
from enterprise.history import PER_PAGE, entries_of, history_for
from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from tests.pages import text_of

MINUS = "\u2212"


def _record(obj_group, model, changes, repr_="запись"):
    return HistoryRecord(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="1",
        object_repr=repr_,
        group=obj_group,
        action=HistoryRecord.Action.UPDATE,
        changes=changes,
    )


@pytest.fixture
def worker_history(world):
    """25 records under a worker: 22 fillers, then the three the panel must explain."""
    worker = world.workers["A1"][0]
    period = world.period(2026, 10)
    group = worker.history_group()
    fillers = [
        _record(group, Line, {"absence_hours": [str(n), str(n + 1)]}, f"запись {n}")
        for n in range(22)
    ]
    HistoryRecord.objects.bulk_create(fillers)
    HistoryRecord.objects.bulk_create([
        _record(group, Distribution, {"coefficient": ["0.32889553", "0.34737909"],
                                      "status": ["draft", "agreed"]}),
        _record(group, Ktu, {"adjustments": [[], [
            {"criterion": 3, "name": "Совмещение профессий", "adjustment": "0.20"},
            {"criterion": 4, "name": "Нарушение дисциплины", "adjustment": "-0.10"}]]}),
        _record(group, Line, {"hours": ["159.50", "2106.00"], "period_id": [None, period.pk],
                              "worker_id": [None, worker.pk]}, "последняя"),
    ])  # fmt: skip
    return worker, period


def test_the_panel_shows_names_figures_and_labels_not_internals(client, world, worker_history):
    worker, period = worker_history
    client.force_login(world.users[Role.LABOUR])

    page = client.get(reverse("enterprise:worker_detail", args=[worker.pk]))

    text = text_of(page.content)
    assert f"Период: — → {period}" in text  # the part's «period» has no verbose name
    assert f"Рабочий: — → {worker.full_name}" in text  # a name, not #id
    assert "Отработано, ч: 159,5 → 2 106" in text  # not «159.50»
    assert "Коэффициент распределения: 0,3289 → 0,3474" in text  # not 8 places
    assert "Состояние: черновик → согласовано советом бригады" in text
    assert f"Совмещение профессий: +0,2; Нарушение дисциплины: {MINUS}0,1" in text  # not JSON
    assert "criterion" not in text and "[{" not in text


def test_the_panel_is_paged_newest_first(client, world, worker_history):
    worker, _period = worker_history
    client.force_login(world.users[Role.LABOUR])
    url = reverse("enterprise:worker_detail", args=[worker.pk])

    first = client.get(url).content.decode()
    rows = first.split('data-testid="history"')[1].split("</table>")[0].count("<tr>") - 1
    assert rows == PER_PAGE
    assert first.index("последняя") < first.index("запись 21")  # newest first
    assert "запись 0<" not in first and "history_page=2" in first

    second = client.get(url, {"history_page": 2}).content.decode()
    assert "запись 0" in second and "последняя" not in second
    assert "history_page=1" in second

    wrong = client.get(url, {"history_page": "abc"}).content.decode()
    assert "последняя" in wrong  # a wrong page number shows the first


def test_related_names_are_read_once_per_model_not_per_record(world):
    workers = world.workers["A1"][:3] + world.workers["B1"][:3]
    period = world.period(2026, 10)
    HistoryRecord.objects.bulk_create(
        [_record("test:panel", Line, {"worker_id": [None, w.pk], "period_id": [None, period.pk]})
         for w in workers]
    )  # fmt: skip
    records = list(history_for("test:panel").records())
    with CaptureQueriesContext(connection) as queries:
        entries = entries_of(records)
    assert len(queries) == 2  # the workers, the periods
    shown = {e.changes[1].after for e in entries}
    assert shown == {f"{w.full_name} ({w.personnel_number})" for w in workers}


def test_an_old_record_s_stored_figures_read_as_figures_are_written(world):
    """Records written before figures had one form keep their text: a name «…: 159.50 ч»,
    a figure kept as text (with a comma or a point), a reason with «-12.5 %»."""
    old = _record(
        "test:old",
        Line,
        {
            "hours": ["159,50", "-2106.00"],  # a decimal field's value kept with a comma
            "absence_note": ["0,32889553", "по болезни 2.5 дня"],  # a text field
            "unknown_field": ["159.50 ч", "0042"],  # no field of that name now
        },
        "Иванов И. И.: 159.50 ч",
    )
    old.reason = "поправка -12.5 % к плану 1.2"
    old.save()

    (entry,) = history_for("test:old")
    changes = {change.label: (change.before, change.after) for change in entry.changes}

    assert entry.object_repr == "Иванов И. И.: 159,5 ч"
    assert entry.reason == f"поправка {MINUS}12,5 % к плану 1.2"  # a figure without unit stays
    assert changes["Отработано, ч"] == ("159,5", f"{MINUS}2\u00a0106")
    assert changes["Причина неявки"] == ("0,3289", "по болезни 2.5 дня")  # free text as it is
    assert changes["Unknown_field"] == ("159,5\u00a0ч", "0042")  # a code is not a figure


def test_money_and_rates_read_with_the_places_their_pages_show(world):
    """«20,00» as the claim's page shows its amounts (not «→ 20»), a rate «0,670» as the
    tariff grid (not «0,67»), a line's rate kept to 4 places at the grid's 3; hours,
    percents and quantities stay without trailing zeros."""
    from claims.models import Claim
    from enterprise.models import TariffRate
    from planning.models import PersonalPlan

    group = "test:money"
    entries = entries_of([
        _record(group, Claim, {"loss_amount": [None, "20.00"], "final_amount": ["5.5", "0.00"]}),
        _record(group, TariffRate, {"hourly_rate": ["0.606", "0.670"]}),
        _record(group, Line, {"rate": ["0.6060", "0.6700"], "tariff": ["101.2", "0"],
                              "hours": ["159.50", "160.00"]}),
        _record(group, PersonalPlan, {"growth_percent": ["5.500", "6.300"]}),
    ])  # fmt: skip
    changes = [{c.label: (c.before, c.after) for c in entry.changes} for entry in entries]
    assert changes[0]["Сумма претензии, руб."] == ("—", "20,00")
    assert changes[0]["Отнесено на ответчика, руб."] == ("5,50", "0,00")
    assert changes[1]["Часовая ставка, руб."] == ("0,606", "0,670")
    assert changes[2]["Часовая ставка, руб."] == ("0,606", "0,670")
    assert changes[2]["Тарифный заработок"] == ("101,20", "0,00")
    assert changes[2]["Отработано, ч"] == ("159,5", "160")
    assert changes[3]["Рост производительности труда, %"] == ("5,5", "6,3")


def test_a_year_and_a_number_read_as_written_a_count_with_its_spaces(world):
    """«2026» and claim «№ 1024», not «2 026» and «1 024»; a count keeps the spaces."""
    from claims.models import Claim
    from enterprise.models import Period, Section
    from khozraschet.models import Passport
    from planning.models import PersonalPlan

    group = "test:integers"
    entries = entries_of([
        _record(group, Period, {"year": [None, 2026], "month": [None, 11]}),
        _record(group, Claim, {"number": [None, 1024]}),
        _record(group, PersonalPlan, {"five_year_from": [None, 2026]}),
        _record(group, Section, {"number": [None, 12]}),
        _record(group, Passport, {"operations": [999, 1200]}),
    ])  # fmt: skip
    changes = [{c.label: (c.before, c.after) for c in entry.changes} for entry in entries]
    assert changes[0]["Год"] == ("—", "2026")
    assert changes[1]["Номер"] == ("—", "1024")
    assert list(changes[2].values()) == [("—", "2026")]
    assert list(changes[3].values()) == [("—", "12")]
    assert list(changes[4].values()) == [("999", "1\u00a0200")]


def test_a_documents_size_in_bytes_is_left_out_of_the_history(world):
    """A file's size is internal: not recorded, and an old record's is not shown."""
    from claims.models import ClaimDocument

    old = _record("test:doc", ClaimDocument, {"size": [None, 0], "title": [None, "Акт № 5"]})
    (entry,) = entries_of([old])
    assert [(c.label, c.after) for c in entry.changes] == [("Документ", "Акт № 5")]
    assert "size" in ClaimDocument.history_exclude


def test_the_tariff_grids_history_shows_the_rate_as_the_grid(client, world):
    """On /tariffs/ the history reads «0,606 → 0,670», the grid's three places."""
    import datetime
    from decimal import Decimal

    from enterprise.models import TariffRate
    from enterprise.tracking import acting_as

    labour = world.users[Role.LABOUR]
    with acting_as(labour, "поправка ставки"):
        rate = TariffRate.objects.create(
            enterprise=world.enterprise,
            pay_condition=world.conditions["time"],
            grade=5,
            hourly_rate=Decimal("0.606"),
            valid_from=datetime.date(2026, 10, 1),
        )
        rate.hourly_rate = Decimal("0.670")
        rate.save()
    client.force_login(labour)
    text = text_of(client.get(reverse("enterprise:tariff_grid")).content)
    assert "Часовая ставка, руб.: 0,606 → 0,670" in text
    assert "→ 0,67 " not in text
