"""Who may do what with personal plans, output, measures and accounts.

A worker's enterprise-wide role covers only his own plan (``PersonalPlan.permits``): he
may record his own agreement with it. Signatures are each their role's: the master of
the section, the shop's economist, the shop head.
"""

from enterprise.models.roles import Role as R
from planning.operational.permissions import ACTIONS as OPERATIONAL_ACTIONS
from planning.operational.permissions import MODEL_PERMISSIONS as OPERATIONAL_MODELS

ACTIONS: dict[str, frozenset[str]] = {
    # a section's plans and the §4 check (a worker sees his own plan only)
    "plan.view_section": frozenset(
        {
            R.BRIGADE_LEADER,
            R.MASTER,
            R.SHOP_HEAD,
            R.DISPATCHER,
            R.ECONOMIST,
            R.LABOUR,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
        }
    ),
    # drafts: the shop's planning-economic bureau with the masters (§1)
    "plan.edit": frozenset({R.ECONOMIST, R.MASTER}),
    # the worker agrees himself, or the master / economist records his agreement
    "plan.agree": frozenset({R.WORKER, R.MASTER, R.ECONOMIST}),
    "plan.sign_master": frozenset({R.MASTER}),
    "plan.sign_economist": frozenset({R.ECONOMIST}),
    "plan.sign_shop_head": frozenset({R.SHOP_HEAD}),
    # back to draft before it is signed by all (a signature is withdrawn with it)
    "plan.return": frozenset({R.ECONOMIST, R.MASTER, R.SHOP_HEAD}),
    # a section's task and its plan terms
    "section_task.edit": frozenset({R.ECONOMIST}),
    # batches of plan sheets
    "plan.print_batch": frozenset({R.MASTER, R.SHOP_HEAD, R.ECONOMIST, R.LABOUR, R.ADMINISTRATOR}),
    # actual output: monthly per worker, daily per section
    "output.edit": frozenset({R.MASTER, R.DISPATCHER, R.ECONOMIST}),
    # the competition board is public within the shop (the worker sees his shop's)
    "board.view": frozenset(
        {
            R.WORKER,
            R.BRIGADE_LEADER,
            R.MASTER,
            R.SHOP_HEAD,
            R.DISPATCHER,
            R.ECONOMIST,
            R.LABOUR,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
        }
    ),
    # bonus proposals (§6) go to labour & wages
    "bonus.view": frozenset({R.LABOUR, R.ECONOMIST, R.SHOP_HEAD}),
    # org-technical measures and the savings account
    "measure.edit": frozenset({R.MASTER, R.SHOP_HEAD, R.ECONOMIST}),
    "savings.edit": frozenset({R.MASTER, R.ECONOMIST}),
    # operational scheduling: routes, five-day ranks, daily kits, capacity
    **OPERATIONAL_ACTIONS,
    # shift tasks (operational-planning.md §5): the bureau (ПДБ) composes and issues them,
    # the master checks the workplaces' readiness and signs; both record the output. Labour
    # & wages read them: they are the workers' output, and their month's close waits on them
    "shift.view": frozenset(
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
    ),
    "shift.issue": frozenset({R.DISPATCHER}),
    "shift.check": frozenset({R.MASTER}),
    "shift.output": frozenset({R.MASTER, R.DISPATCHER}),
}

# The admin's model permissions: labour & wages keep the correction table (table 25).
MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.LABOUR: frozenset(
        f"planning.{verb}_correctioncell" for verb in ("add", "change", "view", "delete")
    ),
    R.ADMINISTRATOR: frozenset(
        {
            "planning.view_correctioncell",
            "planning.view_sectiontask",
            "planning.view_personalplan",
            "planning.view_monthlyoutput",
        }
        | OPERATIONAL_MODELS[R.ADMINISTRATOR]
    ),
}
