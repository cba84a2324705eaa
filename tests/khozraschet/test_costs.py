"""A section's cost plan (§5, table 6): plan and actual by article, the month-end
corrections with their reason and author, the deviation of the actual from the
*recalculated* plan, and the masters' explanations of deviations."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from enterprise.models import HistoryRecord
from enterprise.models.roles import Role
from enterprise.tracking import PeriodClosedError
from khozraschet.models import CostCorrection, CostLine, DeviationNote
from khozraschet.selectors.costs import corrections_of, cost_table, cost_tables
from khozraschet.services import costs as services
from tests.factories import UserFactory, close_as_is
from tests.khozraschet.factories_costs import (
    CostCorrectionFactory,
    CostLineFactory,
    DeviationNoteFactory,
    articles,
)
from tests.pages import field_block, form_data, formset_data, messages_of, text_of

D = Decimal
STALE = "уже изменил другой пользователь"


def field_errors(content, name: str) -> str:
    """The error text shown under a field (crispy's ``error_N_id_<name>`` elements)."""
    block = field_block(content, name)
    found = re.findall(rf'id="error_\d+_id_{name}">(.*?)</(?:p|span)>', block, re.S)
    return " ".join(text_of(match) for match in found)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name, section, period, *more):
    return reverse(f"khozraschet:{name}", args=[section.pk, period.year, period.month, *more])


@pytest.fixture
def costs(world):
    """Section A1's October: table 6's articles, materials planned at 1 000,00 and
    corrected by +120,50 (metal dearer than planned), actual 1 100,00; wages planned at
    5 000,00, corrected by −300,00 and +100,00, actual 4 900,00."""
    a1, october = world.units["A1"], world.period(2026, 10)
    found = articles(world.enterprise)
    economist = world.users[Role.ECONOMIST]
    CostLineFactory(
        section=a1, period=october, article=found["materials"], plan=D("1000.00"), actual=D("1100")
    )
    CostLineFactory(
        section=a1, period=october, article=found["wages"], plan=D("5000.00"), actual=D("4900")
    )
    CostCorrectionFactory(
        section=a1,
        period=october,
        article=found["materials"],
        amount=D("120.50"),
        reason="Металл подорожал",
        author=economist,
    )
    for amount, reason in ((D("-300.00"), "Снижены расценки"), (D("100.00"), "Доплата за ночь")):
        CostCorrectionFactory(
            section=a1,
            period=october,
            article=found["wages"],
            amount=amount,
            reason=reason,
            author=economist,
        )
    return found


# --- the table -------------------------------------------------------------------------------


def test_the_actual_is_compared_with_the_recalculated_plan(world, costs):
    table = cost_table(world.units["A1"], world.period(2026, 10))

    materials = table.row(costs["materials"].pk)
    assert (materials.plan, materials.corrections, materials.recalculated) == (
        D("1000.00"),
        D("120.50"),
        D("1120.50"),
    )
    assert materials.actual == D("1100.00")
    assert materials.deviation == D("-20.50")  # saved against 1 120,50, not overspent by 100
    assert materials.saved and not materials.overspent

    wages = table.row(costs["wages"].pk)
    assert (wages.corrections, wages.recalculated, wages.deviation) == (
        D("-200.00"),
        D("4800.00"),
        D("100.00"),
    )
    assert wages.overspent

    assert [r.article.code for r in table.rows] == [
        "wages",
        "materials",
        "energy",
        "tools",
        "repairs",
    ]
    energy = table.row(costs["energy"].pk)
    assert (energy.plan, energy.recalculated, energy.actual, energy.deviation) == (
        D("0.00"),
        D("0.00"),
        None,
        None,
    )
    assert energy.empty
    assert (table.plan, table.corrections, table.recalculated) == (
        D("6000.00"),
        D("-79.50"),
        D("5920.50"),
    )
    assert (table.actual, table.deviation) == (D("6000.00"), D("79.50"))
    assert table.complete and table.overspent
    materials = table.materials  # the competition's materials (table 8)
    assert (materials.recalculated, materials.actual, materials.deviation) == (
        D("1120.50"),
        D("1100.00"),
        D("-20.50"),
    )


def test_an_article_without_its_actual_leaves_the_table_incomplete(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    CostLineFactory(section=a1, period=october, article=costs["tools"], plan=D("300.00"))

    table = cost_table(a1, october)

    assert not table.complete
    assert table.row(costs["tools"].pk).deviation is None
    assert table.plan == D("6300.00")
    assert (table.actual, table.deviation) == (D("6000.00"), D("79.50"))


def test_a_month_without_costs_has_no_actual(world, costs):
    table = cost_table(world.units["A2"], world.period(2026, 10))
    assert (table.plan, table.recalculated, table.actual, table.deviation) == (
        D("0.00"),
        D("0.00"),
        None,
        None,
    )
    assert table.complete


def test_the_tables_of_many_sections_take_three_queries(world, costs, django_assert_num_queries):
    october = world.period(2026, 10)
    ids = [world.units[key].pk for key in ("A1", "A2", "B1")]
    with django_assert_num_queries(3):
        tables = cost_tables(ids, october)
    assert tables[world.units["A1"].pk].deviation == D("79.50")
    assert tables[world.units["B1"].pk].plan == D("0.00")


# --- the grid ----------------------------------------------------------------------------------


def _grid_data(client, url):
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {**formset_data(formset), **form_data(page.context["version"])}
    index = {form.initial["article"]: form.prefix for form in formset.forms}
    return data, index


def test_the_economist_enters_plans_and_actuals_in_russian_format(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("costs", a1, october)
    client = _client(world.users[Role.ECONOMIST])
    data, index = _grid_data(client, url)
    data[f"{index[costs['energy'].pk]}-plan"] = "2 400,5"
    data[f"{index[costs['energy'].pk]}-actual"] = "2 350"
    data[f"{index[costs['materials'].pk]}-actual"] = "1 090,00"
    data[f"{index[costs['wages'].pk]}-plan"] = ""
    data[f"{index[costs['wages'].pk]}-actual"] = ""

    response = client.post(url, data)

    assert response.status_code == 302
    lines = {line.article.code: line for line in CostLine.objects.filter(section=a1)}
    assert set(lines) == {"materials", "energy"}  # the wages' line was cleared
    assert (lines["energy"].plan, lines["energy"].actual) == (D("2400.50"), D("2350.00"))
    assert lines["materials"].actual == D("1090.00")
    table = cost_table(a1, october)
    assert table.row(costs["materials"].pk).deviation == D("-30.50")
    assert table.row(costs["wages"].pk).recalculated == D("-200.00")  # corrections stay


def test_an_actual_far_from_the_recalculated_plan_asks_for_confirmation(world, costs):
    """Materials: plan 1 000,00 + 120,50 = 1 120,50; an actual of 90 000 is more than the
    plant's 1,5 × away: asked again, saved once confirmed, and not asked again unchanged."""
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("costs", a1, october)
    client = _client(world.users[Role.ECONOMIST])
    data, index = _grid_data(client, url)
    data[f"{index[costs['materials'].pk]}-actual"] = "90 000"

    response = client.post(url, data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "Факт 90 000,00 далёк от пересчитанного плана 1 120,50" in text
    assert response.context["ask_confirm"] is True
    assert CostLine.objects.get(article=costs["materials"]).actual == D("1100.00")

    data, _index = _grid_data(client, url)
    data[f"{index[costs['materials'].pk]}-actual"] = "90 000"
    data["confirm"] = "1"
    assert client.post(url, data).status_code == 302
    line = CostLine.objects.get(article=costs["materials"])
    assert line.actual == D("90000.00")
    # The history says it was confirmed, and by whom.
    record = (
        HistoryRecord.objects.filter(object_pk=str(line.pk), group__isnull=False)
        .exclude(reason="")
        .get(content_type__model="costline")
    )
    assert record.actor == world.users[Role.ECONOMIST]
    assert record.reason.replace("\xa0", " ") == (
        "Подтверждены маловероятные цифры: Факт 90 000,00 далёк от пересчитанного плана "
        "1 120,50: проверьте цифру и подтвердите её."
    )

    # Saved again unchanged (another row edited): not asked again.
    data, _index = _grid_data(client, url)
    data[f"{index[costs['energy'].pk]}-plan"] = "100"
    data[f"{index[costs['energy'].pk]}-actual"] = "101"
    assert client.post(url, data).status_code == 302


def test_an_actual_without_a_plan_is_refused_on_its_row_and_nothing_is_saved(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("costs", a1, october)
    client = _client(world.users[Role.DISPATCHER])
    data, index = _grid_data(client, url)
    data[f"{index[costs['tools'].pk]}-actual"] = "150"
    data[f"{index[costs['energy'].pk]}-plan"] = "900"

    response = client.post(url, data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert "Укажите план: факт без плана не с чем сравнить." in text
    assert "Ничего не сохранено" in text
    tools = next(
        f for f in response.context["formset"].forms if f.prefix == index[costs["tools"].pk]
    )
    assert tools.errors["plan"]
    assert not CostLine.objects.filter(section=a1, article__code__in=["tools", "energy"]).exists()


def test_a_stale_grid_is_refused_naming_who_changed_what(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = _url("costs", a1, october)
    economist, dispatcher = (
        _client(world.users[Role.ECONOMIST]),
        _client(world.users[Role.DISPATCHER]),
    )
    first, index = _grid_data(economist, url)
    second, _ = _grid_data(dispatcher, url)
    first[f"{index[costs['materials'].pk]}-actual"] = "1 150"
    assert economist.post(url, first).status_code == 302

    second[f"{index[costs['materials'].pk]}-actual"] = "1 050"
    response = dispatcher.post(url, second)

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert "1 150" in text
    line = CostLine.objects.get(section=a1, article=costs["materials"])
    assert line.actual == D("1150.00")
    # Having read what changed, saving again writes over it deliberately.
    again = {**second, **form_data(response.context["version"])}
    assert dispatcher.post(url, again).status_code == 302
    line.refresh_from_db()
    assert line.actual == D("1050.00")


def test_a_closed_month_is_read_only_and_a_post_changes_nothing(world):
    a1, september = world.units["A1"], world.period(2026, 9)
    found = articles(world.enterprise)
    url = _url("costs", a1, september)
    client = _client(world.users[Role.ECONOMIST])

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["formset"] is None and page.context["correction_form"] is None
    assert "закрыт" in text_of(page.content)

    response = client.post(
        url,
        {
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            "rows-0-article": found["materials"].pk,
            "rows-0-plan": "100",
        },
    )
    assert response.status_code == 302
    assert any("закрыт" in m for m in messages_of(response))
    assert not CostLine.objects.filter(period=september).exists()
    with pytest.raises(PeriodClosedError):
        services.cost_plan_save(
            section=a1,
            period=september,
            rows=[services.CostPlanRow(found["materials"].pk, D("1"), None)],
            user=world.users[Role.ECONOMIST],
        )


def test_a_month_closed_later_freezes_its_costs(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    close_as_is(october, world.users[Role.LABOUR])
    with pytest.raises(PeriodClosedError):
        services.cost_correction_add(
            section=a1,
            period=october,
            article=costs["tools"],
            amount=D("5"),
            reason="Поздно",
            user=world.users[Role.ECONOMIST],
        )
    correction = CostCorrection.objects.filter(section=a1).first()
    with pytest.raises(ValidationError):
        services.cost_correction_delete(correction=correction, user=world.users[Role.ECONOMIST])
    assert CostCorrection.objects.filter(section=a1).count() == 3


# --- corrections -------------------------------------------------------------------------------


def _correction(world, costs, **more):
    return {
        "article": costs["materials"].pk,
        "amount": "−45,25",
        "reason": "Прокат подешевел",
        "submission": uuid.uuid4().hex,
        **more,
    }


def test_a_correction_is_recorded_with_its_author_and_changes_the_recalculated_plan(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    dispatcher = world.users[Role.DISPATCHER]
    dispatcher.first_name, dispatcher.last_name = "Пётр", "Диспетчеров"
    dispatcher.save()
    client = _client(dispatcher)

    response = client.post(_url("correction_add", a1, october), _correction(world, costs))

    assert response.status_code == 302
    correction = CostCorrection.objects.get(section=a1, reason="Прокат подешевел")
    assert (correction.amount, correction.author) == (D("-45.25"), dispatcher)
    assert cost_table(a1, october).row(costs["materials"].pk).recalculated == D("1075.25")
    page = client.get(_url("costs", a1, october))
    listed = [e for e in page.context["corrections"] if e.correction.pk == correction.pk]
    assert listed[0].at is not None
    assert "Пётр Диспетчеров" in text_of(page.content)


@pytest.mark.parametrize("reason", ["", "   ", "\t"])
def test_a_correction_without_a_reason_is_refused_next_to_the_field(world, costs, reason):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])

    response = client.post(
        _url("correction_add", a1, october), _correction(world, costs, reason=reason)
    )

    assert response.status_code == 200
    assert "Укажите причину поправки" in field_errors(response.content, "reason")
    assert CostCorrection.objects.filter(section=a1).count() == 3


def test_the_service_refuses_a_blank_reason_too(world, costs):
    with pytest.raises(ValidationError) as refused:
        services.cost_correction_add(
            section=world.units["A1"],
            period=world.period(2026, 10),
            article=costs["tools"],
            amount=D("10"),
            reason="  ",
            user=world.users[Role.ECONOMIST],
        )
    assert "reason" in refused.value.message_dict


def test_a_zero_correction_is_refused(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])
    response = client.post(
        _url("correction_add", a1, october), _correction(world, costs, amount="0,00")
    )
    assert response.status_code == 200
    assert "Нулевая поправка" in field_errors(response.content, "amount")


def test_a_double_post_of_one_correction_form_makes_one_correction(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])
    data = _correction(world, costs)

    first = client.post(_url("correction_add", a1, october), data)
    second = client.post(_url("correction_add", a1, october), data)

    assert first.status_code == second.status_code == 302
    assert CostCorrection.objects.filter(reason="Прокат подешевел").count() == 1
    assert any("уже отправлена" in m for m in messages_of(second))


def test_the_author_deletes_his_correction_after_confirming(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    correction = CostCorrection.objects.get(section=a1, reason="Металл подорожал")
    url = _url("correction_delete", a1, october, correction.pk)
    client = _client(world.users[Role.ECONOMIST])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Металл подорожал" in text_of(confirm.content)
    assert CostCorrection.objects.filter(pk=correction.pk).exists()

    assert client.post(url).status_code == 302
    assert not CostCorrection.objects.filter(pk=correction.pk).exists()
    assert cost_table(a1, october).row(costs["materials"].pk).deviation == D("100.00")


def test_only_the_author_may_delete_a_correction(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    correction = CostCorrection.objects.get(section=a1, reason="Металл подорожал")
    url = _url("correction_delete", a1, october, correction.pk)
    assert _client(world.users[Role.DISPATCHER]).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.cost_correction_delete(correction=correction, user=world.users[Role.DISPATCHER])
    assert CostCorrection.objects.filter(pk=correction.pk).exists()


def test_corrections_are_listed_in_the_order_made_with_their_author(world, costs):
    entries = corrections_of(world.units["A1"], world.period(2026, 10))
    assert [e.correction.reason for e in entries] == [
        "Металл подорожал",
        "Снижены расценки",
        "Доплата за ночь",
    ]
    assert {e.correction.author.username for e in entries} == {Role.ECONOMIST}


# --- scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "section", "status"),
    [
        (Role.MASTER, "A1", 200),
        (Role.MASTER, "A2", 404),
        (Role.WORKER, "A1", 404),
        (Role.BRIGADE_LEADER, "A1", 404),
        (Role.ECONOMIST, "B1", 404),
        (Role.LABOUR, "B1", 200),
    ],
)
def test_the_cost_page_is_read_by_whoever_reads_the_section(world, costs, role, section, status):
    url = _url("costs", world.units[section], world.period(2026, 10))
    response = _client(world.users[role]).get(url)
    assert response.status_code == status
    if status == 200 and role != Role.ECONOMIST:
        assert response.context["formset"] is None  # reads, does not enter


def test_a_master_may_not_post_the_grid_nor_a_correction(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.MASTER])
    assert client.post(_url("costs", a1, october), {}).status_code == 404
    assert (
        client.post(_url("correction_add", a1, october), _correction(world, costs)).status_code
        == 404
    )


def test_a_month_the_enterprise_does_not_have_is_404(world, costs):
    client = _client(world.users[Role.ECONOMIST])
    a1 = world.units["A1"]
    for year, month in ((2025, 10), (2026, 13), (2026, 0), (99999, 1)):
        url = reverse("khozraschet:costs", args=[a1.pk, year, month])
        assert client.get(url).status_code == 404


# --- the masters' explanations -----------------------------------------------------------------


def _note(costs, **more):
    return {
        "part": "Вал 6-12",
        "article": costs["materials"].pk,
        "deviation": "−20,50",
        "explanation": "Заготовки пришли с меньшим припуском.",
        "submission": uuid.uuid4().hex,
        **more,
    }


def test_the_master_explains_a_deviation_and_others_read_it(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    master = world.users[Role.MASTER]
    url = _url("explanations", a1, october)

    response = _client(master).post(url, _note(costs))

    assert response.status_code == 302
    note = DeviationNote.objects.get(section=a1)
    assert (note.part, note.deviation, note.author) == ("Вал 6-12", D("-20.50"), master)
    page = _client(world.users[Role.SHOP_HEAD]).get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert "меньшим припуском" in text_of(page.content)
    assert _client(world.users[Role.ECONOMIST]).post(url, _note(costs)).status_code == 404
    assert _client(world.users[Role.WORKER]).get(url).status_code == 404


def test_a_double_post_of_an_explanation_makes_one(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.MASTER])
    data = _note(costs)
    client.post(_url("explanations", a1, october), data)
    client.post(_url("explanations", a1, october), data)
    assert DeviationNote.objects.filter(section=a1).count() == 1


def test_an_explanation_needs_its_text(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    response = _client(world.users[Role.MASTER]).post(
        _url("explanations", a1, october), _note(costs, explanation="  ")
    )
    assert response.status_code == 200
    assert field_errors(response.content, "explanation")
    assert not DeviationNote.objects.exists()


def test_the_master_edits_his_explanation_and_a_stale_edit_is_refused(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    master = world.users[Role.MASTER]
    note = DeviationNoteFactory(
        section=a1, period=october, article=costs["materials"], author=master
    )
    url = _url("explanation_edit", a1, october, note.pk)
    first, second = _client(master), _client(master)
    page_one, page_two = first.get(url), second.get(url)
    data_one = form_data(page_one.context["form"])
    data_two = form_data(page_two.context["form"])

    data_one["deviation"] = "95,00"
    assert first.post(url, data_one).status_code == 302
    data_two["explanation"] = "Иное объяснение."
    response = second.post(url, data_two)

    assert response.status_code == 200
    assert STALE in text_of(response.content)
    note.refresh_from_db()
    assert note.deviation == D("95.00")
    assert note.explanation == "Брак заготовки: переточили две детали."


def test_an_explanation_is_edited_by_its_author_only(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    other_master = UserFactory(username="master-two")
    note = DeviationNoteFactory(
        section=a1, period=october, article=costs["materials"], author=other_master
    )
    url = _url("explanation_edit", a1, october, note.pk)
    assert _client(world.users[Role.MASTER]).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.deviation_note_edit(
            note=note,
            article=costs["materials"],
            part="x",
            deviation=D("1"),
            explanation="y",
            user=world.users[Role.MASTER],
        )


# --- races (PostgreSQL: real row locks) ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_posts_of_one_correction_form_at_once_make_one_correction(world):
    from tests.races import at_once, outcomes

    a1, october = world.units["A1"], world.period(2026, 10)
    found = articles(world.enterprise)
    url = _url("correction_add", a1, october)
    clients = [_client(world.users[Role.ECONOMIST]) for _ in range(10)]
    for run in range(10):
        data = {
            "article": found["materials"].pk,
            "amount": "120,50",
            "reason": f"Металл подорожал, партия {run + 1}",
            "submission": uuid.uuid4().hex,
        }
        results = at_once(*[lambda c=client, d=data: c.post(url, d) for client in clients])
        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        assert [r.status_code for r in responses] == [302] * 10, run
        assert CostCorrection.objects.filter(reason=data["reason"]).count() == 1, run
        assert CostCorrection.objects.filter(section=a1).count() == run + 1, run
    assert cost_table(a1, october).row(found["materials"].pk).corrections == D("1205.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_saving_one_cost_grid_at_once_lose_nothing(world):
    from tests.races import at_once, outcomes

    a1, october = world.units["A1"], world.period(2026, 10)
    found = articles(world.enterprise)
    url = _url("costs", a1, october)
    for run in range(10):
        clients = [_client(world.users[Role.ECONOMIST]), _client(world.users[Role.DISPATCHER])]
        posted = []
        for n, client in enumerate(clients):
            data, index = _grid_data(client, url)
            data[f"{index[found['materials'].pk]}-plan"] = str(1000 + 100 * run + n)
            posted.append((client, data))
        results = at_once(*[lambda c=c, d=d: c.post(url, d) for c, d in posted])
        responses, errors = outcomes(results)
        assert errors == [], (run, errors)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 302], (run, codes)
        refused = next(r for r in responses if r.status_code == 200)
        assert STALE in text_of(refused.content)
        line = CostLine.objects.get(section=a1, article=found["materials"])
        assert line.plan in {D(1000 + 100 * run), D(1001 + 100 * run)}, run


def test_a_refused_correction_keeps_the_grid_posting_to_the_cost_page(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    client = _client(world.users[Role.ECONOMIST])
    response = client.post(
        _url("correction_add", a1, october), _correction(world, costs, reason="")
    )
    html = response.content.decode()
    assert f'action="{_url("costs", a1, october)}"' in html


def test_the_page_leads_to_the_months_before_and_after(world, costs):
    a1, october = world.units["A1"], world.period(2026, 10)
    page = _client(world.users[Role.MASTER]).get(_url("costs", a1, october))
    assert (page.context["earlier"], page.context["later"]) == (
        world.period(2026, 9),
        world.period(2026, 11),
    )
    assert _url("costs", a1, world.period(2026, 11)) in page.content.decode()
