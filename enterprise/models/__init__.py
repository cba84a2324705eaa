"""The plant's structure, people, roles, tariffs, periods, scales and history."""

from .history import HistoryRecord
from .periods import Period, PeriodReopening, WorkerSnapshot
from .roles import Role, RoleAssignment
from .scales import OutOfScaleError, StepScale, StepScaleRow
from .structure import Enterprise, Profession, Section, Shop, Worker
from .submissions import Submission
from .tariffs import PayCondition, TariffRate

__all__ = [
    "Enterprise",
    "HistoryRecord",
    "OutOfScaleError",
    "PayCondition",
    "Period",
    "PeriodReopening",
    "Profession",
    "Role",
    "RoleAssignment",
    "Section",
    "Shop",
    "StepScale",
    "StepScaleRow",
    "Submission",
    "TariffRate",
    "Worker",
    "WorkerSnapshot",
]
