"""Who may do what with claims. Each check names the unit it concerns: the claimant's
unit for filing and withdrawal, the defendant's for the answer; the arbitrator is
checked by name of role and unit (``services.is_arbitrator``)."""

from enterprise.models.roles import Role as R

ACTIONS: dict[str, frozenset[str]] = {
    "claim.file": frozenset({R.DISPATCHER, R.MASTER, R.SHOP_HEAD}),
    "claim.answer": frozenset({R.MASTER, R.SHOP_HEAD}),
    # a brigade leader answers for the brigade he leads (services.may_answer)
    "claim.answer_brigade": frozenset({R.BRIGADE_LEADER}),
    "claim.withdraw": frozenset({R.DISPATCHER, R.MASTER, R.SHOP_HEAD}),
    "claim.statement": frozenset(
        {
            R.DISPATCHER,
            R.ECONOMIST,
            R.MASTER,
            R.SHOP_HEAD,
            R.LABOUR,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
        }
    ),
    "claim_type.edit": frozenset({R.ADMINISTRATOR, R.DEPUTY_DIRECTOR}),
}

MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.ADMINISTRATOR: frozenset(
        {f"claims.{verb}_claimtype" for verb in ("add", "change", "view")}
        | {f"claims.{verb}_claimsettings" for verb in ("add", "change", "view")}
        | {"claims.view_claim"}
    ),
}
