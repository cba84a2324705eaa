from django.db import migrations

from enterprise.pg import install_more_functions, refuse_truncate


class Migration(migrations.Migration):
    """On PostgreSQL: a period's status changes only through the application, TRUNCATE
    of a month-bound table is refused while a month is closed, and the span check that
    the brigades' dated rows use."""

    dependencies = [("enterprise", "0004_submission_tokens_of_create_forms")]

    operations = [
        install_more_functions(),
        refuse_truncate("enterprise_period"),
        refuse_truncate("enterprise_tariffrate"),
    ]
