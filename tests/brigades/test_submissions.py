"""Correcting an approved month: one draft correction at a time, whatever is posted —
the same form twice goes to the draft it made, another form is refused, and the
database refuses a second unapproved correction even past the application."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from brigades.models import Brigade, Distribution
from brigades.services import distribution_agree, distribution_approve
from tests.pages import messages_of

ALREADY = "Эта форма уже отправлена"
OPEN = "уже есть неутверждённое исправление"


@pytest.fixture
def approved(table18, october, master, leader, shop_head):
    draft = table18.earn(table18.open(master, october, Brigade.Method.TARIFF), master, "1053.84")
    distribution_agree(distribution=draft, minutes="Протокол № 10", user=leader)
    return distribution_approve(distribution=draft, user=shop_head)


def _correct(client, original, period, token):
    return client.post(
        reverse("brigades:distribution_correct", args=[original.pk]),
        {"period": period.pk, "submission": token},
    )


def test_the_same_correction_form_sent_twice_goes_to_its_one_draft(approved, november, master):
    client = Client()
    client.force_login(master)
    token = uuid.uuid4().hex
    first = _correct(client, approved, november, token)
    second = _correct(client, approved, november, token)
    correction = Distribution.objects.get(corrects=approved)
    earnings = reverse("brigades:earnings_edit", args=[correction.pk])
    assert first["Location"] == second["Location"] == earnings
    assert any(ALREADY in m for m in messages_of(second))


def test_another_correction_form_is_refused_while_a_draft_is_open(approved, november, master):
    client = Client()
    client.force_login(master)
    assert _correct(client, approved, november, uuid.uuid4().hex).status_code == 302
    response = _correct(client, approved, november, uuid.uuid4().hex)
    assert response["Location"] == approved.get_absolute_url()
    assert any(OPEN in m for m in messages_of(response))
    assert Distribution.objects.filter(corrects=approved).count() == 1


def test_the_database_refuses_a_second_unapproved_correction(approved, november, master):
    fields = {
        "enterprise_id": approved.enterprise_id,
        "brigade": approved.brigade,
        "period": november,
        "corrects": approved,
        "method": approved.method,
        "drafted_by": master,
    }
    Distribution.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Distribution.objects.create(**fields)
    assert Distribution.objects.filter(corrects=approved).count() == 1
