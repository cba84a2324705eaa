"""Tasks of section self-financing on the task worker (django.tasks, django-tasks-db)."""

from __future__ import annotations

from django.tasks import task

from .services.close import results_run_execute


@task()
def results_run(run_id: int) -> None:
    """The monthly close of a shop or of the plant (see services.close)."""
    results_run_execute(run_id)
