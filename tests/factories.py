"""factory-boy factories for the enterprise models.

Every factory builds a valid row on its own (a worker gets a section, profession and pay
condition of one enterprise; dates are consistent). Pass related objects to put rows
together, e.g. ``WorkerFactory(section=a1)``.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprise.models import (
    Enterprise,
    PayCondition,
    Period,
    Profession,
    RoleAssignment,
    Section,
    Shop,
    StepScale,
    StepScaleRow,
    TariffRate,
    Worker,
)
from enterprise.models.roles import Role

PASSWORD = "pass12345"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="ru_RU")
    last_name = factory.Faker("last_name", locale="ru_RU")
    email = factory.LazyAttribute(lambda o: f"{o.username}@khozraschet.example")
    password = factory.django.Password(PASSWORD)
    is_active = True


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Машиностроительный завод № {n + 1}")
    short_name = factory.Sequence(lambda n: f"МЗ-{n + 1}")


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    enterprise = factory.SubFactory(EnterpriseFactory)
    number = factory.Sequence(lambda n: n % 999 + 1)
    name = factory.Sequence(lambda n: f"Механический цех {n + 1}")
    kind = Shop.Kind.MAIN


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    shop = factory.SubFactory(ShopFactory)
    number = factory.Sequence(lambda n: n % 999 + 1)
    name = factory.Sequence(lambda n: f"Участок {n + 1}")


class ProfessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profession

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Токарь {n + 1}")
    code = factory.Sequence(lambda n: f"{19149 + n}")


class PayConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayCondition

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"cond-{n}")
    name = factory.Sequence(lambda n: f"Сдельная, нормальные условия {n}")


class TariffRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffRate

    enterprise = factory.SubFactory(EnterpriseFactory)
    pay_condition = factory.SubFactory(
        PayConditionFactory, enterprise=factory.SelfAttribute("..enterprise")
    )
    grade = 3
    hourly_rate = Decimal("150.500")
    valid_from = datetime.date(2026, 1, 1)


class WorkerFactory(factory.django.DjangoModelFactory):
    """A worker of a section; the enterprise, profession and pay condition follow it."""

    class Meta:
        model = Worker

    section = factory.SubFactory(SectionFactory)
    enterprise = factory.LazyAttribute(lambda o: o.section.shop.enterprise)
    personnel_number = factory.Sequence(lambda n: f"{10000 + n}")
    last_name = factory.Faker("last_name_male", locale="ru_RU")
    first_name = factory.Faker("first_name_male", locale="ru_RU")
    middle_name = factory.Faker("middle_name_male", locale="ru_RU")
    profession = factory.SubFactory(
        ProfessionFactory, enterprise=factory.SelfAttribute("..enterprise")
    )
    pay_condition = factory.SubFactory(
        PayConditionFactory, enterprise=factory.SelfAttribute("..enterprise")
    )
    grade = 3
    hire_date = datetime.date(2015, 3, 2)
    birth_date = datetime.date(1990, 5, 17)  # 24 at hire


class PeriodFactory(factory.django.DjangoModelFactory):
    """An open month; ``PeriodFactory(closed=True)`` gives a closed one (who and when set)."""

    class Meta:
        model = Period

    class Params:
        closed = factory.Trait(
            status=Period.Status.CLOSED,
            closed_by=factory.SubFactory(UserFactory),
            closed_at=factory.LazyFunction(timezone.now),
        )

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2026
    month = factory.Sequence(lambda n: n % 12 + 1)
    status = Period.Status.OPEN
    working_days = 21
    working_hours = Decimal("168.0")


class StepScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepScale

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"scale-{n}")
    name = factory.Sequence(lambda n: f"Шкала премирования {n}")
    argument_label = "выполнение плана, %"
    value_label = "премия, % тарифа"


class StepScaleRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepScaleRow

    scale = factory.SubFactory(StepScaleFactory)
    lower = Decimal("100")
    upper = Decimal("105")
    value = Decimal("10")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A role of a user in a unit; the enterprise follows the section or shop if given."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.LABOUR
    shop = None
    section = None
    enterprise = factory.Maybe(
        "section",
        yes_declaration=factory.LazyAttribute(lambda o: o.section.shop.enterprise),
        no_declaration=factory.Maybe(
            "shop",
            yes_declaration=factory.LazyAttribute(lambda o: o.shop.enterprise),
            no_declaration=factory.SubFactory(EnterpriseFactory),
        ),
    )
    valid_from = datetime.date(2020, 1, 1)
    valid_to = None


@contextmanager
def reopened(*periods):
    """Write into closed months of the test world: reopen them (as an approved reopening
    does), yield, and close them again as they were."""
    saved = []
    for period in periods:
        saved.append((period, period.closed_by, period.closed_at))
        period._reopen_approved = True
        period.status, period.closed_by, period.closed_at = Period.Status.OPEN, None, None
        period.save()
    try:
        yield
    finally:
        for period, closed_by, closed_at in saved:
            period.status = Period.Status.CLOSED
            period.closed_by = closed_by
            period.closed_at = closed_at or timezone.now()
            period.save()
            period._reopen_approved = False


def close_as_is(period, user):
    """Close ``period`` the way months were closed before the close checked what is still
    open in them: the state of a month closed with drafts and undecided claims left in it
    (the demo's months, the data of earlier versions). The application's close refuses
    that now (``enterprise.services.period_close``)."""
    period.refresh_from_db()
    period.status = Period.Status.CLOSED
    period.closed_by = user
    period.closed_at = timezone.now()
    period.save()
    return period
