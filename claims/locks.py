"""Which of claims' tables belong to a month (frozen with it) and which do not.

See :func:`enterprise.pg.registry`: every model table of every app is in one of the two.
"""

MONTH_BOUND = {
    "claims_claim": "period_id (lock_by_period)",
    "claims_claimdocument": "its claim's period (lock_by_parent)",
}

NOT_MONTH_BOUND = {
    "claims_claimsettings": "the regulation; each claim keeps its own answer date",
    "claims_claimtype": (
        "reference list; each claim keeps its amount, inputs and formula as computed"
    ),
}
