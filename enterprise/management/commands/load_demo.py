"""``manage.py load_demo``: create (or bring up to date) the demo plant «ЧМЗ-демо»."""

from django.core.management.base import BaseCommand

from enterprise.demo import load_demo


class Command(BaseCommand):
    help = (
        "Загружает демо-предприятие «ЧМЗ-демо» с пользователями всех ролей "
        "(повторный запуск ничего не меняет)."
    )

    def handle(self, *args, **options):
        load_demo(stdout=self.stdout)
