"""``manage.py generate_plant``: a plant-scale data set for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from enterprise.generate import PlantExistsError, generate_plant


class Command(BaseCommand):
    help = (
        "Создаёт новое предприятие для нагрузочных замеров: 16 цехов, ~120 участков, "
        "заданное число рабочих и месяцев (одинаковый --seed — одинаковые данные)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=7000, help="число рабочих")
        parser.add_argument(
            "--months", type=int, default=24, help="число месяцев до текущего включительно"
        )
        parser.add_argument("--seed", type=int, default=1, help="зерно генератора")
        parser.add_argument(
            "--enterprise-name",
            default=None,
            help="наименование предприятия (по умолчанию «Завод-генератор (seed N)»)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="удалить предприятие с таким наименованием, если оно уже есть",
        )

    def handle(self, *args, **options):
        if options["workers"] < 0:
            raise CommandError("--workers не может быть отрицательным.")
        if options["months"] < 1:
            raise CommandError("--months должно быть не меньше 1.")
        try:
            generate_plant(
                workers=options["workers"],
                months=options["months"],
                seed=options["seed"],
                enterprise_name=options["enterprise_name"],
                replace=options["replace"],
                stdout=self.stdout,
            )
        except PlantExistsError as exc:
            raise CommandError(str(exc)) from None
