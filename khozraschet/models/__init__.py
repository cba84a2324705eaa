"""Section self-financing (domain/khozraschet.md): configuration, sections, months, results."""

from .config import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    Direction,
    Indicator,
    Measure,
    Position,
    ScorecardRow,
    Settings,
    TensionFactor,
)
from .months import (
    CostCorrection,
    CostLine,
    DeviationNote,
    EnergySaving,
    IncentiveFund,
    IndicatorValue,
    SectionMonth,
)
from .results import ResultRun, SectionResult, ShopResult
from .sections import IdleCause, IdleRecord, Passport, Profile, Purpose, Specialisation, TimeStudy

__all__ = [
    "BonusCategory",
    "CompetitionRule",
    "CostArticle",
    "CostCorrection",
    "CostLine",
    "DeviationNote",
    "Direction",
    "EnergySaving",
    "IdleCause",
    "IdleRecord",
    "IncentiveFund",
    "Indicator",
    "IndicatorValue",
    "Measure",
    "Passport",
    "Position",
    "Profile",
    "Purpose",
    "ResultRun",
    "ScorecardRow",
    "SectionMonth",
    "SectionResult",
    "Settings",
    "ShopResult",
    "Specialisation",
    "TensionFactor",
    "TimeStudy",
]
