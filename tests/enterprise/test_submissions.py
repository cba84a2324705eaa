"""The one-time token of create forms (enterprise.submissions): a repeated submission
makes nothing new and goes to what the first one created; a token of the wrong shape is
a form error, never a database error."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from enterprise import submissions
from enterprise.models import Submission
from enterprise.models.roles import Role
from planning.models import OrgMeasure, SavingsEntry
from tests.pages import messages_of, text_of
from tests.planning import matrix_measures

D = Decimal
ALREADY = "Эта форма уже отправлена"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- once() ----------------------------------------------------------------------------------


def test_once_runs_a_token_once_and_names_the_first_object(world):
    user = world.users[Role.MASTER]
    token = uuid.uuid4().hex
    made = []

    def create():
        made.append(world.worker)
        return world.worker

    assert submissions.once(token=token, user=user, create=create) == world.worker
    with pytest.raises(submissions.AlreadySubmitted) as repeat:
        submissions.once(token=token, user=user, create=create)
    assert repeat.value.obj == world.worker
    assert len(made) == 1
    mark = Submission.objects.get(token=token)
    assert (mark.user, mark.object_pk) == (user, str(world.worker.pk))


def test_a_refused_create_gives_its_token_back(world):
    user = world.users[Role.MASTER]
    token = uuid.uuid4().hex

    def refuse():
        raise ValidationError("нет")

    with pytest.raises(ValidationError):
        submissions.once(token=token, user=user, create=refuse)
    assert not Submission.objects.filter(token=token).exists()
    assert submissions.once(token=token, user=user, create=lambda: world.worker) == world.worker


def test_another_users_token_is_refused(world):
    token = uuid.uuid4().hex
    submissions.once(token=token, user=world.users[Role.MASTER], create=lambda: world.worker)
    with pytest.raises(ValidationError) as refused:
        submissions.once(token=token, user=world.users[Role.ECONOMIST], create=lambda: world.worker)
    assert refused.value.code == "bad_submission"


@pytest.mark.parametrize("token", ["x" * 41, "A" * 32, "0" * 31, "g" * 32, "1' OR '1'='1"])
def test_a_token_of_the_wrong_shape_is_refused_before_the_database(world, token):
    with pytest.raises(ValidationError):
        submissions.once(token=token, user=world.users[Role.MASTER], create=lambda: None)
    assert not Submission.objects.exists()


# --- through the pages -------------------------------------------------------------------------


def _saving(world, token) -> dict:
    return {
        "period": world.period(2026, 11).pk,
        "kind": "tools",
        "amount": "1 250,50",
        "description": "Переточка фрез вместо замены",
        "submission": token,
    }


def test_a_savings_form_sent_twice_credits_once_and_says_so(world):
    client = _client(world.users[Role.MASTER])
    url = reverse("planning:savings_add", args=[world.worker.pk])
    token = (
        client.get(reverse("planning:account", args=[world.worker.pk]))
        .context["form"]["submission"]
        .value()
    )
    assert submissions.valid_token(token)

    first = client.post(url, _saving(world, token))
    second = client.post(url, _saving(world, token))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert SavingsEntry.objects.get().amount == D("1250.50")
    assert any(ALREADY in m for m in messages_of(second))
    # A new form (a new token) is a new saving.
    assert client.post(url, _saving(world, uuid.uuid4().hex)).status_code == 302
    assert SavingsEntry.objects.count() == 2


def test_a_41_character_token_is_a_form_error_not_a_server_error(world):
    client = _client(world.users[Role.MASTER])
    url = reverse("planning:savings_add", args=[world.worker.pk])
    response = client.post(url, _saving(world, "a" * 41))
    assert response.status_code == 200
    assert "Форма повреждена или устарела" in text_of(response.content)
    assert not SavingsEntry.objects.exists()


def test_a_huge_token_is_a_form_error_too(world):
    client = _client(world.users[Role.MASTER])
    url = reverse("planning:savings_add", args=[world.worker.pk])
    response = client.post(url, _saving(world, "a" * 100_000))
    assert response.status_code == 200
    assert not SavingsEntry.objects.exists()


def test_a_measure_form_sent_twice_makes_one_measure(world):
    client = _client(world.users[Role.MASTER])
    token = client.get(reverse("planning:measure_create")).context["form"]["submission"].value()
    data = {**matrix_measures.MEASURE, "section": str(world.units["A1"].pk), "submission": token}
    first = client.post(reverse("planning:measure_create"), data)
    second = client.post(reverse("planning:measure_create"), data)
    measure = OrgMeasure.objects.get()
    assert first["Location"] == second["Location"] == measure.get_absolute_url()
    assert any(ALREADY in m for m in messages_of(second))


def test_a_claim_form_with_a_41_character_token_is_refused_at_the_form(world):
    response = _client(world.users[Role.MASTER]).post(
        reverse("claims:claim_create"), {"submission": "f" * 41, "description": "Опоздание"}
    )
    assert response.status_code == 200
    assert "Форма повреждена или устарела" in text_of(response.content)
    assert not Claim.objects.exists()
