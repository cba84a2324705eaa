"""The shared plausibility kit (enterprise.plausibility): findings, the hours rule and the
share of a month a worker was employed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from enterprise.plausibility import (
    Findings,
    RowErrors,
    UnlikelyFigures,
    check_hours,
    confirmed_reason,
)
from enterprise.rules import employed_share

D = Decimal
MAY = (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))


def test_employed_share_counts_calendar_days_of_employment():
    assert employed_share(datetime.date(2015, 3, 2), None, *MAY) == 1
    assert employed_share(datetime.date(2026, 5, 1), None, *MAY) == 1
    assert employed_share(datetime.date(2026, 5, 16), None, *MAY) == D(16) / D(31)
    assert employed_share(datetime.date(2026, 6, 1), None, *MAY) == 0
    assert employed_share(datetime.date(2015, 3, 2), datetime.date(2026, 5, 10), *MAY) == D(10) / 31
    assert employed_share(datetime.date(2015, 3, 2), datetime.date(2026, 4, 30), *MAY) == 0


def test_impossible_findings_win_over_unlikely_and_no_confirmation_lifts_them():
    findings = Findings()
    findings.doubt(1, "a")
    findings.refuse(2, "b")
    with pytest.raises(RowErrors) as refused:
        findings.settle(confirmed=True)
    assert not isinstance(refused.value, UnlikelyFigures)
    assert refused.value.messages_by_row == {2: ["b"]}


def test_unlikely_findings_are_asked_until_confirmed_and_then_returned():
    findings = Findings(by_field=True)
    findings.doubt("growth_percent", "Рост 30 %")
    with pytest.raises(UnlikelyFigures) as asked:
        findings.settle(confirmed=False)
    assert asked.value.message_dict == {"growth_percent": ["Рост 30 %"]}
    assert findings.settle(confirmed=True) == ["Рост 30 %"]
    assert confirmed_reason(["Рост 30 %"]) == "Подтверждены маловероятные цифры: Рост 30 %"
    assert confirmed_reason([], "Исправление") == "Исправление"
    assert confirmed_reason(["x"], "Исправление") == (
        "Исправление. Подтверждены маловероятные цифры: x"
    )


@pytest.mark.parametrize(
    ("hours", "absence", "share", "outcome"),
    [
        ("159", "0", 1, None),
        ("174.9", "0", 1, None),  # the fund + 10 %
        ("175", "0", 1, "unlikely"),
        ("140", "40", 1, "unlikely"),  # worked and absent over the fund
        ("279", "0", 1, "unlikely"),  # the fund + 120 h
        ("279.1", "0", 1, "impossible"),
        ("400", "0", 1, "impossible"),  # the figure
        ("100", "0", D(1) / 2, "unlikely"),  # half a month: a fund of 79.5 h
        ("8", "0", 0, "impossible"),  # not employed that month
        ("0", "0", 0, None),
    ],
)
def test_hours_against_a_fund_of_159(hours, absence, share, outcome):
    findings = Findings()
    check_hours(findings, "k", D(hours), absence=D(absence), fund=D("159"), share=D(share))
    found = "impossible" if findings.impossible else "unlikely" if findings.unlikely else None
    assert found == outcome
