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
    "planning_partsupply": "year: frozen once the year's December is closed (lock_by_year)",
    "planning_consumerstock": "date (lock_by_date)",
    "planning_partproduction": "date (lock_by_date)",
    "planning_assemblyday": "date (lock_by_date)",
    "planning_shifttask": "date (lock_by_date)",
    "planning_shifttaskitem": "its task's date (lock_by_parent)",
    "planning_shiftoutput": "its item's task's date (lock_by_parent)",
}

NOT_MONTH_BOUND = {
    "planning_correctioncell": (
        "the plant's table 25 has no year; each plan keeps the coefficient it used"
    ),
    "planning_printjob": "a background print job's progress and file, not a month's figures",
    "planning_shopschedule": "a shop's working regime, in force until changed (history kept)",
    "planning_part": "a part of the plant's nomenclature, not a month's figures",
    "planning_route": "a part's route (technology), in force until changed (history kept)",
    "planning_routeoperation": "an operation of a route (technology), history kept",
    "planning_equipmentgroup": "a shop's machines, in force until changed (history kept)",
    "planning_assemblyarea": "an assembly shop's floor, in force until changed (history kept)",
    "planning_assemblyproduct": "a product's assembly norms (table 13), history kept",
    "planning_assemblystage": "a stage of a product's assembly (table 12), history kept",
}
