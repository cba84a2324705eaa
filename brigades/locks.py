"""Which of brigades' tables belong to a month (frozen with it) and which do not.

See :func:`enterprise.pg.registry`: every model table of every app is in one of the two.
"""

MONTH_BOUND = {
    "brigades_distribution": "period_id (lock_by_period)",
    "brigades_line": (
        "period_id, repeated from its distribution (lock_by_period), and the distribution's "
        "period (lock_by_parent)"
    ),
    "brigades_ktu": (
        "period_id, repeated from its distribution (lock_by_period), and the distribution's "
        "period (lock_by_parent)"
    ),
    "brigades_surcharge": (
        "period_id, repeated from its distribution (lock_by_period), and the distribution's "
        "period (lock_by_parent)"
    ),
    "brigades_membership": (
        "valid_from–valid_to: the stretch where it touches a closed month; grade, "
        "profession, worker and brigade alter the whole stretch (lock_by_span)"
    ),
    "brigades_post": (
        "valid_from–valid_to: the stretch where it touches a closed month; worker, kind and "
        "brigade alter the whole stretch (lock_by_span)"
    ),
    "brigades_brigade": (
        "formed_on–disbanded_on: a new brigade is not formed or disbanded in a closed month, "
        "the dates do not move across one, the section does not change under one, and one "
        "that lived in a closed month is not deleted (lock_by_span, insert_points)"
    ),
}

NOT_MONTH_BOUND = {
    "brigades_ktucriterion": (
        "the regulation's criteria; each month's KTU keeps the names and values it applied"
    ),
}
