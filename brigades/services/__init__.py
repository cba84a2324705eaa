"""Writes of the brigades app: membership over time, the month's document and its split.

Who may act is asked by the views (``enterprise.web.allow``, :mod:`brigades.permissions`)
before they call a service; a service refuses only what breaks a rule of the document
itself (its state, its month, approving one's own draft). Each runs in one transaction,
writes through the tracked models (so closed months refuse and history records who, when
and what) and leaves the document computed: the lines' shares are recalculated from
the timesheet, the KTU and the earnings on every change of a draft.

One module per idea: :mod:`.membership` (brigades, membership, posts), :mod:`.documents`
(the month's document: open, correct, delete, and its drafts following the membership),
:mod:`.entry` (the timesheet, the earnings, the KTU), :mod:`.split` (the computation of a
draft), :mod:`.signoff` (agree, approve, return), :mod:`.regulation` (the enterprise's KTU
regulation); :mod:`.drafts` and :mod:`.surcharge` serve them.
"""

from .documents import (
    distribution_correct,
    distribution_delete,
    distribution_open,
    distribution_sync,
)
from .entry import (
    EARNINGS_FIELDS,
    KTU_FIELDS,
    TIMESHEET_FIELDS,
    TimesheetRow,
    earnings_save,
    earnings_version,
    ktu_set,
    ktu_version,
    timesheet_save,
    timesheet_version,
)
from .membership import (
    brigade_save,
    membership_add,
    membership_change,
    membership_end,
    post_assign,
    post_end,
)
from .regulation import CriterionIn, ktu_settings_save, ktu_settings_version
from .signoff import distribution_agree, distribution_approve, distribution_return
from .split import LINE_COMPUTED, compute_figures, distribution_compute

__all__ = [
    "EARNINGS_FIELDS",
    "KTU_FIELDS",
    "LINE_COMPUTED",
    "TIMESHEET_FIELDS",
    "CriterionIn",
    "TimesheetRow",
    "brigade_save",
    "compute_figures",
    "distribution_agree",
    "distribution_approve",
    "distribution_compute",
    "distribution_correct",
    "distribution_delete",
    "distribution_open",
    "distribution_return",
    "distribution_sync",
    "earnings_save",
    "earnings_version",
    "ktu_set",
    "ktu_settings_save",
    "ktu_settings_version",
    "ktu_version",
    "membership_add",
    "membership_change",
    "membership_end",
    "post_assign",
    "post_end",
    "timesheet_save",
    "timesheet_version",
]
