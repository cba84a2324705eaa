"""The brigade's month through its pages: timesheet typed as a Russian user types it, KTU,
earnings, the sheet of table 19, the council's agreement and the shop head's approval,
what a worker sees, closed months and corrections.

The brigades of tables 18 and 19 work in section A1 from October 2026 (see conftest):
the world's brigade leader leads table 18, the master of A1 keeps table 19.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP

import pytest
from django.urls import reverse

from brigades import rules
from brigades.models import Brigade, Distribution, Ktu, Line
from brigades.services import (
    TimesheetRow,
    distribution_agree,
    distribution_approve,
    membership_add,
    timesheet_save,
)
from enterprise.models.roles import Role
from enterprise.services import period_close
from tests.brigades.conftest import D
from tests.brigades.factories import KtuCriterionFactory, MembershipFactory
from tests.factories import RoleAssignmentFactory, UserFactory, WorkerFactory, close_as_is
from tests.pages import formset_data, messages_of, text_of

TABLE_19_PAY = ["255.93", "82.15", "184.05", "255.93", "244.92"]
NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def criteria(world):
    """The cuts and raises the council applies in table 19, and two big raises."""
    return {
        "discipline": KtuCriterionFactory(
            enterprise=world.enterprise, name="Нарушение дисциплины", adjustment=D("-0.15")
        ),
        "helping": KtuCriterionFactory(
            enterprise=world.enterprise, name="Помощь другим членам бригады", adjustment=D("0.05")
        ),
        "combining": KtuCriterionFactory(
            enterprise=world.enterprise, name="Совмещение профессий", adjustment=D("0.10")
        ),
        "zone": KtuCriterionFactory(
            enterprise=world.enterprise, name="Расширенная зона обслуживания", adjustment=D("0.60")
        ),
        "standing_in": KtuCriterionFactory(
            enterprise=world.enterprise, name="Замена отсутствующего", adjustment=D("0.50")
        ),
    }


def _login(client, user):
    client.force_login(user)
    return client


def _open_month(client, brigade, period) -> Distribution:
    """Open the month on the brigade's page form; the page goes on to the timesheet."""
    response = client.post(
        reverse("brigades:distribution_open", args=[brigade.pk]), {"period": period.pk}
    )
    distribution = Distribution.objects.get(brigade=brigade, period=period, corrects=None)
    assert response.status_code == 302
    assert response["Location"] == reverse("brigades:timesheet_edit", args=[distribution.pk])
    return distribution


def _post_timesheet(client, distribution, hours: dict):
    """Post the timesheet as the page shows it, with ``hours`` typed in: {line pk: text}."""
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = formset_data(formset)
    for form in formset.forms:
        line_id = form.initial["line"]
        if line_id in hours:
            data[form.add_prefix("hours")] = hours[line_id]
    return client.post(url, data)


def _post_earnings(client, distribution, piecework: str, method: str, bonus="0", savings="0"):
    return client.post(
        reverse("brigades:earnings_edit", args=[distribution.pk]),
        {
            "method": method,
            "piecework": piecework,
            "bonus": bonus,
            "savings": savings,
            "norm_hours": "0",
        },
    )


def _row_html(content: str, line_id: int) -> str:
    """The timesheet's <tr> of one line (found by its hidden line input)."""
    for row in re.findall(r"<tr data-rate=.*?</tr>", content, re.S):
        if re.search(rf'name="form-\d+-line" value="{line_id}"', row):
            return row
    raise AssertionError(f"no timesheet row for line {line_id}")


def _lines(distribution) -> dict[int, Line]:
    return {line.pk: line for line in Line.objects.filter(distribution=distribution)}


def _sheet(client, distribution):
    response = client.get(distribution.get_absolute_url())
    assert response.status_code == 200
    return response


# --- the timesheet --------------------------------------------------------------------------


def test_it_saves_a_timesheet_typed_with_russian_decimals_and_recomputes_the_shares(
    client, table18, november, leader
):
    _login(client, leader)
    distribution = _open_month(client, table18.brigade, november)
    response = _post_earnings(client, distribution, "1 053,84", Brigade.Method.TARIFF)
    assert response.status_code == 302
    lines = table18.lines(distribution)
    typed = {line.pk: str(hours) for line, hours in zip(lines, table18.hours, strict=True)}
    typed[lines[1].pk] = "161,5"  # grade 4: 0.596 × 161.5 = 96.254
    typed[lines[0].pk] = "167"  # grade 6: 0.767 × 167 = 128.089

    response = _post_timesheet(client, distribution, typed)

    assert response.status_code == 302
    assert response["Location"] == distribution.get_absolute_url()
    stored = _lines(distribution)
    second, first = stored[lines[1].pk], stored[lines[0].pk]
    assert second.hours == D("161.50")
    assert second.rate == D("0.5960")
    assert (
        second.tariff
        == D("96.25")
        == (second.rate * second.hours).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    )
    assert first.tariff == D("128.09")
    # The shares follow the new hours: 1053.84 split by tariff, to the kopeck.
    ordered = [stored[line.pk] for line in lines]
    tariffs = [line.tariff for line in ordered]
    shares = [line.total - line.surcharge for line in ordered]
    assert shares == rules.allocate(D("1053.84"), tariffs)
    assert sum(shares) == D("1053.84")
    page = client.get(response["Location"])
    assert "Табель сохранён, доли пересчитаны." in messages_of(page)
    text = text_of(page.content)
    assert "96,25" in text
    assert "161,5" in text


def test_it_shows_a_negative_hour_value_next_to_its_row_and_saves_nothing(
    client, table18, november, leader
):
    _login(client, leader)
    distribution = _open_month(client, table18.brigade, november)
    lines = table18.lines(distribution)
    typed = {line.pk: "167" for line in lines}
    typed[lines[2].pk] = "-5"

    response = _post_timesheet(client, distribution, typed)

    assert response.status_code == 200
    content = response.content.decode()
    wrong = _row_html(content, lines[2].pk)
    assert "invalid-feedback" in wrong
    assert "Число не может быть отрицательным." in text_of(wrong)
    for line in lines[:2] + lines[3:]:
        assert "invalid-feedback" not in _row_html(content, line.pk)
    assert all(line.hours == 0 and line.tariff == 0 for line in _lines(distribution).values())
    # The summary at the top names the row by its worker, not by a number the grid lacks.
    summary = [str(e.label) for e in response.context["refused_form_errors"]]
    assert summary == [f"{lines[2].worker}: Часы"], summary


def test_each_timesheet_input_is_named_for_its_column_and_worker(client, table18, november, leader):
    """A screen reader reads a grid's input by its own name, not by the column's head
    and the row's first cell: «Часы — Иванов Иван Иванович (1234)», on the page and when
    it comes back with an error."""
    _login(client, leader)
    distribution = _open_month(client, table18.brigade, november)
    lines = table18.lines(distribution)
    page = client.get(reverse("brigades:timesheet_edit", args=[distribution.pk])).content
    for line in lines:
        row = _row_html(page.decode(), line.pk)
        assert f'aria-label="Часы — {line.worker}"' in row, row
        assert 'type="hidden" name="form-0-line" aria-label' not in row

    typed = {line.pk: "167" for line in lines}
    typed[lines[1].pk] = "-5"
    refused = _post_timesheet(client, distribution, typed).content.decode()
    row = _row_html(refused, lines[1].pk)
    assert f'aria-label="Часы — {lines[1].worker}"' in row, row


def test_it_pairs_a_posted_timesheet_with_its_lines_when_a_member_joined_meanwhile(
    client, world, table18, grid18, november, master
):
    _login(client, master)
    distribution = table18.open(master, november, hours=False)
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    data = formset_data(client.get(url).context["formset"])  # seven lines on the page
    newcomer = WorkerFactory(
        section=world.units["A1"], personnel_number="18100", pay_condition=grid18, grade=4
    )
    membership_add(brigade=table18.brigade, worker=newcomer, valid_from=NOVEMBER, user=master)
    assert distribution.lines.count() == 8

    data["form-0-hours"] = "-1"
    response = client.post(url, data)

    assert response.status_code == 200  # the page as posted, its error in place
    assert len(response.context["rows"]) == 7
    first = response.context["rows"][0][0]
    assert "invalid-feedback" in _row_html(response.content.decode(), first.pk)

    data["form-0-hours"] = "160"
    response = client.post(url, data)

    assert response.status_code == 302
    hours = dict(distribution.lines.values_list("worker_id", "hours"))
    assert hours[newcomer.pk] == 0
    assert sorted(hours[w.pk] for w in table18.workers) == [D("0")] * 6 + [D("160")]


def test_it_refuses_a_ktu_out_of_range_on_the_ktu_page(
    client, world, table19, november, master, criteria
):
    _login(client, master)
    distribution = table19.open(master, november)
    worker = table19.workers[0]
    url = reverse("brigades:ktu_edit", args=[distribution.pk, worker.pk])
    page = text_of(client.get(url).content)
    assert "Совмещение профессий (+0,10)" in page
    assert "Нарушение дисциплины (−0,15)" in page
    assert (world.enterprise.ktu_min, world.enterprise.ktu_max) == (D("0.00"), D("2.00"))

    response = client.post(
        url, {"criteria": [criteria["zone"].pk, criteria["standing_in"].pk], "note": ""}
    )

    assert response.status_code == 200
    assert "КТУ 2,10 вне допустимого диапазона 0,00–2,00" in text_of(response.content)
    assert not Ktu.objects.filter(distribution=distribution).exists()


def test_it_splits_table_19_by_ktu_through_the_pages(client, table19, november, master, criteria):
    _login(client, master)
    distribution = _open_month(client, table19.brigade, november)
    assert distribution.method == Brigade.Method.KTU
    lines = table19.lines(distribution)
    hours = {line.pk: str(h) for line, h in zip(lines, table19.hours, strict=True)}
    assert _post_timesheet(client, distribution, hours).status_code == 302
    workers = table19.workers
    for worker, applied in (
        (workers[1], ["discipline"]),
        (workers[2], ["helping"]),
        (workers[4], ["combining"]),
    ):
        response = client.post(
            reverse("brigades:ktu_edit", args=[distribution.pk, worker.pk]),
            {"criteria": [criteria[name].pk for name in applied], "note": ""},
        )
        assert response.status_code == 302, text_of(response.content)
    assert _post_earnings(client, distribution, "1022,98", Brigade.Method.KTU).status_code == 302

    response = _sheet(client, distribution)

    stored = _lines(distribution)
    assert [stored[line.pk].total for line in lines] == [D(v) for v in TABLE_19_PAY]
    text = text_of(response.content)
    for pay in ("255,93", "82,15", "184,05", "244,92"):
        assert pay in text
    assert "1,05" in text and "0,85" in text and "1,10" in text  # the KTU column
    coefficient = re.search(r'data-testid="coefficient">([^<]*)<', response.content.decode())
    assert coefficient.group(1) == "1,3995"
    assert "Проверка: суммы по столбцам равны итогам" in text


# --- sign-off -------------------------------------------------------------------------------


@pytest.fixture
def filled18(table18, november, master):
    """Table 18's November: filled in and earned (method A, 1053.84), a draft."""
    distribution = table18.open(master, november, Brigade.Method.TARIFF)
    return table18.earn(distribution, master, "1053.84")


def test_it_records_the_councils_agreement_and_the_shop_heads_approval(
    client, filled18, leader, shop_head
):
    _login(client, leader)
    response = client.post(
        reverse("brigades:distribution_agree", args=[filled18.pk]),
        {"minutes": "№ 11 от 27.11.2026", "confirm": "1"},
    )
    assert response.status_code == 302
    filled18.refresh_from_db()
    assert filled18.status == Distribution.Status.AGREED
    assert filled18.council_minutes == "№ 11 от 27.11.2026"
    assert filled18.agreed_by == leader

    _login(client, shop_head)
    page = _sheet(client, filled18)
    assert 'data-testid="approve"' in page.content.decode()
    response = client.post(
        reverse("brigades:distribution_approve", args=[filled18.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302

    filled18.refresh_from_db()
    assert filled18.status == Distribution.Status.APPROVED
    assert filled18.approved_by == shop_head
    page = client.get(response["Location"])
    assert "Распределение утверждено." in messages_of(page)
    text = text_of(page.content)
    assert f"утвердил {shop_head.get_full_name()}" in text
    assert "№ 11 от 27.11.2026" in text
    assert 'data-testid="approve"' not in page.content.decode()

    # Final: the leader's editing pages send him back to the sheet, with a reason.
    _login(client, leader)
    response = client.get(reverse("brigades:timesheet_edit", args=[filled18.pk]))
    assert response.status_code == 302
    assert response["Location"] == filled18.get_absolute_url()
    page = client.get(response["Location"])
    assert any("изменить его нельзя" in m for m in messages_of(page))


def test_it_refuses_approval_by_the_one_who_drafted(
    client, world, table18, november, leader, shop_head
):
    # A shop head who also keeps section A1 as its master drafts the month himself.
    head = UserFactory(username="head-and-master", first_name="Олег", last_name="Кузнецов")
    RoleAssignmentFactory(user=head, role=Role.SHOP_HEAD, shop=world.units["A"])
    RoleAssignmentFactory(user=head, role=Role.MASTER, section=world.units["A1"])
    _login(client, head)
    distribution = _open_month(client, table18.brigade, november)
    table18.fill(distribution, head)
    distribution = table18.earn(distribution, head, "1053.84")
    distribution_agree(distribution=distribution, minutes="№ 11", user=leader)

    page = _sheet(client, distribution)
    assert 'data-testid="approve"' not in page.content.decode()
    response = client.post(reverse("brigades:distribution_approve", args=[distribution.pk]))

    assert response.status_code == 302
    assert response["Location"] == distribution.get_absolute_url()
    page = client.get(response["Location"])
    assert "Нельзя утвердить распределение, которое вы составили." in messages_of(page)
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.AGREED
    assert distribution.approved_by is None

    # Somebody else may: the shop head of the world.
    _login(client, shop_head)
    client.post(reverse("brigades:distribution_approve", args=[distribution.pk]), {"confirm": "1"})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED


# --- what a worker sees ---------------------------------------------------------------------


def test_it_shows_a_worker_his_own_line_only(client, world, table18, grid18, november, master):
    world.worker.pay_condition = grid18  # paid by the brigade's grid (grade 3: 0.539)
    world.worker.save()
    MembershipFactory(brigade=table18.brigade, worker=world.worker)
    distribution = table18.open(master, november, hours=False)
    table18.fill(distribution, master)
    own = Line.objects.get(distribution=distribution, worker=world.worker)
    timesheet_save(
        distribution=distribution, rows=[TimesheetRow(line_id=own.pk, hours=D("150"))], user=master
    )
    table18.earn(distribution, master, "1200.00")
    own.refresh_from_db()

    _login(client, world.users[Role.WORKER])
    response = _sheet(client, distribution)

    text = text_of(response.content)
    assert world.worker.short_name in text
    assert own.tariff == D("80.85")  # 0.539 × 150
    assert f"150 80,85 {own.surplus:.2f}".replace(".", ",") in text
    for other in table18.workers:
        assert other.short_name not in text
    assert "Итого" not in text
    assert "Коллективный заработок" not in text
    assert 'data-testid="grand-total"' not in response.content.decode()
    for name in ("distribution_pdf", "timesheet_edit", "earnings_edit"):
        assert client.get(reverse(f"brigades:{name}", args=[distribution.pk])).status_code == 404
    listed = client.get(reverse("brigades:distribution_list"))
    assert distribution.get_absolute_url() in listed.content.decode()
    # …without the brigade's total earnings
    assert "1 200,00" not in text_of(listed.content)
    assert "Заработок" not in text_of(listed.content)


# --- closed months and corrections ----------------------------------------------------------


def test_it_refuses_the_timesheet_of_a_closed_month(client, world, table18, october, master):
    distribution = table18.open(master, october, Brigade.Method.TARIFF)
    before = {pk: (line.hours, line.tariff) for pk, line in _lines(distribution).items()}
    _login(client, master)
    page = client.get(reverse("brigades:timesheet_edit", args=[distribution.pk]))
    close_as_is(october, world.users[Role.LABOUR])  # with the draft left open in it

    formset = page.context["formset"]
    data = formset_data(formset)
    data["form-0-hours"] = "100,5"
    response = client.post(reverse("brigades:timesheet_edit", args=[distribution.pk]), data)

    assert response.status_code == 200
    refusal = "Период «октябрь 2026» закрыт: его данные не изменяются."
    assert refusal in text_of(response.content)
    # one alert above the table, and the page's error summary at the top
    [said] = response.context["formset"].non_form_errors()
    assert said.startswith(refusal)
    html = response.content.decode()
    assert html.count(said) == 2
    assert html.index('data-testid="error-summary"') < html.index("data-timesheet")
    after = {pk: (line.hours, line.tariff) for pk, line in _lines(distribution).items()}
    assert after == before


def test_it_corrects_an_approved_month_with_a_new_draft_in_an_open_month(
    client, world, table18, october, november, master, leader, shop_head
):
    original = table18.earn(table18.open(master, october, Brigade.Method.TARIFF), master, "1053.84")
    distribution_agree(distribution=original, minutes="№ 10", user=leader)
    distribution_approve(distribution=original, user=shop_head)
    period_close(period=october, user=world.users[Role.LABOUR])
    _login(client, master)

    response = client.post(
        reverse("brigades:distribution_correct", args=[original.pk]), {"period": november.pk}
    )

    correction = Distribution.objects.get(corrects=original)
    assert response.status_code == 302
    assert response["Location"] == reverse("brigades:earnings_edit", args=[correction.pk])
    assert correction.period == november
    assert correction.status == Distribution.Status.DRAFT
    assert correction.drafted_by == master
    # It carries the original's timesheet; its earnings are what is taken back here.
    assert sorted(correction.lines.values_list("hours", flat=True)) == sorted(table18.hours)
    response = _post_earnings(client, correction, "-50,00", Brigade.Method.TARIFF)
    assert response.status_code == 302
    shares = [line.tariff + line.surplus for line in correction.lines.all()]
    assert sum(shares) == D("-50.00")
    assert all(share < 0 for share in shares)
    # The original stays as it was, and its sheet links to the correction.
    original.refresh_from_db()
    assert original.status == Distribution.Status.APPROVED
    assert original.piecework == D("1053.84")
    text = text_of(_sheet(client, original).content)
    assert "Исправления" in text and "ноябрь 2026" in text


def test_the_brigade_page_links_a_members_name_only_where_his_page_opens(client, world):
    """A worker sees his brigade but not his fellows' pages (404): his own name links, theirs
    do not; the master, who may open every worker of his section, has every name linked."""
    from tests.brigades.factories import BrigadeFactory

    own, fellow = world.workers["A1"][:2]
    assert own.user == world.users[Role.WORKER]
    brigade = BrigadeFactory(section=world.units["A1"], number=7, name="Фрезеровщики")
    for worker in (own, fellow):
        MembershipFactory(brigade=brigade, worker=worker)
    url = reverse("brigades:brigade_detail", args=[brigade.pk])

    def linked(user) -> dict[str, bool]:
        client.force_login(user)
        html = client.get(url).content.decode()
        return {
            w.full_name: f'<a href="{w.get_absolute_url()}">{w.full_name}</a>' in html
            for w in (own, fellow)
            if w.full_name in html
        }

    assert linked(world.users[Role.WORKER]) == {own.full_name: True, fellow.full_name: False}
    assert client.get(fellow.get_absolute_url()).status_code == 404  # why it is not linked
    assert linked(world.users[Role.MASTER]) == {own.full_name: True, fellow.full_name: True}


# --- who is asked to keep a brigade's month -----------------------------------------------------


def _tasks(client, user) -> str:
    client.force_login(user)
    return text_of(client.get(reverse("home")).content)


def test_the_master_is_asked_only_for_the_months_no_leader_keeps(
    client, world, table18, table19, november, master, leader
):
    """The leader enters his brigade's timesheet and proposes the KTU (domain: brigades): the
    master's home asked him to fill table 18's draft too. A master's role may stand in, so
    he is asked for a brigade whose leader does not keep it here — table 19 has none."""
    table18.open(leader, november, Brigade.Method.TARIFF)
    table19.open(master, november, Brigade.Method.KTU)
    draft = "Табель и распределение: {}, ноябрь 2026"

    masters = _tasks(client, master)
    assert draft.format(table19.brigade) in masters
    assert draft.format(table18.brigade) not in masters
    leaders = _tasks(client, leader)
    assert draft.format(table18.brigade) in leaders
    assert draft.format(table19.brigade) not in leaders
    # He may still fill table 18's month in (standing in): his role is not narrowed, his
    # to-do is.
    client.force_login(master)
    timesheet = reverse("brigades:timesheet_edit", args=[table18.brigade.distributions.get().pk])
    assert client.get(timesheet).status_code == 200

    # A leader who can no longer sign in keeps nothing: the master is asked for both.
    leader.is_active = False
    leader.save()
    masters = _tasks(client, master)
    assert draft.format(table18.brigade) in masters
    assert draft.format(table19.brigade) in masters


def test_a_master_who_leads_no_brigade_has_no_posts_read_for_his_home(
    client, world, table18, table19, november, master, leader
):
    """Whether a month a leader keeps is the reader's own is asked of his posts only when he
    holds a brigade leader's role: a master's home reads none (a query on every one of
    them), and is asked for the same months."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table18.open(leader, november, Brigade.Method.TARIFF)
    table19.open(master, november, Brigade.Method.KTU)
    client.force_login(master)
    with CaptureQueriesContext(connection) as queries:
        page = text_of(client.get(reverse("home")).content)
    own_posts = [
        q["sql"]
        for q in queries
        if 'FROM "brigades_post" INNER JOIN "enterprise_worker"' in q["sql"]
    ]
    assert own_posts == []
    assert f"Табель и распределение: {table19.brigade}, ноябрь 2026" in page
    assert f"Табель и распределение: {table18.brigade}, ноябрь 2026" not in page


def test_the_master_is_asked_to_open_a_month_only_for_a_brigade_without_a_leader(
    client, world, table18, table19, master, leader, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 16))
    opening = "Открыть месяц «ноябрь 2026»: {}"

    masters = _tasks(client, master)
    assert opening.format(table19.brigade) in masters
    assert opening.format(table18.brigade) not in masters
    leaders = _tasks(client, leader)
    assert opening.format(table18.brigade) in leaders
    assert opening.format(table19.brigade) not in leaders


# --- the KTU regulation's grid -----------------------------------------------------------------


def test_the_ktu_regulation_names_its_inputs_in_the_column_heads_only(client, world):
    """Every row repeated «Показатель*», «Изменение КТУ*», «Действует», «Порядок*» and the
    adjustment's hint above its inputs: the heads name the columns, each input keeps a
    label a screen reader reads (visually hidden, with the row's criterion), the hint is
    written once and every adjustment input refers to it."""
    KtuCriterionFactory(
        enterprise=world.enterprise, name="Совмещение профессий", adjustment=D("0.20"), order=1
    )
    client.force_login(world.users[Role.LABOUR])
    html = client.get(reverse("brigades:ktu_settings")).content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]

    labels = re.findall(r'<label class="([^"]*)" for="([^"]+)">([^<]*)</label>', body)
    assert len(labels) == 4 * 3  # four inputs a row: the criterion and two empty rows
    assert {css for css, _for, _text in labels} == {"visually-hidden"}
    assert "<label" not in re.sub(r'<label class="visually-hidden"', "", body)  # no other
    for _css, target, _text in labels:
        assert f'id="{target}"' in body, target
    texts = {target: text for _css, target, text in labels}
    assert texts["id_c-0-name"] == "Показатель"
    assert texts["id_c-0-adjustment"] == "Изменение КТУ — Совмещение профессий"
    assert texts["id_c-0-active"] == "Действует — Совмещение профессий"
    assert texts["id_c-1-adjustment"] == "Изменение КТУ"  # a new row: no criterion yet
    assert 'value="0,20"' in body

    hint = "положительное число, понижение — отрицательное"
    assert html.count(hint) == 1
    assert (
        'id="ktu-adjustment-hint" data-testid="adjustment-hint">Изменение КТУ: повышение — ' + hint
        in html
    )
    assert body.count('aria-describedby="ktu-adjustment-hint"') == 3


def test_the_sheet_names_its_people_with_no_query_of_twelve_tables(
    client, world, table18, november, leader, master
):
    """The sheet's document comes with its brigade, section, shop, month and the month it
    corrects; the people it names (drafter, council, approver, master, shop head) in one
    query more. Joined in, they made a query of thirteen tables, which PostgreSQL plans with
    its slow genetic search (from twelve): ~7 ms for a row read in 0,5 ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table18.open(leader, november, Brigade.Method.TARIFF)
    distribution = table18.brigade.distributions.get()
    client.force_login(master)
    with CaptureQueriesContext(connection) as queries:
        page = text_of(client.get(distribution.get_absolute_url()).content)
    widest = max(q["sql"].count(" JOIN ") for q in queries)
    assert widest < 11, widest
    people = [q for q in queries if q["sql"].split(" FROM ", 1)[1].startswith('"auth_user"')]
    assert len(people) <= 2  # the reader (the session's), the sheet's people
    assert leader.get_full_name() in page or leader.username in page
