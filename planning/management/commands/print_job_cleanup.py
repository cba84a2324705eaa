"""Delete old batches of plan sheets with their PDF files (a plant's batch is ~27 MB)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from planning.plans.printing import print_jobs_delete_finished


class Command(BaseCommand):
    help = (
        "Delete the batches of plan sheets finished more than --days days ago (30 by "
        "default) with their files. Batches queued or printing are kept. Run it daily "
        "(cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="keep this many days")

    def handle(self, *args, days, **options):
        before = timezone.now() - datetime.timedelta(days=max(days, 0))
        deleted = print_jobs_delete_finished(before=before)
        self.stdout.write(self.style.SUCCESS(f"{deleted} finished batch(es) deleted"))
