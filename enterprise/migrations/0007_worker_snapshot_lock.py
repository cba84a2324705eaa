from django.db import migrations

from enterprise.pg import lock_by_period, refuse_truncate


class Migration(migrations.Migration):
    """On PostgreSQL: a closed month's worker snapshot is frozen with the month."""

    dependencies = [("enterprise", "0006_worker_snapshot")]

    operations = [
        lock_by_period("enterprise_workersnapshot"),
        refuse_truncate("enterprise_workersnapshot"),
    ]
