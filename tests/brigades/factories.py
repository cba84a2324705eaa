"""factory-boy factories for the brigades models.

Each builds a valid row on its own: a brigade gets a section (and its enterprise), a
membership a worker of the brigade's section with his own profession and grade, a post
a member of the brigade. Dates default to 1 October 2026, the first open month of the
test world (June–September are closed there, and a membership is frozen with them).
"""

import datetime
from decimal import Decimal

import factory

from brigades.models import Brigade, KtuCriterion, Membership, Post
from tests.factories import EnterpriseFactory, SectionFactory, WorkerFactory

OCTOBER = datetime.date(2026, 10, 1)


class BrigadeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brigade

    section = factory.SubFactory(SectionFactory)
    enterprise = factory.LazyAttribute(lambda o: o.section.shop.enterprise)
    number = factory.Sequence(lambda n: n % 999 + 1)
    name = factory.Sequence(lambda n: f"Бригада токарей {n + 1}")
    kind = Brigade.Kind.THROUGH_COMPLEX
    pay_system = Brigade.PaySystem.PIECE_BONUS
    single_work_order = True
    method = Brigade.Method.TARIFF
    formed_on = datetime.date(2026, 1, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    """A stretch of membership from 1 October 2026, open-ended, at the worker's own grade."""

    class Meta:
        model = Membership

    brigade = factory.SubFactory(BrigadeFactory)
    worker = factory.SubFactory(WorkerFactory, section=factory.SelfAttribute("..brigade.section"))
    profession = factory.LazyAttribute(lambda o: o.worker.profession)
    grade = factory.LazyAttribute(lambda o: o.worker.grade)
    conditional_grade = None
    valid_from = OCTOBER
    valid_to = None


class PostFactory(factory.django.DjangoModelFactory):
    """The leader of a brigade (``kind=Post.Kind.COUNCIL`` for a council member)."""

    class Meta:
        model = Post

    brigade = factory.SubFactory(BrigadeFactory)
    worker = factory.LazyAttribute(
        lambda o: MembershipFactory(brigade=o.brigade, valid_from=o.valid_from).worker
    )
    kind = Post.Kind.LEADER
    valid_from = OCTOBER
    valid_to = None


class KtuCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KtuCriterion

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"Показатель КТУ {n + 1}")
    adjustment = Decimal("0.10")
    active = True
    order = factory.Sequence(lambda n: n)
