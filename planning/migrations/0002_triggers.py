from django.db import migrations

from enterprise.pg import lock_by_date, lock_by_period


class Migration(migrations.Migration):
    """On PostgreSQL, a closed month's output and savings refuse any write."""

    dependencies = [("planning", "0001_initial"), ("enterprise", "0002_period_lock_triggers")]

    operations = [
        lock_by_period("planning_monthlyoutput"),
        lock_by_period("planning_savingsentry"),
        lock_by_date("planning_sectiondayoutput", "ROW.enterprise_id", "date"),
    ]
