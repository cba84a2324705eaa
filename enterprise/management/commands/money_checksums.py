"""``manage.py money_checksums``: per-period money checksums, for the restore drill.

Prints a table (enterprise, period, table, rows, sums, the first 16 hex digits of the
rows' SHA-256) and a digest of it all; ``--json FILE`` writes the same as JSON (``-`` for
standard output), and ``--compare FILE`` checks the database against such a file and
fails naming every group that differs (scripts/restore-drill.sh).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enterprise.checksums import differences, digest, money_checksums


class Command(BaseCommand):
    help = (
        "Контрольные суммы денег по предприятиям и месяцам: число строк, суммы денежных "
        "столбцов и хеш строк каждой таблицы (для проверки восстановления из резервной копии)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprise", type=int, help="только это предприятие (id)")
        parser.add_argument("--json", metavar="FILE", help="записать суммы в JSON («-» — на экран)")
        parser.add_argument(
            "--compare", metavar="FILE", help="сравнить с JSON другой базы; различие — ошибка"
        )
        parser.add_argument("--database", default="default", help="псевдоним базы данных")

    def handle(self, *args, **options):
        groups = money_checksums(enterprise=options["enterprise"], using=options["database"])
        total = digest(groups)
        document = {"digest": total, "groups": groups}
        if options["json"] == "-":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
        else:
            self._table(groups, total)
            if options["json"]:
                Path(options["json"]).write_text(
                    json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
                )
        if options["compare"]:
            expected = json.loads(Path(options["compare"]).read_text(encoding="utf-8"))
            lines = differences(expected["groups"], groups)
            if lines:
                raise CommandError(
                    f"Контрольные суммы расходятся в {len(lines)} группах:\n" + "\n".join(lines)
                )
            self.stdout.write(f"Совпадает с {options['compare']}: {len(groups)} групп.")

    def _table(self, groups: list[dict], total: str) -> None:
        header = ("предпр.", "период", "таблица", "строк", "хеш", "суммы")
        rows = [
            (
                str(g["enterprise"]),
                g["period"],
                g["table"],
                str(g["count"]),
                g["hash"][:16],
                "  ".join(f"{name}={value}" for name, value in g["sums"].items()),
            )
            for g in groups
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            cells[3] = row[3].rjust(widths[3])
            self.stdout.write("  ".join([*cells, row[5]]).rstrip())
        rows_total = sum(g["count"] for g in groups)
        self.stdout.write(f"Групп {len(groups)}, строк {rows_total}, общий хеш {total}")
