"""Permission-matrix rows of a section's cost plan, passport and time studies
(``khozraschet/views/costs.py``, ``khozraschet/views/sections.py``).

Who may do what (``khozraschet/permissions.py``): ``khz.view`` — every role but the
worker and the brigade leader, within their unit, reads the pages; ``khz.cost`` — the
shop's dispatcher and economist enter the cost plan and correct it (a correction is
deleted by its author only); ``khz.explain`` — the section's master explains deviations
(and edits his own); ``khz.passport`` — the shop's economist and head; ``khz.enter`` —
the dispatcher and the economist enter time studies.

The month pages take the section, the year and the month: an object is a tuple of the
section and two holders of the year's and month's numbers (``url_args`` reads ``.pk``).
«A1, September» is a closed month: its pages are read-only, a POST says why not and goes
back.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from enterprise.models import Period
from enterprise.models.roles import Role
from tests.factories import UserFactory
from tests.khozraschet.factories_costs import (
    CostArticleFactory,
    CostCorrectionFactory,
    DeviationNoteFactory,
    PassportFactory,
)

OBJECTS = frozenset(
    {
        "khz: A1, October",
        "khz: A1, September (closed)",
        "khz: A2, October",
        "khz: B1, October",
        "khz: other plant, October",
        "khz: materials",
        "khz: correction of A1 by the economist",
        "khz: correction of other plant",
        "khz: note of A1 by the master",
        "khz: note of other plant",
        "khz: passport of A1",
        "khz: passport of other plant",
    }
)


def _month(section, period) -> tuple:
    return (section, SimpleNamespace(pk=period.year), SimpleNamespace(pk=period.month))


def objects(world) -> dict:
    units = world.units
    other_october, _ = Period.objects.get_or_create(
        enterprise=world.other_enterprise, year=2026, month=10
    )
    october, september = world.period(2026, 10), world.period(2026, 9)
    materials = CostArticleFactory(enterprise=world.enterprise, code="materials", name="Материалы")
    other_materials = CostArticleFactory(
        enterprise=world.other_enterprise, code="materials", name="Материалы"
    )
    other_user = UserFactory(username="khz-other-economist")
    a1, other = units["A1"], units["other_section"]
    correction = CostCorrectionFactory(
        section=a1, period=october, article=materials, author=world.users[Role.ECONOMIST]
    )
    other_correction = CostCorrectionFactory(
        section=other, period=other_october, article=other_materials, author=other_user
    )
    note = DeviationNoteFactory(
        section=a1, period=october, article=materials, author=world.users[Role.MASTER]
    )
    other_note = DeviationNoteFactory(
        section=other, period=other_october, article=other_materials, author=other_user
    )
    passport = PassportFactory(section=a1, valid_from=datetime.date(2026, 10, 1))
    other_passport = PassportFactory(section=other, valid_from=datetime.date(2026, 10, 1))
    return {
        "khz: A1, October": _month(a1, october),
        "khz: A1, September (closed)": _month(a1, september),
        "khz: A2, October": _month(units["A2"], october),
        "khz: B1, October": _month(units["B1"], october),
        "khz: other plant, October": _month(other, other_october),
        "khz: materials": materials,
        "khz: correction of A1 by the economist": (*_month(a1, october), correction),
        "khz: correction of other plant": (*_month(other, other_october), other_correction),
        "khz: note of A1 by the master": (*_month(a1, october), note),
        "khz: note of other plant": (*_month(other, other_october), other_note),
        "khz: passport of A1": (a1, passport),
        "khz: passport of other plant": (other, other_passport),
    }


def _rows():
    from tests.permission_matrix import BACK, LOGIN, Pk, get, post

    L, BK, ok, NF, NA = LOGIN, BACK, 200, 404, 405
    GRID = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-article": Pk("khz: materials"),
        "rows-0-plan": "1 000,00",
        "rows-0-actual": "",
    }
    CORRECTION = {"article": Pk("khz: materials"), "amount": "120,50", "reason": "Металл дороже"}
    NOTE = {
        "part": "Вал 6-12",
        "article": Pk("khz: materials"),
        "deviation": "−20,50",
        "explanation": "Заготовки с меньшим припуском.",
    }
    STUDY = {
        "studied_on": "2026-10-20",
        "preparatory": "4,3",
        "machine": "61,2",
        "servicing": "6,5",
        "auxiliary": "10,5",
        "loss_discipline": "2,1",
        "loss_personal": "1,4",
        "loss_no_work": "3,2",
        "loss_no_materials": "4,6",
        "loss_crane": "1,9",
        "loss_tools": "0,8",
        "loss_machine_fault": "2,7",
        "loss_other": "0,8",
    }
    PROFILE = {"purpose": "auxiliary", "specialisation": "subject"}
    PASSPORT = {
        "valid_from": "2026-11-01",
        "area": "1250",
        "operations": "767",
        "workplaces": "42",
        "output_plan": "5400",
        "output_actual": "",
        "weight_max": "120",
        "weight_min": "0,5",
        "equipment": "45",
        "workers": "64",
        "average_grade": "3,8",
        "specialisation": "technological",
        "norms_met": "118",
        "shifts": "1,8",
        "output_per_worker": "84375",
        "mechanisation_degree": "62",
        "mechanisation_level": "48",
        "capacity": "9800",
    }
    # fmt: off
    return [
        # url name, object,                             anon wrk brg mst shp dsp eco lab prh dep adm
        # The cost plan of a section's month: read with khz.view within the unit; a POST of
        # the grid is khz.cost's (the shop's dispatcher and economist). A closed month is
        # read-only: its POST says why and goes back.
        get("khozraschet:costs", "khz: A1, October",   L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:costs", "khz: A1, September (closed)",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:costs", "khz: A2, October",   L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:costs", "khz: B1, October",   L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:costs", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("khozraschet:costs", "khz: A1, October",  L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
             data=GRID),
        post("khozraschet:costs", "khz: A1, September (closed)",
                                                        L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
             data=GRID),
        post("khozraschet:costs", "khz: B1, October",  L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=GRID),
        post("khozraschet:costs", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=GRID),
        # A correction (POST only): khz.cost; its deletion: its author only, confirmed.
        get("khozraschet:correction_add", "khz: A1, October",
                                                        L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("khozraschet:correction_add", "khz: A1, October",
                                                        L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
             data=CORRECTION),
        post("khozraschet:correction_add", "khz: A1, September (closed)",
                                                        L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
             data=CORRECTION),
        post("khozraschet:correction_add", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=CORRECTION),
        get("khozraschet:correction_delete", "khz: correction of A1 by the economist",
                                                        L,  NF, NF, NF, NF, NF, ok, NF, NF, NF, NF),
        post("khozraschet:correction_delete", "khz: correction of A1 by the economist",
                                                        L,  NF, NF, NF, NF, NF, BK, NF, NF, NF, NF),
        get("khozraschet:correction_delete", "khz: correction of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("khozraschet:correction_delete", "khz: correction of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # The masters' explanations: read with khz.view, written by the section's master.
        get("khozraschet:explanations", "khz: A1, October",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:explanations", "khz: A2, October",
                                                        L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:explanations", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("khozraschet:explanations", "khz: A1, October",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
             data=NOTE),
        post("khozraschet:explanations", "khz: A1, September (closed)",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
             data=NOTE),
        post("khozraschet:explanations", "khz: A2, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=NOTE),
        post("khozraschet:explanations", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=NOTE),
        get("khozraschet:explanation_edit", "khz: note of A1 by the master",
                                                        L,  NF, NF, ok, NF, NF, NF, NF, NF, NF, NF),
        post("khozraschet:explanation_edit", "khz: note of A1 by the master",
                                                        L,  NF, NF, BK, NF, NF, NF, NF, NF, NF, NF,
             data=NOTE),
        get("khozraschet:explanation_edit", "khz: note of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        # Time studies: read with khz.view, entered by the dispatcher and the economist.
        get("khozraschet:time_study", "khz: A1, October",
                                                        L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:time_study", "khz: B1, October",
                                                        L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:time_study", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        post("khozraschet:time_study", "khz: A1, October",
                                                        L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
             data=STUDY),
        post("khozraschet:time_study", "khz: A1, September (closed)",
                                                        L,  NF, NF, NF, NF, BK, BK, NF, NF, NF, NF,
             data=STUDY),
        post("khozraschet:time_study", "khz: other plant, October",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=STUDY),
        # The passport and the section's attributes: read with khz.view, edited by the
        # shop's economist and head (khz.passport).
        get("khozraschet:passport", "section A1",       L,  NF, NF, ok, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:passport", "section A2",       L,  NF, NF, NF, ok, ok, ok, ok, ok, ok, ok),
        get("khozraschet:passport", "section B1",       L,  NF, NF, NF, NF, NF, NF, ok, ok, ok, ok),
        get("khozraschet:passport", "section of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
        get("khozraschet:profile_save", "section A1",   L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("khozraschet:profile_save", "section A1",  L,  NF, NF, NF, BK, NF, BK, NF, NF, NF, NF,
             data=PROFILE),
        post("khozraschet:profile_save", "section of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=PROFILE),
        get("khozraschet:passport_add", "section A1",   L,  NA, NA, NA, NA, NA, NA, NA, NA, NA, NA),
        post("khozraschet:passport_add", "section A1",  L,  NF, NF, NF, BK, NF, BK, NF, NF, NF, NF,
             data=PASSPORT),
        post("khozraschet:passport_add", "section of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF,
             data=PASSPORT),
        get("khozraschet:passport_edit", "khz: passport of A1",
                                                        L,  NF, NF, NF, ok, NF, ok, NF, NF, NF, NF),
        post("khozraschet:passport_edit", "khz: passport of A1",
                                                        L,  NF, NF, NF, BK, NF, BK, NF, NF, NF, NF,
             data={**PASSPORT, "valid_from": "2026-10-01"}),
        get("khozraschet:passport_edit", "khz: passport of other plant",
                                                        L,  NF, NF, NF, NF, NF, NF, NF, NF, NF, NF),
    ]
    # fmt: on


ROWS = _rows()
