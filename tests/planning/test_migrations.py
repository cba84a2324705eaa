"""The data step of the ``measure`` → ``output_unit`` rename: old history keeps its labels."""

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from enterprise.models import HistoryRecord
from enterprise.selectors import history_for
from planning.models import OrgMeasure, PersonalPlan, SavingsEntry, SectionTask

rename = importlib.import_module("planning.migrations.0003_output_unit")


def test_rename_key_moves_the_value_and_leaves_the_rest():
    changes = {"measure": ["natural", "norm_hours"], "year": [None, 2026]}
    assert rename.rename_key(changes, "measure", "output_unit") is True
    assert changes == {"output_unit": ["natural", "norm_hours"], "year": [None, 2026]}
    assert rename.rename_key(changes, "measure", "output_unit") is False
    # A row that somehow has both keys keeps both: nothing is overwritten.
    both = {"measure": [None, "natural"], "output_unit": [None, "norm_hours"]}
    assert rename.rename_key(both, "measure", "output_unit") is False
    assert rename.rename_key(None, "measure", "output_unit") is False


def _record(model, changes):
    return HistoryRecord.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="1",
        object_repr="—",
        group=f"test:{model._meta.model_name}",
        action=HistoryRecord.Action.UPDATE,
        changes=changes,
    )


@pytest.mark.django_db
def test_history_rows_of_tasks_and_plans_are_renamed_both_ways():
    task = _record(SectionTask, {"measure": ["natural", "norm_hours"]})
    plan = _record(PersonalPlan, {"measure": [None, "natural"], "method": [None, "average"]})
    # An org-technical measure's rows and a saving's link to its measure stay as they are.
    org = _record(OrgMeasure, {"name": ["А", "Б"]})
    saving = _record(SavingsEntry, {"measure": [None, 1]})

    rename.forward(apps, None)
    for row in (task, plan, org, saving):
        row.refresh_from_db()
    assert task.changes == {"output_unit": ["natural", "norm_hours"]}
    assert plan.changes == {"output_unit": [None, "natural"], "method": [None, "average"]}
    assert org.changes == {"name": ["А", "Б"]}
    assert saving.changes == {"measure": [None, 1]}
    [entry] = history_for("test:sectiontask")
    assert [(c.label, c.before, c.after) for c in entry.changes] == [
        ("Измеритель", "натуральные единицы", "нормо-часы")
    ]

    rename.backward(apps, None)
    for row in (task, plan, saving):
        row.refresh_from_db()
    assert task.changes == {"measure": ["natural", "norm_hours"]}
    assert plan.changes == {"measure": [None, "natural"], "method": [None, "average"]}
    assert saving.changes == {"measure": [None, 1]}
