"""The models of operational scheduling (chapter III of the booklet, tables 11–13)."""

from .assembly import AssemblyArea, AssemblyProduct, AssemblyStage
from .routes import EquipmentGroup, Part, Route, RouteOperation, ShopSchedule
from .shifts import READINESS_FIELDS, ShiftOutput, ShiftTask, ShiftTaskItem
from .supply import AssemblyDay, ConsumerStock, PartProduction, PartSupply

__all__ = [
    "READINESS_FIELDS",
    "AssemblyArea",
    "AssemblyDay",
    "AssemblyProduct",
    "AssemblyStage",
    "ConsumerStock",
    "EquipmentGroup",
    "Part",
    "PartProduction",
    "PartSupply",
    "Route",
    "RouteOperation",
    "ShiftOutput",
    "ShiftTask",
    "ShiftTaskItem",
    "ShopSchedule",
]
