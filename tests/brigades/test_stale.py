"""Two people editing one brigade page at once: the second save over the first is refused,
the message names who changed which field from what to what, and the second person's
typed values stay in the form (see enterprise.versions)."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from brigades.models import KtuCriterion, Line
from enterprise.models import Enterprise
from enterprise.models.roles import Role
from tests.brigades.conftest import D
from tests.brigades.factories import KtuCriterionFactory
from tests.pages import form_data, formset_data, text_of

STALE = "уже изменил другой пользователь"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _timesheet(client, url) -> tuple[dict, dict]:
    """The page's posted data as drawn, and the form index of each line."""
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {**formset_data(formset), **form_data(page.context["version"])}
    index = {form.initial["line"]: form.prefix for form in formset.forms}
    return data, index


def test_a_stale_timesheet_is_refused_naming_who_changed_what_and_keeps_the_typed_values(
    table18, november, leader, master
):
    distribution = table18.open(master, november, hours=False)
    first, second = table18.lines(distribution)[:2]
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    master_client, leader_client = _client(master), _client(leader)
    master_data, index = _timesheet(master_client, url)
    leader_data, _index = _timesheet(leader_client, url)

    master_data[f"{index[first.pk]}-hours"] = "150"
    assert master_client.post(url, master_data).status_code == 302

    leader_data[f"{index[first.pk]}-hours"] = "167,5"
    leader_data[f"{index[second.pk]}-hours"] = "99"
    response = leader_client.post(url, leader_data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    who = master.get_full_name()
    assert re.search(
        rf"{who}, \d\d\.\d\d\.\d{{4}} \d\d:\d\d — .+?: отработано, ч: 0,00 → 150,00", text
    ), text
    assert Line.objects.get(pk=first.pk).hours == D("150")
    assert Line.objects.get(pk=second.pk).hours == D("0")  # nothing of the leader's written
    formset = response.context["formset"]
    assert formset[int(index[first.pk].split("-")[1])]["hours"].value() == "167,5"
    assert formset[int(index[second.pk].split("-")[1])]["hours"].value() == "99"

    # Having read what changed, the leader saves again: now deliberately over it.
    again = {**formset_data(formset), **form_data(response.context["version"])}
    assert leader_client.post(url, again).status_code == 302
    assert Line.objects.get(pk=first.pk).hours == D("167.5")
    assert Line.objects.get(pk=second.pk).hours == D("99")


def test_a_timesheet_is_not_stale_when_only_the_computed_pay_changed(
    table18, november, leader, master
):
    distribution = table18.open(master, november, hours=False)
    first = table18.lines(distribution)[0]
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    client = _client(leader)
    data, index = _timesheet(client, url)
    # Someone sets the brigade's earnings meanwhile: every line's pay is recomputed. (Under
    # three times the tariff of the 160 h saved next, 368.16: not asked about them then.)
    response = _client(master).post(
        reverse("brigades:earnings_edit", args=[distribution.pk]),
        {"method": "A", "piecework": "300", "bonus": "0", "savings": "0", "norm_hours": "0"},
    )
    assert response.status_code == 302, text_of(response.content)
    data[f"{index[first.pk]}-hours"] = "160"
    assert client.post(url, data).status_code == 302
    assert Line.objects.get(pk=first.pk).hours == D("160")


def test_a_tampered_version_is_refused_not_skipped(table18, november, leader):
    distribution = table18.open(leader, november, hours=False)
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    client = _client(leader)
    data, _index = _timesheet(client, url)
    data["grid-version"] = "x" * 50
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Страница устарела" in text_of(response.content)


def test_a_stale_ktu_regulation_is_refused_naming_the_changed_criterion(world):
    criterion = KtuCriterionFactory(
        enterprise=world.enterprise, name="Совмещение профессий", adjustment=D("0.10")
    )
    labour = world.users[Role.LABOUR]
    url = reverse("brigades:ktu_settings")
    clients = [_client(labour), _client(labour)]  # the same person in two browser tabs
    pages = [client.get(url) for client in clients]
    datas = []
    for page in pages:
        assert page.status_code == 200
        datas.append(
            {
                **form_data(page.context["range_form"]),
                **formset_data(page.context["formset"]),
                **form_data(page.context["version"]),
            }
        )
    first, second = datas
    first["c-0-adjustment"] = "0,15"
    assert clients[0].post(url, first).status_code == 302
    second["c-0-name"] = "Совмещение двух профессий"
    response = clients[1].post(url, second)
    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert "0,10 → 0,15" in text
    criterion.refresh_from_db()
    assert (criterion.name, criterion.adjustment) == ("Совмещение профессий", D("0.15"))
    assert response.context["formset"][0]["name"].value() == "Совмещение двух профессий"
    assert Enterprise.objects.get(pk=world.enterprise.pk).ktu_min == world.enterprise.ktu_min
    assert KtuCriterion.objects.count() == 1


def test_a_stale_ktu_of_a_member_is_refused_naming_the_criteria_set_meanwhile(
    world, table18, november, master, leader
):
    helping = KtuCriterionFactory(
        enterprise=world.enterprise, name="Помощь другим членам бригады", adjustment=D("0.05")
    )
    combining = KtuCriterionFactory(
        enterprise=world.enterprise, name="Совмещение профессий", adjustment=D("0.10")
    )
    distribution = table18.open(master, november, hours=False)
    worker = table18.lines(distribution)[0].worker
    url = reverse("brigades:ktu_edit", args=[distribution.pk, worker.pk])
    master_client, leader_client = _client(master), _client(leader)
    master_version = form_data(master_client.get(url).context["version"])
    leader_version = form_data(leader_client.get(url).context["version"])
    posted = master_client.post(url, {"criteria": [helping.pk], **master_version})
    assert posted.status_code == 302

    response = leader_client.post(
        url, {"criteria": [combining.pk], "note": "совмещал", **leader_version}
    )

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert re.search(
        rf"{master.get_full_name()}, \d\d\.\d\d\.\d{{4}} \d\d:\d\d — .+?строка добавлена: "
        r"КТУ: 1,05; применённые показатели: Помощь другим членам бригады",
        text,
    ), text
    stored = distribution.ktus.get(worker=worker)
    assert stored.value == D("1.05")
    assert response.context["form"]["note"].value() == "совмещал"


def test_saving_again_after_a_stale_refusal_keeps_the_rows_only_the_other_person_changed(
    table18, november, leader, master
):
    """The leader changed only the second row; the master, meanwhile, the first. After
    the refusal the first row shows the master's hours (not the leader's old page), so
    the leader's second save keeps both people's work."""
    distribution = table18.open(master, november, hours=False)
    first, second = table18.lines(distribution)[:2]
    url = reverse("brigades:timesheet_edit", args=[distribution.pk])
    master_client, leader_client = _client(master), _client(leader)
    master_data, index = _timesheet(master_client, url)
    leader_data, _index = _timesheet(leader_client, url)

    master_data[f"{index[first.pk]}-hours"] = "159"
    assert master_client.post(url, master_data).status_code == 302
    leader_data[f"{index[second.pk]}-hours"] = "150"
    response = leader_client.post(url, leader_data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert "Строку, которую изменили без вас, показываем такой, какая она сейчас (1)" in text
    formset = response.context["formset"]
    assert formset[int(index[first.pk].split("-")[1])]["hours"].value() == D("159")
    assert formset[int(index[second.pk].split("-")[1])]["hours"].value() == "150"

    again = {**formset_data(formset), **form_data(response.context["version"])}
    assert leader_client.post(url, again).status_code == 302
    assert Line.objects.get(pk=first.pk).hours == D("159")  # the master's work stays
    assert Line.objects.get(pk=second.pk).hours == D("150")


def test_a_stale_earnings_form_is_refused_and_the_first_change_stays(
    table18, november, leader, master
):
    """Two sessions on one month's earnings: the bonus saved first is not undone by the
    second session's save of the savings (found by the replayed attacks)."""
    from brigades.models import Distribution

    distribution = table18.open(master, november, hours=False)
    url = reverse("brigades:earnings_edit", args=[distribution.pk])
    first, second = _client(master), _client(master)
    first_page, second_page = first.get(url), second.get(url)
    first_data = {
        **form_data(first_page.context["form"]),
        **form_data(first_page.context["version"]),
    }
    second_data = {
        **form_data(second_page.context["form"]),
        **form_data(second_page.context["version"]),
    }
    first_data["bonus"] = "102,00"
    assert first.post(url, first_data).status_code == 302
    second_data["savings"] = "8,00"
    response = second.post(url, second_data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert re.search(r"премия[^:]*: [\d\s,]+ → 102,00", text, re.IGNORECASE), text
    stored = Distribution.objects.get(pk=distribution.pk)
    assert stored.bonus == D("102") and stored.savings == distribution.savings
