"""A claim's history reads as people read it: the loss calculation's inputs by their labels."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from claims.models import Claim
from claims.rules import inputs_text
from enterprise.history import history_for
from enterprise.models import HistoryRecord


def test_the_inputs_read_by_their_labels_in_the_rule_s_order():
    text = inputs_text({"overhead_percent": "150.00", "idle_pay": "-1200.5"})

    assert text == (
        "Оплата по листку простоя: \u22121\u00a0200,50; Накладные расходы участка, %: 150\u00a0%"
    )


def test_an_input_no_rule_knows_keeps_its_name():
    assert inputs_text({"bonus": "abc", "amount": "10"}) == (
        "Сумма штрафов, пеней, недостач: 10,00; bonus: abc"
    )


@pytest.mark.django_db
def test_the_claim_s_history_shows_the_inputs_as_labelled_text_not_a_mapping():
    HistoryRecord.objects.create(
        content_type=ContentType.objects.get_for_model(Claim),
        object_pk="1",
        object_repr="Претензия № 1",
        group="test:claim",
        action=HistoryRecord.Action.CREATE,
        changes={"loss_inputs": [None, {"idle_pay": "900.00", "overhead_percent": "50"}]},
    )

    (entry,) = history_for("test:claim")
    (change,) = entry.changes

    assert change.label == "Исходные данные расчёта"
    assert change.after == (
        "Оплата по листку простоя: 900,00; Накладные расходы участка, %: 50\u00a0%"
    )
    assert "idle_pay" not in entry.changes_html and "{" not in entry.changes_html
