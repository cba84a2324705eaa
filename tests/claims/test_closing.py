"""Closing a month: what is still open in it, carrying it on, and its documents as closed.

The world has June–September 2026 closed and October, November open. In October: brigade
№ 18 of section A1 (table 18, its draft and approved documents), claims of section A1
against section B1 (filed by shop A's dispatcher, answered by B1's master). The close
lists every open document of the month by kind and unit, refuses while any is neither
finished nor ticked to be carried, moves the ticked claims to November, and writes the
month's workers down: after that a changed personnel number or name does not reach
October's sheets, November's show it.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from brigades import pdf as brigades_pdf
from brigades import selectors as brigades_selectors
from brigades.models import Brigade, Distribution, Line
from brigades.services import distribution_agree, distribution_approve, distribution_delete
from claims import selectors, services
from claims.documents import claim_for_document
from claims.models import Claim
from claims.pdf import render_claim_act
from enterprise import closing
from enterprise.models import HistoryRecord, Period, Worker, WorkerSnapshot
from enterprise.models.roles import Role
from enterprise.services import (
    period_close,
    period_decide_reopen,
    period_request_reopen,
    worker_save,
)
from planning.models import OrgMeasure, PersonalPlan
from planning.plans.pdf import render_sheet as render_plan_sheet
from planning.plans.sheets import sheet_for
from tests.brigades.conftest import TABLE_18_MEMBERS, TABLE_18_RATES, make_crew, make_grid
from tests.brigades.factories import PostFactory
from tests.factories import PeriodFactory, close_as_is
from tests.pages import messages_of, text_of
from tests.planning.factories import OrgMeasureFactory, PersonalPlanFactory

D = Decimal
CLAIMS = "claims.claim"
DISTRIBUTIONS = "brigades.distribution"


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, spaces of every kind as one plain space."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[^\S\n]+", " ", text)


def has(text: str, phrase: str) -> bool:
    """``phrase`` in ``text``, spaces aside (text extraction splits kerned pairs)."""
    return re.sub(r"\s+", "", phrase) in re.sub(r"\s+", "", text)


@pytest.fixture
def november(world):
    return world.period(2026, 11)


@pytest.fixture
def crew(world):
    """Brigade № 18 of section A1 (table 18); its first member, the leader user's worker,
    leads it."""
    crew = make_crew(
        world, make_grid(world, "table-18", TABLE_18_RATES), TABLE_18_MEMBERS, number=18
    )
    head = crew.workers[0]
    head.user = world.users[Role.BRIGADE_LEADER]
    head.save()
    PostFactory(brigade=crew.brigade, worker=head)
    return crew


def approved(crew, world, period):
    """The brigade's month, filled in, agreed by the council and approved by the shop head."""
    distribution = crew.open(world.users[Role.MASTER], period, Brigade.Method.TARIFF)
    crew.earn(distribution, world.users[Role.MASTER], "1053.84")
    distribution_agree(
        distribution=distribution, minutes="№ 10", user=world.users[Role.BRIGADE_LEADER]
    )
    return distribution_approve(distribution=distribution, user=world.users[Role.SHOP_HEAD])


@pytest.fixture
def month(world, crew, october, file_claim, cast):
    """October's documents: two claims waiting (one for an answer, one at the arbitrator),
    one settled; the brigade's draft — and nothing else open."""
    waiting = file_claim()
    disputed = file_claim(description="Заготовки поданы с опозданием на смену.")
    services.claim_answer(
        claim=disputed,
        answer=Claim.Answer.REJECT,
        accepted_amount=None,
        reason="График сорван заготовительным участком.",
        user=cast.master_b1,
    )
    settled = file_claim(description="Корпуса поданы на сутки позже.")
    services.claim_answer(
        claim=settled,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master_b1,
    )
    draft = crew.open(world.users[Role.MASTER], october, Brigade.Method.TARIFF)
    return {"waiting": waiting, "disputed": disputed, "settled": settled, "draft": draft}


def _review(period, carry=None) -> dict:
    return {r.kind.code: r for r in closing.review(period, carry)}


# --- the list of what is open ----------------------------------------------------------------


def test_it_lists_exactly_the_months_open_documents_by_kind_and_unit(month, october, world):
    reviews = _review(october)

    claims = reviews[CLAIMS]
    assert [item.pk for item in claims.items] == [month["waiting"].pk, month["disputed"].pk]
    assert [item.status for item in claims.items] == ["ждёт ответа", "у арбитра"]
    assert claims.items[0].url == month["waiting"].get_absolute_url()
    assert [unit for unit, _items in claims.by_unit()] == ["цех № 7, участок № 1"]
    assert claims.finished == 1  # the settled one
    distributions = reviews[DISTRIBUTIONS]
    assert [item.pk for item in distributions.items] == [month["draft"].pk]
    assert [unit for unit, _items in distributions.by_unit()] == ["цех № 6, участок № 1"]
    assert distributions.items[0].url == month["draft"].get_absolute_url()
    assert distributions.finished == 0
    # plans and measures are the year's: they are listed when December closes
    assert reviews["planning.plan"].items == [] and reviews["planning.measure"].items == []
    assert all(not r.items for r in closing.review(world.period(2026, 11)))


def test_it_lists_the_years_unsigned_plans_and_undone_measures_at_decembers_close(world):
    december = PeriodFactory(enterprise=world.enterprise, year=2026, month=12)
    worker = world.workers["A2"][0]
    draft = PersonalPlanFactory(worker=worker)
    PersonalPlanFactory(
        worker=world.workers["A2"][1],
        status=PersonalPlan.Status.SIGNED,
        signed_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
    )
    running = OrgMeasureFactory(section=world.units["B1"], status=OrgMeasure.Status.IN_PROGRESS)
    OrgMeasureFactory(
        section=world.units["B1"],
        status=OrgMeasure.Status.DONE,
        completed_on=datetime.date(2026, 11, 2),
    )
    PersonalPlanFactory(worker=world.workers["B1"][0], year=2027, five_year_from=2026)

    reviews = _review(december)

    assert [i.pk for i in reviews["planning.plan"].items] == [draft.pk]
    assert reviews["planning.plan"].items[0].unit == "цех № 6, участок № 2"
    assert reviews["planning.plan"].finished == 1
    assert [i.pk for i in reviews["planning.measure"].items] == [running.pk]
    assert reviews["planning.measure"].finished == 1
    assert not reviews["planning.plan"].kind.carriable
    assert reviews["planning.measure"].kind.carriable


# --- refusing, carrying, confirming ---------------------------------------------------------


def test_it_refuses_to_close_while_documents_are_open_and_names_the_count_per_kind(
    month, october, world
):
    with pytest.raises(ValidationError) as caught:
        period_close(period=october, user=world.users[Role.LABOUR])
    message = " ".join(caught.value.messages)
    assert "Претензии, ждущие ответа или решения: 2" in message
    assert "Распределения заработка бригад, не утверждённые: 1" in message
    assert not Period.objects.get(pk=october.pk).is_closed
    assert not WorkerSnapshot.objects.exists()


def test_it_refuses_while_one_claim_is_left_unticked(month, crew, october, world):
    month["draft"].delete()
    approved(crew, world, world.period(2026, 11))  # a November document does not count
    with pytest.raises(ValidationError) as caught:
        period_close(
            period=october, user=world.users[Role.LABOUR], carry={CLAIMS: [month["waiting"].pk]}
        )
    assert "Претензии, ждущие ответа или решения: 1" in " ".join(caught.value.messages)
    assert Claim.objects.get(pk=month["waiting"].pk).period_id == october.pk


def test_it_does_not_carry_a_draft_distribution(month, october, world):
    claims = [month["waiting"].pk, month["disputed"].pk]
    with pytest.raises(ValidationError) as caught:
        period_close(
            period=october,
            user=world.users[Role.LABOUR],
            carry={CLAIMS: claims, DISTRIBUTIONS: [month["draft"].pk]},
        )
    message = " ".join(caught.value.messages)
    assert "Распределения заработка бригад, не утверждённые: 1" in message
    assert "Претензии" not in message
    # nothing moved: the refusal rolls the carrying back too
    assert set(Claim.objects.filter(pk__in=claims).values_list("period", flat=True)) == {october.pk}


def test_a_carried_claim_goes_to_the_next_months_statement_and_is_decided_there(
    month, crew, october, november, world, cast
):
    month["draft"].delete()
    approved(crew, world, october)
    waiting, disputed = month["waiting"], month["disputed"]

    period_close(
        period=october,
        user=world.users[Role.LABOUR],
        carry={CLAIMS: [waiting.pk, disputed.pk]},
    )

    assert Period.objects.get(pk=october.pk).is_closed
    for claim in (waiting, disputed):
        claim.refresh_from_db()
        assert (claim.period_id, claim.carried_from_id) == (november.pk, october.pk)
    record = HistoryRecord.objects.get(
        group=f"claims.claim:{disputed.pk}",
        action=HistoryRecord.Action.UPDATE,
        changes__has_key="period_id",
    )
    assert record.changes["period_id"] == [october.pk, november.pk]
    assert record.reason == "Перенесена из 10.2026 в 11.2026: не решена к закрытию месяца"
    assert record.actor == world.users[Role.LABOUR]
    # October's statement keeps its settled claim, with nothing pending; November's has both
    ent = world.enterprise.pk
    in_october = selectors.statement(ent, october)
    assert (in_october.total, in_october.claims, in_october.pending) == (D("3000.00"), 1, 0)
    in_november = selectors.statement(ent, november)
    assert (in_november.total, in_november.pending) == (D("0"), 2)

    decided = services.claim_decide(
        claim=disputed,
        amount=D("2000.00"),
        reason="Опоздание доказано графиком.",
        user=_arbitrator(disputed, cast),
    )
    assert decided.status == Claim.Status.DECIDED
    in_november = selectors.statement(ent, november)
    assert (in_november.total, in_november.claims, in_november.pending) == (D("2000.00"), 1, 1)
    assert selectors.statement(ent, october).total == D("3000.00")


def _arbitrator(claim, cast):
    """Between sections of two shops the arbitrator is the plant's (table 10: production)."""
    return {Role.PRODUCTION_HEAD: cast.production_head, Role.DEPUTY_DIRECTOR: cast.deputy}[
        claim.arbitrator_role
    ]


def test_it_carries_the_years_undone_measure_to_the_next_year(world):
    december = PeriodFactory(enterprise=world.enterprise, year=2026, month=12)
    january = PeriodFactory(enterprise=world.enterprise, year=2027, month=1)
    for month_ in (10, 11):
        close_as_is(world.period(2026, month_), world.users[Role.LABOUR])
    running = OrgMeasureFactory(section=world.units["B1"], status=OrgMeasure.Status.IN_PROGRESS)

    period_close(
        period=december, user=world.users[Role.LABOUR], carry={"planning.measure": [running.pk]}
    )

    running.refresh_from_db()
    assert running.year == january.year == 2027
    record = HistoryRecord.objects.get(
        group=f"planning.orgmeasure:{running.pk}",
        action=HistoryRecord.Action.UPDATE,
        changes__has_key="year",
    )
    assert record.reason == "Перенесено с 2026 на 2027 год: не внедрено к концу года"


# --- the closed month's documents print what they were ---------------------------------------


def _rename(worker: Worker, number: str, last_name: str, user) -> None:
    worker = Worker.objects.get(pk=worker.pk)
    worker.personnel_number, worker.last_name = number, last_name
    worker_save(worker=worker, user=user)


def test_a_closed_months_distribution_sheet_keeps_the_workers_number_and_name(
    crew, october, november, world
):
    labour, master = world.users[Role.LABOUR], world.users[Role.MASTER]
    in_october = approved(crew, world, october)
    period_close(period=october, user=labour)
    in_november = crew.open(master, november, Brigade.Method.TARIFF)
    worker = crew.workers[1]
    old_name = worker.short_name

    _rename(worker, "77001", "Переименованный", labour)

    closed = brigades_pdf.render_sheet(brigades_selectors.sheet(in_october, master))
    text = pdf_text(closed)
    assert has(text, f"{old_name} 18001")
    assert not has(text, "77001") and not has(text, "Переименованный")
    still_open = pdf_text(brigades_pdf.render_sheet(brigades_selectors.sheet(in_november, master)))
    assert has(still_open, "77001") and has(still_open, "Переименованный")
    assert not has(still_open, "18001")


def test_reopening_the_month_prints_todays_data_until_it_is_closed_again(crew, october, world):
    labour, master = world.users[Role.LABOUR], world.users[Role.MASTER]
    in_october = approved(crew, world, october)
    period_close(period=october, user=labour)
    worker = crew.workers[2]
    _rename(worker, "77002", "Новиков", labour)
    request = period_request_reopen(period=october, user=labour, reason="Ошибка в табеле")
    period_decide_reopen(reopening=request, user=world.users[Role.DEPUTY_DIRECTOR], approve=True)

    assert not WorkerSnapshot.objects.filter(period=october).exists()

    def shown():
        rows = brigades_selectors.sheet(in_october, master).rows
        [row] = [r for r in rows if r.line.worker_id == worker.pk]
        return row.line.worker.personnel_number, row.line.worker.last_name

    assert shown() == ("77002", "Новиков")
    period_close(period=october, user=labour)
    _rename(worker, "77003", "Петров", labour)
    assert shown() == ("77002", "Новиков")


def test_a_closed_months_claims_statement_names_the_worker_as_he_was(
    world, file_claim, october, november, cast
):
    worker = world.workers["A1"][1]
    old = worker.short_name
    claim = file_claim(claimant=worker, description="Брак заготовок по вине участка сборки.")
    services.claim_answer(
        claim=claim,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master_b1,
    )
    october = period_close(period=october, user=cast.labour)

    _rename(worker, "77004", "Сменивший", cast.labour)

    labels = [u.label for u in selectors.statement(world.enterprise.pk, october).units]
    assert f"рабочий {old} (уч. 1, цех 6)" in labels
    assert not any("Сменивший" in label for label in labels)
    act = pdf_text(render_claim_act(claim_for_document(claim.pk)))
    assert has(act, "таб. № 102") and not has(act, "77004") and not has(act, "Сменивший")
    later = file_claim(claimant=worker, period=november, description="Опять брак заготовок.")
    services.claim_answer(
        claim=later,
        answer=Claim.Answer.ACCEPT,
        accepted_amount=None,
        reason="",
        user=cast.master_b1,
    )
    labels = [u.label for u in selectors.statement(world.enterprise.pk, november).units]
    assert any(label.startswith("рабочий Сменивший") for label in labels)


def test_a_closed_years_plan_sheet_keeps_the_workers_number_name_and_grade(world):
    labour = world.users[Role.LABOUR]
    december = PeriodFactory(enterprise=world.enterprise, year=2025, month=12)
    worker = world.workers["A2"][1]
    old_name = worker.full_name
    signed = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    plan = PersonalPlanFactory(
        worker=worker, year=2025, five_year_from=2021, status="signed", signed_at=signed
    )
    later = PersonalPlanFactory(worker=worker)  # 2026: its December is open
    period_close(period=december, user=labour)

    worker = Worker.objects.get(pk=worker.pk)
    worker.personnel_number, worker.last_name, worker.grade = "77005", "Иванова", 6
    worker_save(worker=worker, user=labour)

    sheet = sheet_for(plan)
    assert (sheet.personnel_number, sheet.worker_name, sheet.grade) == ("104", old_name, 5)
    text = pdf_text(render_plan_sheet(sheet))
    assert has(text, "104") and not has(text, "77005") and not has(text, "Иванова")
    current = sheet_for(later)
    assert (current.personnel_number, current.grade) == ("77005", 6)
    assert current.worker_name.startswith("Иванова ")


# --- the pre-close page ----------------------------------------------------------------------


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", [Role.LABOUR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR])
def test_the_pre_close_page_lists_the_open_documents_for_who_may_close(
    client, month, october, world, role
):
    response = _login(client, world.users[role]).get(
        reverse("enterprise:period_closing", args=[october.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="open-item"') == 3
    for key in ("waiting", "disputed", "draft"):
        assert month[key].get_absolute_url() in html
    assert month["settled"].get_absolute_url() not in html
    assert f'value="{CLAIMS}:{month["waiting"].pk}"' in html
    assert f'value="{DISTRIBUTIONS}:' not in html  # a draft is not carried
    text = text_of(response.content)
    assert "Претензии, ждущие ответа или решения: 2" in text
    assert "цех № 7, участок № 1" in text and "цех № 6, участок № 1" in text


@pytest.mark.parametrize(
    "role", [Role.WORKER, Role.MASTER, Role.SHOP_HEAD, Role.ECONOMIST, Role.PRODUCTION_HEAD]
)
def test_the_pre_close_page_is_not_there_for_others(client, month, october, world, role):
    url = reverse("enterprise:period_closing", args=[october.pk])
    assert _login(client, world.users[role]).get(url).status_code == 404
    assert client.post(url, {"carry_all": CLAIMS}).status_code == 404


def test_the_pre_close_page_refuses_and_then_confirms_and_closes(
    client, month, crew, october, november, world
):
    client = _login(client, world.users[Role.LABOUR])
    url = reverse("enterprise:period_closing", args=[october.pk])

    response = client.post(url, {"carry": [f"{CLAIMS}:{month['waiting'].pk}"]})
    assert response.status_code == 200 and not response.context["confirming"]
    [said] = messages_of(response)
    assert "Претензии, ждущие ответа или решения: 1" in said
    assert "Распределения заработка бригад, не утверждённые: 1" in said
    assert "checked aria-label" in response.content.decode()  # the tick is kept

    month["draft"].delete()
    approved(crew, world, october)
    response = client.post(url, {"carry_all": CLAIMS})
    assert response.context["confirming"]
    text = text_of(response.content)
    assert "Переносится всего: 2" in text
    assert "Завершённых документов месяца: 2" in text  # the settled claim, the approved sheet
    assert not Period.objects.get(pk=october.pk).is_closed

    hidden = re.findall(r'name="carry" value="([^"]+)"', response.content.decode())
    assert sorted(hidden) == sorted(f"{CLAIMS}:{month[k].pk}" for k in ("waiting", "disputed"))
    assert 'name="confirm" value="1"' in response.content.decode()
    response = client.post(
        reverse("enterprise:period_close", args=[october.pk]),
        {"carry": hidden, "confirm": "1"},
        follow=True,
    )
    assert Period.objects.get(pk=october.pk).is_closed
    assert "Период «октябрь 2026» закрыт." in messages_of(response)
    assert set(
        Claim.objects.filter(pk__in=[month["waiting"].pk, month["disputed"].pk]).values_list(
            "period", flat=True
        )
    ) == {november.pk}
    page = client.get(month["waiting"].get_absolute_url())
    assert "перенесена из периода «октябрь 2026»: не решена к его закрытию" in text_of(page.content)
    assert "ноябрь 2026" in text_of(page.content)


def test_closing_without_the_list_goes_back_to_it_with_the_reason(client, month, october, world):
    client = _login(client, world.users[Role.LABOUR])
    response = client.post(reverse("enterprise:period_close", args=[october.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert response.url == reverse("enterprise:period_closing", args=[october.pk])
    assert not Period.objects.get(pk=october.pk).is_closed


# --- a draft distribution is approved or deleted, never carried -------------------------------


def test_a_deleted_draft_lets_the_month_close_and_stays_in_the_history(
    client, month, october, world, crew
):
    draft = month["draft"]
    lines = list(draft.lines.values_list("pk", flat=True))
    assert len(lines) == 7
    surcharges = list(draft.surcharges.values_list("pk", flat=True))
    master = world.users[Role.MASTER]

    response = _login(client, master).post(
        reverse("brigades:distribution_delete", args=[draft.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == crew.brigade.get_absolute_url()
    assert not Distribution.objects.filter(pk=draft.pk).exists()
    assert not Line.objects.filter(pk__in=lines).exists()
    deleted = HistoryRecord.objects.filter(
        group=f"brigades.distribution:{draft.pk}", action=HistoryRecord.Action.DELETE
    )
    # the document, its timesheet lines and the leader's surcharge segments
    assert deleted.count() == 1 + 7 + len(surcharges)
    assert {r.actor for r in deleted} == {master}
    assert {r.reason for r in deleted} == {"Черновик распределения удалён"}
    period_close(
        period=october,
        user=world.users[Role.LABOUR],
        carry={CLAIMS: [month["waiting"].pk, month["disputed"].pk]},
    )
    assert Period.objects.get(pk=october.pk).is_closed


def test_it_deletes_no_document_past_the_draft_nor_of_a_closed_month(crew, october, world):
    master, leader = world.users[Role.MASTER], world.users[Role.BRIGADE_LEADER]
    final = approved(crew, world, october)
    with pytest.raises(ValidationError) as caught:
        distribution_delete(distribution=final, user=master)
    assert "утверждено начальником цеха" in " ".join(caught.value.messages)
    other = make_crew(world, crew.memberships[0].worker.pay_condition, [(3, 160)], number=21)
    agreed = other.earn(other.open(master, october), master, "100.00")
    distribution_agree(distribution=agreed, minutes="№ 3", user=master)
    with pytest.raises(ValidationError):
        distribution_delete(distribution=agreed, user=leader)
    third = make_crew(world, crew.memberships[0].worker.pay_condition, [(3, 160)], number=22)
    left = third.open(master, october)
    close_as_is(october, world.users[Role.LABOUR])
    with pytest.raises(ValidationError) as caught:
        distribution_delete(distribution=left, user=master)
    assert "закрыт" in " ".join(caught.value.messages)
    assert Distribution.objects.filter(pk__in=[final.pk, agreed.pk, left.pk]).count() == 3
