"""Queue again the batches of plan sheets a stopped or killed worker left unfinished."""

from django.core.management.base import BaseCommand

from planning.plans.models import PrintJob
from planning.plans.printing import print_job_resume


class Command(BaseCommand):
    help = (
        "Re-queue the unfinished batches of plan sheets (all of them, or those given by "
        "number) after a task worker was killed. Chunks already printed are kept; a chunk "
        "still in the hands of a live worker may be rendered twice but is stored once."
    )

    def add_arguments(self, parser):
        parser.add_argument("jobs", nargs="*", type=int, help="batch numbers (default: all)")

    def handle(self, *args, jobs, **options):
        unfinished = PrintJob.objects.filter(
            status__in=[PrintJob.Status.QUEUED, PrintJob.Status.RUNNING]
        ).order_by("pk")
        if jobs:
            unfinished = unfinished.filter(pk__in=jobs)
        resumed = 0
        for job in unfinished:
            queued = print_job_resume(job=job)
            resumed += 1
            self.stdout.write(f"batch {job.pk}: {queued} task(s) queued")
        self.stdout.write(self.style.SUCCESS(f"{resumed} unfinished batch(es) resumed"))
