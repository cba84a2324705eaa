from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterpriseConfig(AppConfig):
    name = "enterprise"
    verbose_name = _("Структура предприятия")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import auth, sqlite, table_cells, tracking

        tracking.connect_signals()
        table_cells.install()
        user_logged_in.connect(auth.start_shift, dispatch_uid="enterprise.start_shift")
        # SQLite's table versions (the cached pages' fingerprints), after every migrate
        post_migrate.connect(sqlite.install, sender=self, dispatch_uid="enterprise.sqlite")
        # SQLite's LIKE folds the case of Latin letters only: «петров» found no «Петров»
        connection_created.connect(sqlite.unicode_like, dispatch_uid="enterprise.sqlite_like")
