"""Background work of the claims app (Django's tasks API, django-tasks-db).

:func:`escalate_overdue_claims` sends the claims left unanswered past their deadline to
the arbitrator. Nothing schedules it inside the worker: ``manage.py claims_escalate``
queues it (``--every`` keeps queuing it), run beside the worker by ``make run`` and by
the ``scheduler`` service of docker-compose.yml. Until it has run, the pages compute on
read that such a claim is overdue and already the arbitrator's to decide.
"""

from __future__ import annotations

from django.tasks import task

from enterprise.models import Enterprise

from . import services


@task
def escalate_overdue_claims() -> int:
    """Escalate the overdue claims of every enterprise; the number escalated."""
    return services.escalate_overdue(enterprise_ids=Enterprise.objects.values_list("pk", flat=True))
