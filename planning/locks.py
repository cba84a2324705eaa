"""Which of planning's tables belong to a month (frozen with it) and which do not.

See :func:`enterprise.pg.registry`: every model table of every app is in one of the two.
"""

MONTH_BOUND = {
    "planning_monthlyoutput": "period_id (lock_by_period)",
    "planning_savingsentry": "period_id (lock_by_period)",
    "planning_sectiondayoutput": "date (lock_by_date)",
    "planning_sectiontask": "year: frozen once the year's December is closed (lock_by_year)",
    "planning_personalplan": "year: frozen once the year's December is closed (lock_by_year)",
    "planning_orgmeasure": "year: frozen once the year's December is closed (lock_by_year)",
    "planning_orgmeasure_authors": "its measure's year (lock_by_parent)",
}

NOT_MONTH_BOUND = {
    "planning_correctioncell": (
        "the plant's table 25 has no year; each plan keeps the coefficient it used"
    ),
    "planning_printjob": "a background print job's progress and file, not a month's figures",
}
