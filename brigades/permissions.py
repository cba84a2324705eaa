"""Who may do what with brigades: asked by the views (``enterprise.web.allow``) before
they call a service, and by the pages for the buttons they show.

A brigade leader's section-level role covers only the brigade he leads today
(``Brigade.permits``); nobody approves a document he drafted (:func:`may_approve`; the
service refuses it too, as a rule of the document).
"""

from enterprise.models.roles import Role as R
from enterprise.permissions import can

ACTIONS: dict[str, frozenset[str]] = {
    # the brigade itself, its members, leader and council
    "brigade.edit": frozenset({R.MASTER, R.SHOP_HEAD, R.LABOUR, R.ADMINISTRATOR}),
    # the month: timesheet, earnings, KTU
    "distribution.edit": frozenset({R.BRIGADE_LEADER, R.MASTER}),
    # the leader records the council's agreement; the master may too
    "distribution.agree": frozenset({R.BRIGADE_LEADER, R.MASTER}),
    "distribution.approve": frozenset({R.SHOP_HEAD}),
    "distribution.return": frozenset({R.SHOP_HEAD, R.MASTER}),
    # a draft opened by mistake (or left over when its month is to close) is deleted
    "distribution.delete": frozenset({R.MASTER}),
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


def may_approve(user, distribution) -> bool:
    """The shop head of the brigade's unit approves — never the one who drafted it."""
    return distribution.drafted_by_id != user.pk and can(user, "distribution.approve", distribution)
