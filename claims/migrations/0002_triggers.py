from django.db import migrations

from enterprise.pg import lock_by_period


class Migration(migrations.Migration):
    """On PostgreSQL, a closed month's claims refuse any write."""

    dependencies = [("claims", "0001_initial"), ("enterprise", "0002_period_lock_triggers")]

    operations = [lock_by_period("claims_claim")]
