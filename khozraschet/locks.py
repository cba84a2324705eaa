"""Which of khozraschet's tables belong to a month (frozen with it) and which do not.

See :func:`enterprise.pg.registry`: every model table of every app is in one of the two.
"""

MONTH_BOUND = {
    "khozraschet_passport": "valid_from: the month it comes in force from (lock_by_date)",
    "khozraschet_timestudy": "period_id (lock_by_period)",
    "khozraschet_idlerecord": "period_id (lock_by_period)",
    "khozraschet_sectionmonth": "period_id (lock_by_period)",
    "khozraschet_indicatorvalue": "period_id (lock_by_period)",
    "khozraschet_costline": "period_id (lock_by_period)",
    "khozraschet_costcorrection": "period_id (lock_by_period)",
    "khozraschet_deviationnote": "period_id (lock_by_period)",
    "khozraschet_energysaving": "period_id (lock_by_period)",
    "khozraschet_incentivefund": "period_id (lock_by_period)",
    "khozraschet_sectionresult": "period_id (lock_by_period): a closed month's result is final",
    "khozraschet_shopresult": "period_id (lock_by_period): a closed month's result is final",
}

NOT_MONTH_BOUND = {
    "khozraschet_settings": "the plant's terms; each result keeps the figures it used",
    "khozraschet_indicator": "the catalogue of indicators; each value keeps its figures",
    "khozraschet_tensionfactor": "the factor set; each result keeps the factors it used",
    "khozraschet_costarticle": "reference list of cost articles",
    "khozraschet_scorecardrow": "table 7 as configured; each result keeps its points",
    "khozraschet_competitionrule": "table 8 as configured; each result keeps its coefficient",
    "khozraschet_bonuscategory": "the bonus categories; each result keeps its percentages",
    "khozraschet_profile": "what a section is (purpose, links): not a month's figure",
    "khozraschet_profile_consumers": "links between sections: not a month's figure",
    "khozraschet_resultrun": "a background run's progress, not a month's figures",
}
