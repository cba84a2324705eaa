"""Which of enterprise's tables belong to a month (frozen with it) and which do not.

See :func:`enterprise.pg.registry`: every model table of every app is in one of the two.
"""

MONTH_BOUND = {
    "enterprise_period": (
        "the month itself: a closed one refuses any change (khz_period_freeze); its status "
        "changes only through the application (khz_period_status); TRUNCATE refused"
    ),
    "enterprise_tariffrate": (
        "valid_from, onwards: frozen by any closed month from its start (lock_by_date)"
    ),
    "enterprise_workersnapshot": (
        "period: the workers as a closed month's documents print them, written by the close "
        "before the status changes and dropped by a reopening after it (lock_by_period)"
    ),
}

NOT_MONTH_BOUND = {
    "enterprise_enterprise": "the plant: reference data, no month",
    "enterprise_shop": "structure: reference data, no month",
    "enterprise_section": "structure: reference data, no month",
    "enterprise_profession": "reference list, no month",
    "enterprise_paycondition": "a column of the tariff grid; the rates carry the dates",
    "enterprise_stepscale": "reference scale; what a month used is kept in its figures",
    "enterprise_stepscalerow": "reference scale rows; what a month used is kept in its figures",
    "enterprise_worker": (
        "personnel record, changed over years (hire and dismissal dates describe it, not a "
        "month's figures); a closed month's documents keep what they printed at closing"
    ),
    "enterprise_roleassignment": (
        "access rights, not figures of a month; granting and revoking is recorded in history"
    ),
    "enterprise_periodreopening": (
        "the way out of a closed month: written while the month is closed"
    ),
    "enterprise_historyrecord": "the audit log: written for changes of every month",
    "enterprise_submission": (
        "a create form's submission token: it points at what was created, which carries the month"
    ),
}
