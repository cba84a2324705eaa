"""The models of planning, one module per feature; Django finds them here.

:mod:`planning.plans.models` — the section's task, the correction table (table 25), the
personal plans and the batches of plan sheets; :mod:`planning.tracking.models` — the
monthly and daily output (§6); :mod:`planning.measures.models` — org-technical measures
(§5, tables 20–21) and the savings account; :mod:`planning.operational.models` — routes
and cycles, five-day ranks, daily kits, assembly area and shift tasks (chapter III).
"""

from planning.measures.models import (
    FACTOR_GROUPS,
    TRANSITIONS,
    Factor,
    FactorGroup,
    OrgMeasure,
    SavingsEntry,
)
from planning.operational.models import (
    READINESS_FIELDS,
    AssemblyArea,
    AssemblyDay,
    AssemblyProduct,
    AssemblyStage,
    ConsumerStock,
    EquipmentGroup,
    Part,
    PartProduction,
    PartSupply,
    Route,
    RouteOperation,
    ShiftOutput,
    ShiftTask,
    ShiftTaskItem,
    ShopSchedule,
)
from planning.plans.models import (
    DEFAULT_TIME_FUND,
    CorrectionCell,
    OutputUnit,
    PersonalPlan,
    PrintJob,
    SectionTask,
    correction_table,
)
from planning.tracking.models import MonthlyOutput, SectionDayOutput

__all__ = [
    "DEFAULT_TIME_FUND",
    "FACTOR_GROUPS",
    "READINESS_FIELDS",
    "TRANSITIONS",
    "AssemblyArea",
    "AssemblyDay",
    "AssemblyProduct",
    "AssemblyStage",
    "ConsumerStock",
    "CorrectionCell",
    "EquipmentGroup",
    "Factor",
    "FactorGroup",
    "MonthlyOutput",
    "OrgMeasure",
    "OutputUnit",
    "Part",
    "PartProduction",
    "PartSupply",
    "PersonalPlan",
    "PrintJob",
    "Route",
    "RouteOperation",
    "SavingsEntry",
    "SectionDayOutput",
    "SectionTask",
    "ShiftOutput",
    "ShiftTask",
    "ShiftTaskItem",
    "ShopSchedule",
    "correction_table",
]
