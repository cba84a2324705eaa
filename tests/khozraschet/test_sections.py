"""A section's attributes and passport (§1–§2, tables 1–3) and its time studies (§3,
table 4): the production type from Kз with the plant's thresholds, passport versions by
date, the study's 100 %."""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from enterprise.models.roles import Role
from khozraschet.models import Passport, Profile, TimeStudy
from khozraschet.selectors.sections import (
    fixing_coefficient,
    passport_versions,
    production_type,
    thresholds_of,
    time_studies_of,
)
from khozraschet.services import sections as services
from tests.factories import SectionFactory, close_as_is, reopened
from tests.khozraschet.factories_costs import (
    PASSPORT_VALUES,
    STUDY_VALUES,
    PassportFactory,
    SettingsFactory,
    TimeStudyFactory,
)
from tests.pages import field_block, form_data, messages_of, text_of

D = Decimal
STALE = "уже изменил другой пользователь"


def field_errors(content, name: str) -> str:
    block = field_block(content, name)
    found = re.findall(rf'id="error_\d+_id_{name}">(.*?)</(?:p|span)>', block, re.S)
    return " ".join(text_of(match) for match in found)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the production type (tables 1–2) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("operations", "workplaces", "kz", "code"),
    [
        (767, 42, "18.26", "serial"),  # shop No. 6, section 1 (the scan prints 18.2)
        (965, 38, "25.39", "small_serial"),  # section 2
        (1832, 86, "21.30", "small_serial"),  # section 3
        (3564, 166, "21.47", "small_serial"),  # the shop
        (2, 1, "2.00", "mass"),  # the intervals are closed on the upper side
        (201, 100, "2.01", "large_serial"),
        (20, 1, "20.00", "serial"),
        (2001, 100, "20.01", "small_serial"),
        (50, 1, "50.00", "small_serial"),
        (5001, 100, "50.01", "single"),
    ],
)
def test_the_production_type_follows_table_2(world, operations, workplaces, kz, code):
    found = production_type(operations, workplaces, thresholds_of(world.enterprise.pk))
    assert (found.kz, found.code) == (D(kz), code)


def test_kz_is_rounded_half_up():
    assert fixing_coefficient(1, 8) == D("0.13")  # 0.125
    assert fixing_coefficient(767, 42) == D("18.26")  # 18.2619…


def test_the_plant_sets_its_own_thresholds(world):
    SettingsFactory(enterprise=world.enterprise, serial_max=D("18"), small_serial_max=D("30"))
    found = production_type(767, 42, thresholds_of(world.enterprise.pk))
    assert (found.kz, found.code, found.label) == (D("18.26"), "small_serial", "мелкосерийное")


# --- the passport -----------------------------------------------------------------------------


def _passport_post(**more) -> dict:
    values = {
        name: (str(value).replace(".", ",") if isinstance(value, Decimal) else value)
        for name, value in PASSPORT_VALUES.items()
    }
    values["output_actual"] = ""
    return {**values, "valid_from": "2026-11-01", "submission": uuid.uuid4().hex, **more}


def test_versions_are_listed_newest_first_with_kz_and_the_type(world):
    a1 = world.units["A1"]
    with reopened(world.period(2026, 6)):
        PassportFactory(
            section=a1, valid_from=datetime.date(2026, 6, 1), operations=965, workplaces=38
        )
    PassportFactory(section=a1, valid_from=datetime.date(2026, 10, 1))

    page = _client(world.users[Role.SHOP_HEAD]).get(reverse("khozraschet:passport", args=[a1.pk]))

    assert page.status_code == 200
    versions = page.context["versions"]
    assert [v.passport.valid_from for v in versions] == [
        datetime.date(2026, 10, 1),
        datetime.date(2026, 6, 1),
    ]
    assert [(v.type.kz, v.type.code) for v in versions] == [
        (D("18.26"), "serial"),
        (D("25.39"), "small_serial"),
    ]
    assert [v.frozen for v in versions] == [False, True]  # June is closed
    text = text_of(page.content)
    assert "18,26" in text and "серийное" in text and "мелкосерийное" in text


def test_a_new_version_is_prefilled_from_the_latest_and_saved_from_its_date(world):
    a1 = world.units["A1"]
    PassportFactory(section=a1, valid_from=datetime.date(2026, 10, 1))
    url = reverse("khozraschet:passport", args=[a1.pk])
    client = _client(world.users[Role.ECONOMIST])
    form = client.get(url).context["passport_form"]
    assert form["operations"].value() == 767 and form["workplaces"].value() == 42
    assert not form["valid_from"].value()

    response = client.post(
        reverse("khozraschet:passport_add", args=[a1.pk]),
        _passport_post(operations="965", workplaces="38"),
    )

    assert response.status_code == 302
    newest = Passport.objects.filter(section=a1).order_by("-valid_from").first()
    assert (newest.valid_from, newest.operations, newest.workplaces) == (
        datetime.date(2026, 11, 1),
        965,
        38,
    )
    assert newest.area == D("1250.0")
    assert passport_versions(a1)[0].type.code == "small_serial"


def test_a_version_dated_in_a_closed_month_is_refused_at_its_date(world):
    a1 = world.units["A1"]
    response = _client(world.users[Role.ECONOMIST]).post(
        reverse("khozraschet:passport_add", args=[a1.pk]),
        _passport_post(valid_from="2026-09-15"),
    )
    assert response.status_code == 200
    assert "закрыт" in field_errors(response.content, "valid_from")
    assert not Passport.objects.filter(section=a1).exists()


def test_a_version_of_a_closed_month_is_read_only(world):
    a1 = world.units["A1"]
    with reopened(world.period(2026, 7)):
        old = PassportFactory(section=a1, valid_from=datetime.date(2026, 7, 1))
    url = reverse("khozraschet:passport_edit", args=[a1.pk, old.pk])
    client = _client(world.users[Role.ECONOMIST])

    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert "закрыт" in text_of(page.content)

    response = client.post(url, _passport_post(valid_from="2026-07-01", operations="1"))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.operations == 767


def test_editing_a_version_someone_changed_meanwhile_is_refused(world):
    a1 = world.units["A1"]
    passport = PassportFactory(section=a1, valid_from=datetime.date(2026, 10, 1))
    url = reverse("khozraschet:passport_edit", args=[a1.pk, passport.pk])
    economist, head = _client(world.users[Role.ECONOMIST]), _client(world.users[Role.SHOP_HEAD])
    mine = form_data(economist.get(url).context["form"])
    theirs = form_data(head.get(url).context["form"])

    theirs["workplaces"] = "40"
    assert head.post(url, theirs).status_code == 302
    mine["operations"] = "800"
    response = economist.post(url, mine)

    assert response.status_code == 200
    assert STALE in text_of(response.content)
    passport.refresh_from_db()
    assert (passport.operations, passport.workplaces) == (767, 40)


def test_a_version_cannot_be_moved_into_a_closed_month(world):
    a1 = world.units["A1"]
    passport = PassportFactory(section=a1, valid_from=datetime.date(2026, 10, 1))
    url = reverse("khozraschet:passport_edit", args=[a1.pk, passport.pk])
    client = _client(world.users[Role.ECONOMIST])
    data = form_data(client.get(url).context["form"])
    data["valid_from"] = "2026-08-01"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "закрыт" in text_of(response.content)
    passport.refresh_from_db()
    assert passport.valid_from == datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("role", "status", "editable"),
    [
        (Role.ECONOMIST, 200, True),
        (Role.SHOP_HEAD, 200, True),
        (Role.MASTER, 200, False),
        (Role.DISPATCHER, 200, False),
        (Role.WORKER, 404, False),
        (Role.BRIGADE_LEADER, 404, False),
    ],
)
def test_the_passport_is_read_with_khz_view_and_edited_with_khz_passport(
    world, role, status, editable
):
    a1 = world.units["A1"]
    response = _client(world.users[role]).get(reverse("khozraschet:passport", args=[a1.pk]))
    assert response.status_code == status
    if status == 200:
        assert (response.context["passport_form"] is not None) == editable
    post = _client(world.users[role]).post(
        reverse("khozraschet:passport_add", args=[a1.pk]), _passport_post()
    )
    assert post.status_code == (302 if editable else 404)


def test_a_master_of_another_section_gets_404(world):
    a2 = world.units["A2"]
    client = _client(world.users[Role.MASTER])
    assert client.get(reverse("khozraschet:passport", args=[a2.pk])).status_code == 404
    url = reverse("khozraschet:time_study", args=[a2.pk, 2026, 10])
    assert client.get(url).status_code == 404


# --- the profile ---------------------------------------------------------------------------------


def test_the_profile_names_other_sections_of_the_plant_as_consumers(world):
    a1, a2, b1 = world.units["A1"], world.units["A2"], world.units["B1"]
    client = _client(world.users[Role.ECONOMIST])
    form = client.get(reverse("khozraschet:passport", args=[a1.pk])).context["profile_form"]
    offered = set(form.fields["consumers"].queryset)
    assert a1 not in offered and {a2, b1} <= offered
    assert world.units["other_section"] not in offered

    url = reverse("khozraschet:profile_save", args=[a1.pk])
    response = client.post(
        url, {"purpose": "auxiliary", "specialisation": "subject", "consumers": [a2.pk, b1.pk]}
    )

    assert response.status_code == 302
    profile = Profile.objects.get(section=a1)
    assert (profile.purpose, profile.specialisation) == ("auxiliary", "subject")
    assert set(profile.consumers.all()) == {a2, b1}

    for strange in (a1.pk, world.units["other_section"].pk, "99999999999999999999999"):
        refused = client.post(
            url, {"purpose": "main", "specialisation": "subject", "consumers": [strange]}
        )
        assert refused.status_code == 200
    profile.refresh_from_db()
    assert profile.purpose == "auxiliary"


def test_the_service_refuses_the_section_as_its_own_consumer(world):
    a1 = world.units["A1"]
    with pytest.raises(Exception) as refused:
        services.profile_save(
            section=a1,
            purpose="main",
            specialisation="subject",
            consumers=[a1],
            user=world.users[Role.ECONOMIST],
        )
    assert "consumers" in refused.value.message_dict


def test_a_changed_list_of_consumers_is_in_the_history(world):
    a1, a2 = world.units["A1"], world.units["A2"]
    economist = world.users[Role.ECONOMIST]
    services.profile_save(
        section=a1, purpose="main", specialisation="subject", consumers=[a2], user=economist
    )
    page = _client(economist).get(reverse("khozraschet:passport", args=[a1.pk]))
    assert "6/2 Фрезерный участок" in text_of(page.content)
    labels = [str(c.label).lower() for e in page.context["history"] for c in e.changes]
    assert any("потребители" in label for label in labels)


def test_a_stale_profile_is_refused(world):
    a1 = world.units["A1"]
    economist = world.users[Role.ECONOMIST]
    services.profile_save(
        section=a1, purpose="main", specialisation="subject", consumers=[], user=economist
    )
    url = reverse("khozraschet:passport", args=[a1.pk])
    mine = form_data(_client(economist).get(url).context["profile_form"])
    services.profile_save(
        section=a1,
        purpose="auxiliary",
        specialisation="subject",
        consumers=[],
        user=world.users[Role.SHOP_HEAD],
    )
    mine["specialisation"] = "detail"
    response = _client(economist).post(reverse("khozraschet:profile_save", args=[a1.pk]), mine)
    assert response.status_code == 200
    assert STALE in text_of(response.content)
    assert Profile.objects.get(section=a1).specialisation == "subject"


def test_a_new_section_gets_a_profile_with_the_first_save(world):
    section = SectionFactory(shop=world.units["A"], number=9, name="Заготовительный")
    profile = services.profile_save(
        section=section,
        purpose="auxiliary",
        specialisation="detail",
        consumers=[world.units["A1"]],
        user=world.users[Role.SHOP_HEAD],
    )
    assert profile.pk and list(profile.consumers.all()) == [world.units["A1"]]


# --- time studies --------------------------------------------------------------------------------


def _study_post(**more) -> dict:
    values = {name: str(value).replace(".", ",") for name, value in STUDY_VALUES.items()}
    return {**values, "studied_on": "2026-10-14", "submission": uuid.uuid4().hex, **more}


def test_a_study_of_100_percent_is_recorded_with_the_machines_work_and_idle(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    url = reverse("khozraschet:time_study", args=[a1.pk, 2026, 10])
    client = _client(world.users[Role.DISPATCHER])

    response = client.post(url, _study_post())

    assert response.status_code == 302
    (row,) = time_studies_of(a1, october)
    assert (row.work, row.losses) == (D("82.50"), D("17.50"))
    assert (row.machine_work, row.machine_idle) == (D("61.20"), D("38.80"))
    page = client.get(url)
    assert "38,80" in text_of(page.content)


def test_a_study_not_summing_to_100_is_refused(world):
    a1 = world.units["A1"]
    url = reverse("khozraschet:time_study", args=[a1.pk, 2026, 10])
    response = _client(world.users[Role.ECONOMIST]).post(url, _study_post(loss_other="1,80"))
    assert response.status_code == 200
    assert "101" in " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert not TimeStudy.objects.exists()


def test_a_study_dated_outside_its_month_is_refused(world):
    a1 = world.units["A1"]
    url = reverse("khozraschet:time_study", args=[a1.pk, 2026, 10])
    response = _client(world.users[Role.ECONOMIST]).post(url, _study_post(studied_on="2026-11-02"))
    assert response.status_code == 200
    assert field_errors(response.content, "studied_on")
    assert not TimeStudy.objects.exists()


def test_a_double_post_of_a_study_makes_one(world):
    a1 = world.units["A1"]
    url = reverse("khozraschet:time_study", args=[a1.pk, 2026, 10])
    client = _client(world.users[Role.ECONOMIST])
    data = _study_post()
    client.post(url, data)
    second = client.post(url, data)
    assert second.status_code == 302
    assert TimeStudy.objects.filter(section=a1).count() == 1


def test_a_closed_month_takes_no_study(world):
    a1, october = world.units["A1"], world.period(2026, 10)
    TimeStudyFactory(section=a1, period=october)
    close_as_is(october, world.users[Role.LABOUR])
    url = reverse("khozraschet:time_study", args=[a1.pk, 2026, 10])
    client = _client(world.users[Role.ECONOMIST])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    response = client.post(url, _study_post(studied_on="2026-10-20"))
    assert response.status_code == 302
    assert any("закрыт" in m for m in messages_of(response))
    assert TimeStudy.objects.filter(section=a1).count() == 1


def test_the_master_reads_the_studies_but_does_not_enter_them(world):
    a1 = world.units["A1"]
    url = reverse("khozraschet:time_study", args=[a1.pk, 2026, 10])
    client = _client(world.users[Role.MASTER])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(url, _study_post()).status_code == 404
