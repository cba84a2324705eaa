"""Pages of the claims app: the lists and inboxes, filing with the loss calculator, a
claim's page with its route, timeline and the actions the user may take, the documents,
and the period's netting statement.

Thin views: the claim for this user (404 outside scope) → form → service → message →
redirect. Actions a user may not take are, for them, not there (404). No page writes on
GET: unanswered claims past their deadline go to the arbitrator by the periodic job of
``claims.tasks``; until it runs, the pages read them as overdue and the arbitrator's.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprise import uploads, web
from enterprise.lists import ScopedListView
from enterprise.models import Period, Section
from enterprise.models.roles import Role
from enterprise.money import ZERO
from enterprise.permissions import can, has_role
from enterprise.plausibility import is_confirmed
from enterprise.scoping import scope_of

from . import forms, permissions, rules, selectors, services, statement_html
from .filtersets import ClaimFilterSet
from .models import Claim, ClaimType
from .tables import ClaimTable, is_late

ARBITRATOR_ROLES = (Role.MASTER, Role.SHOP_HEAD, Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR)


def _claim(user, pk) -> Claim:
    return get_object_or_404(
        selectors.claims_for(user).select_related(
            "enterprise",
            "filed_by",
            "answered_by",
            "decided_by",
            "arbitrator_shop",
            "arbitrator_section__shop",
        ),
        pk=pk,
    )


# --- lists and inboxes --------------------------------------------------------------------------


class ClaimListView(ScopedListView):
    model = Claim
    table_class = ClaimTable
    filterset_class = ClaimFilterSet
    export_name = "claims"
    template_name = "claims/claim_list.html"
    title = gettext_lazy("Все претензии")
    empty_text = gettext_lazy("Претензий, которые вам видны, пока нет.")

    def get_queryset(self):
        return selectors.claims_for(self.request.user)

    def get_create_url(self):
        return reverse("claims:claim_create") if can(self.request.user, "claim.file") else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if scope_of(self.request.user).worker_only:
            # He sees only the claims that name him: «all claims» would promise more.
            context["title"] = _("Претензии с моим участием")
        return context


BOXES = {
    "mine": gettext_lazy("Мои претензии"),
    "to_answer": gettext_lazy("Ждут ответа"),
    "to_decide": gettext_lazy("Ждут решения"),
}
BOX_HELP = {
    "mine": gettext_lazy(
        "Претензии, которые подали вы или подразделения, за которые вы отвечаете."
    ),
    "to_answer": gettext_lazy(
        "Претензии к вашим подразделениям: признайте полностью, частично или отклоните "
        "с доводами до срока. Без ответа в срок претензия уходит арбитру."
    ),
    "to_decide": gettext_lazy(
        "Споры, в которых вы арбитр: решите, какую сумму отнести на ответчика, и обоснуйте."
    ),
}


class InboxView(ClaimListView):
    template_name = "claims/inbox.html"

    @property
    def box(self) -> str:
        box = self.request.GET.get("box", "")
        return box if box in BOXES else "mine"

    def get_queryset(self):
        claims = selectors.inbox(self.request.user, self.box)
        if self.box == "to_answer":
            return claims.order_by("answer_due", "number")
        return claims

    def get_export_filename(self, export_format):
        return f"claims-{self.box}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        shown = {
            "mine": True,
            # a brigade leader answers for the brigade he leads (permissions.may_answer)
            "to_answer": can(user, "claim.answer") or can(user, "claim.answer_brigade"),
            "to_decide": has_role(user, *ARBITRATOR_ROLES),
        }
        tabs = []
        counts = selectors.inbox_counts(user, names=tuple(BOXES))
        for name, label in BOXES.items():
            count = counts[name]
            if shown[name] or count or name == self.box:
                tabs.append({"name": name, "label": label, "count": count})
        context.update(
            box=self.box,
            tabs=tabs,
            title=BOXES[self.box],
            help=BOX_HELP[self.box],
        )
        return context


# --- filing -------------------------------------------------------------------------------------


def _units(found, labels: dict) -> forms.Units:
    """The units offered for one side; ``labels`` is shared by both sides (the workers of
    the filer's sections are on both: each is labelled once)."""
    units = forms.Units()
    for kind, unit in found:
        label = labels.get((kind, unit.pk))
        if label is None:
            label = labels[kind, unit.pk] = forms.unit_label(kind, unit)
        units.add(kind, unit, label)
    return units


def _preview(form: forms.ClaimForm) -> rules.Loss | None:
    """The loss by the type's rule, when every input of it is filled in correctly."""
    if form.chosen_type is None:
        return None
    inputs = form.loss_inputs()
    if not inputs or any(value is None for value in inputs.values()):
        return None
    try:
        return services.loss_of(form.chosen_type, inputs)
    except ValidationError as error:
        form.service_errors(error)
        return None


@login_required
def claim_create(request):
    user = request.user
    web.allow(user, "claim.file")
    enterprise = web.current_enterprise(request)
    claimant_units, defendant_units = selectors.filing_units(user, enterprise)
    labels = {}
    claimants = _units(claimant_units, labels)
    if not claimants:
        raise Http404
    options = {
        "periods": selectors.open_periods(enterprise),
        "types": selectors.active_types(enterprise),
        "claimants": claimants,
        "defendants": _units(defendant_units, labels),
    }
    preview = None
    if request.method == "POST":
        form = forms.ClaimForm(request.POST, request.FILES, **options)
        valid = form.is_valid()
        if "preview" in request.POST:
            form.drop_missing_value_errors()
            preview = _preview(form)
        elif valid:
            claimant, defendant = form.parties()
            if not permissions.may_file(user, claimant.ref()):
                raise Http404
            claim = web.run(
                request,
                lambda: services.claim_file(
                    period=form.cleaned_data["period"],
                    claim_type=form.cleaned_data["claim_type"],
                    claimant=claimant,
                    defendant=defendant,
                    description=form.cleaned_data["description"],
                    loss_inputs=form.loss_inputs(),
                    documents=form.documents(),
                    user=user,
                    confirmed=is_confirmed(request.POST),
                ),
                form=form,
                submission=form.submission_token,
                success=lambda claim: (
                    _("Претензия № %(n)s подана. Ответчик должен ответить до %(due)s.")
                    % {"n": claim.number, "due": claim.answer_due.strftime("%d.%m.%Y")}
                ),
            )
            if claim is not None:
                return redirect(claim)
        if preview is None and not form.loss_error:
            preview = _preview(form)
    else:
        today = timezone.localdate()
        periods = list(options["periods"])
        current = next(
            (p for p in periods if (p.year, p.month) == (today.year, today.month)),
            periods[-1] if periods else None,
        )
        form = forms.ClaimForm(
            initial={
                "period": current,
                "claim_type": request.GET.get("type") or None,
            },
            **options,
        )
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "preview": preview,
            "types": _type_blocks(options["types"]),
            "files_lost": request.method == "POST" and form.uploaded_any(),
            "previewing": request.method == "POST" and "preview" in request.POST,
        },
    )


def _type_blocks(types) -> list[dict]:
    """Per active type: a blank block of its loss inputs and documents, for the page's
    script to swap in when the type changes (the server re-renders them on «Рассчитать»)."""
    # Rendered when the page's template reaches it (the template calls a callable), after
    # the page's own context: the page's bound form stays the first «form» of the request.
    return [
        {"type": claim_type, "html": functools.partial(_blank_block, claim_type)}
        for claim_type in types
    ]


_BLANK_BLOCKS: dict[tuple, str] = {}
_BLANK_BLOCKS_MAX = 256


def _blank_block(claim_type: ClaimType) -> str:
    """The blank block of a type, rendered once per process for what it is made of — the
    type's loss rule and required documents, in the active language — and nothing else:
    an unbound form with no user, unit or period in it (the same HTML for every user).
    A type edited in the admin has another key, so its new block is rendered."""
    key = (get_language(), claim_type.loss_rule, repr(claim_type.documents))
    html = _BLANK_BLOCKS.get(key)
    if html is None:
        form = forms.ClaimForm(
            periods=Period.objects.none(),
            types=ClaimType.objects.none(),
            claimants=forms.Units(),
            defendants=forms.Units(),
            chosen_type=claim_type,
        )
        html = render_to_string(
            "claims/_type_block.html", {"form": form, "preview": None, "files_lost": False}
        )
        if len(_BLANK_BLOCKS) >= _BLANK_BLOCKS_MAX:
            _BLANK_BLOCKS.clear()
        _BLANK_BLOCKS[key] = html
    return html  # render_to_string's SafeString: the template engine escaped it


# --- a claim --------------------------------------------------------------------------------


def _actions(user, claim: Claim) -> dict:
    if claim.period.is_closed:  # a closed month's claims do not change
        return {
            "can_answer": False,
            "can_decide": False,
            "can_withdraw": False,
            "decide_blocked": None,
        }
    overdue = claim.is_overdue(timezone.localdate())  # the arbitrator's, job run or not
    to_decide = claim.status == Claim.Status.ARBITRATION or overdue
    return {
        "can_answer": claim.status == Claim.Status.FILED
        and not overdue
        and permissions.may_answer(user, claim),
        "can_decide": to_decide and permissions.is_arbitrator(user, claim),
        "decide_blocked": permissions.decide_blocked(user, claim) if to_decide else None,
        "can_withdraw": claim.is_open and permissions.may_withdraw(user, claim),
    }


def _detail_context(request, claim: Claim, **bound) -> dict:
    user = request.user
    actions = _actions(user, claim)
    today = timezone.localdate()
    inputs, loss = selectors.loss_breakdown(claim)
    context = {
        "claim": claim,
        **actions,
        "overdue": is_late(claim, today),
        "days_left": (claim.answer_due - today).days,
        "documents": list(claim.documents.all()),
        "inputs": inputs,
        "loss": loss,
        "route": selectors.arbitration(claim),
        "withdrawal": selectors.withdrawal(claim),
        "can_statement": can(user, "claim.statement"),
        "history": web.history(user, claim),
    }
    if actions["can_answer"]:
        context["answer_form"] = bound.get("answer_form") or forms.AnswerForm(
            initial={"answer": Claim.Answer.ACCEPT}
        )
    if actions["can_decide"]:
        context["decide_form"] = bound.get("decide_form") or forms.DecideForm()
    if actions["can_withdraw"]:
        context["withdraw_form"] = bound.get("withdraw_form") or forms.WithdrawForm()
    return context


@login_required
def claim_detail(request, pk):
    """The claim's page. Its steps' forms post here (``step``), so that a refused step shows
    the page again at the claim's own address, not at the step's (a reload of which was a
    «method not allowed»); the steps' own addresses take the same posts."""
    if request.method == "POST":
        step = STEPS.get(request.POST.get("step", ""))
        if step is None:
            raise Http404
        return step(request, pk)
    claim = _claim(request.user, pk)
    return render(request, "claims/claim_detail.html", _detail_context(request, claim))


def _act(request, claim, form, key: str, call, success: str, confirm=None):
    """Run a lifecycle step. A refused value goes next to its field (the page again); a
    claim someone else changed meanwhile, or a closed month, is a message on the page.

    ``confirm(data)`` — for a step that cannot be undone — gives what it will do, shown
    first (:func:`enterprise.web.confirm_page`); None: it will be refused, run it to say
    why."""
    if form.is_valid() and confirm is not None and not web.confirmed(request):
        confirmation = confirm(form.cleaned_data)
        if confirmation is not None:
            return web.confirm_page(request, claim, confirmation)
    if form.is_valid():
        done = web.run(
            request, lambda: call(form.cleaned_data), form=form, success=success, page_errors=True
        )
        if done or not form.errors:
            return redirect(claim)
    claim.refresh_from_db()
    return render(
        request, "claims/claim_detail.html", _detail_context(request, claim, **{key: form})
    )


@login_required
@require_POST
def claim_answer(request, pk):
    claim = _claim(request.user, pk)
    if not permissions.may_answer(request.user, claim):
        raise Http404
    form = forms.AnswerForm(request.POST)
    return _act(
        request,
        claim,
        form,
        "answer_form",
        lambda data: services.claim_answer(
            claim=claim,
            answer=data["answer"],
            accepted_amount=data["accepted_amount"],
            reason=data["reason"],
            user=request.user,
        ),
        _("Ответ записан."),
        confirm=lambda data: _answer_confirmation(request.user, claim, data),
    )


def _answer_confirmation(user, claim: Claim, data) -> web.Confirmation | None:
    """What answering will do, as deciding says it; None when the answer will be refused
    anyway (the claim is not this user's to answer now, the part accepted is not between
    nothing and the whole, or a dispute without its reasons): running it says why."""
    if not _actions(user, claim)["can_answer"]:
        return None
    answer, reason = data["answer"], data["reason"].strip()
    loss = claim.loss_amount
    if answer == Claim.Answer.ACCEPT:
        accepted = loss
    elif answer == Claim.Answer.REJECT:
        accepted = ZERO
    else:
        accepted = data["accepted_amount"]
        if accepted is None or not 0 < accepted < loss:
            return None
    if answer != Claim.Answer.ACCEPT and not reason:
        return None
    details = [
        (_("Истец"), claim.claimant_label),
        (_("Ответчик"), claim.defendant_label),
        (_("Сумма претензии, руб."), rules.format_money(loss)),
        (_("Ответ"), capfirst(Claim.Answer(answer).label)),
    ]
    if answer == Claim.Answer.PARTIAL:
        details.append((_("Признаю сумму, руб."), rules.format_money(accepted)))
    if reason:
        details.append((_("Доводы"), reason))
    if answer == Claim.Answer.ACCEPT:
        effects = [
            _(
                "Претензия закрывается: вся сумма относится на ответчика и войдёт во "
                "взаимное погашение месяца «%(period)s»."
            )
            % {"period": claim.period}
        ]
    else:
        effects = [
            _(
                "Претензия уходит арбитру: оспорено %(disputed)s руб. Он решит, сколько "
                "отнести на ответчика — не меньше признанного (%(accepted)s руб.)."
            )
            % {
                "disputed": rules.format_money(loss - accepted),
                "accepted": rules.format_money(accepted),
            }
        ]
    effects.append(_("Изменить записанный ответ нельзя."))
    return web.Confirmation(
        title=_("Ответить на претензию № %(n)s?") % {"n": claim.number},
        details=details,
        effects=effects,
        button=_("Да, записать ответ"),
    )


@login_required
@require_POST
def claim_decide(request, pk):
    claim = _claim(request.user, pk)
    if not permissions.is_arbitrator(request.user, claim):
        raise Http404
    form = forms.DecideForm(request.POST, claim=claim)
    return _act(
        request,
        claim,
        form,
        "decide_form",
        lambda data: services.claim_decide(
            claim=claim, amount=data["amount"], reason=data["reason"], user=request.user
        ),
        _("Решение записано: сумма отнесена на ответчика."),
        confirm=lambda data: _decide_confirmation(request.user, claim, data),
    )


def _decide_confirmation(user, claim: Claim, data) -> web.Confirmation | None:
    """What deciding will do; None when the decision will be refused anyway (the claim
    is not the arbitrator's now, or the amount is beyond what is disputed)."""
    if not _actions(user, claim)["can_decide"]:
        return None
    amount = data["amount"]
    if amount is None or amount < 0 or amount > claim.loss_amount:
        return None
    return web.Confirmation(
        title=_("Решить спор по претензии № %(n)s?") % {"n": claim.number},
        details=[
            (_("Истец"), claim.claimant_label),
            (_("Ответчик"), claim.defendant_label),
            (_("Сумма претензии, руб."), rules.format_money(claim.loss_amount)),
            *(
                [(_("Ответчик признал, руб."), rules.format_money(claim.accepted_amount))]
                if claim.accepted_amount
                else []
            ),
            (_("Отнести на ответчика, руб."), rules.format_money(amount)),
            (_("Обоснование решения"), data["reason"]),
        ],
        effects=[
            _(
                "Решение окончательно: претензия закрывается, сумма войдёт во взаимное "
                "погашение месяца «%(period)s»."
            )
            % {"period": claim.period},
            _("Изменить записанное решение нельзя."),
        ],
        button=_("Да, записать решение"),
    )


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = _claim(request.user, pk)
    if not permissions.may_withdraw(request.user, claim):
        raise Http404
    form = forms.WithdrawForm(request.POST)
    return _act(
        request,
        claim,
        form,
        "withdraw_form",
        lambda data: services.claim_withdraw(claim=claim, reason=data["reason"], user=request.user),
        _("Претензия отозвана. Она остаётся в журнале."),
    )


STEPS = {"answer": claim_answer, "decide": claim_decide, "withdraw": claim_withdraw}
"""A claim's steps by the ``step`` its page's forms post."""


@login_required
def document_download(request, pk):
    document = get_object_or_404(selectors.documents_for(request.user), pk=pk)
    if not document.file:
        raise Http404
    # Served as the type its content was proven to be when filed (the stored name's
    # extension), under the user's name with that extension, never sniffed.
    kind = uploads.kind_of_stored(document.file.name)
    fallback = f"document-{document.pk}"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=uploads.download_name(document.file_name, kind, fallback) if kind else fallback,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def claim_pdf(request, pk):
    from .documents import claim_for_document
    from .pdf import render_claim_act

    try:
        claim = claim_for_document(pk, Claim.objects.visible_to(request.user))
    except Claim.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(render_claim_act(claim), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="claim-{claim.number}.pdf"'
    return response


# --- the statement ------------------------------------------------------------------------------


def _statement_form(request):
    user = request.user
    web.allow(user, "claim.statement")
    enterprise = web.current_enterprise(request)
    periods = selectors.periods_of(enterprise)
    shops = selectors.shops_for(user, enterprise)
    plant_wide = permissions.sees_plant(user, enterprise.pk)
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = selectors.latest_settled_period(user, enterprise, periods)
    if not plant_wide and not data.get("shop"):
        first = shops.first()
        data["shop"] = first.pk if first else ""
    form = forms.StatementForm(data, periods=periods, shops=shops, plant_wide=plant_wide)
    return enterprise, form


PAIRS_PER_PAGE = 100
"""Pairs of units the statement page shows at a time (the plant's month of 5,000 claims
has ~3,900 pairs: the PDF lists them all; the page pages them, largest balance first)."""


def _pairs_page(request, pairs: list):
    """The page of ``pairs`` asked for by ``?page=`` (the first one for a bad number)."""
    return Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))


@login_required
def statement(request):
    enterprise, form = _statement_form(request)
    result, query, shop, totals, pairs, rows = None, "", None, {}, None, {}
    if form.is_valid():
        period, shop = form.cleaned_data["period"], form.cleaned_data["shop"]
        result = selectors.statement(enterprise.pk, period, shop, user=request.user)
        query = urlencode({"period": period.pk, "shop": shop.pk if shop else ""})
        totals = {
            name: sum((getattr(unit, name) for unit in result.units), Decimal("0.00"))
            for name in ("credited", "charged", "net")
        }
        pairs = _pairs_page(request, result.pairs)
        rows = {
            "pair_rows": statement_html.pair_rows(pairs),
            "unit_rows": statement_html.unit_rows(result.units),
        }
    return render(
        request,
        "claims/statement.html",
        {
            "form": form,
            "statement": result,
            "shop": shop,
            "query": query,
            "totals": totals,
            "pairs": pairs,
            **rows,
        },
    )


def _extract_sections(user, shop) -> list:
    """The sections a reader who sees part of ``shop`` (a section's master) prints his
    extract of the statement for, with their heads (the extract's signatures)."""
    sections = Section.objects.filter(pk__in=scope_of(user).sections).select_related("shop", "head")
    if shop is not None:
        sections = sections.filter(shop=shop)
    return list(sections.order_by("number"))


@login_required
def statement_pdf(request):
    from .pdf import render_statement

    enterprise, form = _statement_form(request)
    if not form.is_valid():
        raise Http404
    period, shop = form.cleaned_data["period"], form.cleaned_data["shop"]
    result = selectors.statement(enterprise.pk, period, shop, user=request.user)
    if shop is not None:
        shop = selectors.shop_with_head(shop)
    sections = _extract_sections(request.user, shop) if result.partial else []
    pdf = render_statement(result, enterprise=enterprise, shop=shop, sections=sections)
    response = HttpResponse(pdf, content_type="application/pdf")
    where = f"shop-{shop.number}" if shop else "plant"
    response["Content-Disposition"] = (
        f'inline; filename="claims-statement-{period.year}-{period.month:02d}-{where}.pdf"'
    )
    return response


# --- claim types ------------------------------------------------------------------------------


@login_required
def claim_types(request):
    enterprise = web.current_enterprise(request)
    types = []
    for claim_type in selectors.active_types(enterprise):
        rule = rules.LOSS_RULES.get(claim_type.loss_rule)
        types.append({"type": claim_type, "rule": rule})
    admin_url = None
    if can(request.user, "claim_type.edit", enterprise) and can(request.user, "admin.access"):
        admin_url = reverse("admin:claims_claimtype_changelist")
    return render(
        request,
        "claims/claim_types.html",
        {
            "types": types,
            "admin_url": admin_url,
            "can_file": can(request.user, "claim.file"),
            "answer_days": selectors.answer_days(enterprise),
        },
    )
