"""Two people editing one planning page at once — the output grid, the section's days, an
org-technical measure: the second save over the first is refused with who changed which
field from what to what, and the second person's typed values stay in the form."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from enterprise.models.roles import Role
from planning.models import MonthlyOutput, OrgMeasure, SectionDayOutput
from tests.factories import WorkerFactory
from tests.pages import form_data, formset_data, text_of
from tests.planning import matrix_measures
from tests.planning.factories import MonthlyOutputFactory, OrgMeasureFactory

D = Decimal
STALE = "уже изменил другой пользователь"
WHEN = r"\d\d\.\d\d\.\d{4} \d\d:\d\d"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _grid(client, url) -> tuple[dict, dict]:
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {**formset_data(formset), **form_data(page.context["version"])}
    index = {form.initial["worker"]: form.prefix for form in formset.forms}
    return data, index


def test_a_stale_output_grid_is_refused_naming_who_changed_what(world):
    master, economist = world.users[Role.MASTER], world.users[Role.ECONOMIST]
    first, second = world.workers["A1"]
    october = world.period(2026, 10)
    MonthlyOutputFactory(worker=first, period=october, output=D("150"), hours_worked=D("160"))
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk])
    economist_client, master_client = _client(economist), _client(master)
    economist_data, index = _grid(economist_client, url)
    master_data, _index = _grid(master_client, url)

    economist_data[f"{index[first.pk]}-output"] = "175,5"
    assert economist_client.post(url, economist_data).status_code == 302

    master_data[f"{index[first.pk]}-output"] = "152"
    master_data[f"{index[second.pk]}-output"] = "90"
    master_data[f"{index[second.pk]}-hours_worked"] = "100"
    response = master_client.post(url, master_data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert re.search(
        rf"{economist.get_full_name()}, {WHEN} — .+?: выработка: 150,000 → 175,500", text
    ), text
    assert MonthlyOutput.objects.get(worker=first).output == D("175.5")
    assert not MonthlyOutput.objects.filter(worker=second).exists()
    formset = response.context["formset"]
    typed = {form.initial["worker"]: form for form in formset.forms}
    assert typed[first.pk]["output"].value() == "152"
    assert typed[second.pk]["output"].value() == "90"


def test_a_row_added_meanwhile_makes_the_grid_stale(world):
    master, economist = world.users[Role.MASTER], world.users[Role.ECONOMIST]
    first = world.workers["A1"][0]
    october = world.period(2026, 10)
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk])
    economist_client, master_client = _client(economist), _client(master)
    economist_data, index = _grid(economist_client, url)
    master_data, _index = _grid(master_client, url)
    economist_data[f"{index[first.pk]}-output"] = "10"
    economist_data[f"{index[first.pk]}-hours_worked"] = "8"
    assert economist_client.post(url, economist_data).status_code == 302

    master_data[f"{index[first.pk]}-output"] = "20"
    master_data[f"{index[first.pk]}-hours_worked"] = "16"
    response = master_client.post(url, master_data)

    assert response.status_code == 200
    text = text_of(response.content)
    assert re.search(rf"{economist.get_full_name()}, {WHEN} — .+?: строка добавлена", text), text
    assert MonthlyOutput.objects.get(worker=first).output == D("10")


def test_a_grid_is_not_stale_for_a_worker_added_to_the_section_meanwhile(world):
    master = world.users[Role.MASTER]
    first = world.workers["A1"][0]
    october = world.period(2026, 10)
    url = reverse("planning:output_entry", args=[world.units["A1"].pk, october.pk])
    client = _client(master)
    data, index = _grid(client, url)
    WorkerFactory(section=world.units["A1"])  # no output of his: nothing the page showed
    data[f"{index[first.pk]}-output"] = "20"
    data[f"{index[first.pk]}-hours_worked"] = "16"
    assert client.post(url, data).status_code == 302


def test_stale_section_days_are_refused_naming_the_day_changed(world):
    section, november = world.units["A1"], world.period(2026, 11)
    master, economist = world.users[Role.MASTER], world.users[Role.ECONOMIST]
    url = reverse("planning:section_days", args=[section.pk, november.pk])
    economist_client, master_client = _client(economist), _client(master)
    economist_version = form_data(economist_client.get(url).context["version"])
    master_version = form_data(master_client.get(url).context["version"])
    assert economist_client.post(url, {"d02": "100", **economist_version}).status_code == 302

    response = master_client.post(url, {"d02": "120", "d05": "7", **master_version})

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert re.search(
        rf"{economist.get_full_name()}, {WHEN} — .+?02\.11\.2026: строка добавлена", text
    )
    assert list(SectionDayOutput.objects.values_list("date", "output")) == [
        (datetime.date(2026, 11, 2), D("100"))
    ]
    assert response.context["form"]["d02"].value() == "120"
    assert response.context["form"]["d05"].value() == "7"


def test_a_stale_measure_names_the_changed_field_and_keeps_the_typed_name(world):
    measure = OrgMeasureFactory(section=world.units["A1"], name="Полирование пружин")
    url = reverse("planning:measure_edit", args=[measure.pk])
    head, master = world.users[Role.SHOP_HEAD], world.users[Role.MASTER]
    head_client, master_client = _client(head), _client(master)
    head_version = head_client.get(url).context["form"]["version"].value()
    master_version = master_client.get(url).context["form"]["version"].value()
    data = {**matrix_measures.MEASURE, "section": str(world.units["A1"].pk)}
    response = head_client.post(
        url, {**data, "name": "Полирование пружин челнока", "version": head_version}
    )
    assert response.status_code == 302

    response = master_client.post(
        url, {**data, "name": "Шлифование пружин", "version": master_version}
    )

    assert response.status_code == 200
    text = text_of(response.content)
    assert STALE in text
    assert re.search(
        rf"{head.get_full_name()}, {WHEN} — .+?: наименование: Полирование пружин → "
        "Полирование пружин челнока",
        text,
    ), text
    assert OrgMeasure.objects.get(pk=measure.pk).name == "Полирование пружин челнока"
    assert response.context["form"]["name"].value() == "Шлифование пружин"
