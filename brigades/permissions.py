"""Who may do what with brigades (checked by the services and asked by the templates).

A brigade leader's section-level role covers only the brigade he leads today
(``Brigade.permits``); nobody approves a document he drafted (the service checks).
"""

from enterprise.models.roles import Role as R

ACTIONS: dict[str, frozenset[str]] = {
    # the brigade itself, its members, leader and council
    "brigade.edit": frozenset({R.MASTER, R.SHOP_HEAD, R.LABOUR, R.ADMINISTRATOR}),
    # the month: timesheet, earnings, KTU
    "distribution.edit": frozenset({R.BRIGADE_LEADER, R.MASTER}),
    # the leader records the council's agreement; the master may too
    "distribution.agree": frozenset({R.BRIGADE_LEADER, R.MASTER}),
    "distribution.approve": frozenset({R.SHOP_HEAD}),
    "distribution.return": frozenset({R.SHOP_HEAD, R.MASTER}),
    # the whole sheet (a worker sees his own line only)
    "distribution.view_all": frozenset(
        {
            R.BRIGADE_LEADER,
            R.MASTER,
            R.SHOP_HEAD,
            R.ECONOMIST,
            R.LABOUR,
            R.DISPATCHER,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
        }
    ),
    "ktu.settings": frozenset({R.LABOUR}),
}

# The admin's model permissions (the back office keeps brigades and members there too).
MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.ADMINISTRATOR: frozenset(
        f"brigades.{verb}_{model}"
        for model in ("brigade", "membership", "post")
        for verb in ("add", "change", "view", "delete")
    )
    | {"brigades.view_ktucriterion"},
    R.LABOUR: frozenset(
        f"brigades.{verb}_{model}"
        for model in ("ktucriterion",)
        for verb in ("add", "change", "view", "delete")
    )
    | {"brigades.view_brigade", "brigades.view_membership", "brigades.view_post"},
}
