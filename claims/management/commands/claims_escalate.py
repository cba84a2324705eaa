"""Queue the escalation of overdue claims for the task worker (or run it here)."""

import time

from django.core.management.base import BaseCommand

from claims import services
from claims.tasks import escalate_overdue_claims
from enterprise.models import Enterprise


class Command(BaseCommand):
    help = (
        "Send the claims left unanswered past their deadline to the arbitrator: queue the "
        "job for the task worker (manage.py db_worker), or --now run it in this process. "
        "--every SECONDS repeats it until stopped (make run and docker-compose's scheduler "
        "run it so, every 300 seconds)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here, not on the worker")
        parser.add_argument(
            "--every", type=int, default=0, help="repeat every this many seconds (0: once)"
        )

    def handle(self, *args, now, every, **options):
        while True:
            if now:
                count = services.escalate_overdue(
                    enterprise_ids=Enterprise.objects.values_list("pk", flat=True)
                )
                self.stdout.write(f"{count} overdue claim(s) sent to the arbitrator")
            else:
                result = escalate_overdue_claims.enqueue()
                self.stdout.write(f"escalation of overdue claims queued ({result.id})")
            if every <= 0:
                return
            time.sleep(every)
