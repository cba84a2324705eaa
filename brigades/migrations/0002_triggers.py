from django.db import migrations

from enterprise.pg import lock_by_period


class Migration(migrations.Migration):
    """On PostgreSQL, a closed month's documents and their rows refuse any write."""

    dependencies = [("brigades", "0001_initial"), ("enterprise", "0002_period_lock_triggers")]

    operations = [
        lock_by_period("brigades_distribution"),
        lock_by_period("brigades_line"),
        lock_by_period("brigades_ktu"),
    ]
