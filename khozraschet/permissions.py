"""Who may do what in section self-financing.

Each action is checked against the unit it concerns (a section, or its shop for the
shop's pages): ``enterprise.permissions.can(user, action, obj)`` asks ``scope_unit()``.
"""

from __future__ import annotations

from enterprise.models.roles import Role as R

READERS = frozenset(
    {
        R.MASTER,
        R.SHOP_HEAD,
        R.DISPATCHER,
        R.ECONOMIST,
        R.LABOUR,
        R.PRODUCTION_HEAD,
        R.DEPUTY_DIRECTOR,
        R.ADMINISTRATOR,
    }
)

ACTIONS: dict[str, frozenset[str]] = {
    # a section's month, its result and PDF; the shop's and the plant's summaries
    "khz.view": READERS,
    # the public competition board: everyone of the unit, workers too
    "khz.board": READERS | {R.WORKER, R.BRIGADE_LEADER},
    # plans and actuals of indicators, the month's evaluation inputs, idle hours, studies
    "khz.enter": frozenset({R.DISPATCHER, R.ECONOMIST}),
    # the cost plan and its month-end corrections (the bureau and the economist)
    "khz.cost": frozenset({R.DISPATCHER, R.ECONOMIST}),
    # a master's explanation of a deviation on his section
    "khz.explain": frozenset({R.MASTER}),
    # the section's attributes and passport
    "khz.passport": frozenset({R.ECONOMIST, R.SHOP_HEAD}),
    # summing up a shop's month (results of its sections)
    "khz.close_shop": frozenset({R.ECONOMIST, R.SHOP_HEAD}),
    # summing up the plant's month (every shop, the shops' ranking)
    "khz.close_plant": frozenset({R.LABOUR, R.PRODUCTION_HEAD, R.DEPUTY_DIRECTOR}),
    # the incentive fund handed to a shop or to the plant's sections
    "khz.fund": frozenset({R.LABOUR, R.DEPUTY_DIRECTOR}),
}

_CONFIG = (
    "settings",
    "indicator",
    "tensionfactor",
    "costarticle",
    "scorecardrow",
    "competitionrule",
    "bonuscategory",
)

# A section's month and its results: read in the admin, written by the pages' services.
_MONTH = (
    "passport",
    "timestudy",
    "idlerecord",
    "sectionmonth",
    "indicatorvalue",
    "costline",
    "costcorrection",
    "deviationnote",
    "energysaving",
    "incentivefund",
    "sectionresult",
    "shopresult",
)
_READ_MONTHS = frozenset(f"khozraschet.view_{model}" for model in _MONTH)

MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    # The labour & wages department keeps the plant's terms, scales and rule sets.
    R.LABOUR: frozenset(
        f"khozraschet.{verb}_{model}" for model in _CONFIG for verb in ("add", "change", "view")
    )
    | frozenset(
        f"khozraschet.delete_{model}"
        for model in ("tensionfactor", "scorecardrow", "competitionrule")
    )
    | _READ_MONTHS,
    R.ADMINISTRATOR: frozenset(
        f"khozraschet.{verb}_{model}" for model in _CONFIG for verb in ("add", "change", "view")
    )
    | _READ_MONTHS,
}
