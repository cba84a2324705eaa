"""History: every write path leaves who, when and what (before → after) in HistoryRecord."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from enterprise.models import HistoryRecord, StepScale, StepScaleRow, TariffRate, Worker
from enterprise.tracking import PeriodClosedError, acting_as, diff
from tests.factories import StepScaleFactory, StepScaleRowFactory, TariffRateFactory

OCTOBER = datetime.date(2026, 10, 1)


def _records(obj_or_model, pk=None, **filters):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    return HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk), **filters
    ).order_by("id")


def _mark() -> int:
    """The last history id so far: records after it are the test's own."""
    return HistoryRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _rate(world, grade=2, value="140.000", valid_from=OCTOBER):
    return TariffRate(
        enterprise=world.enterprise,
        pay_condition=world.conditions["time"],
        grade=grade,
        hourly_rate=Decimal(value),
        valid_from=valid_from,
    )


@pytest.fixture
def labour(world):
    return world.users["labour"]


# --- create, update, delete through save() and delete() ------------------------------------


def test_it_records_a_create_with_every_value_and_the_actor(world, labour):
    with acting_as(labour, "Новая ставка с октября"):
        rate = _rate(world)
        rate.save()
    record = _records(rate).get()
    assert record.action == HistoryRecord.Action.CREATE
    assert record.actor == labour
    assert record.reason == "Новая ставка с октября"
    assert record.at is not None
    assert record.object_repr == str(rate)
    assert record.changes == {
        "enterprise_id": [None, world.enterprise.pk],
        "pay_condition_id": [None, world.conditions["time"].pk],
        "grade": [None, 2],
        "hourly_rate": [None, "140.000"],
        "valid_from": [None, "2026-10-01"],
    }


def test_it_records_an_update_with_only_the_changed_fields_before_and_after(world, labour):
    rate = TariffRateFactory(
        enterprise=world.enterprise, pay_condition=world.conditions["time"], valid_from=OCTOBER
    )
    rate.refresh_from_db()
    with acting_as(labour):
        rate.hourly_rate = Decimal("151.250")
        rate.grade = 4
        rate.save()
    record = _records(rate, action=HistoryRecord.Action.UPDATE).get()
    assert record.actor == labour
    assert record.changes == {"grade": [3, 4], "hourly_rate": ["150.500", "151.250"]}


def test_it_records_a_change_of_a_foreign_key_by_its_id(world, labour):
    worker = world.workers["A2"][0]
    with acting_as(labour):
        worker.section = world.units["A1"]
        worker.save()
    record = _records(worker, action=HistoryRecord.Action.UPDATE).get()
    assert record.changes == {"section_id": [world.units["A2"].pk, world.units["A1"].pk]}
    assert record.group == f"enterprise.worker:{worker.pk}"


def test_it_records_nothing_for_a_save_that_changes_nothing(world):
    worker = world.workers["A1"][1]
    count = HistoryRecord.objects.count()
    worker.save()
    Worker.objects.get(pk=worker.pk).save()
    assert HistoryRecord.objects.count() == count


def test_it_records_nothing_for_the_same_amount_written_with_other_digits(world):
    rate = TariffRateFactory(
        enterprise=world.enterprise, pay_condition=world.conditions["time"], valid_from=OCTOBER
    )
    rate.refresh_from_db()
    count = HistoryRecord.objects.count()
    rate.hourly_rate = Decimal("150.5")  # as a form gives it: the same 150.500
    rate.save()
    assert HistoryRecord.objects.count() == count


def test_it_records_a_delete_with_the_values_it_had(world, labour):
    rate = TariffRateFactory(
        enterprise=world.enterprise, pay_condition=world.conditions["time"], valid_from=OCTOBER
    )
    pk = rate.pk
    with acting_as(labour, "Ошибочная строка"):
        rate.delete()
    record = _records(TariffRate, pk, action=HistoryRecord.Action.DELETE).get()
    assert record.actor == labour
    assert record.reason == "Ошибочная строка"
    assert record.changes["hourly_rate"] == ["150.500", None]
    assert record.changes["valid_from"] == ["2026-10-01", None]
    assert record.group == f"enterprise.tariffgrid:{world.enterprise.pk}"


def test_it_records_no_actor_outside_acting_as(world):
    rate = _rate(world)
    rate.save()
    assert _records(rate).get().actor is None


def test_it_ignores_an_anonymous_actor(world):
    from django.contrib.auth.models import AnonymousUser

    with acting_as(AnonymousUser()):
        rate = _rate(world)
        rate.save()
    assert _records(rate).get().actor is None


def test_it_restores_the_previous_actor_after_the_block(world, labour):
    admin = world.users["administrator"]
    with acting_as(admin):
        with acting_as(labour):
            first = _rate(world, grade=1)
            first.save()
        second = _rate(world, grade=2)
        second.save()
    assert _records(first).get().actor == labour
    assert _records(second).get().actor == admin


def test_it_leaves_no_record_of_a_refused_write(world):
    frozen = world.rate("piece", 3)
    count = HistoryRecord.objects.count()
    frozen.hourly_rate = Decimal("1.000")
    with pytest.raises(PeriodClosedError):
        frozen.save()
    with pytest.raises(PeriodClosedError):
        TariffRate.objects.filter(pk=frozen.pk).update(grade=1)
    with pytest.raises(PeriodClosedError):
        frozen.delete()
    assert HistoryRecord.objects.count() == count


# --- bulk paths ----------------------------------------------------------------------------


def test_it_records_a_queryset_update_row_by_row(world, labour):
    workers = world.workers["A1"]
    mark = _mark()
    with acting_as(labour, "Повышение разряда"):
        count = Worker.objects.filter(section=world.units["A1"]).update(grade=6)
    assert count == 2
    for worker in workers:
        record = _records(worker, id__gt=mark).get()
        assert record.action == HistoryRecord.Action.UPDATE
        assert record.changes == {"grade": [worker.grade, 6]}
        assert record.actor == labour
        assert record.reason == "Повышение разряда"


def test_it_records_a_queryset_update_only_for_rows_that_changed(world):
    a1 = world.workers["A1"]  # grades 3 and 5
    mark = _mark()
    Worker.objects.filter(pk__in=[w.pk for w in a1]).update(grade=5)
    assert _records(a1[0], id__gt=mark).count() == 1
    assert _records(a1[1], id__gt=mark).count() == 0


def test_it_records_a_queryset_update_with_an_expression(world):
    from django.db.models import F

    worker = world.workers["B1"][0]
    Worker.objects.filter(pk=worker.pk).update(grade=F("grade") + 1)
    record = _records(worker, action=HistoryRecord.Action.UPDATE).get()
    assert record.changes == {"grade": [3, 4]}


def test_it_records_nothing_for_an_update_of_no_rows(world):
    count = HistoryRecord.objects.count()
    assert Worker.objects.filter(pk=-1).update(grade=1) == 0
    assert HistoryRecord.objects.count() == count


def test_it_records_a_bulk_create_row_by_row(world, labour):
    with acting_as(labour):
        created = TariffRate.objects.bulk_create([_rate(world, grade=g) for g in (1, 2, 3)])
    for rate in created:
        record = _records(rate).get()
        assert record.action == HistoryRecord.Action.CREATE
        assert record.actor == labour
        assert record.changes["grade"] == [None, rate.grade]


def test_it_records_a_bulk_update_row_by_row(world, labour):
    rates = TariffRate.objects.bulk_create([_rate(world, grade=g) for g in (1, 2)])
    rates[0].hourly_rate = Decimal("141.000")
    with acting_as(labour):
        TariffRate.objects.bulk_update(rates, ["hourly_rate"])
    assert _records(rates[0], action=HistoryRecord.Action.UPDATE).get().changes == {
        "hourly_rate": ["140.000", "141.000"]
    }
    assert not _records(rates[1], action=HistoryRecord.Action.UPDATE).exists()


def test_it_records_a_queryset_delete_row_by_row(world, labour):
    rates = TariffRate.objects.bulk_create([_rate(world, grade=g) for g in (1, 2)])
    with acting_as(labour):
        TariffRate.objects.filter(pk__in=[r.pk for r in rates]).delete()
    for rate in rates:
        record = _records(TariffRate, rate.pk, action=HistoryRecord.Action.DELETE).get()
        assert record.actor == labour


def test_it_records_the_rows_a_cascade_deletes(world, labour):
    scale = StepScaleFactory(enterprise=world.enterprise)
    rows = [
        StepScaleRowFactory(scale=scale, lower=None, upper=Decimal("100"), value=Decimal("0")),
        StepScaleRowFactory(scale=scale, lower=Decimal("100"), upper=None, value=Decimal("10")),
    ]
    scale_pk = scale.pk
    with acting_as(labour):
        scale.delete()
    assert _records(StepScale, scale_pk, action=HistoryRecord.Action.DELETE).get().actor == labour
    for row in rows:
        record = _records(StepScaleRow, row.pk, action=HistoryRecord.Action.DELETE).get()
        assert record.group == f"enterprise.stepscale:{scale_pk}"
        assert record.actor == labour


def test_it_files_a_scale_rows_history_under_its_scale(world):
    scale = StepScaleFactory(enterprise=world.enterprise)
    row = StepScaleRowFactory(scale=scale)
    row.value = Decimal("12")
    row.save()
    groups = set(_records(row).values_list("group", flat=True))
    assert groups == {f"enterprise.stepscale:{scale.pk}"}
    assert set(
        HistoryRecord.objects.filter(group=f"enterprise.stepscale:{scale.pk}").values_list(
            "action", flat=True
        )
    ) == {"create", "update"}


def test_it_files_the_tariff_grid_under_its_enterprise(world):
    rate = _rate(world)
    rate.save()
    assert _records(rate).get().group == f"enterprise.tariffgrid:{world.enterprise.pk}"


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_it_records_the_whole_lifecycle_on_postgresql(world, labour):
    with acting_as(labour, "Проверка на PostgreSQL"):
        rate = _rate(world)
        rate.save()
        TariffRate.objects.filter(pk=rate.pk).update(hourly_rate=Decimal("142.500"))
        rate.refresh_from_db()
        rate.grade = 5
        TariffRate.objects.bulk_update([rate], ["grade"])
        pk = rate.pk
        TariffRate.objects.filter(pk=pk).delete()
    records = list(_records(TariffRate, pk))
    assert [r.action for r in records] == ["create", "update", "update", "delete"]
    assert records[1].changes == {"hourly_rate": ["140.000", "142.500"]}
    assert records[2].changes == {"grade": [2, 5]}
    assert records[3].changes["grade"] == [5, None]
    assert {r.actor_id for r in records} == {labour.pk}
    assert HistoryRecord.objects.filter(changes__hourly_rate__1="142.500").count() == 1


def test_an_empty_list_or_mapping_says_nothing_of_a_new_or_deleted_row():
    assert diff(None, {"adjustments": [], "notes": {}, "hours": "8.0"}) == {"hours": [None, "8.0"]}
    assert diff({"adjustments": []}, None) == {}
    assert diff({"adjustments": []}, {"adjustments": ["help"]}) == {"adjustments": [[], ["help"]]}
    assert diff({"adjustments": ["help"]}, {"adjustments": []}) == {"adjustments": [["help"], []]}
