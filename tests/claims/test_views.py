"""The claims pages through the test client: filing with the calculator and documents, the
answer, the decision and withdrawal, the inboxes, the statement, downloads and their scope.

The claim filed through the page is the default of tests/claims/conftest.py: section A1
against section B1 for late parts (idle pay 1 200,00 + 150 % = 3 000,00) — a claim between
shops, decided by the head of production. The master of A1 files it; the master of B1
answers for the defendant.
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimDocument
from claims.seed import IDLE_SLIP, OVERTIME, SCHEDULE
from claims.tasks import escalate_overdue_claims
from enterprise import table_body
from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from enterprise.services import period_close
from tests.claims.factories import EXE, HTML_AS_PDF, PDF, PNG
from tests.factories import RoleAssignmentFactory, UserFactory, close_as_is
from tests.pages import field_errors, text_of

D = Decimal
NBSP = "\u00a0"
WRITES = ("INSERT", "UPDATE", "DELETE")


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def _login(client, user):
    client.force_login(user)
    return client


def _scan(name="Листок простоя № 14.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def filing(world, types, october):
    """The page's POST for the default claim: documents 0 (schedule) and 2 (overtime list)
    referenced by number and date, document 1 (idle slip) attached as a PDF scan."""

    def data(**changes):
        claim_type = types["late_parts"]
        assert list(claim_type.documents) == [SCHEDULE, IDLE_SLIP, OVERTIME]
        values = {
            "submission": "7f3a0c1e9b2d4e6f8a0b1c2d3e4f5a6b",
            "period": str(october.pk),
            "claim_type": str(claim_type.pk),
            "claimant": f"section:{world.units['A1'].pk}",
            "defendant": f"section:{world.units['B1'].pk}",
            "description": "Детали корпуса поданы на двое суток позже графика.",
            "loss_idle_pay": "1 200,00",
            "loss_overhead_percent": "150",
            "doc_0_number": "7",
            "doc_0_date": "2026-10-01",
            "doc_1_file": _scan(),
            "doc_2_number": "12",
            "doc_2_date": "2026-10-05",
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v is not None}

    return data


# --- filing ---------------------------------------------------------------------------------


def test_it_files_a_claim_with_a_scan_and_references(client, cast, filing, world):
    response = _login(client, cast.master).post(reverse("claims:claim_create"), filing())

    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:claim_detail", args=[claim.pk])
    assert claim.loss_amount == D("3000.00")
    assert claim.status == Claim.Status.FILED
    assert claim.claimant_section == world.units["A1"]
    assert claim.defendant_section == world.units["B1"]
    assert claim.filed_by == cast.master
    assert (claim.arbitrator_level, claim.arbitrator_role) == ("plant", Role.PRODUCTION_HEAD)
    documents = {d.title: d for d in claim.documents.all()}
    assert (documents[SCHEDULE].number, documents[SCHEDULE].date) == (
        "7",
        datetime.date(2026, 10, 1),
    )
    assert not documents[SCHEDULE].file
    scan = documents[IDLE_SLIP]
    assert scan.file_name == "Листок простоя № 14.pdf"
    assert scan.content_type == "application/pdf"
    assert "Листок" not in scan.file.name  # stored under a server-made name
    assert documents[OVERTIME].number == "12"

    page = client.get(response.url)
    text = plain(text_of(page.content))
    assert "Претензия № 1" in text
    assert "1 200,00 + 1 200,00 × 150 % = 3 000,00" in text
    assert "ждёт ответа" in text
    assert "Листок простоя № 14.pdf" in text
    assert "начальник производства" in text.lower()


def test_it_files_one_claim_when_the_form_is_sent_twice(client, cast, filing):
    client = _login(client, cast.master)
    first = client.post(reverse("claims:claim_create"), filing())
    second = client.post(reverse("claims:claim_create"), filing())

    claim = Claim.objects.get()
    assert first.url == second.url == claim.get_absolute_url()
    assert ClaimDocument.objects.count() == 3


def test_it_gives_each_new_form_its_own_submission_key(client, cast, types):
    client = _login(client, cast.master)
    one = client.get(reverse("claims:claim_create")).context["form"]["submission"].value()
    two = client.get(reverse("claims:claim_create")).context["form"]["submission"].value()
    assert one and two and one != two


def test_it_refuses_a_file_that_is_not_a_scan_at_its_field(client, cast, filing):
    data = filing(doc_1_file=_scan("Листок простоя.pdf", EXE))
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert not Claim.objects.exists()
    errors = response.context["form"].errors["doc_1_file"]
    assert "принимаются PDF, PNG, JPEG и TIFF" in errors[0]
    assert "принимаются PDF, PNG, JPEG и TIFF" in text_of(response.content)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("Листок.pdf", HTML_AS_PDF, "повреждён или не является настоящим PDF"),
        ("Листок.html", PDF, "по содержимому это PDF, а имя оканчивается на «.html»"),
        ("Листок.jpg", PNG, "по содержимому это PNG, а имя оканчивается на «.jpg»"),
    ],
    ids=["html-behind-pdf-signature", "pdf-named-html", "png-named-jpg"],
)
def test_it_refuses_a_file_that_is_not_what_it_claims(client, cast, filing, name, content, says):
    data = filing(doc_1_file=_scan(name, content))
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert not Claim.objects.exists()
    assert not ClaimDocument.objects.exists()
    (error,) = response.context["form"].errors["doc_1_file"]
    assert error.startswith(f"Файл «{name}»") and says in error


def test_the_error_summary_names_the_document_of_each_refused_file(client, cast, filing):
    data = filing(doc_0_file=_scan("a.pdf", EXE), doc_1_file=_scan("b.pdf", HTML_AS_PDF))
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    page = response.content.decode()
    summary = text_of(page.split("data-error-summary", 1)[1].split("</ul>")[0]).replace(" :", ":")
    assert f"Файл (скан): «{SCHEDULE}»: Файл «a.pdf»" in summary
    assert f"Файл (скан): «{IDLE_SLIP}»: Файл «b.pdf»" in summary
    assert summary.count("Файл (скан)") == 2


def test_it_refuses_a_claim_without_a_required_document(client, cast, filing):
    data = filing(doc_2_number=None, doc_2_date=None)
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert not Claim.objects.exists()
    form = response.context["form"]
    assert "номер и дату документа «Список рабочих" in " ".join(form.errors["doc_2_file"])
    # The scan chosen before is gone from the re-shown form: the page says so.
    assert "выберите их ещё раз" in text_of(response.content)


def test_it_shows_the_loss_on_preview_without_filing(client, cast, filing):
    data = filing(preview="1", description="", doc_1_file=None)
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert not Claim.objects.exists()
    preview = response.context["preview"]
    assert preview.amount == D("3000.00")
    text = plain(text_of(response.content))
    assert "1 200,00 + 1 200,00 × 150 % = 3 000,00" in text
    assert "Накладные расходы участка 150 %" in text
    # Not filled in yet is not an error on a preview.
    assert field_errors(response.content, "description") == ""
    assert "Претензия не подана" not in text


def test_it_puts_a_wrong_number_next_to_its_input(client, cast, filing):
    data = filing(preview="1", loss_idle_pay="двести")
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    assert response.context["preview"] is None
    assert field_errors(response.content, "loss_idle_pay") == "Введите число."


def test_it_renders_the_calculator_of_the_type_chosen(client, cast, types):
    client = _login(client, cast.master)
    url = reverse("claims:claim_create") + f"?type={types['price_deviation'].pk}"
    form = client.get(url).context["form"]
    assert form.loss_names == [
        "loss_material_deviation",
        "loss_wage_deviation",
        "loss_overhead_percent",
    ]
    assert [row["title"] for row in form.document_rows if row["required"]] == [
        "Акт о замене материалов",
        "Требования на сверхлимитный отпуск",
    ]


def test_it_offers_only_units_the_user_files_for(client, cast, world, types):
    response = _login(client, cast.master).get(reverse("claims:claim_create"))
    claimants = response.context["form"].claimants.items
    assert f"section:{world.units['A1'].pk}" in claimants
    assert f"section:{world.units['A2'].pk}" not in claimants
    assert f"shop:{world.units['A'].pk}" not in claimants
    defendants = response.context["form"].defendants.items
    assert f"section:{world.units['B1'].pk}" in defendants
    assert f"shop:{world.units['B'].pk}" in defendants


def test_it_refuses_a_claimant_outside_the_users_units(client, cast, filing, world):
    data = filing(claimant=f"section:{world.units['A2'].pk}")
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)
    assert response.status_code == 200
    assert not Claim.objects.exists()
    assert response.context["form"].errors["claimant"]


@pytest.mark.parametrize("role", [Role.WORKER, Role.ECONOMIST, Role.PRODUCTION_HEAD])
def test_it_has_no_filing_page_for_roles_that_do_not_file(client, world, types, role):
    response = _login(client, world.users[role]).get(reverse("claims:claim_create"))
    assert response.status_code == 404


# --- the lifecycle through the pages ----------------------------------------------------------


def test_it_records_a_full_acceptance(client, cast, file_claim):
    claim = file_claim()
    client = _login(client, cast.master_b1)
    assert "answer_form" in client.get(claim.get_absolute_url()).context

    url = reverse("claims:claim_answer", args=[claim.pk])
    asked = client.post(url, {"answer": "accept", "reason": ""})

    # what the answer does, asked first, as the decision is: nothing recorded yet
    assert asked.status_code == 200
    text = plain(text_of(asked.content))
    assert f"Ответить на претензию № {claim.number}?" in text
    assert "Сумма претензии, руб. 3 000,00" in text
    assert "Ответ Признаю полностью" in text
    assert (
        "Претензия закрывается: вся сумма относится на ответчика и войдёт во взаимное "
        f"погашение месяца «{claim.period}»." in text
    )
    assert "Изменить записанный ответ нельзя." in text
    assert 'name="answer" value="accept"' in asked.content.decode()  # posted again, hidden
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED and claim.answered_by is None

    response = client.post(url, {"answer": "accept", "reason": "", "confirm": "1"})

    claim.refresh_from_db()
    assert response.status_code == 302
    assert claim.status == Claim.Status.SETTLED
    assert claim.final_amount == D("3000.00")
    assert claim.answered_by == cast.master_b1


def test_it_sends_a_partial_answer_to_the_arbitrator_who_decides(client, cast, file_claim):
    claim = file_claim()
    _login(client, cast.master_b1).post(
        reverse("claims:claim_answer", args=[claim.pk]),
        {
            "answer": "partial",
            "accepted_amount": "1 000,00",
            "reason": "Простой был сутки.",
            "confirm": "1",
        },
    )
    claim.refresh_from_db()
    assert (claim.status, claim.accepted_amount) == (Claim.Status.ARBITRATION, D("1000.00"))

    client = _login(client, cast.production_head)
    page = client.get(claim.get_absolute_url())
    assert "decide_form" in page.context
    response = client.post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {"amount": "2 000,00", "reason": "Простой подтверждён графиком на двое суток."},
    )
    assert response.status_code == 200  # what the decision does, asked first
    assert "Решить спор по претензии" in text_of(response.content)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ARBITRATION
    response = client.post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {
            "amount": "2 000,00",
            "reason": "Простой подтверждён графиком на двое суток.",
            "confirm": "1",
        },
    )

    claim.refresh_from_db()
    assert response.status_code == 302
    assert (claim.status, claim.final_amount) == (Claim.Status.DECIDED, D("2000.00"))
    text = plain(text_of(client.get(claim.get_absolute_url()).content))
    assert "Простой был сутки." in text
    assert "решил: отнести на ответчика 2 000,00 руб." in text
    assert "Простой подтверждён графиком на двое суток." in text


def test_a_partial_answer_says_what_goes_to_the_arbitrator_before_it_is_recorded(
    client, cast, file_claim
):
    claim = file_claim()
    client = _login(client, cast.master_b1)
    data = {"answer": "partial", "accepted_amount": "1 000,00", "reason": "Простой был сутки."}

    asked = client.post(claim.get_absolute_url(), {**data, "step": "answer"})

    assert asked.status_code == 200
    text = plain(text_of(asked.content))
    assert "Ответ Признаю частично" in text
    assert "Признаю сумму, руб. 1 000,00" in text
    assert "Доводы Простой был сутки." in text
    assert (
        "Претензия уходит арбитру: оспорено 2 000,00 руб. Он решит, сколько отнести на "
        "ответчика — не меньше признанного (1 000,00 руб.)." in text
    )
    html = asked.content.decode()
    assert f'action="{claim.get_absolute_url()}"' in html  # the same post, confirmed
    assert 'name="step" value="answer"' in html and 'name="confirm" value="1"' in html
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED

    done = client.post(claim.get_absolute_url(), {**data, "step": "answer", "confirm": "1"})
    claim.refresh_from_db()
    assert done.status_code == 302
    assert (claim.status, claim.accepted_amount) == (Claim.Status.ARBITRATION, D("1000.00"))


def test_a_rejection_without_reasons_is_refused_at_once_not_confirmed(client, cast, file_claim):
    """An answer the service will refuse is not confirmed first: the refusal shows."""
    claim = file_claim()
    response = _login(client, cast.master_b1).post(
        reverse("claims:claim_answer", args=[claim.pk]), {"answer": "reject", "reason": " "}
    )
    assert response.status_code == 200
    assert 'data-testid="confirm"' not in response.content.decode()
    assert "Изложите доводы" in field_errors(response.content, "reason")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED


def test_it_shows_a_refused_answer_next_to_its_field(client, cast, file_claim):
    claim = file_claim()
    response = _login(client, cast.master_b1).post(
        reverse("claims:claim_answer", args=[claim.pk]),
        {"answer": "partial", "accepted_amount": "", "reason": "Частично."},
    )
    assert response.status_code == 200
    assert "больше нуля и меньше суммы претензии" in field_errors(
        response.content, "accepted_amount"
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED


def test_it_tells_the_second_of_two_deciders_that_the_claim_changed(client, cast, file_claim):
    claim = file_claim()
    services.claim_answer(
        claim=claim,
        answer="reject",
        accepted_amount=None,
        reason="Не виноваты.",
        user=cast.master_b1,
    )
    root = UserFactory(username="root", is_superuser=True)
    decision = {"amount": "3 000,00", "reason": "Вина ответчика доказана.", "confirm": "1"}
    _login(client, cast.production_head).post(
        reverse("claims:claim_decide", args=[claim.pk]), decision
    )
    response = _login(client, root).post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {"amount": "0,00", "reason": "Иначе."},
        follow=True,
    )

    claim.refresh_from_db()
    assert (claim.final_amount, claim.decided_by) == (D("3000.00"), cast.production_head)
    text = text_of(response.content)
    assert "её изменил кто-то другой" in text


def test_it_tells_the_second_answer_that_the_claim_was_answered(client, cast, file_claim):
    claim = file_claim()
    _login(client, cast.master_b1).post(
        reverse("claims:claim_answer", args=[claim.pk]),
        {"answer": "accept", "reason": "", "confirm": "1"},
    )
    response = _login(client, cast.shop_head_b).post(
        reverse("claims:claim_answer", args=[claim.pk]),
        {"answer": "reject", "reason": "Нет.", "confirm": "1"},
        follow=True,
    )
    assert "её изменил кто-то другой" in text_of(response.content)
    claim.refresh_from_db()
    assert claim.answered_by == cast.master_b1


def test_it_withdraws_a_claim_and_keeps_it(client, cast, file_claim):
    claim = file_claim(user=cast.master)
    client = _login(client, cast.master)
    response = client.post(
        reverse("claims:claim_withdraw", args=[claim.pk]), {"reason": "Детали нашлись на складе."}
    )
    claim.refresh_from_db()
    assert response.status_code == 302
    assert claim.status == Claim.Status.WITHDRAWN
    text = text_of(client.get(claim.get_absolute_url()).content)
    assert "Детали нашлись на складе." in text
    assert "отозвал" in text
    assert claim in client.get(reverse("claims:claim_list")).context["table"].data


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("claims:claim_answer", "master"),  # the claimant's master does not answer
        ("claims:claim_answer", "economist"),
        ("claims:claim_decide", "master_b1"),
        ("claims:claim_decide", "deputy"),  # late parts between shops: production head's
        ("claims:claim_withdraw", "master_b1"),
        ("claims:claim_withdraw", "worker"),
    ],
)
def test_it_answers_404_to_an_action_that_is_not_the_users(client, cast, file_claim, url, who):
    claim = file_claim()
    response = _login(client, getattr(cast, who)).post(
        reverse(url, args=[claim.pk]), {"answer": "accept", "amount": "1", "reason": "x"}
    )
    assert response.status_code == 404


def test_it_shows_no_action_forms_once_the_claim_is_settled(client, cast, file_claim):
    claim = file_claim()
    services.claim_answer(
        claim=claim, answer="accept", accepted_amount=None, reason="", user=cast.master_b1
    )
    context = _login(client, cast.master_b1).get(claim.get_absolute_url()).context
    assert not (context["can_answer"] or context["can_decide"] or context["can_withdraw"])


def test_it_leaves_the_answer_to_the_section_when_its_shop_head_arbitrates(
    client, cast, file_claim, world
):
    # Two sections of shop A: the shop head decides, the defendant section's master answers.
    claim = file_claim(world.units["A1"], world.units["A2"], user=cast.master)
    assert (claim.arbitrator_level, claim.arbitrator_role) == ("shop", Role.SHOP_HEAD)

    context = _login(client, cast.shop_head).get(claim.get_absolute_url()).context
    assert not context["can_answer"]
    answer = {"answer": "reject", "reason": "Не по нашей вине.", "confirm": "1"}
    response = client.post(reverse("claims:claim_answer", args=[claim.pk]), answer)
    assert response.status_code == 404

    _login(client, cast.master_a2).post(reverse("claims:claim_answer", args=[claim.pk]), answer)
    context = _login(client, cast.shop_head).get(claim.get_absolute_url()).context
    assert context["can_decide"]
    assert [p.username for p in context["route"]["people"]] == ["shop_head"]


def test_it_offers_no_action_on_a_claim_of_a_closed_month(client, cast, file_claim, world):
    claim = file_claim(user=cast.master)
    close_as_is(claim.period, world.users[Role.LABOUR])  # the claim left open in it

    context = _login(client, cast.master_b1).get(claim.get_absolute_url()).context
    assert not (context["can_answer"] or context["can_withdraw"])
    response = client.post(
        reverse("claims:claim_answer", args=[claim.pk]),
        {"answer": "accept", "reason": ""},
        follow=True,
    )
    assert "закрыт" in text_of(response.content)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED


# --- inboxes ----------------------------------------------------------------------------------


def _box(client, name):
    response = client.get(reverse("claims:inbox") + f"?box={name}")
    assert response.status_code == 200
    return response, list(response.context["table"].data)


def test_it_fills_each_roles_inbox(client, cast, file_claim):
    claim = file_claim(user=cast.master)

    _, mine = _box(_login(client, cast.master), "mine")
    assert mine == [claim]
    _, to_answer = _box(client, "to_answer")
    assert to_answer == []

    _, to_answer = _box(_login(client, cast.master_b1), "to_answer")
    assert to_answer == [claim]
    _, mine = _box(client, "mine")
    assert mine == []

    _, to_decide = _box(_login(client, cast.production_head), "to_decide")
    assert to_decide == []  # not until the defendant disputes it

    services.claim_answer(
        claim=claim, answer="reject", accepted_amount=None, reason="Нет.", user=cast.master_b1
    )
    _, to_decide = _box(client, "to_decide")
    assert to_decide == [claim]
    _, to_decide = _box(_login(client, cast.deputy), "to_decide")
    assert to_decide == []


def test_it_sends_an_overdue_claim_to_the_arbitrator_and_marks_it(client, cast, file_claim):
    claim = file_claim(user=cast.master)
    Claim.objects.filter(pk=claim.pk).update(answer_due=datetime.date(2026, 10, 2))

    response, to_decide = _box(_login(client, cast.production_head), "to_decide")

    # Read as the arbitrator's already, before the escalation job has run.
    assert to_decide == [claim]
    assert '<tr class="table-danger' in response.content.decode()
    assert "просрочено" in text_of(response.content)
    tabs = {tab["name"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs["to_decide"] == 1
    call_command("claims_escalate", "--now", stdout=io.StringIO())
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ARBITRATION
    assert claim.escalated_unanswered
    _, to_decide = _box(client, "to_decide")
    assert to_decide == [claim]
    page = text_of(client.get(claim.get_absolute_url()).content)
    assert "передана арбитру без ответа" in page


def test_it_writes_nothing_when_an_inbox_or_an_overdue_claim_is_opened(client, cast, file_claim):
    claim = file_claim(user=cast.master)
    Claim.objects.filter(pk=claim.pk).update(answer_due=datetime.date(2026, 10, 2))
    history = HistoryRecord.objects.count()
    _login(client, cast.production_head)

    with CaptureQueriesContext(connection) as queries:
        for box in ("mine", "to_answer", "to_decide"):
            assert client.get(reverse("claims:inbox"), {"box": box}).status_code == 200
        page = client.get(claim.get_absolute_url())

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert HistoryRecord.objects.count() == history
    claim.refresh_from_db()
    assert (claim.status, claim.escalated_unanswered) == (Claim.Status.FILED, False)
    # The arbitrator may decide it already; the defendant can no longer answer.
    assert page.context["can_decide"] and "decide-form" in page.content.decode()
    assert "просрочено" in text_of(page.content)
    answer = _login(client, cast.master_b1).get(claim.get_absolute_url())
    assert not answer.context["can_answer"]


def test_it_decides_an_overdue_claim_before_the_job_has_run(client, cast, file_claim):
    claim = file_claim(user=cast.master)
    Claim.objects.filter(pk=claim.pk).update(answer_due=datetime.date(2026, 10, 2))

    _login(client, cast.production_head).post(
        reverse("claims:claim_decide", args=[claim.pk]),
        {"amount": "1 000,00", "reason": "Ответа не было.", "confirm": "1"},
    )

    claim.refresh_from_db()
    assert (claim.status, claim.escalated_unanswered) == (Claim.Status.DECIDED, True)


def test_the_escalation_job_on_the_worker_escalates_overdue_claims(settings, cast, file_claim):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    claim = file_claim(user=cast.master)
    Claim.objects.filter(pk=claim.pk).update(answer_due=datetime.date(2026, 10, 2))

    out = io.StringIO()
    call_command("claims_escalate", stdout=out)

    claim.refresh_from_db()
    assert (claim.status, claim.escalated_unanswered) == (Claim.Status.ARBITRATION, True)
    assert "queued" in out.getvalue()
    assert escalate_overdue_claims.enqueue().return_value == 0  # nothing left


def test_the_escalation_command_queues_the_job_for_the_worker(cast, file_claim):
    from django_tasks_db.models import DBTaskResult

    claim = file_claim(user=cast.master)
    Claim.objects.filter(pk=claim.pk).update(answer_due=datetime.date(2026, 10, 2))

    call_command("claims_escalate", stdout=io.StringIO())

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "claims.tasks.escalate_overdue_claims"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED  # the worker runs it, not the command


def test_it_lists_and_exports_the_claims_the_user_sees(client, cast, file_claim, world):
    claim = file_claim()
    client = _login(client, cast.economist)
    response = client.get(reverse("claims:claim_list") + f"?period={claim.period_id}")
    assert list(response.context["table"].data) == [claim]
    export = client.get(reverse("claims:claim_list") + "?_export=csv")
    assert export.status_code == 200
    assert ";3000,00;" in export.content.decode("utf-8-sig")

    client = _login(client, world.users[Role.WORKER])
    assert list(client.get(reverse("claims:claim_list")).context["table"].data) == []


def _normal(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html))


def _claims_table(html: str) -> str:
    start = html.index('<div class="table-container')
    return _normal(html[start : html.index("</main>", start)])


@pytest.mark.parametrize(
    ("user", "page"),
    [("economist", "claims:claim_list"), ("economist", "claims:claim_list?sort=-number"),
     ("economist", "claims:claim_list?sort=answer_due&status=filed"),
     ("economist", "claims:claim_list?per_page=1&page=2"), ("dispatcher", "claims:inbox"),
     ("production_head", "claims:inbox?box=to_decide")],
)  # fmt: skip
def test_the_claims_list_reads_as_with_the_stock_template(
    client, cast, file_claim, world, monkeypatch, user, page
):
    """ClaimTable's body is written by enterprise.table_body (a late row's class, a settled
    claim's final amount, the inboxes): the same table as django-tables2's template."""
    late = file_claim()
    settled = file_claim(world.units["B1"], world.units["A1"], user=cast.dispatcher_b)
    file_claim(user=cast.master)
    Claim.objects.filter(pk=late.pk).update(answer_due=datetime.date(2026, 10, 2))
    Claim.objects.filter(pk=settled.pk).update(
        final_amount=D("1234.50"), status=Claim.Status.SETTLED
    )
    client = _login(client, getattr(cast, user))
    name, _, query = page.partition("?")
    url = reverse(name) + (f"?{query}" if query else "")
    fast = client.get(url)
    assert table_body.TEMPLATE in [t.name for t in fast.templates]
    monkeypatch.setattr(
        table_body.FastBodyTable,
        "template_name",
        property(lambda table: settings.DJANGO_TABLES2_TEMPLATE, lambda table, value: None),
    )
    stock = client.get(url)
    assert table_body.TEMPLATE not in [t.name for t in stock.templates]
    written = _claims_table(fast.content.decode())
    assert "</td>" in written
    assert written == _claims_table(stock.content.decode())


# --- the statement ----------------------------------------------------------------------------


@pytest.fixture
def counter_claims(cast, file_claim, world):
    """A1 → B1 3 000,00 accepted; B1 → A1 1 000,00 accepted: B1 owes A1 a balance of 2 000."""
    one = file_claim(user=cast.master)
    services.claim_answer(
        claim=one, answer="accept", accepted_amount=None, reason="", user=cast.master_b1
    )
    two = file_claim(
        world.units["B1"],
        world.units["A1"],
        user=cast.master_b1,
        inputs={"idle_pay": D("400.00"), "overhead_percent": D("150")},
    )
    services.claim_answer(
        claim=two, answer="accept", accepted_amount=None, reason="", user=cast.master
    )
    pending = file_claim(world.units["A2"], world.units["B1"], user=cast.shop_head)
    return one, two, pending


def test_it_shows_the_plants_statement(client, cast, counter_claims, october):
    response = _login(client, cast.deputy).get(
        reverse("claims:statement") + f"?period={october.pk}"
    )
    statement = response.context["statement"]
    assert statement.claims == 2
    assert statement.total == D("4000.00")
    assert statement.pending == 1
    (pair,) = statement.pairs
    assert (pair.offset, pair.balance) == (D("1000.00"), D("2000.00"))
    assert pair.debtor.startswith("участок № 1 цеха № 7")
    nets = {unit.label: unit.net for unit in statement.units}
    assert nets == {"участок № 1 цеха № 6": D("2000.00"), "участок № 1 цеха № 7": D("-2000.00")}
    assert response.context["totals"] == {
        "credited": D("4000.00"),
        "charged": D("4000.00"),
        "net": D("0.00"),
    }
    text = plain(text_of(response.content))
    assert "взаимно погашено 1 000,00 руб." in text
    assert "участок № 1 цеха № 7 → участок № 1 цеха № 6" in text
    assert "Не завершено претензий: 1" in text


def test_it_pages_the_statements_pairs_largest_balance_first(
    client, cast, counter_claims, october, monkeypatch
):
    from claims import views

    *_done, pending = counter_claims
    services.claim_answer(
        claim=pending, answer="accept", accepted_amount=None, reason="", user=cast.master_b1
    )
    monkeypatch.setattr(views, "PAIRS_PER_PAGE", 1)
    url = reverse("claims:statement") + f"?period={october.pk}"
    first = _login(client, cast.deputy).get(url)
    assert len(first.context["statement"].pairs) == 2  # the statement itself is whole
    (shown,) = first.context["pairs"]
    assert (shown.first, shown.second, shown.balance) == (
        "участок № 2 цеха № 6",
        "участок № 1 цеха № 7",
        D("3000.00"),
    )
    assert "Пары 1–1 из 2" in plain(text_of(first.content))
    (second,) = client.get(url + "&page=2").context["pairs"]
    assert second.balance == D("2000.00")
    # a page past the last shows the last one
    (last,) = client.get(url + "&page=99").context["pairs"]
    assert last.balance == D("2000.00")


def test_the_statement_page_reads_as_many_queries_for_10_claims_as_for_60(
    client, cast, counter_claims, world, october
):
    """Its queries depend on the kinds of units netted (a label query each), not on the
    number of claims."""
    from tests.claims.factories import ClaimFactory

    shops = [world.units["A"], world.units["B"]]
    sections = [world.units[name] for name in ("A1", "A2", "B1")]
    workers = (world.workers["A1"] + world.workers["A2"])[:3]

    def add(first: int, last: int) -> None:
        for index in range(first, last):  # every kind among the claimants and defendants
            ClaimFactory(
                period=october,
                claimant=[*shops, *workers][index % 5],
                defendant=sections[index % 3],
                loss_amount=D("1.01") * index + 1,
                number=1000 + index,
            )

    url = reverse("claims:statement") + f"?period={october.pk}"
    add(0, 8)
    _login(client, cast.deputy).get(url)  # the session's and the scope's first reads
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).context["statement"].claims == 10
    add(8, 58)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).context["statement"].claims == 60
    assert len(many) == len(few)


def test_it_shows_a_shop_role_its_own_shops_statement(client, cast, counter_claims, world, october):
    response = _login(client, cast.economist).get(
        reverse("claims:statement") + f"?period={october.pk}"
    )
    assert response.context["shop"] == world.units["A"]
    assert response.context["statement"].claims == 2
    shops = list(response.context["form"].fields["shop"].queryset)
    assert shops == [world.units["A"]]
    # No «whole plant» for a shop's economist, nor another shop.
    other = _login(client, cast.economist).get(
        reverse("claims:statement") + f"?shop={world.units['B'].pk}"
    )
    assert other.context["statement"] is None


@pytest.mark.parametrize("role", [Role.WORKER, Role.BRIGADE_LEADER])
def test_it_has_no_statement_for_roles_without_it(client, world, role):
    response = _login(client, world.users[role]).get(reverse("claims:statement"))
    assert response.status_code == 404


def test_it_keeps_a_closed_periods_statement(client, cast, counter_claims, october, world):
    # the claims still open go on in November; the decided ones stay October's
    still_open = Claim.objects.filter(period=october, status__in=["filed", "arbitration"])
    period_close(
        period=october,
        user=world.users[Role.LABOUR],
        carry={"claims.claim": list(still_open.values_list("pk", flat=True))},
    )
    response = _login(client, cast.deputy).get(
        reverse("claims:statement") + f"?period={october.pk}"
    )
    assert response.context["statement"].total == D("4000.00")
    assert "ведомость окончательная" in text_of(response.content)


# --- documents and scope ----------------------------------------------------------------------


@pytest.fixture
def filed(client, cast, filing):
    _login(client, cast.master).post(reverse("claims:claim_create"), filing())
    client.logout()
    return Claim.objects.get()


@pytest.mark.parametrize("who", ["master", "economist", "master_b1", "deputy"])
def test_it_serves_a_scan_to_those_who_see_the_claim(client, cast, filed, who):
    scan = filed.documents.get(title=IDLE_SLIP)
    response = _login(client, getattr(cast, who)).get(
        reverse("claims:document_download", args=[scan.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_it_serves_a_scan_as_the_type_found_whatever_its_name_was(client, cast, filed):
    scan = filed.documents.get(title=IDLE_SLIP)
    # a document filed before the names were checked: «.html» on a PDF, a path, a quote
    ClaimDocument.objects.filter(pk=scan.pk).update(file_name='..\\x/"Листок".html')
    response = _login(client, cast.master).get(reverse("claims:document_download", args=[scan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%D0%9B%D0%B8%D1%81%D1%82%D0%BE%D0%BA.html.pdf" in disposition
    assert '.html"' not in disposition and "/" not in disposition.split("''")[1]


@pytest.fixture
def stranger(world):
    """The administrator of the other plant."""
    user = UserFactory(username="stranger")
    RoleAssignmentFactory(user=user, role=Role.ADMINISTRATOR, enterprise=world.other_enterprise)
    return user


@pytest.mark.parametrize("who", ["master_a2", "worker", "stranger"])
def test_it_answers_404_outside_the_claims_scope(client, cast, filed, stranger, who):
    client = _login(client, stranger if who == "stranger" else getattr(cast, who))
    scan = filed.documents.get(title=IDLE_SLIP)
    for url in (
        reverse("claims:claim_detail", args=[filed.pk]),
        reverse("claims:document_download", args=[scan.pk]),
        reverse("claims:claim_pdf", args=[filed.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_it_answers_404_for_a_reference_without_a_file(client, cast, filed):
    reference = filed.documents.get(title=SCHEDULE)
    response = _login(client, cast.master).get(
        reverse("claims:document_download", args=[reference.pk])
    )
    assert response.status_code == 404


def test_it_lists_the_claim_types_with_their_documents(client, cast, types):
    response = _login(client, cast.master).get(reverse("claims:claim_types"))
    text = text_of(response.content)
    assert "Несвоевременная поставка деталей" in text
    assert IDLE_SLIP in text


def test_it_prints_the_claim_act_and_the_statement(client, cast, counter_claims, october):
    one = counter_claims[0]
    client = _login(client, cast.master)
    act = client.get(reverse("claims:claim_pdf", args=[one.pk]))
    assert act.status_code == 200
    assert act["Content-Type"] == "application/pdf"
    assert act.content.startswith(b"%PDF")

    client = _login(client, cast.economist)
    page = client.get(reverse("claims:statement") + f"?period={october.pk}")
    sheet = client.get(reverse("claims:statement_pdf") + "?" + page.context["query"])
    assert sheet.status_code == 200
    assert sheet.content.startswith(b"%PDF")
    assert "shop-6" in sheet["Content-Disposition"]


def test_it_keys_the_type_blocks_by_a_plain_pk_even_above_a_thousand(client, cast, types):
    """«12 345» in a data attribute would never match the select's value «12345»: the
    page's script would find no calculator for the chosen type (seen on PostgreSQL)."""
    copy = types["late_parts"]
    copy.pk, copy.id, copy.code = 12345, 12345, "late_parts_copy"
    copy._state.adding = True
    copy.save()
    client.force_login(cast.dispatcher)
    html = client.get(reverse("claims:claim_create")).content.decode()
    assert 'data-type="12345"' in html
    assert 'value="12345"' in html


def test_the_error_summary_names_each_missing_document_by_itself(client, cast, filing):
    data = filing(
        doc_0_number=None, doc_0_date=None, doc_1_file=None, doc_2_number=None, doc_2_date=None
    )
    response = _login(client, cast.master).post(reverse("claims:claim_create"), data)

    assert not Claim.objects.exists()
    page = response.content.decode()
    summary = text_of(page.split("data-error-summary", 1)[1].split("</ul>")[0]).replace(" :", ":")
    for title in (SCHEDULE, IDLE_SLIP, OVERTIME):
        assert f"Документ: «{title}»: Приложите файл или укажите номер и дату" in summary
    assert "Файл (скан)" not in summary


def test_a_refused_decision_shows_the_claim_s_page_at_its_own_address(client, cast, file_claim):
    claim = file_claim()
    services.claim_answer(
        claim=claim, answer="reject", accepted_amount=None, reason="Нет.", user=cast.master_b1
    )
    client = _login(client, cast.production_head)
    page = client.get(claim.get_absolute_url()).content.decode()
    form = page.split('data-testid="decide-form"', 1)[0].rsplit("<form", 1)[1]
    assert f'action="{claim.get_absolute_url()}"' in form  # the page's forms post to it

    response = client.post(
        claim.get_absolute_url(), {"step": "decide", "amount": "9 999,00", "reason": "Много."}
    )

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == claim.get_absolute_url()  # not …/decide/
    assert field_errors(response.content, "amount")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ARBITRATION


def test_a_post_to_the_claim_s_page_without_a_known_step_is_not_found(client, cast, file_claim):
    claim = file_claim()
    response = _login(client, cast.master).post(claim.get_absolute_url(), {"step": "delete"})
    assert response.status_code == 404


def test_the_claim_page_reads_its_month_lower_case_and_its_history_in_money(client, cast, filed):
    """The status line names the month as a sentence does («октябрь 2026»); the history
    writes amounts as the page does («… → 1 200,00», never «→ 1200» or «→ 0») and keeps a
    document's size in bytes to itself."""
    response = _login(client, cast.master).get(reverse("claims:claim_detail", args=[filed.pk]))
    html = response.content.decode()
    status_line = html.split('data-testid="status"')[1].split("</p>")[0]
    assert f'<span class="text-body-secondary ms-2">{filed.period}</span>' in status_line
    assert str(filed.period)[0].islower()
    text = plain(text_of(response.content))
    assert "Размер, байт" not in text
    amounts = re.findall(r"Сумма претензии, руб\.: — → ([\d ,]*\d)", text)
    assert amounts and all(re.fullmatch(r"\d{1,3}( \d{3})*,\d\d", a) for a in amounts), amounts
