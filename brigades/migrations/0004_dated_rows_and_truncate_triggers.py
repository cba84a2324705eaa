from django.db import migrations

from enterprise.pg import lock_by_parent, lock_by_span, refuse_truncate

BRIGADE_ENTERPRISE = "(SELECT b.enterprise_id FROM brigades_brigade b WHERE b.id = ROW.brigade_id)"


class Migration(migrations.Migration):
    """On PostgreSQL, brigades, memberships and posts freeze where their dates touch a
    closed month; a distribution's rows freeze with the distribution itself; TRUNCATE is
    refused."""

    dependencies = [
        ("brigades", "0003_one_open_correction_per_distribution"),
        ("enterprise", "0005_period_status_and_truncate_guards"),
    ]

    operations = [
        lock_by_span(
            "brigades_membership",
            BRIGADE_ENTERPRISE,
            payload=("grade", "conditional_grade", "profession_id", "worker_id", "brigade_id"),
        ),
        lock_by_span(
            "brigades_post", BRIGADE_ENTERPRISE, payload=("worker_id", "kind", "brigade_id")
        ),
        lock_by_span(
            "brigades_brigade",
            "ROW.enterprise_id",
            "formed_on",
            "disbanded_on",
            payload=("section_id", "enterprise_id"),
            insert_points=True,
        ),
        lock_by_parent("brigades_line", "distribution_id", "brigades_distribution"),
        lock_by_parent("brigades_ktu", "distribution_id", "brigades_distribution"),
        *(
            refuse_truncate(table)
            for table in (
                "brigades_brigade",
                "brigades_membership",
                "brigades_post",
                "brigades_distribution",
                "brigades_line",
                "brigades_ktu",
            )
        ),
    ]
