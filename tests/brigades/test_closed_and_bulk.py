"""Issue 13's closed months, confirmations and bulk approval on the brigades' pages.

A closed month's sheet shows no forms and says why it is frozen and who may reopen it;
nothing waits on the home page for a closed month's draft; approving and agreeing show
what they will do first and change nothing until confirmed; the shop head approves many
agreed distributions at once, each checked by the service, the outcome listed."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from brigades.models import Brigade, Distribution
from brigades.services import distribution_agree
from brigades.views_actions import format_money
from enterprise.models.roles import Role
from tests.factories import RoleAssignmentFactory, UserFactory, close_as_is
from tests.pages import messages_of, text_of


@pytest.fixture
def draft18(table18, november, master):
    distribution = table18.open(master, november, Brigade.Method.TARIFF)
    return table18.earn(distribution, master, "1053.84")


@pytest.fixture
def agreed18(draft18, leader):
    return distribution_agree(distribution=draft18, minutes="№ 11 от 27.11.2026", user=leader)


def test_a_closed_months_draft_shows_no_forms_and_says_why(
    client, world, draft18, november, leader
):
    labour = world.users[Role.LABOUR]
    close_as_is(november, labour)  # the draft left open in it
    client.force_login(leader)

    page = client.get(draft18.get_absolute_url())

    html = page.content.decode()
    for form in ("timesheet_edit", "earnings_edit", "distribution_agree", "distribution_delete"):
        assert reverse(f"brigades:{form}", args=[draft18.pk]) not in html, form
    assert 'data-testid="agree-form"' not in html
    note = text_of(html)
    assert "Месяц «ноябрь 2026» закрыт" in note
    assert labour.get_full_name() in note
    assert "решает заместитель директора или администратор" in note  # who decides a reopening
    # the editing pages send back to the sheet, with the reason
    response = client.get(reverse("brigades:timesheet_edit", args=[draft18.pk]))
    assert response["Location"] == draft18.get_absolute_url()
    assert any("закрыт" in m for m in messages_of(client.get(response["Location"])))


def test_the_leader_is_not_asked_to_fill_in_a_closed_months_timesheet(
    client, world, draft18, november, leader
):
    client.force_login(leader)
    assert "Табель и распределение" in text_of(client.get(reverse("home")).content)

    close_as_is(november, world.users[Role.LABOUR])

    assert "Табель и распределение" not in text_of(client.get(reverse("home")).content)


def test_approving_asks_first_and_a_post_without_confirm_changes_nothing(
    client, agreed18, shop_head
):
    client.force_login(shop_head)
    url = reverse("brigades:distribution_approve", args=[agreed18.pk])

    page = client.post(url)

    assert page.status_code == 200
    text = text_of(page.content)
    assert "Утвердить распределение?" in text
    assert "1 053,84" in text  # what is distributed
    assert "станет окончательным" in text
    html = page.content.decode()
    assert 'name="confirm" value="1"' in html and f'action="{url}"' in html
    agreed18.refresh_from_db()
    assert agreed18.status == Distribution.Status.AGREED

    response = client.post(url, {"confirm": "1"})

    assert response.status_code == 302
    agreed18.refresh_from_db()
    assert (agreed18.status, agreed18.approved_by) == (Distribution.Status.APPROVED, shop_head)


def test_agreeing_asks_first_with_the_minutes_carried_over(client, draft18, leader):
    client.force_login(leader)
    url = reverse("brigades:distribution_agree", args=[draft18.pk])

    page = client.post(url, {"minutes": "№ 12 от 28.11.2026"})

    assert page.status_code == 200
    assert 'name="minutes" value="№ 12 от 28.11.2026"' in page.content.decode()
    draft18.refresh_from_db()
    assert draft18.status == Distribution.Status.DRAFT

    client.post(url, {"minutes": "№ 12 от 28.11.2026", "confirm": "1"})

    draft18.refresh_from_db()
    assert (draft18.status, draft18.council_minutes) == (
        Distribution.Status.AGREED,
        "№ 12 от 28.11.2026",
    )


@pytest.fixture
def head_and_master(world):
    person = UserFactory(username="head-and-master", first_name="Олег", last_name="Кузнецов")
    RoleAssignmentFactory(user=person, role=Role.SHOP_HEAD, shop=world.units["A"])
    RoleAssignmentFactory(user=person, role=Role.MASTER, section=world.units["A1"])
    return person


def test_bulk_approval_lists_each_outcome_one_refused_by_the_service(
    client, table18, table19, november, master, leader, head_and_master
):
    ok = distribution_agree(distribution=_earned(table18, november, master), minutes="№ 11",
                            user=leader)  # fmt: skip
    his = distribution_agree(distribution=_earned(table19, november, master), minutes="№ 7",
                             user=head_and_master)  # fmt: skip
    client.force_login(head_and_master)
    url = reverse("brigades:distribution_bulk_approve")

    listing = client.get(url)

    html = listing.content.decode()
    assert f'name="pk" value="{ok.pk}"' in html
    assert f'name="pk" value="{his.pk}"' not in html  # he recorded its agreement
    assert "записавший согласие совета" in text_of(html)

    confirm = client.post(url, {"pk": [ok.pk, his.pk]})  # the second ticked by hand
    assert confirm.status_code == 200
    assert "Утвердить отмеченные" in text_of(confirm.content)
    ok.refresh_from_db()
    assert ok.status == Distribution.Status.AGREED  # nothing yet

    done = client.post(url, {"pk": [ok.pk, his.pk], "confirm": "1"}, follow=True)

    rows = done.context["outcomes"]
    assert [(o.row.pk, o.done) for o in rows] == [(ok.pk, True), (his.pk, False)]
    assert "записавший согласие совета" in rows[1].reason
    assert "Выполнено: 1; отказано: 1." in text_of(done.content)
    assert done.redirect_chain == [(url, 302)]  # the list again, with the outcome once
    assert "bulk-results" not in client.get(url).content.decode()
    ok.refresh_from_db()
    his.refresh_from_db()
    assert ok.status == Distribution.Status.APPROVED
    assert ok.approved_by == head_and_master
    assert his.status == Distribution.Status.AGREED


def test_bulk_approval_right_aligns_only_the_figures(
    client, table18, november, master, leader, shop_head
):
    """«Итого, руб.» is a figure (right-aligned); «Участок» and «Протокол совета» are text."""
    d = distribution_agree(distribution=_earned(table18, november, master), minutes="№ 11",
                           user=leader)  # fmt: skip
    client.force_login(shop_head)
    html = client.get(reverse("brigades:distribution_bulk_approve")).content.decode()
    table = html.split('data-testid="bulk-list"')[1].split("</table>")[0]
    head = re.findall(r'<th scope="col"( class="num")?>([^<]*)</th>', table)
    assert head[1:] == [("", "Участок"), (' class="num"', "Итого, руб."), ("", "Протокол совета")]
    row = table.split(f'value="{d.pk}"')[1].split("</tr>")[0]
    cells = re.findall(r"<td( class=\"num\")?>([^<]*)</td>", row)
    assert cells == [
        ("", str(d.brigade.section)),
        (' class="num"', format_money(d.total)),
        ("", "№ 11"),
    ]


def test_bulk_approval_is_the_shop_heads_only(client, world, shop_head):
    url = reverse("brigades:distribution_bulk_approve")
    for role in (Role.MASTER, Role.BRIGADE_LEADER, Role.ECONOMIST, Role.WORKER):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
        assert client.post(url, {"pk": "1", "confirm": "1"}).status_code == 404, role
    client.force_login(shop_head)
    assert client.get(url).status_code == 200


def _earned(crew, period, master):
    return crew.earn(crew.open(master, period, Brigade.Method.TARIFF), master, "1000")
