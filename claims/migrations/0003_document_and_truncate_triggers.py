from django.db import migrations

from enterprise.pg import lock_by_parent, refuse_truncate


class Migration(migrations.Migration):
    """On PostgreSQL, a closed month's claim documents refuse any write (they belong to
    the claim's month); TRUNCATE of claims is refused."""

    dependencies = [
        ("claims", "0002_triggers"),
        ("enterprise", "0005_period_status_and_truncate_guards"),
    ]

    operations = [
        lock_by_parent("claims_claimdocument", "claim_id", "claims_claim"),
        refuse_truncate("claims_claim"),
        refuse_truncate("claims_claimdocument"),
    ]
