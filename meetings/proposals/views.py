"""Pages of the workers' proposals: the list, filing, one proposal with the step that waits
on the user, the overdue list of the superiors, attachments and the org-technical measure.

Thin views: the proposal for this user (404 outside his scope) → the step's check (404
when it is not his) → form → service → message → redirect. A refused step shows the
proposal's page again with the errors next to the fields; the irreversible ones ask first
(:func:`enterprise.web.confirm_page`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprise import uploads, web
from enterprise.lists import ScopedListView
from enterprise.permissions import can
from enterprise.scoping import scope_of
from planning.measures.selectors import editable_sections

from ..models import Proposal
from ..permissions import sees_overdue
from . import access, selectors, services
from .filtersets import OverdueFilterSet, ProposalFilterSet
from .forms import (
    AnswerForm,
    AttachForm,
    DropForm,
    ImplementForm,
    MeasureFromProposalForm,
    PassForm,
    ProposalForm,
    ReviewForm,
)
from .tables import OverdueTable, ProposalTable

S = Proposal.Status


def _proposal(user, pk) -> Proposal:
    try:
        return selectors.proposal_for(user, pk)
    except Proposal.DoesNotExist:
        raise Http404 from None


# --- lists ----------------------------------------------------------------------------------


class ProposalListView(ScopedListView):
    model = Proposal
    table_class = ProposalTable
    filterset_class = ProposalFilterSet
    export_name = "proposals"
    title = gettext_lazy("Предложения рабочих")
    empty_text = gettext_lazy("Предложений пока нет.")

    def get_queryset(self):
        return selectors.proposals_for(self.request.user)

    def get_create_url(self):
        if access.may_file(self.request.user):
            return reverse("meetings:proposal_create")
        return None


class OverdueListView(ScopedListView):
    """The superior's list: proposals held past the bureau's or the administration's term."""

    model = Proposal
    table_class = OverdueTable
    filterset_class = OverdueFilterSet
    export_name = "proposals-overdue"
    template_name = "meetings/proposals/overdue.html"
    title = gettext_lazy("Предложения с истёкшим сроком")
    empty_text = gettext_lazy("Просроченных предложений нет.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sees_overdue(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.overdue_for(self.request.user)


# --- filing -----------------------------------------------------------------------------------


def _own_worker(user):
    own = scope_of(user).workers
    if not own:
        return None
    return selectors.filing_authors(user).filter(pk=min(own)).first()


@login_required
def proposal_create(request):
    user = request.user
    if not access.may_file(user):
        raise Http404
    shops = selectors.filing_shops(user)
    if not shops.exists():
        raise Http404
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        shops=shops,
        sections=selectors.filing_sections(user),
        authors=selectors.filing_authors(user),
        meetings=selectors.filing_meetings(user),
        own_worker=_own_worker(user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = web.run(
            request,
            lambda: services.proposal_file(
                shop=data["shop"],
                section=data.get("section"),
                workplace=data.get("workplace") or "",
                meeting=data.get("meeting"),
                authors=list(data["authors"]),
                title=data["title"],
                problem=data["problem"],
                solution=data["solution"],
                expected=form.expected(),
                documents=form.documents(),
                user=user,
            ),
            form=form,
            submission=form.submission_token,
            success=lambda p: (
                _("Предложение № %(n)s подано. Бюро рассмотрит его до %(due)s.")
                % {"n": p.number, "due": p.review_due.strftime("%d.%m.%Y")}
            ),
        )
        if proposal:
            return redirect(proposal)
    return render(
        request,
        "meetings/proposals/form.html",
        {
            "form": form,
            "files_lost": request.method == "POST" and form.uploaded_any(),
        },
    )


# --- one proposal -----------------------------------------------------------------------------

STEP_FORMS = {
    "review": ReviewForm,
    "pass": PassForm,
    "answer": AnswerForm,
    "implement": ImplementForm,
}


def _detail(request, proposal: Proposal, *, bound: dict | None = None, status: int = 200):
    """The proposal's page; ``bound`` — a step's form that failed, shown with its errors."""
    user = request.user
    bound = bound or {}
    today = timezone.localdate()
    step = access.step_of(proposal)
    step_form = None
    if step and access.may_act(user, proposal):
        step_form = bound.get(step) or STEP_FORMS[step]()
    drop_form = None
    if step == "implement" and access.may_implement(user, proposal):
        drop_form = bound.get("drop") or DropForm()
    attach_form = None
    if access.may_attach(user, proposal):
        attach_form = bound.get("attach") or AttachForm()
    may_measure = services.may_become_measure(proposal) and (
        editable_sections(user).filter(shop_id=proposal.shop_id).exists()
    )
    return render(
        request,
        "meetings/proposals/detail.html",
        {
            "proposal": proposal,
            "authors": proposal.author_list,
            "documents": list(proposal.documents.all()),
            "commission": access.commission_of(proposal),
            "step": step,
            "step_form": step_form,
            "drop_form": drop_form,
            "attach_form": attach_form,
            "may_measure": may_measure,
            "due": proposal.due_date(),
            "overdue": proposal.is_overdue(today),
            "days_past": selectors.days_past_term(proposal, today),
            "days_waiting": proposal.days_waiting(today),
            "history": web.history(user, proposal),
        },
        status=status,
    )


@login_required
def proposal_detail(request, pk):
    return _detail(request, _proposal(request.user, pk))


def _step(request, pk, *, name: str, allowed, form_class, confirmation, call, success):
    """One step posted from the proposal's page: check, validate, confirm, run."""
    user = request.user
    proposal = _proposal(user, pk)
    if not allowed(user, proposal):
        raise Http404
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, proposal, bound={name: form})
    data = form.cleaned_data
    if confirmation is not None and not web.confirmed(request):
        return web.confirm_page(request, proposal, confirmation(proposal, data))
    done = web.run(request, lambda: call(proposal, data), form=form, success=success)
    if done:
        return redirect(proposal)
    return _detail(request, _proposal(user, pk), bound={name: form})


def _date(day) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


@login_required
@require_POST
def proposal_review(request, pk):
    def confirmation(proposal, data):
        accept = data["decision"] == "accept"
        return web.Confirmation(
            title=_("Принять предложение?") if accept else _("Отклонить предложение?"),
            effects=[
                _("Принятое предложение член фабзавкома передаст администрации.")
                if accept
                else _("Отклонённое предложение закрыто; авторы увидят причину."),
                _("Заключение: %(text)s") % {"text": data.get("reason") or "—"},
            ],
            button=_("Принять") if accept else _("Отклонить"),
            details=[(_("Срок бюро"), _date(proposal.review_due))],
            danger=not accept,
        )

    return _step(
        request,
        pk,
        name="review",
        allowed=access.may_review,
        form_class=ReviewForm,
        confirmation=confirmation,
        call=lambda proposal, data: services.proposal_review(
            proposal=proposal,
            accept=data["decision"] == "accept",
            reason=data.get("reason") or "",
            user=request.user,
        ),
        success=lambda p: (
            _("Предложение принято бюро.")
            if p.status == S.ACCEPTED
            else _("Предложение отклонено бюро.")
        ),
    )


@login_required
@require_POST
def proposal_pass(request, pk):
    return _step(
        request,
        pk,
        name="pass",
        allowed=access.may_pass,
        form_class=PassForm,
        confirmation=None,
        call=lambda proposal, data: services.proposal_pass(proposal=proposal, user=request.user),
        success=lambda p: (
            _("Предложение передано администрации; ответ — до %(due)s.")
            % {"due": _date(p.answer_due)}
        ),
    )


@login_required
@require_POST
def proposal_answer(request, pk):
    def confirmation(proposal, data):
        agree = data["decision"] == "agree"
        return web.Confirmation(
            title=_("Согласовать предложение?") if agree else _("Отказать в предложении?"),
            effects=[
                _("Согласованное предложение ждёт внедрения.")
                if agree
                else _("Предложение закрыто отказом; авторы увидят причину."),
                _("Ответ: %(text)s") % {"text": data.get("answer") or "—"},
            ],
            button=_("Согласовать") if agree else _("Отказать"),
            details=[(_("Срок ответа"), _date(proposal.answer_due))],
            danger=not agree,
        )

    return _step(
        request,
        pk,
        name="answer",
        allowed=access.may_give_answer,
        form_class=AnswerForm,
        confirmation=confirmation,
        call=lambda proposal, data: services.proposal_answer(
            proposal=proposal,
            agree=data["decision"] == "agree",
            answer=data.get("answer") or "",
            user=request.user,
        ),
        success=lambda p: (
            _("Администрация согласовала предложение.")
            if p.status == S.AGREED
            else _("Администрация отказала в предложении.")
        ),
    )


@login_required
@require_POST
def proposal_implement(request, pk):
    def confirmation(proposal, data):
        return web.Confirmation(
            title=_("Отметить предложение внедрённым?"),
            effects=[_("Предложение закрывается как внедрённое.")],
            button=_("Внедрено"),
            details=[
                (_("Дата внедрения"), _date(data["implemented_on"])),
                (_("Ответственный"), data["responsible"]),
            ],
        )

    return _step(
        request,
        pk,
        name="implement",
        allowed=access.may_implement,
        form_class=ImplementForm,
        confirmation=confirmation,
        call=lambda proposal, data: services.proposal_implement(
            proposal=proposal,
            implemented_on=data["implemented_on"],
            responsible=data["responsible"],
            actual_labour=data.get("actual_labour"),
            actual_money=data.get("actual_money"),
            actual_effect=data.get("actual_effect") or "",
            user=request.user,
        ),
        success=_("Предложение внедрено."),
    )


@login_required
@require_POST
def proposal_drop(request, pk):
    def confirmation(proposal, data):
        return web.Confirmation(
            title=_("Снять предложение?"),
            effects=[
                _("Согласованное предложение не будет внедрено."),
                _("Причина: %(text)s") % {"text": data["reason"]},
            ],
            button=_("Снять"),
            danger=True,
        )

    return _step(
        request,
        pk,
        name="drop",
        allowed=lambda user, proposal: (
            proposal.status == S.AGREED and access.may_implement(user, proposal)
        ),
        form_class=DropForm,
        confirmation=confirmation,
        call=lambda proposal, data: services.proposal_drop(
            proposal=proposal, reason=data["reason"], user=request.user
        ),
        success=_("Предложение снято."),
    )


@login_required
@require_POST
def proposal_attach(request, pk):
    user = request.user
    proposal = _proposal(user, pk)
    if not access.may_attach(user, proposal):
        raise Http404
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        done = web.run(
            request,
            lambda: services.proposal_attach(
                proposal=proposal, documents=form.documents(), user=user
            ),
            form=form,
            submission=form.submission_token,
            success=_("Вложение добавлено."),
        )
        if done:
            return redirect(proposal)
    return _detail(request, _proposal(user, pk), bound={"attach": form})


@login_required
def document_download(request, pk):
    document = get_object_or_404(selectors.documents_for(request.user), pk=pk)
    if not document.file:
        raise Http404
    # Served as the type its content was proven to be (the stored name's extension).
    kind = uploads.kind_of_stored(document.file.name)
    fallback = f"proposal-document-{document.pk}"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=uploads.download_name(document.file_name, kind, fallback) if kind else fallback,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the org-technical measure ----------------------------------------------------------------


@login_required
def proposal_measure(request, pk):
    user = request.user
    proposal = _proposal(user, pk)
    sections = editable_sections(user).filter(shop_id=proposal.shop_id)
    if not services.may_become_measure(proposal) or not can(user, "measure.edit"):
        raise Http404
    if not sections.exists():
        raise Http404
    form = MeasureFromProposalForm(request.POST or None, proposal=proposal, sections=sections)
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        created = web.run(
            request,
            lambda: services.proposal_to_measure(proposal=proposal, measure=measure, user=user),
            form=form,
            submission=form.submission_token,
            success=_("Предложение стало оргтехмероприятием; его авторы — авторы мероприятия."),
        )
        if created:
            return redirect(proposal)
    return render(
        request,
        "meetings/proposals/measure_form.html",
        {"form": form, "proposal": proposal},
    )
