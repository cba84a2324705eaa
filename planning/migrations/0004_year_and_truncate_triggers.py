from django.db import migrations

from enterprise.pg import lock_by_parent, lock_by_year, refuse_truncate


class Migration(migrations.Migration):
    """On PostgreSQL, a year's tasks, plans and measures (and a measure's authors) refuse
    any write once the year's December is closed; TRUNCATE is refused."""

    dependencies = [
        ("planning", "0003_output_unit"),
        ("enterprise", "0005_period_status_and_truncate_guards"),
    ]

    operations = [
        lock_by_year("planning_sectiontask", "ROW.enterprise_id"),
        lock_by_year("planning_personalplan", "ROW.enterprise_id"),
        lock_by_year("planning_orgmeasure", "ROW.enterprise_id"),
        lock_by_parent(
            "planning_orgmeasure_authors", "orgmeasure_id", "planning_orgmeasure", "year"
        ),
        *(
            refuse_truncate(table)
            for table in (
                "planning_monthlyoutput",
                "planning_savingsentry",
                "planning_sectiondayoutput",
                "planning_sectiontask",
                "planning_personalplan",
                "planning_orgmeasure",
                "planning_orgmeasure_authors",
            )
        ),
    ]
