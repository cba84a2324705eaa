"""Who may do what with brigades: asked by the views (``enterprise.web.allow``) before
they call a service, and by the pages for the buttons they show.

A brigade leader's section-level role covers only the brigade he leads today
(``Brigade.permits``); nobody approves a document he drafted or whose council agreement
he recorded (:func:`may_approve`; the service refuses it too, as a rule of the document).
"""

from django.utils.translation import gettext as _

from enterprise import duties
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


def approve_refusal(user, distribution) -> str | None:
    """Why ``user`` may not approve ``distribution`` whatever roles he holds (None: the
    document does not stop him): the approval is another person's than the drafting and
    the council's agreement he recorded (``enterprise.duties``)."""
    if distribution.drafted_by_id is not None and distribution.drafted_by_id == user.pk:
        return _("Нельзя утвердить распределение, которое вы составили.")
    title = duties.signed_as(user, [(_("записавший согласие совета"), distribution.agreed_by_id)])
    return duties.already_signed_message(title) if title else None


def may_approve(user, distribution) -> bool:
    """The shop head of the brigade's unit approves — never the one who drafted it or
    recorded the council's agreement."""
    return approve_refusal(user, distribution) is None and can(
        user, "distribution.approve", distribution
    )


def approve_blocked(user, distribution) -> str | None:
    """The reason to show instead of the button his role would otherwise give him."""
    if not can(user, "distribution.approve", distribution):
        return None
    return approve_refusal(user, distribution)
