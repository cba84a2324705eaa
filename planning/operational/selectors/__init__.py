"""Reads of operational scheduling, already scoped to the user where they start from rows."""

from .capacity import CapacityPage, area_use, capacity_page, equipment_load
from .kits import (
    Journal,
    KitsPage,
    assembled_kits,
    kits_page,
    planning_card,
    section_journal,
)
from .rhythm import Rank, SupplyBoard, five_day_calendar, rank_on, supply_board
from .routes import PartPage, RouteFigures, part_page, parts_for, route_figures, schedules_of

__all__ = [
    "CapacityPage",
    "Journal",
    "KitsPage",
    "PartPage",
    "Rank",
    "RouteFigures",
    "SupplyBoard",
    "area_use",
    "assembled_kits",
    "capacity_page",
    "equipment_load",
    "five_day_calendar",
    "kits_page",
    "part_page",
    "parts_for",
    "planning_card",
    "rank_on",
    "route_figures",
    "schedules_of",
    "section_journal",
    "supply_board",
]
