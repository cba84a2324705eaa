"""Brigades, their members over time, and the monthly distribution of collective pay.

A brigade's month is one :class:`Distribution` document: the timesheet (a line per
membership segment — a member who changes grade mid-month has two lines, each paid at
its own rate), the KTU of each member, the collective earnings, and the computed
shares. The document goes draft → agreed by the council → approved by the shop head;
approved is final, and so is anything of a closed month. Corrections are new
documents in an open month that point to the one they correct.

One module per aggregate: :mod:`.brigades` (the brigade, its membership and posts),
:mod:`.distributions` (the month's document, its lines and KTU), :mod:`.settings` (the
enterprise's KTU criteria).
"""

from .brigades import (
    GRADE_VALIDATORS,
    MONEY,
    Brigade,
    BrigadePart,
    BrigadePartQuerySet,
    BrigadeQuerySet,
    Dated,
    Membership,
    Post,
    led_brigade_ids,
)
from .distributions import (
    Distribution,
    DistributionPart,
    DistributionPartQuerySet,
    DistributionQuerySet,
    Ktu,
    Line,
    Surcharge,
)
from .settings import KtuCriterion

__all__ = [
    "GRADE_VALIDATORS",
    "MONEY",
    "Brigade",
    "BrigadePart",
    "BrigadePartQuerySet",
    "BrigadeQuerySet",
    "Dated",
    "Distribution",
    "DistributionPart",
    "DistributionPartQuerySet",
    "DistributionQuerySet",
    "Ktu",
    "KtuCriterion",
    "Line",
    "Membership",
    "Post",
    "Surcharge",
    "led_brigade_ids",
]
