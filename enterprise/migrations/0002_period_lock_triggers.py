from django.db import migrations

from enterprise.pg import install_functions, lock_by_date


class Migration(migrations.Migration):
    dependencies = [("enterprise", "0001_initial")]

    operations = [
        install_functions(),
        lock_by_date("enterprise_tariffrate", "ROW.enterprise_id", "valid_from", onwards=True),
    ]
