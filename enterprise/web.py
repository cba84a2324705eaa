"""The public web kit every view uses: the permission check, the current enterprise, the
history panel, and running a service with its refusals shown on the page.

A view reads like this::

    brigade = get_object_or_404(Brigade.objects.visible_to(request.user), pk=pk)
    web.allow(request.user, "brigade.edit", brigade)
    form = BrigadeForm(request.POST or None, instance=brigade)
    if request.method == "POST" and form.is_valid():
        if saved := web.run(request, lambda: services.brigade_save(...), form=form,
                            success=_("Бригада сохранена.")):
            return redirect(saved)
    return render(...)

What a refusal becomes:

* a ``ValidationError`` naming fields of the form — errors next to those fields; the
  rest — the form's own (non-field) errors, or, for an action posted from an object's
  page (``page_errors=True``, :func:`post_action`), messages at the top of the page;
* a ``PermissionDenied`` with a reason (approving one's own draft) — said the same way;
  one without a reason — 404: what a user may not do is, for them, not there.

A form that failed is announced at the top of the page by the base template (the error
summary of :mod:`enterprise.templatetags.web_forms`), and ``static/js/form-errors.js``
takes the user to its first error.

An irreversible step (approve, sign, decide, agree, close) first shows what it will do
(:func:`confirm_page`, a page of its own that needs no script) and runs only when the same
form comes back with ``confirm=1`` (:func:`confirmed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from . import selectors, submissions
from .formsets import RowFormSet, merge_stale, renewed_note
from .models import Enterprise
from .permissions import can
from .plausibility import asks_confirmation
from .versions import StaleError

ENTERPRISE_PARAMETER = "enterprise"


def allow(user, action: str, obj=None) -> None:
    """An action the user may not perform is, for them, not there (404)."""
    if not can(user, action, obj):
        raise Http404


def history(user, obj) -> list | None:
    """The object's «История», for roles that may read it (None: the panel is hidden)."""
    if not can(user, "history.view", obj):
        return None
    return selectors.history_for(obj.history_group())


# --- the current enterprise ---------------------------------------------------------------


def choose_enterprise(user, *, choice=None, obj=None) -> Enterprise:
    """The enterprise a page works in, said explicitly — never "the first one".

    * ``obj`` given (the object at hand): its enterprise, when the user sees it;
    * else ``choice`` (an enterprise id the user picked), when it is one he sees;
    * else the user's scope, when it holds exactly one enterprise.

    No enterprise visible, an object or a choice outside them, or several enterprises
    and no choice: 404.
    """
    visible = selectors.visible_enterprise_ids(user)
    if not visible:
        raise Http404
    if obj is not None:
        wanted = obj.pk if isinstance(obj, Enterprise) else obj.enterprise_id
    elif choice not in (None, ""):
        try:
            wanted = int(choice)
        except (TypeError, ValueError):
            raise Http404 from None
    elif len(visible) == 1:
        wanted = visible[0]
    else:
        raise Http404
    if wanted not in visible:
        raise Http404
    return Enterprise.objects.get(pk=wanted)


def current_enterprise(request, obj=None) -> Enterprise:
    """:func:`choose_enterprise` for a request: the choice is its ``enterprise``
    parameter (in the query string, or in the posted form)."""
    choice = request.POST.get(ENTERPRISE_PARAMETER) or request.GET.get(ENTERPRISE_PARAMETER)
    return choose_enterprise(request.user, choice=choice, obj=obj)


# --- running a service ----------------------------------------------------------------------


def form_errors(form, error: ValidationError, *, page_errors_to=None) -> None:
    """Put a service's refusal on the form: each field's errors next to that field.

    Errors of no field of the form go to the form itself, or — with ``page_errors_to``
    (a request) — to the messages at the top of the page. A form that places refusals
    itself (a ``service_errors(error)`` method: the claim form's loss and documents
    blocks) is given the whole refusal."""
    place = getattr(form, "service_errors", None)
    if place is not None and page_errors_to is None:
        place(error)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
            elif page_errors_to is not None:
                _say(page_errors_to, ValidationError(errors))
            else:
                form.add_error(None, errors)
    elif page_errors_to is not None:
        _say(page_errors_to, error)
    else:
        form.add_error(None, error)


def _say(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def run(
    request,
    call: Callable[[], Any],
    *,
    success: str | Callable[[Any], str] = "",
    form=None,
    page_errors: bool = False,
    version=None,
    submission: str | None = None,
):
    """Run ``call()`` (a service); on success say ``success`` and return its result
    (``True`` when it returns nothing falsy), on a refusal show it and return ``None``.

    Field errors go next to the fields of ``form``; other errors go into the form, or,
    with ``page_errors`` or without a form, to the messages at the top of the page. A
    denial without a reason is a 404.

    A stale save (:class:`enterprise.versions.StaleError`) puts the rows' version now
    into ``form`` and ``version`` (a :class:`~enterprise.versions.VersionForm`) — those
    that carry one — so that saving again, having read what changed, is accepted.

    A create form passes its one-time token as ``submission``
    (:mod:`enterprise.submissions`): a token used before runs nothing and returns what
    its first submission created, saying so."""
    if submission is not None:
        service = call

        def call():
            return submissions.once(token=submission, user=request.user, create=service)

    try:
        result = call()
    except submissions.AlreadySubmitted as repeat:
        if repeat.obj is None:
            messages.error(request, submissions.gone_message())
            return None
        messages.info(request, submissions.already_submitted_message())
        return repeat.obj
    except StaleError as error:
        for holder in (form, version):
            if hasattr(holder, "renew_version"):
                holder.renew_version(error.current)
        refusal = error
        if isinstance(form, RowFormSet) and (renewed := merge_stale(form, error)):
            head, *rest = error.messages
            refusal = ValidationError([head, renewed_note(renewed), *rest], code="stale")
    except ValidationError as error:
        refusal = error
    except PermissionDenied as denial:
        if not denial.args:
            raise Http404 from None
        refusal = ValidationError(str(denial.args[0]))
    else:
        if success:
            messages.success(request, success(result) if callable(success) else success)
        return result or True
    if form is None:
        _say(request, refusal)
    else:
        if asks_confirmation(refusal):
            # Unlikely figures (enterprise.plausibility): the page asks to confirm them.
            form.ask_confirm = True
        form_errors(form, refusal, page_errors_to=request if page_errors else None)
    return None


# --- confirming an irreversible step ----------------------------------------------------------

CONFIRM_PARAMETER = "confirm"
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRM_PARAMETER}


@dataclass
class Confirmation:
    """What an irreversible step will do, said before it is done.

    ``title`` — the question, ``effects`` — what follows (each a line), ``button`` — the
    confirming button's text; ``details`` — the document's figures as (label, value)."""

    title: str
    effects: list[str]
    button: str
    details: list[tuple[str, str]] = field(default_factory=list)
    danger: bool = False
    # the documents a bulk step acts on, listed under the effects
    items: list[str] = field(default_factory=list)


def confirmed(request) -> bool:
    """Did the user confirm the step (the confirmation page's form sends ``confirm=1``)?"""
    return request.POST.get(CONFIRM_PARAMETER) == "1"


def confirm_page(
    request, obj, confirmation: Confirmation, *, cancel_url: str | None = None, subject=True
):
    """The confirmation step: what will happen, and the same POST to the same address with
    ``confirm=1`` (every posted field is sent again, hidden). Cancelling goes back.
    ``subject`` — name the document under the title (a bulk step lists its items instead)."""
    hidden = [
        (name, value)
        for name in request.POST
        if name not in _NOT_REPOSTED
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "enterprise/confirm.html",
        {
            "object": obj,
            "confirmation": confirmation,
            "action_url": request.path,
            "hidden": hidden,
            "cancel_url": cancel_url or obj.get_absolute_url(),
            "subject": subject,
        },
    )


def post_action(request, obj, call, success: str, form_class=None, confirm=None):
    """A step of a document's life posted from its page (agree, sign, return …).

    ``call(obj, data)`` runs the service with the form's cleaned data. The form's errors
    and the service's refusals become messages on the page; a refusal without a message
    (the user may not act on it at all) is 404. On success, the page of what the service
    returned (the same document, or a new one such as a revision).

    ``confirm(obj, data)`` — for an irreversible step — returns the :class:`Confirmation`
    shown first; the service runs only on the confirmed POST. ``None`` from it — the step
    will be refused anyway (a document no longer in that state, a closed month, a signer
    kept out by separation of duties) — runs the service at once, to say why."""
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(obj)
    if confirm is not None and not confirmed(request):
        confirmation = confirm(obj, form.cleaned_data if form else {})
        if confirmation is not None:
            return confirm_page(request, obj, confirmation)
    result = run(
        request,
        lambda: call(obj, form.cleaned_data if form else {}),
        success=success,
        submission=getattr(form, "submission_token", None),
    )
    if result is not None:
        return redirect(result if hasattr(result, "get_absolute_url") else obj)
    return redirect(obj)
