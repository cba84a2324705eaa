"""Batches of plan sheets — a section, a shop, the whole plant — printed in the background.

:func:`print_job_create` checks who asks for what, counts the sheets and queues the job
once the transaction commits; the work itself is :mod:`planning.plans.tasks`: the job is split
into chunks of :data:`CHUNK_SIZE` sheets, one task each, so several ``db_worker``
processes (on one host or several, sharing the database and the file storage) render in
parallel; the chunk that completes the set merges the chunks into one PDF.

A batch has a sheet for every worker with a plan in force for the year in the unit: the
signed version if there is one, else the open one (:func:`planning.selectors.plans_in_force`).
Files live in ``default_storage``: chunks under ``planning/jobs/<job id>/`` until the
merge, the finished file in ``PrintJob.file``.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import os
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enterprise.models import Enterprise, Section, Shop
from enterprise.permissions import ACTIONS, can, require
from enterprise.scoping import scope_of

from .models import PersonalPlan, PrintJob

# Sheets per chunk: WeasyPrint holds ~1.3 MB per page of a document, so a chunk of 80
# stays near 100 MB in the worker, and a plant of 7,000 sheets makes ~88 tasks to share.
CHUNK_SIZE = 80
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
JOBS_DIR = "planning/jobs"
MANIFEST = "manifest.json"
_CHUNK_RE = re.compile(r"^chunk-(\d{5})-(\d+)\.pdf$")


# --- what a batch prints ---------------------------------------------------------------------


def _unit_filter(*, enterprise_id: int, shop_id=None, section_id=None) -> Q:
    if section_id:
        return Q(section_id=section_id)
    if shop_id:
        return Q(section__shop_id=shop_id)
    return Q(enterprise_id=enterprise_id)


def _plans(*, year: int, enterprise_id: int, shop_id=None, section_id=None):
    return PersonalPlan.objects.filter(
        _unit_filter(enterprise_id=enterprise_id, shop_id=shop_id, section_id=section_id),
        year=year,
    ).exclude(status=PersonalPlan.Status.SUPERSEDED)


def count_sheets(*, year: int, enterprise_id: int, shop_id=None, section_id=None) -> int:
    """Workers with a plan in force for ``year`` in the unit (one query)."""
    return (
        _plans(year=year, enterprise_id=enterprise_id, shop_id=shop_id, section_id=section_id)
        .values("worker_id")
        .distinct()
        .count()
    )


def job_plan_ids(job: PrintJob) -> list[int]:
    """The plans a job prints, one per worker — signed if there is one, else the open one —
    ordered by shop, section and the worker's name (one query, ids only)."""
    rows = (
        _plans(
            year=job.year,
            enterprise_id=job.enterprise_id,
            shop_id=job.shop_id,
            section_id=job.section_id,
        )
        .order_by(
            "section__shop__number",
            "section__number",
            "worker__last_name",
            "worker__first_name",
            "worker__middle_name",
            "worker__personnel_number",
            "worker_id",
        )
        .values_list("pk", "worker_id", "status")
    )
    chosen: dict[int, tuple[int, str]] = {}  # worker → (plan, status), in first-seen order
    for pk, worker_id, status in rows:
        held = chosen.get(worker_id)
        if held is None or (
            status == PersonalPlan.Status.SIGNED and held[1] != PersonalPlan.Status.SIGNED
        ):
            chosen[worker_id] = (pk, status)
    return [pk for pk, _status in chosen.values()]


def split(ids: list[int], size: int | None = None) -> list[list[int]]:
    """``ids`` in chunks of at most ``size`` (:data:`CHUNK_SIZE`), as even as possible
    (7,000 → 88 of 79–80)."""
    if not ids:
        return []
    size = size or CHUNK_SIZE
    count = -(-len(ids) // size)
    base, extra = divmod(len(ids), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        chunks.append(ids[start:end])
        start = end
    return chunks


# --- ordering a batch ------------------------------------------------------------------------


def _may_print_plant(user, enterprise: Enterprise) -> bool:
    """The whole plant is for roles held at the enterprise level (not a shop's economist)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    roles = ACTIONS["plan.print_batch"]
    return any(
        grant.role in roles
        and grant.enterprise_id == enterprise.pk
        and not grant.shop_id
        and not grant.section_id
        for grant in scope.grants
    )


def plant_enterprises(user) -> list[Enterprise]:
    """The enterprises whose whole plant the user may print."""
    scope = scope_of(user)
    if scope.everything:
        return list(Enterprise.objects.all())
    roles = ACTIONS["plan.print_batch"]
    ids = {
        grant.enterprise_id
        for grant in scope.grants
        if grant.role in roles and not grant.shop_id and not grant.section_id
    }
    return list(Enterprise.objects.filter(pk__in=ids))


def printable_shops(user):
    """Shops the user sees and may print whole."""
    shops = Shop.objects.visible_to(user).select_related("enterprise")
    return [shop for shop in shops if can(user, "plan.print_batch", shop)]


def printable_sections(user):
    """Sections the user sees and may print."""
    sections = Section.objects.visible_to(user).select_related("shop__enterprise")
    return [section for section in sections if can(user, "plan.print_batch", section)]


@dataclass(frozen=True)
class PrintableUnit:
    """A row of the «order a batch» list: a unit the user may print and its sheets."""

    label: str
    level: str  # "plant" | "shop" | "section"
    sheets: int
    enterprise_id: int
    shop_id: int | None = None
    section_id: int | None = None


def printable_units(user, year: int) -> list[PrintableUnit]:
    """The plant(s), shops and sections the user may print, each with its number of sheets
    for ``year`` — plant, then each shop followed by its sections (a few queries)."""
    plants = plant_enterprises(user)
    shops = printable_shops(user)
    sections = printable_sections(user)
    if not (plants or shops or sections):
        return []
    plans = PersonalPlan.objects.filter(year=year).exclude(status=PersonalPlan.Status.SUPERSEDED)
    by_section = dict(
        plans.filter(section_id__in=[s.pk for s in sections])
        .values_list("section_id")
        .annotate(n=Count("worker_id", distinct=True))
        .order_by()
    )
    by_shop = dict(
        plans.filter(section__shop_id__in=[s.pk for s in shops])
        .values_list("section__shop_id")
        .annotate(n=Count("worker_id", distinct=True))
        .order_by()
    )
    by_plant = dict(
        plans.filter(enterprise_id__in=[e.pk for e in plants])
        .values_list("enterprise_id")
        .annotate(n=Count("worker_id", distinct=True))
        .order_by()
    )
    units = [
        PrintableUnit(
            _("Всё предприятие «%(name)s»") % {"name": e.name}, "plant", by_plant.get(e.pk, 0), e.pk
        )
        for e in plants
    ]
    shop_ids = {shop.pk for shop in shops}
    sections_of: dict[int, list[Section]] = {}
    for section in sections:
        sections_of.setdefault(section.shop_id, []).append(section)
    orphan_shops = [s.shop for s in sections if s.shop_id not in shop_ids]
    for shop in [*shops, *{s.pk: s for s in orphan_shops}.values()]:
        if shop.pk in shop_ids:
            units.append(
                PrintableUnit(
                    str(shop), "shop", by_shop.get(shop.pk, 0), shop.enterprise_id, shop.pk
                )
            )
        for section in sections_of.get(shop.pk, []):
            units.append(
                PrintableUnit(
                    str(section),
                    "section",
                    by_section.get(section.pk, 0),
                    shop.enterprise_id,
                    shop.pk,
                    section.pk,
                )
            )
    return units


def _resolve_unit(user, *, shop, section, enterprise) -> Enterprise:
    """The enterprise of the unit asked for, once the user may print it (else PermissionDenied)."""
    if section is not None:
        if not Section.objects.visible_to(user).filter(pk=section.pk).exists():
            raise PermissionDenied
        require(user, "plan.print_batch", section)
        if shop is not None and section.shop_id != shop.pk:
            raise ValidationError(_("Участок не из этого цеха."))
        return section.shop.enterprise
    if shop is not None:
        if not Shop.objects.visible_to(user).filter(pk=shop.pk).exists():
            raise PermissionDenied
        require(user, "plan.print_batch", shop)
        return shop.enterprise
    if enterprise is None:
        choices = plant_enterprises(user)
        if len(choices) != 1:
            raise PermissionDenied
        enterprise = choices[0]
    if not _may_print_plant(user, enterprise):
        raise PermissionDenied
    return enterprise


def _unit_name(*, enterprise, shop, section) -> str:
    if section is not None:
        return str(section)
    if shop is not None:
        return str(shop)
    return enterprise.name


def print_job_create(
    *,
    user,
    year: int,
    shop: Shop | None = None,
    section: Section | None = None,
    enterprise: Enterprise | None = None,
) -> PrintJob:
    """Order the sheets of ``year`` of a section, a shop or (neither) the whole plant.

    Needs ``plan.print_batch`` on the unit, which the user must see; the whole plant only
    for enterprise-level roles (``enterprise`` is needed only if the user has several).
    Refused with a :class:`ValidationError` when there is nothing to print. The job is
    queued when the transaction commits.
    """
    enterprise = _resolve_unit(user, shop=shop, section=section, enterprise=enterprise)
    if section is not None:
        shop = section.shop
    total = count_sheets(
        year=year,
        enterprise_id=enterprise.pk,
        shop_id=shop.pk if shop else None,
        section_id=section.pk if section else None,
    )
    if not total:
        raise ValidationError(
            _("Печатать нечего: нет ни одного личного плана на %(year)s год — %(unit)s.")
            % {"unit": _unit_name(enterprise=enterprise, shop=shop, section=section), "year": year}
        )
    with transaction.atomic():
        job = PrintJob(
            enterprise=enterprise,
            year=year,
            shop=shop,
            section=section,
            requested_by=user,
            total=total,
        )
        job.full_clean()
        job.save()
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(functools.partial(_enqueue_start, job.pk, language))
    return job


def _enqueue_start(job_id: int, language: str) -> None:
    from .tasks import print_job_start

    print_job_start.enqueue(job_id, language)


def print_job_resume(*, job: PrintJob) -> int:
    """Queue again what a killed worker left undone (a task it held stays RUNNING for good).

    Safe at any time: chunks already stored are not rendered or counted twice. Returns the
    number of tasks queued.
    """
    from .tasks import print_chunk, print_job_start, print_merge

    job.refresh_from_db()
    if job.finished:
        return 0
    manifest = read_manifest(job.pk)
    if job.status == PrintJob.Status.QUEUED or manifest is None:
        PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.QUEUED)
        print_job_start.enqueue(
            job.pk, manifest["language"] if manifest else settings.LANGUAGE_CODE
        )
        return 1
    stored = stored_chunks(job.pk)
    missing = [i for i in range(len(manifest["chunks"])) if i not in stored]
    for index in missing:
        print_chunk.enqueue(job.pk, index, manifest["chunks"][index], manifest["language"])
    if not missing:
        print_merge.enqueue(job.pk)
        return 1
    return len(missing)


# --- the files -------------------------------------------------------------------------------


def job_dir(job_id: int) -> str:
    return f"{JOBS_DIR}/{job_id}"


def chunk_name(job_id: int, index: int, sheets: int) -> str:
    """A chunk's file; the name carries its number of sheets, so the progress can be
    counted from the files themselves (re-running a chunk cannot count it twice)."""
    return f"{job_dir(job_id)}/chunk-{index:05d}-{sheets}.pdf"


@dataclass(frozen=True)
class StoredChunk:
    index: int
    sheets: int
    name: str


def stored_chunks(job_id: int) -> dict[int, StoredChunk]:
    """index → the chunk files stored so far (complete files only)."""
    try:
        _dirs, files = default_storage.listdir(job_dir(job_id))
    except FileNotFoundError:
        return {}
    chunks = {}
    for name in files:
        match = _CHUNK_RE.match(name)
        if match:
            index, sheets = int(match[1]), int(match[2])
            chunks[index] = StoredChunk(index, sheets, f"{job_dir(job_id)}/{name}")
    return chunks


def write_file(name: str, data: bytes) -> None:
    """Store ``data`` under ``name`` so that nobody ever sees a half-written file: on a
    local file system written beside it and renamed into place (a rename is atomic), on
    an object store put whole (objects appear whole)."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(data))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{uuid.uuid4().hex}.part"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def write_manifest(job_id: int, chunks: list[list[int]], language: str) -> None:
    data = json.dumps({"chunks": chunks, "language": language}).encode()
    write_file(f"{job_dir(job_id)}/{MANIFEST}", data)


def read_manifest(job_id: int) -> dict | None:
    name = f"{job_dir(job_id)}/{MANIFEST}"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        return json.loads(file.read())


# A batch whose tasks have all been silent this long is taken for stalled (a chunk of
# ~80 sheets takes seconds): a killed worker leaves its task RUNNING for good.
STALL_AFTER = datetime.timedelta(minutes=10)


def job_stalled(job: PrintJob, *, now=None) -> bool:
    """Whether an unfinished batch has stopped: none of its tasks waits in the queue and
    none has started within :data:`STALL_AFTER` (nor was the batch ordered within it).
    Only the database queue can tell; other task backends say False."""
    if job.finished or settings.TASKS["default"]["BACKEND"] != DATABASE_BACKEND:
        return False
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - STALL_AFTER
    if job.created_at >= cutoff:
        return False
    tasks = DBTaskResult.objects.filter(
        task_path__startswith="planning.plans.tasks.", args_kwargs__args__0=job.pk
    )
    return not (tasks.ready().exists() or tasks.running().filter(started_at__gte=cutoff).exists())


def print_jobs_delete_finished(*, before) -> int:
    """Delete the batches finished (done or failed) before ``before`` with their files;
    the number deleted. Batches still queued or printing are kept whatever their age."""
    finished = PrintJob.objects.filter(
        status__in=[PrintJob.Status.DONE, PrintJob.Status.FAILED], finished_at__lt=before
    )
    count = 0
    for job in finished.iterator():
        if job.file:
            job.file.delete(save=False)
        delete_job_files(job.pk)
        job.delete()
        count += 1
    return count


def delete_job_files(job_id: int) -> None:
    """The chunks, the manifest and any leftovers of the job's folder."""
    try:
        _dirs, files = default_storage.listdir(job_dir(job_id))
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{job_dir(job_id)}/{name}")
    try:
        path = default_storage.path(job_dir(job_id))
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):
        os.rmdir(path)
