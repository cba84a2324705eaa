"""Model validation (Russian messages next to the field) and the models' own arithmetic."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from enterprise.models import (
    OutOfScaleError,
    Period,
    RoleAssignment,
    StepScaleRow,
    TariffRate,
    Worker,
)
from enterprise.models.roles import Role
from tests.factories import (
    EnterpriseFactory,
    PeriodFactory,
    RoleAssignmentFactory,
    StepScaleFactory,
    StepScaleRowFactory,
    TariffRateFactory,
    UserFactory,
    WorkerFactory,
)

D = Decimal


def _errors(obj, **kwargs) -> dict[str, list[str]]:
    """The errors full_clean() reports, by field ({} when valid)."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        return error.message_dict
    return {}


def _new_worker(world, **values):
    fields = {
        "enterprise": world.enterprise,
        "section": world.units["A1"],
        "profession": world.professions["turner"],
        "pay_condition": world.conditions["piece"],
        "personnel_number": "5001",
        "last_name": "Иванов",
        "first_name": "Пётр",
        "middle_name": "Сергеевич",
        "grade": 4,
        "hire_date": datetime.date(2020, 9, 1),
        "birth_date": datetime.date(2001, 4, 12),
    }
    fields.update(values)
    return Worker(**fields)


# --- Worker --------------------------------------------------------------------------------


def test_a_valid_worker_has_no_errors(world):
    assert _errors(_new_worker(world)) == {}


@pytest.mark.parametrize("grade", [0, 7])
def test_it_rejects_a_grade_outside_1_to_6_next_to_the_field(world, grade):
    errors = _errors(_new_worker(world, grade=grade))
    assert errors["grade"] == ["Разряд — от 1 до 6."]


@pytest.mark.parametrize("grade", [1, 6])
def test_it_accepts_the_extreme_grades(world, grade):
    assert _errors(_new_worker(world, grade=grade)) == {}


def test_the_database_refuses_a_grade_outside_1_to_6_too(world):
    worker = world.workers["A1"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Worker.objects.filter(pk=worker.pk).update(grade=7)


def test_it_rejects_a_duplicate_personnel_number_in_the_same_enterprise(world):
    taken = world.workers["B1"][0].personnel_number
    errors = _errors(_new_worker(world, personnel_number=taken))
    messages = [m for ms in errors.values() for m in ms]
    assert "Рабочий с таким табельным номером уже есть." in messages
    with pytest.raises(IntegrityError), transaction.atomic():
        _new_worker(world, personnel_number=taken).save()


def test_it_allows_the_same_personnel_number_in_another_enterprise(world):
    other = WorkerFactory(section=world.units["other_section"], personnel_number="777")
    twin = _new_worker(world, personnel_number=other.personnel_number)
    assert _errors(twin) == {}
    twin.save()
    assert Worker.objects.filter(personnel_number="777").count() == 2


@pytest.mark.parametrize("number", ["12a", "", "12345678901", "-5"])
def test_it_rejects_a_personnel_number_that_is_not_1_to_10_digits(world, number):
    errors = _errors(_new_worker(world, personnel_number=number))
    assert "personnel_number" in errors


def test_it_rejects_a_birth_date_after_the_hire_date(world):
    errors = _errors(
        _new_worker(
            world, birth_date=datetime.date(2021, 1, 1), hire_date=datetime.date(2020, 9, 1)
        )
    )
    assert errors["birth_date"] == ["На дату приёма рабочему должно быть не меньше 14 лет."]


def test_it_rejects_a_worker_younger_than_14_at_hire(world):
    hire = datetime.date(2020, 9, 1)
    too_young = _new_worker(world, birth_date=datetime.date(2006, 9, 2), hire_date=hire)
    just_14 = _new_worker(world, birth_date=datetime.date(2006, 9, 1), hire_date=hire)
    assert "birth_date" in _errors(too_young)
    assert _errors(just_14) == {}


def test_it_rejects_a_birth_date_in_the_future(world):
    future = datetime.date.today() + datetime.timedelta(days=30)
    errors = _errors(_new_worker(world, birth_date=future))
    assert errors["birth_date"] == ["Дата рождения не может быть в будущем."]


def test_it_rejects_a_hire_date_before_1930(world):
    errors = _errors(
        _new_worker(
            world, hire_date=datetime.date(1929, 12, 31), birth_date=datetime.date(1900, 1, 1)
        )
    )
    assert errors["hire_date"] == ["Дата приёма — не раньше 1930 года."]


def test_it_rejects_a_dismissal_before_the_hire(world):
    errors = _errors(_new_worker(world, dismissal_date=datetime.date(2020, 8, 31)))
    assert errors["dismissal_date"] == ["Дата увольнения не может быть раньше даты приёма."]


def test_it_rejects_a_section_or_profession_of_another_enterprise(world):
    errors = _errors(
        _new_worker(
            world,
            section=world.units["other_section"],
            profession=world.other_worker.profession,
        )
    )
    assert errors["section"] == ["Участок другого предприятия."]
    assert errors["profession"] == ["Профессия другого предприятия."]


def test_it_counts_seniority_in_whole_years_from_the_hire_date(world):
    worker = _new_worker(world, hire_date=datetime.date(2015, 3, 2))
    assert worker.seniority_years(datetime.date(2026, 3, 1)) == 10
    assert worker.seniority_years(datetime.date(2026, 3, 2)) == 11
    assert worker.seniority_years(datetime.date(2015, 3, 2)) == 0
    assert worker.seniority_years() == worker.seniority_years(datetime.date.today())


def test_it_calls_a_worker_young_until_the_enterprises_age_limit(world):
    worker = _new_worker(world, birth_date=datetime.date(1996, 5, 17))
    assert world.enterprise.young_worker_max_age == 30
    assert worker.age(datetime.date(2026, 5, 16)) == 29
    assert worker.is_young(datetime.date(2026, 5, 16))
    assert not worker.is_young(datetime.date(2026, 5, 17))
    world.enterprise.young_worker_max_age = 35
    assert worker.is_young(datetime.date(2026, 5, 17))


def test_it_builds_the_full_and_short_names(world):
    worker = _new_worker(world)
    assert worker.full_name == "Иванов Пётр Сергеевич"
    assert worker.short_name == "Иванов П.С."
    assert _new_worker(world, middle_name="").short_name == "Иванов П."


# --- TariffRate ----------------------------------------------------------------------------


def _new_rate(world, **values):
    fields = {
        "enterprise": world.enterprise,
        "pay_condition": world.conditions["time"],
        "grade": 2,
        "hourly_rate": D("120.000"),
        "valid_from": datetime.date(2026, 10, 1),
    }
    fields.update(values)
    return TariffRate(**fields)


@pytest.mark.parametrize("grade", [0, 7])
def test_it_rejects_a_rate_of_a_grade_outside_1_to_6(world, grade):
    assert _errors(_new_rate(world, grade=grade))["grade"] == ["Разряд — от 1 до 6."]


def test_it_rejects_a_negative_rate(world):
    errors = _errors(_new_rate(world, hourly_rate=D("-1")))
    assert "Ставка не может быть отрицательной." in errors["hourly_rate"]


def test_it_rejects_a_second_rate_of_the_same_grade_from_the_same_day(world):
    TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=world.conditions["time"],
        grade=2,
        valid_from=datetime.date(2026, 10, 1),
    )
    errors = _errors(_new_rate(world))
    assert errors[NON_FIELD_ERRORS] == [
        "Ставка этого разряда и условий оплаты с этой даты уже есть."
    ]


def test_it_picks_the_latest_started_rate_on_a_day(world):
    condition = world.conditions["time"]
    january = world.rate("time", 2)
    october = TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=condition,
        grade=2,
        hourly_rate=D("110.000"),
        valid_from=datetime.date(2026, 10, 1),
    )
    january_next = TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=condition,
        grade=2,
        hourly_rate=D("115.000"),
        valid_from=datetime.date(2027, 1, 1),
    )
    grade_2 = TariffRate.objects.filter(pay_condition=condition, grade=2)
    assert not grade_2.effective_on(datetime.date(2025, 12, 31)).exists()
    assert grade_2.effective_on(datetime.date(2026, 1, 1)).get() == january
    assert grade_2.effective_on(datetime.date(2026, 9, 30)).get() == january
    assert grade_2.effective_on(datetime.date(2026, 10, 1)).get() == october
    assert grade_2.effective_on(datetime.date(2026, 12, 31)).get() == october
    assert grade_2.effective_on(datetime.date(2027, 3, 1)).get() == january_next


def test_it_gives_one_rate_per_grade_and_condition_on_a_day(world):
    TariffRateFactory(
        enterprise=world.enterprise,
        pay_condition=world.conditions["piece"],
        grade=1,
        valid_from=datetime.date(2026, 11, 1),
    )
    in_force = TariffRate.objects.filter(enterprise=world.enterprise).effective_on(
        datetime.date(2026, 11, 15)
    )
    pairs = list(in_force.values_list("pay_condition__code", "grade"))
    assert len(pairs) == len(set(pairs)) == 12
    assert in_force.get(pay_condition__code="piece", grade=1).valid_from == datetime.date(
        2026, 11, 1
    )
    assert in_force.get(pay_condition__code="time", grade=6) == world.rate("time", 6)


# --- RoleAssignment ------------------------------------------------------------------------


def _assignment(world, role, unit_key=None, **extra):
    unit = world.units[unit_key] if unit_key else None
    scope = {}
    if unit_key in ("A1", "A2", "B1", "other_section"):
        scope["section"] = unit
    elif unit_key in ("A", "B", "other_shop"):
        scope["shop"] = unit
    return RoleAssignment(
        user=UserFactory(),
        role=role,
        enterprise=extra.pop("enterprise", world.enterprise),
        valid_from=datetime.date(2026, 1, 1),
        **scope,
        **extra,
    )


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.MASTER, "A"),
        (Role.MASTER, None),
        (Role.BRIGADE_LEADER, "A"),
        (Role.SHOP_HEAD, "A1"),
        (Role.SHOP_HEAD, None),
        (Role.LABOUR, "A"),
        (Role.DEPUTY_DIRECTOR, "A1"),
        (Role.WORKER, "A1"),
        (Role.ECONOMIST, "A1"),
    ],
)
def test_it_rejects_a_role_at_the_wrong_level_next_to_the_role(world, role, unit):
    errors = _errors(_assignment(world, role, unit))
    assert errors["role"][0].startswith("Эта роль назначается на уровне:")


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        (Role.MASTER, "A1"),
        (Role.BRIGADE_LEADER, "B1"),
        (Role.SHOP_HEAD, "A"),
        (Role.ECONOMIST, "A"),
        (Role.ECONOMIST, None),
        (Role.DISPATCHER, "B"),
        (Role.LABOUR, None),
        (Role.WORKER, None),
        (Role.ADMINISTRATOR, None),
    ],
)
def test_it_accepts_a_role_at_its_level(world, role, unit):
    assert _errors(_assignment(world, role, unit)) == {}


def test_it_rejects_a_unit_of_another_enterprise(world):
    errors = _errors(_assignment(world, Role.MASTER, "other_section"))
    assert errors[NON_FIELD_ERRORS] == ["Подразделение другого предприятия."]


def test_it_rejects_an_end_before_the_start(world):
    assignment = _assignment(world, Role.LABOUR, valid_to=datetime.date(2025, 12, 31))
    assert "Дата окончания раньше даты начала." in _errors(assignment)[NON_FIELD_ERRORS]


def test_it_rejects_a_shop_and_a_section_together(world):
    assignment = _assignment(world, Role.MASTER, "A1", shop=world.units["A"])
    messages = [m for ms in _errors(assignment).values() for m in ms]
    assert "Укажите либо цех, либо участок, но не оба." in messages


def test_it_lists_only_current_assignments(world):
    user = UserFactory()
    today = datetime.date(2026, 11, 22)
    RoleAssignmentFactory(user=user, role=Role.LABOUR, enterprise=world.enterprise)
    RoleAssignmentFactory(
        user=user,
        role=Role.ADMINISTRATOR,
        enterprise=world.enterprise,
        valid_to=datetime.date(2026, 11, 21),
    )
    RoleAssignmentFactory(
        user=user,
        role=Role.DEPUTY_DIRECTOR,
        enterprise=world.enterprise,
        valid_from=datetime.date(2026, 11, 23),
    )
    current = RoleAssignment.objects.filter(user=user).current(today)
    assert list(current.values_list("role", flat=True)) == [Role.LABOUR]


# --- StepScale -----------------------------------------------------------------------------


@pytest.fixture
def scale(world):
    scale = StepScaleFactory(enterprise=world.enterprise, name="Премия за выполнение плана")
    StepScaleRowFactory(scale=scale, lower=D("100"), upper=D("105"), value=D("10"))
    StepScaleRowFactory(scale=scale, lower=D("105"), upper=None, value=D("20"))
    return scale


def test_it_reads_a_value_off_a_scale(scale):
    assert scale.value_for(D("100")) == D("10")
    assert scale.value_for(D("104.99")) == D("10")
    assert scale.value_for(D("105")) == D("20")
    assert scale.value_for(D("250")) == D("20")


def test_it_raises_a_russian_error_outside_every_range(scale):
    with pytest.raises(OutOfScaleError) as caught:
        scale.value_for(D("99.5"))
    message = caught.value.messages[0]
    assert "не попадает ни в один диапазон шкалы" in message
    assert "«Премия за выполнение плана»" in message
    assert "99,5" in message
    assert isinstance(caught.value, ValidationError)
    assert caught.value.code == "out_of_scale"


def test_it_raises_for_a_scale_without_ranges(world):
    with pytest.raises(OutOfScaleError):
        StepScaleFactory(enterprise=world.enterprise).value_for(D("1"))


def test_it_rejects_a_range_whose_lower_bound_is_not_below_the_upper(scale):
    row = StepScaleRow(scale=scale, lower=D("50"), upper=D("50"), value=D("1"))
    assert _errors(row)[NON_FIELD_ERRORS] == ["Нижняя граница должна быть меньше верхней."]


def test_it_rejects_a_duplicate_scale_code_in_the_enterprise(scale):
    twin = StepScaleFactory.build(enterprise=scale.enterprise, code=scale.code)
    assert "Шкала с таким кодом уже есть." in _errors(twin)[NON_FIELD_ERRORS]
    assert _errors(StepScaleFactory.build(enterprise=EnterpriseFactory(), code=scale.code)) == {}


# --- Period --------------------------------------------------------------------------------


def test_it_names_a_period_by_its_russian_month(world):
    october = world.period(2026, 10)
    assert str(october) == "октябрь 2026"
    assert october.start == datetime.date(2026, 10, 1)
    assert october.end == datetime.date(2026, 10, 31)
    assert october.contains(datetime.date(2026, 10, 31))
    assert not october.contains(datetime.date(2026, 11, 1))


@pytest.mark.parametrize("month", [0, 13])
def test_it_rejects_a_month_outside_1_to_12(world, month):
    period = Period(enterprise=world.enterprise, year=2027, month=month)
    assert "month" in _errors(period)


def test_it_rejects_a_second_row_for_the_same_month(world):
    twin = Period(enterprise=world.enterprise, year=2026, month=10)
    assert _errors(twin)[NON_FIELD_ERRORS] == ["Этот месяц уже есть."]
    assert _errors(Period(enterprise=world.other_enterprise, year=2026, month=10)) == {}


def test_it_rejects_a_closed_period_without_who_and_when(world):
    period = PeriodFactory.build(enterprise=world.enterprise, year=2027, month=1, status="closed")
    assert _errors(period)[NON_FIELD_ERRORS] == [
        "У закрытого периода должно быть указано, кто и когда его закрыл."
    ]


def test_a_scale_row_reads_as_the_scale_s_table_writes_its_figures():
    """The history names a step by its label: «[1; 1,01) → 1», as the table beside it reads,
    not «[1,00; 1,01) → 1,0» (the places the figures happened to be typed with)."""
    assert str(StepScaleRow(lower=D("1.00"), upper=D("1.01"), value=D("1.0"))) == "[1; 1,01) → 1"
    assert str(StepScaleRow(lower=None, upper=D("0.80"), value=D("0.75"))) == "[−∞; 0,8) → 0,75"
    assert str(StepScaleRow(lower=D("1500"), upper=None, value=D("25"))) == "[1\u00a0500; +∞) → 25"
