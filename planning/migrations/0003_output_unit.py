from django.db import migrations

# The models whose «измеритель» field was named ``measure`` (now ``output_unit``). No
# trigger or raw SQL names the column, so renaming it is all the schema needs.
MODELS = ("sectiontask", "personalplan")
OLD, NEW = "measure", "output_unit"


def rename_key(changes: dict, old: str, new: str) -> bool:
    """Rename ``old`` to ``new`` in a history row's ``changes``; whether it changed."""
    if not isinstance(changes, dict) or old not in changes or new in changes:
        return False
    changes[new] = changes.pop(old)
    return True


def rename_history(apps, old: str, new: str) -> None:
    """Rename the field's key in the history rows of the section tasks and the plans,
    so that the history panel keeps labelling their old changes."""
    content_type = apps.get_model("contenttypes", "ContentType")
    history_record = apps.get_model("enterprise", "HistoryRecord")
    types = content_type.objects.filter(app_label="planning", model__in=MODELS)
    rows = history_record.objects.filter(content_type__in=types).only("changes")
    changed = [row for row in rows.iterator() if rename_key(row.changes, old, new)]
    history_record.objects.bulk_update(changed, ["changes"], batch_size=500)


def forward(apps, schema_editor):
    rename_history(apps, OLD, NEW)


def backward(apps, schema_editor):
    rename_history(apps, NEW, OLD)


class Migration(migrations.Migration):
    """The unit of a task's and a plan's output is its ``output_unit``: in planning,
    "measure" names only an organisational and technical measure."""

    dependencies = [
        ("planning", "0002_triggers"),
        ("enterprise", "0002_period_lock_triggers"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField(model_name="sectiontask", old_name=OLD, new_name=NEW),
        migrations.RenameField(model_name="personalplan", old_name=OLD, new_name=NEW),
        migrations.RunPython(forward, backward),
    ]
