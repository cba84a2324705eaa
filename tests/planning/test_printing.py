"""Batches of plan sheets printed in the background (planning/printing.py, planning/tasks.py).

Most tests run the pipeline inline on Django's ImmediateBackend (the job is queued when
the transaction commits: ``django_capture_on_commit_callbacks(execute=True)``); the
chunk tests queue into the DummyBackend and run the tasks by hand, in the order they
choose, to re-run a chunk or stop half-way; one test runs the real ``db_worker`` of
django-tasks-db on the test database. The world's plant: shop A (№ 6: sections A1, A2)
and shop B (№ 7: section B1), two workers in each section.
"""

from __future__ import annotations

import io
import re
import signal
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.tasks import default_task_backend
from django.urls import reverse
from pypdf import PdfReader

from planning.models import PersonalPlan, PrintJob
from planning.plans import printing, tasks
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.planning.factories import PersonalPlanFactory
from tests.planning.matrix_print import coil_winder_plan, plant_plans

D = Decimal
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def dummy(settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    return default_task_backend


def pages_of(job: PrintJob) -> list[str]:
    with job.file.open("rb") as file:
        reader = PdfReader(io.BytesIO(file.read()))
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def order(user, capture, **unit) -> PrintJob:
    """Order a batch of 2026 and run what it queues when the transaction commits."""
    with capture(execute=True):
        job = printing.print_job_create(user=user, year=2026, **unit)
    job.refresh_from_db()
    return job


def run_queued(backend, only=None) -> list:
    """Run the tasks the DummyBackend holds (those of ``only``'s name), like a worker."""
    ran = []
    while True:
        pending = [r for r in backend.results if only is None or r.task.name == only]
        if not pending:
            return ran
        result = pending[0]
        backend.results.remove(result)
        ran.append(result.task.name)
        result.task.call(*result.args, **result.kwargs)


# --- what a batch holds ----------------------------------------------------------------------


def test_a_shop_batch_prints_one_sheet_per_worker_into_one_file(
    world, immediate, django_capture_on_commit_callbacks
):
    plans = plant_plans(world)
    winder = coil_winder_plan(world)
    job = order(world.users["economist"], django_capture_on_commit_callbacks, shop=world.units["A"])
    assert job.status == PrintJob.Status.DONE
    assert (job.total, job.done, job.chunks, job.chunks_done) == (5, 5, 1, 1)
    assert job.percent == 100 and job.started_at and job.finished_at and not job.error
    pages = pages_of(job)
    assert len(pages) == 5  # A1: 2 workers and the coil winder; A2: 2 workers
    # shop, section, then the worker's name
    a1 = sorted([*world.workers["A1"], winder.worker], key=lambda w: (w.last_name, w.first_name))
    a2 = sorted(world.workers["A2"], key=lambda w: (w.last_name, w.first_name))
    expected = [w.full_name.replace(" ", "") for w in [*a1, *a2]]
    assert [next(n for n in expected if n in page) for page in pages] == expected
    # the coil winder's figures of table 24, and the drafts' mark
    winder_page = next(p for p in pages if "КузнецоваАннаПетровна" in p)
    assert "2517" in winder_page and "5,5" in winder_page and "1,27" in winder_page
    assert "ПРОЕКТ" not in winder_page
    assert sum("ПРОЕКТ" in page for page in pages) == 4
    assert all(p.pk for p in plans)
    # the chunks are gone, the file stays
    assert printing.stored_chunks(job.pk) == {}
    assert not default_storage.exists(printing.job_dir(job.pk))
    assert job.file.name.startswith("planning/sheets/")


def test_the_sheet_of_a_worker_is_his_plan_in_force(
    world, immediate, django_capture_on_commit_callbacks
):
    """Signed if there is one (not its draft revision), else the open version; a
    superseded version never."""
    signed = coil_winder_plan(world)
    PersonalPlanFactory(worker=signed.worker, version=2, annual_volume=D("3000"))
    other = world.workers["A1"][0]
    PersonalPlanFactory(
        worker=other, annual_volume=D("1111"), status=PersonalPlan.Status.SUPERSEDED
    )
    PersonalPlanFactory(worker=other, version=2, annual_volume=D("2222"))
    assert (
        printing.count_sheets(
            year=2026, enterprise_id=world.enterprise.pk, section_id=signed.section_id
        )
        == 2
    )
    job = order(
        world.users["master"], django_capture_on_commit_callbacks, section=world.units["A1"]
    )
    pages = pages_of(job)
    assert len(pages) == job.total == 2
    text = "".join(pages)
    assert "2517" in text and "2222" in text
    assert "3000" not in text and "1111" not in text


def test_the_whole_plant_for_labour_and_wages(world, immediate, django_capture_on_commit_callbacks):
    plant_plans(world)
    PersonalPlanFactory(worker=world.other_worker)  # another plant's plan stays out
    PersonalPlanFactory(worker=world.workers["B1"][0], year=2027)  # another year too
    job = order(world.users["labour"], django_capture_on_commit_callbacks)
    assert job.enterprise == world.enterprise and job.shop is None and job.section is None
    assert len(pages_of(job)) == job.total == 6


def test_a_batch_is_split_into_chunks_merged_in_order(
    world, immediate, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    plant_plans(world)
    job = order(world.users["administrator"], django_capture_on_commit_callbacks)
    assert (job.chunks, job.chunks_done, job.done, job.total) == (3, 3, 6, 6)
    pages = pages_of(job)
    assert len(pages) == 6
    shops = [re.search(r"Цех№(\d)", page)[1] for page in pages]
    assert shops == ["6", "6", "6", "6", "7", "7"]


def test_split_makes_chunks_as_even_as_possible():
    assert [len(c) for c in printing.split(list(range(7000)))] == [80] * 48 + [79] * 40
    assert [len(c) for c in printing.split(list(range(81)))] == [41, 40]
    assert printing.split(list(range(5))) == [[0, 1, 2, 3, 4]]
    assert printing.split([]) == []


def test_nothing_to_print_is_refused_with_a_message(world, immediate):
    with pytest.raises(ValidationError) as error:
        printing.print_job_create(user=world.users["master"], year=2026, section=world.units["A1"])
    assert error.value.messages == [
        "Печатать нечего: нет ни одного личного плана на 2026 год — Цех 6, участок № 1 "
        "«Токарный участок»."
    ]
    assert not PrintJob.objects.exists()


def test_the_job_is_queued_when_the_transaction_commits(
    world, dummy, django_capture_on_commit_callbacks
):
    plant_plans(world)
    with django_capture_on_commit_callbacks() as callbacks:
        job = printing.print_job_create(
            user=world.users["master"], year=2026, section=world.units["A1"]
        )
        assert dummy.results == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [r.task.name for r in dummy.results] == ["print_job_start"]
    assert dummy.results[0].args == [job.pk, "ru"]
    assert job.status == PrintJob.Status.QUEUED and job.total == 2


# --- who may order what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        ("master", "A1", True),
        ("master", "A2", False),  # another section of his shop
        ("master", "A", False),  # his shop whole
        ("shop_head", "A", True),
        ("economist", "A2", True),
        ("economist", "B", False),
        ("economist", None, False),  # a shop's economist: not the whole plant
        ("labour", None, True),
        ("labour", "B1", True),
        ("administrator", None, True),
        ("worker", "A1", False),
        ("brigade_leader", "A1", False),
        ("dispatcher", "A", False),
        ("production_head", None, False),
        ("deputy_director", "A", False),
    ],
)
def test_who_may_order_a_batch_of_what(world, role, unit, allowed):
    plant_plans(world)
    kwargs = {}
    if unit in ("A", "B"):
        kwargs["shop"] = world.units[unit]
    elif unit:
        kwargs["section"] = world.units[unit]
    if allowed:
        job = printing.print_job_create(user=world.users[role], year=2026, **kwargs)
        assert job.total == (6 if unit is None else 4 if unit in ("A", "B") else 2)
    else:
        with pytest.raises(PermissionDenied):
            printing.print_job_create(user=world.users[role], year=2026, **kwargs)


def test_a_unit_of_another_plant_is_out_of_reach(world):
    PersonalPlanFactory(worker=world.other_worker)
    with pytest.raises(PermissionDenied):
        printing.print_job_create(
            user=world.users["labour"], year=2026, section=world.units["other_section"]
        )


# --- chunks: idempotent, counted, merged once -------------------------------------------------


def test_a_chunk_run_twice_counts_once_and_the_merge_runs_once(
    world, dummy, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    plant_plans(world)
    job = order(world.users["labour"], django_capture_on_commit_callbacks)
    assert run_queued(dummy, "print_job_start") == ["print_job_start"]
    chunks = [r for r in dummy.results if r.task.name == "print_chunk"]
    assert len(chunks) == 3
    first = chunks[0]
    # the first chunk twice (a worker killed after writing it, the task queued again)
    first.task.call(*first.args)
    first.task.call(*first.args)
    job.refresh_from_db()
    assert (job.status, job.done, job.chunks_done, job.percent) == ("running", 2, 1, 33)
    # the start run again queues nothing more
    tasks.print_job_start.call(job.pk, "ru")
    assert len([r for r in dummy.results if r.task.name == "print_chunk"]) == 3
    run_queued(dummy, "print_chunk")
    job.refresh_from_db()
    assert (job.done, job.chunks_done, job.status) == (6, 3, "running")
    assert [r.task.name for r in dummy.results] == ["print_merge"]
    # a chunk after the count is complete does not queue a second merge
    first.task.call(*first.args)
    assert [r.task.name for r in dummy.results] == ["print_merge"]
    run_queued(dummy)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE and len(pages_of(job)) == 6
    # a chunk of a finished job does nothing
    assert first.task.call(*first.args) == 0
    assert printing.stored_chunks(job.pk) == {}


def test_a_failing_chunk_fails_the_job_with_the_error_kept(
    world, dummy, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    plant_plans(world)
    job = order(world.users["labour"], django_capture_on_commit_callbacks)
    run_queued(dummy, "print_job_start")
    chunks = [r for r in dummy.results if r.task.name == "print_chunk"]
    chunks[0].task.call(*chunks[0].args)

    def broken(sheets):
        raise OSError("диск переполнен")

    monkeypatch.setattr("planning.plans.pdf.render_sheets", broken)
    with pytest.raises(OSError):
        chunks[1].task.call(*chunks[1].args)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.FAILED
    assert job.error == "OSError: диск переполнен"
    assert job.finished_at is not None
    assert printing.stored_chunks(job.pk) == {}  # what was printed is cleared away
    # the rest of the chunks do nothing now
    assert chunks[2].task.call(*chunks[2].args) == 0
    assert printing.stored_chunks(job.pk) == {}


def test_resume_queues_only_what_a_killed_worker_left_undone(
    world, dummy, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    plant_plans(world)
    job = order(world.users["labour"], django_capture_on_commit_callbacks)
    run_queued(dummy, "print_job_start")
    chunks = [r for r in dummy.results if r.task.name == "print_chunk"]
    chunks[0].task.call(*chunks[0].args)
    dummy.clear()  # the worker died holding the other two
    assert printing.print_job_resume(job=job) == 2
    assert sorted(r.args[1] for r in dummy.results) == [1, 2]
    run_queued(dummy)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE and len(pages_of(job)) == 6
    assert printing.print_job_resume(job=job) == 0


def test_a_stalled_batch_is_offered_to_its_requester_to_resume(
    client, world, settings, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    plant_plans(world)
    job = order(world.users["economist"], django_capture_on_commit_callbacks, shop=world.units["A"])
    start = DBTaskResult.objects.get()  # print_job_start waits in the queue
    assert start.args_kwargs["args"][0] == job.pk
    assert not printing.job_stalled(job)
    later = timezone.now() + printing.STALL_AFTER + datetime.timedelta(minutes=1)
    assert not printing.job_stalled(job, now=later)  # still waiting: not stalled
    # a worker took the task and was killed: RUNNING for good
    DBTaskResult.objects.filter(pk=start.pk).update(status="RUNNING", started_at=timezone.now())
    assert not printing.job_stalled(job)
    assert printing.job_stalled(job, now=later)
    PrintJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - printing.STALL_AFTER * 2)
    DBTaskResult.objects.filter(pk=start.pk).update(
        started_at=timezone.now() - printing.STALL_AFTER * 2
    )
    job.refresh_from_db()
    client.force_login(world.users["economist"])
    page = client.get(reverse("planning:print_detail", args=[job.pk])).content.decode()
    assert 'data-testid="resume"' in page
    response = client.post(reverse("planning:print_resume", args=[job.pk]))
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # queued again
    assert not printing.job_stalled(job)
    page = client.get(reverse("planning:print_detail", args=[job.pk])).content.decode()
    assert 'data-testid="resume"' not in page
    assert "Печать продолжится с того места, где остановилась." in page
    client.force_login(world.users["labour"])  # not his batch
    assert client.post(reverse("planning:print_resume", args=[job.pk])).status_code == 404


def test_other_task_backends_never_call_a_batch_stalled(world, immediate):
    job = PrintJob.objects.create(
        enterprise=world.enterprise, year=2026, requested_by=world.users["labour"], total=6
    )
    PrintJob.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2020))
    job.refresh_from_db()
    assert not printing.job_stalled(job)


def test_the_cleanup_command_deletes_old_finished_batches_with_their_files(
    world, immediate, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    plant_plans(world)
    old, recent = (order(world.users["labour"], django_capture_on_commit_callbacks) for _ in "ab")
    assert old.status == recent.status == PrintJob.Status.DONE
    month_ago = timezone.now() - datetime.timedelta(days=31)
    PrintJob.objects.filter(pk=old.pk).update(finished_at=month_ago)
    waiting = PrintJob.objects.create(
        enterprise=world.enterprise, year=2026, requested_by=world.users["labour"], total=6
    )
    PrintJob.objects.filter(pk=waiting.pk).update(created_at=month_ago)
    out = io.StringIO()
    call_command("print_job_cleanup", stdout=out)
    assert "1 finished batch(es) deleted" in out.getvalue()
    assert set(PrintJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
    call_command("print_job_cleanup", "--days", "0", stdout=io.StringIO())
    assert list(PrintJob.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_the_resume_command_picks_up_every_unfinished_batch(
    world, dummy, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    plant_plans(world)
    job = order(world.users["labour"], django_capture_on_commit_callbacks)
    run_queued(dummy, "print_job_start")
    dummy.clear()  # the worker died before printing any chunk
    out = io.StringIO()
    call_command("print_job_resume", stdout=out)
    assert f"batch {job.pk}: 3 task(s) queued" in out.getvalue()
    run_queued(dummy)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE and len(pages_of(job)) == 6
    out = io.StringIO()
    call_command("print_job_resume", str(job.pk), stdout=out)
    assert "0 unfinished batch(es) resumed" in out.getvalue()


# --- the pages -------------------------------------------------------------------------------


def test_ordering_from_the_list_page_leads_to_the_progress_page(
    client, world, immediate, django_capture_on_commit_callbacks
):
    plant_plans(world)
    client.force_login(world.users["economist"])
    page = client.get(reverse("planning:print_list"), {"year": 2026})
    assert page.status_code == 200
    units = [(u.label, u.sheets) for u in page.context["units"]]
    assert units == [
        ("Цех № 6 «Механический цех»", 4),
        ("Цех 6, участок № 1 «Токарный участок»", 2),
        ("Цех 6, участок № 2 «Фрезерный участок»", 2),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("planning:print_create"), {"year": "2026", "shop": world.units["A"].pk}
        )
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:print_detail", args=[job.pk])
    detail = client.get(response["Location"])
    html = detail.content.decode()
    assert f'data-status-url="{reverse("planning:print_status", args=[job.pk])}"' in html
    assert "Готово: листов в файле — 4." in html
    assert reverse("planning:print_download", args=[job.pk]) in html
    status = client.get(reverse("planning:print_status", args=[job.pk])).json()
    assert status == {
        "status": "done",
        "status_label": "готово",
        "done": 4,
        "total": 4,
        "percent": 100,
        "merging": False,
        "url": reverse("planning:print_download", args=[job.pk]),
        "error": "",
        "finished": True,
    }
    download = client.get(status["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert len(PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages) == 4
    # the list shows the order
    listed = client.get(reverse("planning:print_list"))
    assert [j.pk for j in listed.context["jobs"]] == [job.pk]


def test_the_progress_page_shows_a_job_half_way(
    client, world, dummy, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    plant_plans(world)
    job = order(world.users["labour"], django_capture_on_commit_callbacks)
    run_queued(dummy, "print_job_start")
    first = next(r for r in dummy.results if r.task.name == "print_chunk")
    first.task.call(*first.args)
    client.force_login(world.users["labour"])
    html = client.get(reverse("planning:print_detail", args=[job.pk])).content.decode()
    assert "Напечатано листов: 2 из 6." in html
    assert 'data-percent="33"' in html
    status = client.get(reverse("planning:print_status", args=[job.pk])).json()
    assert (status["status"], status["done"], status["percent"], status["url"]) == (
        "running",
        2,
        33,
        None,
    )
    # not finished: nothing to download yet
    assert client.get(reverse("planning:print_download", args=[job.pk])).status_code == 404


def test_the_list_page_runs_the_same_queries_for_any_number_of_orders(
    client, world, django_assert_max_num_queries
):
    plant_plans(world)
    user = world.users["labour"]
    client.force_login(user)

    def orders(n):
        for _ in range(n):
            PrintJob.objects.create(
                enterprise=world.enterprise, year=2026, requested_by=user, total=6
            )

    orders(2)
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("planning:print_list")).status_code == 200
    orders(10)
    with django_assert_max_num_queries(len(few)) as many:
        page = client.get(reverse("planning:print_list"))
    assert len(page.context["jobs"]) == 12
    assert len(many) == len(few)
    # the whole plant, both shops and the three sections, each with its sheets
    assert [(u.level, u.sheets) for u in page.context["units"]] == [
        ("plant", 6),
        ("shop", 4),
        ("section", 2),
        ("section", 2),
        ("shop", 2),
        ("section", 2),
    ]


def test_a_zero_sheet_order_comes_back_with_the_message(client, world):
    client.force_login(world.users["master"])
    response = client.post(
        reverse("planning:print_create"),
        {"year": "2026", "section": world.units["A1"].pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(reverse("planning:print_list"))
    assert "Печатать нечего" in response.content.decode()
    assert not PrintJob.objects.exists()


def test_a_batch_is_its_requesters_alone(
    client, world, immediate, django_capture_on_commit_callbacks
):
    plant_plans(world)
    job = order(world.users["economist"], django_capture_on_commit_callbacks, shop=world.units["A"])
    # another economist of the same shop
    colleague = UserFactory(username="economist-2")
    RoleAssignmentFactory(user=colleague, role="economist", shop=world.units["A"])
    for user in (colleague, world.users["shop_head"], world.users["labour"]):
        client.force_login(user)
        for name in ("print_detail", "print_status", "print_download"):
            assert client.get(reverse(f"planning:{name}", args=[job.pk])).status_code == 404
        assert job not in client.get(reverse("planning:print_list")).context["jobs"]
    client.force_login(world.users["economist"])
    assert client.get(reverse("planning:print_download", args=[job.pk])).status_code == 200


def test_a_worker_cannot_order_a_batch(client, world):
    plant_plans(world)
    client.force_login(world.users["worker"])
    assert client.get(reverse("planning:print_list")).status_code == 404
    response = client.post(
        reverse("planning:print_create"), {"year": "2026", "section": world.units["A1"].pk}
    )
    assert response.status_code == 404
    assert not PrintJob.objects.exists()


# --- the real worker -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_db_worker_prints_a_batch_from_the_database_queue(settings, monkeypatch):
    """The database backend of django-tasks-db: the order queues a task row; ``db_worker
    --batch`` runs the queue (start → chunks → merge) and exits."""
    from django_tasks_db.models import DBTaskResult

    from tests.conftest import build_world

    settings.TASKS = DATABASE
    monkeypatch.setattr(printing, "CHUNK_SIZE", 2)
    world = build_world()
    plant_plans(world)
    job = printing.print_job_create(user=world.users["labour"], year=2026)
    assert (
        DBTaskResult.objects.filter(task_path="planning.plans.tasks.print_job_start").count() == 1
    )
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE, job.error
    assert (job.done, job.chunks_done) == (6, 3)
    assert len(pages_of(job)) == 6
    paths = list(DBTaskResult.objects.values_list("task_path", "status"))
    assert sorted(paths) == sorted(
        [("planning.plans.tasks.print_job_start", "SUCCESSFUL")]
        + [("planning.plans.tasks.print_chunk", "SUCCESSFUL")] * 3
        + [("planning.plans.tasks.print_merge", "SUCCESSFUL")]
    )
