"""Pages of the proposals: filing with a sketch, each step from the proposal's page (asked
first, errors next to the fields), the author's home card, the overdue list with its
figures, the measure page, and the pinned query counts of the lists."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Proposal
from planning.measures.models import OrgMeasure
from tests.claims.factories import HTML_AS_PDF, PNG, upload
from tests.meetings.proposal_world import ago, proposal, proposal_world

S = Proposal.Status


@pytest.fixture
def pw(world):
    return proposal_world(world)


def as_(client, world, role):
    client.force_login(world.users[role])
    return client


def co_author(world):
    return next(w for w in world.workers["A1"] if w.pk != world.worker.pk)


def filing(world, pw, **values):
    data = {
        "shop": world.units["A"].pk,
        "section": world.units["A1"].pk,
        "workplace": "Станок 16К20",
        "meeting": pw["meeting of A (proposals)"].pk,
        "authors": [world.worker.pk, co_author(world).pk],
        "title": "Откидной упор",
        "problem": "Заготовку меряют линейкой",
        "solution": "Поставить упор",
        "expected_labour": "86,5",
        "expected_materials": "",
        "expected_money": "1 200,50",
        "doc_0_name": "Эскиз упора",
    }
    data.update(values)
    return data


# --- filing ----------------------------------------------------------------------------------


def test_a_worker_files_a_proposal_with_a_sketch_from_the_page(client, world, pw):
    as_(client, world, "worker")
    page = client.get(reverse("meetings:proposal_create"))
    assert page.status_code == 200
    assert 'data-testid="proposal-form"' in page.content.decode()
    response = client.post(
        reverse("meetings:proposal_create"),
        filing(world, pw, doc_0_file=upload("эскиз.png", PNG)),
    )
    assert response.status_code == 302
    p = Proposal.objects.get(title="Откидной упор")
    assert response["Location"] == p.get_absolute_url()
    assert (p.meeting, p.expected_labour, p.expected_money) == (
        pw["meeting of A (proposals)"],
        Decimal("86.5"),
        Decimal("1200.50"),
    )
    detail = client.get(p.get_absolute_url()).content.decode()
    due = (timezone.localdate() + datetime.timedelta(days=15)).strftime("%d.%m.%Y")
    assert f"Бюро рассмотрит его до {due}" in detail
    assert "Эскиз упора" in detail
    doc = p.documents.get()
    download = client.get(reverse("meetings:proposal_document_download", args=[doc.pk]))
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG


def test_the_filing_form_names_each_meeting_with_its_commission(client, world, pw):
    as_(client, world, "worker")
    form = client.get(reverse("meetings:proposal_create")).context["form"]
    meeting = pw["meeting of A (proposals)"]
    labels = dict((str(value), label) for value, label in form.fields["meeting"].choices)
    assert labels[str(meeting.pk)] == f"{meeting} — {meeting.commission.name}"


def test_a_sketch_that_is_not_what_it_says_is_refused_next_to_its_field(client, world, pw):
    as_(client, world, "worker")
    response = client.post(
        reverse("meetings:proposal_create"),
        filing(world, pw, doc_0_file=upload("эскиз.pdf", HTML_AS_PDF)),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "повреждён" in form.errors["doc_0_file"][0]
    assert not Proposal.objects.filter(title="Откидной упор").exists()
    assert "выберите их ещё раз" in response.content.decode()


def test_a_missing_field_and_a_section_of_another_shop_are_said_next_to_them(client, world, pw):
    as_(client, world, "master")
    response = client.post(
        reverse("meetings:proposal_create"),
        filing(world, pw, title="", section=world.units["B1"].pk),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors
    assert "section" in errors  # B1 is not offered: not a section of his shop


def test_the_same_form_posted_twice_files_one_proposal(client, world, pw):
    as_(client, world, "worker")
    token = client.get(reverse("meetings:proposal_create")).context["form"]["submission"].value()
    data = filing(world, pw, submission=token)
    first = client.post(reverse("meetings:proposal_create"), data)
    second = client.post(reverse("meetings:proposal_create"), data)
    assert first["Location"] == second["Location"]
    assert Proposal.objects.filter(title="Откидной упор").count() == 1


# --- the steps from the proposal's page -------------------------------------------------------


def test_the_bureau_sees_its_step_past_the_term_and_is_asked_before_accepting(client, world, pw):
    p = pw["submitted proposal of A"]
    as_(client, world, "worker")
    page = client.get(p.get_absolute_url()).content.decode()
    assert 'data-testid="step-form-review"' in page
    assert "срок прошёл 5 дней назад" in page
    url = reverse("meetings:proposal_review", args=[p.pk])
    asked = client.post(url, {"decision": "accept", "reason": "Полезно"})
    assert asked.status_code == 200
    assert 'data-testid="confirm"' in asked.content.decode()
    p.refresh_from_db()
    assert p.status == S.SUBMITTED  # nothing done before the confirmation
    done = client.post(url, {"decision": "accept", "reason": "Полезно", "confirm": "1"})
    assert done.status_code == 302
    p.refresh_from_db()
    assert (p.status, p.review_reason) == (S.ACCEPTED, "Полезно")


def test_a_rejection_without_a_reason_is_said_next_to_the_reason(client, world, pw):
    p = pw["submitted proposal of A"]
    as_(client, world, "worker")
    response = client.post(
        reverse("meetings:proposal_review", args=[p.pk]), {"decision": "reject", "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["step_form"].errors == {
        "reason": ["Отклоняя предложение, укажите причину."]
    }


def test_others_do_not_see_the_step_and_cannot_post_it(client, world, pw):
    p = pw["submitted proposal of A"]
    as_(client, world, "shop_head")
    page = client.get(p.get_absolute_url()).content.decode()
    assert "step-form" not in page
    response = client.post(
        reverse("meetings:proposal_review", args=[p.pk]), {"decision": "accept", "confirm": "1"}
    )
    assert response.status_code == 404


def test_the_whole_way_from_the_pages(client, world, pw):
    p = pw["accepted proposal of A"]
    as_(client, world, "brigade_leader")
    assert client.post(reverse("meetings:proposal_pass", args=[p.pk])).status_code == 302
    as_(client, world, "shop_head")
    client.post(
        reverse("meetings:proposal_answer", args=[p.pk]),
        {"decision": "agree", "answer": "В декабре", "confirm": "1"},
    )
    p.refresh_from_db()
    assert p.status == S.AGREED
    client.post(
        reverse("meetings:proposal_implement", args=[p.pk]),
        {
            "implemented_on": timezone.localdate().isoformat(),
            "responsible": "Мастер Сидоров",
            "actual_labour": "100,5",
            "actual_money": "",
            "actual_effect": "",
            "confirm": "1",
        },
    )
    p.refresh_from_db()
    assert (p.status, p.actual_labour) == (S.IMPLEMENTED, Decimal("100.5"))
    page = client.get(p.get_absolute_url()).content.decode()
    assert 'data-testid="step-implemented"' in page
    assert "step-form" not in page
    # a name that ends in an initial keeps one full stop: «(ответственный Сидоров И.И.).»
    p.implementation_responsible = "Мастер Сидоров И.И."
    p.save(update_fields=["implementation_responsible"])
    page = client.get(p.get_absolute_url()).content.decode()
    assert "(ответственный Мастер Сидоров И.И.)." in page
    assert "И.И.." not in page


def test_a_refused_step_shows_the_page_again_with_the_error(client, world, pw):
    p = pw["agreed proposal of A"]
    as_(client, world, "master")
    response = client.post(
        reverse("meetings:proposal_implement", args=[p.pk]),
        {"implemented_on": ago(6).isoformat(), "responsible": "М", "confirm": "1"},
    )
    assert response.status_code == 200
    errors = response.context["step_form"].errors
    assert "не может быть раньше" in errors["implemented_on"][0]
    assert Proposal.objects.get(pk=p.pk).status == S.AGREED


# --- the author's home, the overdue list ------------------------------------------------------


def test_the_authors_home_follows_his_proposals_and_what_waits_on_him(client, world, pw):
    as_(client, world, "worker")
    page = client.get(reverse("home"))
    html = page.content.decode()
    panel = next(p for p in page.context["panels"] if "mine" in p)
    numbers = [row.proposal.number for row in panel["mine"]]
    # his six of A (the rejected one is the co-author's alone), newest first
    expected = [
        pw[k]
        for k in (
            "submitted proposal of A",
            "accepted proposal of A",
            "agreed proposal of A",
            "passed proposal of A",
            "implemented proposal of A",
        )
    ]
    assert numbers == [p.number for p in expected]
    overdue = [row.proposal.number for row in panel["mine"] if row.overdue]
    assert overdue == [pw["submitted proposal of A"].number, pw["passed proposal of A"].number]
    # the bureau's step waits on him, past its term
    assert [row.proposal.number for row in panel["held"]] == [pw["submitted proposal of A"].number]
    assert panel["held_overdue"] == 1
    assert 'data-testid="my-proposals"' in html
    assert f'data-testid="held-{pw["submitted proposal of A"].number}"' in html
    # five columns do not fit a phone: there each row is a card (table-cards), and on a
    # narrow screen above it the table scrolls in its card, not the whole page
    table = '<table class="table table-sm table-cards mb-0" data-testid="proposals-mine">'
    assert f'<div class="table-responsive">{table}' in html


def test_the_bureau_member_reaches_the_statistics_from_his_card(client, world, pw):
    # the worker sits in shop A's bureau: he may read the statistics, and the menu (roles
    # only) does not offer them, so his card does
    as_(client, world, "worker")
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-stats"' in html
    assert 'data-testid="nav-meetings-stats"' not in html
    assert client.get(reverse("meetings:stats")).status_code == 200
    # the shop head has it in the menu: not twice
    as_(client, world, "shop_head")
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-meetings-stats"' in html
    assert 'data-testid="home-stats"' not in html


def test_a_user_with_no_proposals_has_no_card(client, world, pw):
    as_(client, world, "dispatcher")
    page = client.get(reverse("home"))
    assert not any("mine" in p for p in page.context["panels"])


def test_the_superior_sees_the_overdue_list_with_the_days(client, world, pw):
    as_(client, world, "shop_head")
    page = client.get(reverse("meetings:proposal_overdue"))
    html = page.content.decode()
    passed, submitted = pw["passed proposal of A"], pw["submitted proposal of A"]
    rows = list(page.context["table"].rows)
    assert [r.record.pk for r in rows] == [passed.pk, submitted.pk]
    assert [r.get_cell("past") for r in rows] == ["10", "5"]
    assert [r.get_cell("waiting") for r in rows] == ["60", "20"]
    assert [r.get_cell("holder") for r in rows] == ["администрация", "бюро комиссии"]
    assert f'data-testid="overdue-{passed.number}"' in html
    # the page's title comes first, its explanation under it (not above it)
    assert html.index("<h1") < html.index('data-testid="overdue-note"')


def test_the_lists_yes_no_filters_offer_all_yes_and_no(client, world, pw):
    as_(client, world, "worker")
    form = client.get(reverse("meetings:proposal_list")).context["filter"].form
    for name in ("overdue", "mine"):
        # not django-filter's «Неизвестно» for «no filter»
        assert list(form.fields[name].widget.choices) == [
            ("", "все"),
            ("true", "да"),
            ("false", "нет"),
        ]
    html = client.get(reverse("meetings:proposal_list")).content.decode()
    assert "Неизвестно" not in html


def test_the_list_marks_what_is_past_its_term(client, world, pw):
    as_(client, world, "shop_head")
    html = client.get(reverse("meetings:proposal_list"), {"overdue": "true"}).content.decode()
    assert html.count('data-testid="past-term"') == 2


# --- the measure ------------------------------------------------------------------------------


def test_the_master_makes_the_proposal_a_measure_from_its_page(client, world, pw):
    p = pw["agreed proposal of A"]
    as_(client, world, "master")
    assert 'data-testid="to-measure"' in client.get(p.get_absolute_url()).content.decode()
    form = client.get(reverse("meetings:proposal_measure", args=[p.pk])).context["form"]
    response = client.post(
        reverse("meetings:proposal_measure", args=[p.pk]),
        {
            "section": world.units["A1"].pk,
            "year": str(timezone.localdate().year),
            "name": p.title,
            "factor": "progressive_technology",
            "workplaces": "",
            "responsible": "Технолог Петров",
            "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "labour_before": "0,45",
            "labour_after": "0,29",
            "annual_quantity": "750",
            "annual_time_fund": "1 807",
            "norm_fulfilment": "1,2",
            "headcount": "20",
            "economic_effect": "",
            "version": "",
            "submission": form["submission"].value(),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    p.refresh_from_db()
    measure = OrgMeasure.objects.get(pk=p.measure_id)
    assert measure.reduction == Decimal("120.00000")
    assert set(measure.authors.all()) == {world.worker, co_author(world)}


# --- query counts (the list, the overdue list, the home page with the card) -------------------


def _more(world, count):
    for index in range(count):
        proposal(world.units["A"], [world.worker], submitted=ago(30 + index), title=f"Ещё {index}")


@pytest.mark.parametrize(
    ("url", "role", "pinned"),
    [
        ("meetings:proposal_list", "shop_head", 6),
        ("meetings:proposal_overdue", "shop_head", 6),
        ("home", "worker", 21),
    ],
)
def test_the_lists_query_counts_are_pinned(
    client, world, pw, url, role, pinned, django_assert_max_num_queries
):
    as_(client, world, role)
    client.get(reverse(url))  # the session and the caches warmed
    with django_assert_max_num_queries(pinned):
        client.get(reverse(url))
    _more(world, 8)
    with django_assert_max_num_queries(pinned):
        client.get(reverse(url))
