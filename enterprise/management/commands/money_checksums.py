"""``manage.py money_checksums``: per-period money checksums, for the restore drill.

Prints a table (enterprise, period, table, rows, sums, the first 16 hex digits of the
rows' SHA-256) and a digest of it all; ``--json FILE`` writes the same as JSON (``-`` for
standard output), and ``--compare FILE`` checks the database against such a file and
fails naming every group that differs (scripts/restore-drill.sh).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enterprise.checksums import differences, digest, money_checksums


class Command(BaseCommand):
    help = gettext_lazy(
        "Контрольные суммы денег по предприятиям и месяцам: число строк, суммы денежных "
        "столбцов и хеш строк каждой таблицы (для проверки восстановления из резервной копии)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprise", type=int, help=_("только это предприятие (id)"))
        parser.add_argument(
            "--json", metavar="FILE", help=_("записать суммы в JSON («-» — на экран)")
        )
        parser.add_argument(
            "--compare", metavar="FILE", help=_("сравнить с JSON другой базы; различие — ошибка")
        )
        parser.add_argument("--database", default="default", help=_("псевдоним базы данных"))

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
                    ngettext(
                        "Контрольные суммы расходятся в %(n)s группе:",
                        "Контрольные суммы расходятся в %(n)s группах:",
                        len(lines),
                    )
                    % {"n": len(lines)}
                    + "\n"
                    + "\n".join(lines)
                )
            self.stdout.write(
                ngettext(
                    "Совпадает с %(file)s: %(n)s группа.",
                    "Совпадает с %(file)s: %(n)s групп.",
                    len(groups),
                )
                % {"file": options["compare"], "n": len(groups)}
            )

    def _table(self, groups: list[dict], total: str) -> None:
        header = (_("предпр."), _("период"), _("таблица"), _("строк"), _("хеш"), _("суммы"))
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
        self.stdout.write(
            _("Групп: %(groups)s, строк: %(rows)s, общий хеш %(digest)s")
            % {"groups": len(groups), "rows": rows_total, "digest": total}
        )
