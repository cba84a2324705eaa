from django.db import migrations

from enterprise.pg import lock_by_date, lock_by_period, refuse_truncate

SECTION_ENTERPRISE = (
    "(SELECT sh.enterprise_id FROM enterprise_section sc"
    " JOIN enterprise_shop sh ON sh.id = sc.shop_id WHERE sc.id = ROW.section_id)"
)
BY_PERIOD = (
    "khozraschet_timestudy",
    "khozraschet_idlerecord",
    "khozraschet_sectionmonth",
    "khozraschet_indicatorvalue",
    "khozraschet_costline",
    "khozraschet_costcorrection",
    "khozraschet_deviationnote",
    "khozraschet_energysaving",
    "khozraschet_incentivefund",
    "khozraschet_sectionresult",
    "khozraschet_shopresult",
)


class Migration(migrations.Migration):
    """On PostgreSQL, a closed month's figures and results refuse any write, and TRUNCATE
    of them is refused."""

    dependencies = [
        ("khozraschet", "0001_initial"),
        ("enterprise", "0005_period_status_and_truncate_guards"),
    ]

    operations = [
        lock_by_date("khozraschet_passport", SECTION_ENTERPRISE, "valid_from"),
        refuse_truncate("khozraschet_passport"),
        *[lock_by_period(table) for table in BY_PERIOD],
        *[refuse_truncate(table) for table in BY_PERIOD],
    ]
