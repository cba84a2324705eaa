"""Background tasks printing a batch of plan sheets (Django's tasks API, django-tasks-db).

The pipeline of a :class:`~planning.models.PrintJob`:

1. :func:`print_job_start` lists the plans (ids only), splits them into chunks of
   ~80 sheets, writes the list to a manifest beside the chunks, marks the job running and
   queues one :func:`print_chunk` per chunk — so every ``db_worker`` process there is
   takes chunks in parallel.
2. :func:`print_chunk` renders its sheets as one document into
   ``planning/jobs/<job>/chunk-<index>-<sheets>.pdf``, then, holding the job's row
   (``select_for_update``), recounts ``done``/``chunks_done`` from the chunk files stored.
   Counting files rather than adding makes a chunk idempotent: run twice (a worker killed
   after writing, a task queued again), it renders nothing new and counts nothing twice.
   The chunk whose count completes the set queues :func:`print_merge`.
3. :func:`print_merge` joins the chunks with pypdf into one file (``PrintJob.file``),
   marks the job done and deletes the chunks.

Any error marks the job failed with the error kept (and re-raises, so the task's own
result says so too). A worker holds one chunk's pages at a time; the web request holds
none.
"""

from __future__ import annotations

import functools
import tempfile
import traceback

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import printing
from .models import PrintJob

Status = PrintJob.Status
# The merge and the start jump the queue: a job's chunks wait behind them, not the reverse.
URGENT = 10


def _failing_marks_the_job(function):
    """An exception in a task fails its job (the error kept), then propagates."""

    @functools.wraps(function)
    def wrapper(job_id, *args, **kwargs):
        try:
            return function(job_id, *args, **kwargs)
        except Exception as error:
            _fail(job_id, error)
            raise

    return wrapper


class PrintError(Exception):
    """A failure the requester is told in plain words (the message is kept as it is)."""


def _fail(job_id: int, error: BaseException) -> None:
    if isinstance(error, PrintError):
        message = str(error)
    else:
        message = "".join(traceback.format_exception_only(error)).strip()
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == Status.DONE:
            return
        job.status = Status.FAILED
        job.error = message[:4000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
    printing.delete_job_files(job_id)


# --- 1. start --------------------------------------------------------------------------------


@task(priority=URGENT)
@_failing_marks_the_job
def print_job_start(job_id: int, language: str) -> int:
    """Split the job into chunks and queue them; returns the number of chunks."""
    job = PrintJob.objects.filter(pk=job_id).first()
    if job is None or job.status != Status.QUEUED:
        return 0  # started already (or gone): starting twice must not queue chunks twice
    ids = printing.job_plan_ids(job)
    if not ids:
        raise PrintError(
            _("Печатать нечего: личные планы этого подразделения на этот год удалены.")
        )
    chunks = printing.split(ids)
    printing.write_manifest(job_id, chunks, language)
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        if job.status != Status.QUEUED:
            return 0
        job.status = Status.RUNNING
        job.started_at = timezone.now()
        job.total = len(ids)
        job.chunks = len(chunks)
        job.done = job.chunks_done = 0
        job.save(update_fields=["status", "started_at", "total", "chunks", "done", "chunks_done"])
    for index, plan_ids in enumerate(chunks):
        print_chunk.enqueue(job_id, index, plan_ids, language)
    return len(chunks)


# --- 2. a chunk ------------------------------------------------------------------------------


def _render_chunk(job_id: int, index: int, plan_ids: list[int], language: str) -> None:
    from .pdf import render_sheets
    from .sheets import sheets_for

    name = printing.chunk_name(job_id, index, len(plan_ids))
    if default_storage.exists(name):
        return  # rendered before: count it, do not render it again
    with translation.override(language):
        # A plan deleted since the job started (a draft) is left out; a chunk left with
        # no sheets at all stores an empty file, which the merge skips.
        sheets = sheets_for(plan_ids)
        data = render_sheets(sheets) if sheets else b""
    printing.write_file(name, data)


@task()
@_failing_marks_the_job
def print_chunk(job_id: int, index: int, plan_ids: list[int], language: str) -> int:
    """Render one chunk and count it; returns the job's sheets done so far."""
    job = PrintJob.objects.filter(pk=job_id).only("status").first()
    if job is None or job.status != Status.RUNNING:
        return 0  # failed, finished or gone: nothing to add
    _render_chunk(job_id, index, plan_ids, language)
    completes = False
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().get(pk=job_id)
        if job.status != Status.RUNNING:
            stale = job.status == Status.FAILED
            done = job.done
        else:
            stale = False
            stored = printing.stored_chunks(job_id)
            before = job.chunks_done
            job.chunks_done = len(stored)
            job.done = done = min(sum(chunk.sheets for chunk in stored.values()), job.total)
            job.save(update_fields=["chunks_done", "done"])
            completes = before < job.chunks <= job.chunks_done
    if stale:
        printing.delete_job_files(job_id)  # the job failed while this chunk rendered
        return done
    if completes:
        # Only the chunk that moved the count to the last one merges; a chunk run again
        # later finds the count complete already.
        print_merge.enqueue(job_id)
    return done


# --- 3. the merge ----------------------------------------------------------------------------


@task(priority=URGENT)
@_failing_marks_the_job
def print_merge(job_id: int) -> int:
    """Join the chunks into the job's one file; returns its number of pages."""
    from pypdf import PdfWriter

    job = PrintJob.objects.filter(pk=job_id).first()
    if job is None or job.status != Status.RUNNING:
        return 0
    stored = printing.stored_chunks(job_id)
    if len(stored) != job.chunks:
        raise PrintError(
            _("Напечатаны не все части: %(stored)s из %(chunks)s.")
            % {"stored": len(stored), "chunks": job.chunks}
        )
    writer = PdfWriter()
    for index in sorted(stored):
        if default_storage.size(stored[index].name) == 0:
            continue  # its plans were deleted meanwhile
        with default_storage.open(stored[index].name, "rb") as chunk:
            writer.append(chunk)
    pages = len(writer.pages)
    with tempfile.TemporaryFile() as merged:
        writer.write(merged)
        writer.close()
        del writer
        merged.seek(0)
        name = f"sheets-{job.year}-{job_id}.pdf"
        job.file.save(name, File(merged, name=name), save=False)
    with transaction.atomic():
        locked = PrintJob.objects.select_for_update().get(pk=job_id)
        if locked.status != Status.RUNNING:
            job.file.delete(save=False)
            return 0
        locked.file = job.file.name
        locked.status = Status.DONE
        locked.done = locked.total
        locked.finished_at = timezone.now()
        locked.save(update_fields=["file", "status", "done", "finished_at"])
    printing.delete_job_files(job_id)
    return pages
