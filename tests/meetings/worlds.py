"""Commissions, departments and meetings over the shared test world (tests/conftest.py).

Shop A (sections A1, A2: four workers) and shop B (B1: two) of the plant, and the other
plant. :func:`meeting_world` builds, through the models (no service checks), what the
matrix and the services' tests start from:

* departments ТБ (technical bureau), ОТК and ИНО of the plant, ТБ of the other plant;
* the commissions of shop A (its bureau: the world's worker; the shop head as the
  administration), of shop B, of the plant, and of the other plant's shop;
* a held meeting of each (1 October 2026): shop A's has ТБ invited, three of its four
  workers present, an agenda of one item of each class, a decision due 15.10.2026 (not
  done: overdue) and a request to ТБ.
"""

from __future__ import annotations

import datetime

from meetings.models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    Department,
    InfoRequest,
    Invitation,
    Meeting,
)

DAY = datetime.date(2026, 10, 1)


def commission(enterprise, shop=None, **values) -> Commission:
    level = "shop" if shop is not None else "plant"
    name = f"Производственная комиссия цеха № {shop.number}" if shop else "Заводская комиссия"
    return Commission.objects.create(
        enterprise=enterprise, level=level, shop=shop, name=name, **values
    )


def meeting(commission_, date=DAY, number=1, headcount=4, **values) -> Meeting:
    return Meeting.objects.create(
        enterprise=commission_.enterprise,
        commission=commission_,
        number=number,
        date=date,
        status=values.pop("status", Meeting.Status.HELD),
        headcount=headcount,
        **values,
    )


def meeting_world(world) -> dict:
    enterprise, other, units, users = (
        world.enterprise,
        world.other_enterprise,
        world.units,
        world.users,
    )
    tb = Department.objects.create(enterprise=enterprise, name="Техническое бюро", short_name="ТБ")
    otk = Department.objects.create(
        enterprise=enterprise, name="Отдел технического контроля", short_name="ОТК"
    )
    ino = Department.objects.create(
        enterprise=enterprise, name="Отдел инструментального хозяйства", short_name="ИНО"
    )
    other_tb = Department.objects.create(enterprise=other, name="Техническое бюро", short_name="ТБ")
    shop_a = commission(enterprise, units["A"])
    shop_b = commission(enterprise, units["B"])
    plant = commission(enterprise)
    other_commission = commission(other, units["other_shop"])
    bureau = CommissionMember.objects.create(
        commission=shop_a,
        worker=world.worker,
        name=world.worker.short_name,
        group="workers",
        is_bureau=True,
    )
    CommissionMember.objects.create(
        commission=shop_a,
        user=users["shop_head"],
        name="Начальник цеха",
        group="administration",
    )
    other_member = CommissionMember.objects.create(
        commission=other_commission, name="Иванов И. И.", group="workers"
    )
    a = meeting(shop_a, chair=bureau)
    a.attendees.set(world.workers["A1"] + world.workers["A2"][:1])
    invitation = Invitation.objects.create(meeting=a, department=tb, representative="Петров П. П.")
    otk_invitation = Invitation.objects.create(
        meeting=a, department=otk, representative="Сидорова А. А."
    )
    items = [
        AgendaItem.objects.create(
            meeting=a, order=1, title="О порядке совещаний", kind="organisation"
        ),
        AgendaItem.objects.create(meeting=a, order=2, title="Доклад о плане", kind="report"),
        AgendaItem.objects.create(meeting=a, order=3, title="Приспособление", kind="proposal"),
        AgendaItem.objects.create(
            meeting=a, order=4, title="Новый станок", kind="proposal", major=True
        ),
    ]
    decision = Decision.objects.create(
        meeting=a,
        agenda_item=items[2],
        text="Изготовить приспособление",
        responsible="Мастер участка",
        deadline=datetime.date(2026, 10, 15),
    )
    request = InfoRequest.objects.create(
        meeting=a, department=tb, question="Сколько стоит оснастка?"
    )
    b = meeting(shop_b, headcount=2)
    plant_meeting = meeting(plant, headcount=6)
    other_meeting = meeting(other_commission, headcount=1)
    other_invitation = Invitation.objects.create(
        meeting=other_meeting, department=other_tb, representative="Козлов"
    )
    other_item = AgendaItem.objects.create(
        meeting=other_meeting, order=1, title="Отчёт", kind="report"
    )
    other_decision = Decision.objects.create(
        meeting=other_meeting,
        text="Отчитаться",
        responsible="Начальник",
        deadline=datetime.date(2026, 11, 1),
    )
    other_request = InfoRequest.objects.create(
        meeting=other_meeting, department=other_tb, question="Чертежи?"
    )
    return {
        "department ТБ": tb,
        "department ОТК": otk,
        "department ИНО (not invited)": ino,
        "department of other plant": other_tb,
        "commission of A": shop_a,
        "commission of B": shop_b,
        "plant commission": plant,
        "commission of other plant": other_commission,
        "bureau member of A": bureau,
        "member of other plant": other_member,
        "meeting of A": a,
        "meeting of B": b,
        "plant meeting": plant_meeting,
        "meeting of other plant": other_meeting,
        "invitation of ТБ to meeting of A": invitation,
        "invitation of ОТК to meeting of A": otk_invitation,
        "invitation of other plant": other_invitation,
        "agenda item of meeting of A": items[0],
        "agenda item of other plant": other_item,
        "decision of meeting of A": decision,
        "decision of other plant": other_decision,
        "request of meeting of A": request,
        "request of other plant": other_request,
    }


def admin_rows(world) -> None:
    """One row of every meetings model in the admin (its change form has one to open), in
    a shop of its own (No. 99), so that no commission of the matrix's objects is taken."""
    from tests.factories import ShopFactory

    shop = ShopFactory(enterprise=world.enterprise, number=99, name="Опытный цех")
    Department.objects.create(
        enterprise=world.enterprise, name="Бюро рационализации", short_name="БРИЗ"
    )
    commission_ = commission(world.enterprise, shop)
    CommissionMember.objects.create(commission=commission_, name="Петров П. П.", group="workers")
    meeting(commission_, number=1, headcount=1)
    from meetings.models import Proposal

    Proposal.objects.create(
        enterprise=world.enterprise,
        number=999,
        shop=shop,
        title="Опытное предложение",
        problem="Плохо",
        solution="Лучше",
        submitted_on=DAY,
        review_due=DAY + datetime.timedelta(days=15),
    )
