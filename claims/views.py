"""Pages of the claims app: the lists and inboxes, filing with the loss calculator, a
claim's page with its route, timeline and the actions the user may take, the documents,
and the period's netting statement.

Thin views: the claim for this user (404 outside scope) → form → service → message →
redirect. Actions a user may not take are, for them, not there (404). No page writes on
GET: unanswered claims past their deadline go to the arbitrator by the periodic job of
``claims.tasks``; until it runs, the pages read them as overdue and the arbitrator's.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprise import web
from enterprise.lists import ScopedListView
from enterprise.models import HistoryRecord, Period, RoleAssignment, Section, Shop, Worker
from enterprise.models.roles import Role
from enterprise.permissions import ACTIONS, can, has_role
from enterprise.scoping import scope_of

from . import forms, rules, selectors, services
from .filtersets import ClaimFilterSet
from .models import Claim, ClaimDocument, ClaimType, PartyKind
from .tables import ClaimTable, is_late

Brigade = Claim._meta.get_field("claimant_brigade").related_model

ARBITRATOR_ROLES = (Role.MASTER, Role.SHOP_HEAD, Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR)


def _claim(user, pk) -> Claim:
    return get_object_or_404(
        selectors.claims_for(user).select_related(
            "enterprise", "answered_by", "decided_by", "arbitrator_shop", "arbitrator_section__shop"
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

    def get_queryset(self):
        return selectors.claims_for(self.request.user)

    def get_create_url(self):
        return reverse("claims:claim_create") if can(self.request.user, "claim.file") else None


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
            # a brigade leader answers for the brigade he leads (services.may_answer)
            "to_answer": can(user, "claim.answer") or can(user, "claim.answer_brigade"),
            "to_decide": has_role(user, *ARBITRATOR_ROLES),
        }
        tabs = []
        for name, label in BOXES.items():
            count = selectors.inbox(user, name).count()
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


def _filing_units(user, enterprise) -> forms.Units:
    """Units the user may file for: his shop, its sections and brigades, their workers."""
    units = forms.Units()
    eid = enterprise.pk

    def may(shop_id, section_id=None):
        return can(user, "claim.file", services.UnitRef(eid, shop_id, section_id))

    for shop in Shop.objects.filter(enterprise=enterprise):
        if may(shop.pk):
            units.add(PartyKind.SHOP, shop)
    sections = [
        s
        for s in Section.objects.filter(shop__enterprise=enterprise).select_related("shop")
        if may(s.shop_id, s.pk)
    ]
    for section in sections:
        units.add(PartyKind.SECTION, section)
    for brigade in _brigades(enterprise).filter(section__in=sections):
        units.add(PartyKind.BRIGADE, brigade)
    for worker in _workers(sections):
        units.add(PartyKind.WORKER, worker)
    return units


def _defendant_units(enterprise, claimants: forms.Units) -> forms.Units:
    """Any shop, section or brigade of the plant; workers of the filer's own sections."""
    units = forms.Units()
    for shop in Shop.objects.filter(enterprise=enterprise):
        units.add(PartyKind.SHOP, shop)
    for section in Section.objects.filter(shop__enterprise=enterprise).select_related("shop"):
        units.add(PartyKind.SECTION, section)
    for brigade in _brigades(enterprise):
        units.add(PartyKind.BRIGADE, brigade)
    sections = [unit for kind, unit in claimants.items.values() if kind == PartyKind.SECTION]
    for worker in _workers(sections):
        units.add(PartyKind.WORKER, worker)
    return units


def _brigades(enterprise):
    today = timezone.localdate()
    return (
        Brigade.objects.filter(enterprise=enterprise)
        .filter(Q(disbanded_on__isnull=True) | Q(disbanded_on__gte=today))
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "number")
    )


def _workers(sections):
    return (
        Worker.objects.filter(section__in=sections)
        .active()
        .select_related("section__shop")
        .order_by("section__shop__number", "section__number", "last_name", "first_name")
    )


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
    claimants = _filing_units(user, enterprise)
    if not claimants:
        raise Http404
    options = {
        "periods": Period.objects.filter(enterprise=enterprise, status=Period.Status.OPEN).order_by(
            "year", "month"
        ),
        "types": ClaimType.objects.filter(enterprise=enterprise, active=True),
        "claimants": claimants,
        "defendants": _defendant_units(enterprise, claimants),
    }
    preview = None
    if request.method == "POST":
        form = forms.ClaimForm(request.POST, request.FILES, **options)
        valid = form.is_valid()
        if "preview" in request.POST:
            form.drop_missing_value_errors()
            preview = _preview(form)
        elif valid:
            token = form.cleaned_data["submission"]
            earlier = (
                Claim.objects.filter(filed_by=user, submission=token).first() if token else None
            )
            if earlier is not None:
                messages.info(request, _("Эта претензия уже подана."))
                return redirect(earlier)
            claimant, defendant = form.parties()
            try:
                claim = services.claim_file(
                    period=form.cleaned_data["period"],
                    claim_type=form.cleaned_data["claim_type"],
                    claimant=claimant,
                    defendant=defendant,
                    description=form.cleaned_data["description"],
                    loss_inputs=form.loss_inputs(),
                    documents=form.documents(),
                    user=user,
                    submission=token,
                )
            except ValidationError as error:
                form.service_errors(error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _("Претензия № %(n)s подана. Ответчик должен ответить до %(due)s.")
                    % {"n": claim.number, "due": claim.answer_due.strftime("%d.%m.%Y")},
                )
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
                "submission": uuid.uuid4().hex,
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
    return [
        {
            "type": claim_type,
            "form": forms.ClaimForm(
                periods=Period.objects.none(),
                types=ClaimType.objects.none(),
                claimants=forms.Units(),
                defendants=forms.Units(),
                chosen_type=claim_type,
            ),
        }
        for claim_type in types
    ]


# --- a claim --------------------------------------------------------------------------------


def _actions(user, claim: Claim) -> dict:
    if claim.period.is_closed:  # a closed month's claims do not change
        return {"can_answer": False, "can_decide": False, "can_withdraw": False}
    overdue = claim.is_overdue(timezone.localdate())  # the arbitrator's, job run or not
    return {
        "can_answer": claim.status == Claim.Status.FILED
        and not overdue
        and services.may_answer(user, claim),
        "can_decide": (claim.status == Claim.Status.ARBITRATION or overdue)
        and services.is_arbitrator(user, claim),
        "can_withdraw": claim.is_open and _may_withdraw(user, claim),
    }


def _may_withdraw(user, claim: Claim) -> bool:
    return claim.filed_by_id == user.pk or can(
        user, "claim.withdraw", services.side_ref(claim, "claimant")
    )


def _loss(claim: Claim) -> tuple[list, rules.Loss | None]:
    """The rule's inputs with their labels, and the loss recomputed from them (its parts)."""
    rule = rules.LOSS_RULES.get(claim.claim_type.loss_rule)
    if rule is None:
        return [], None
    values, inputs = {}, []
    for spec in rule.inputs:
        raw = claim.loss_inputs.get(spec.name)
        try:
            values[spec.name] = Decimal(raw)
        except (InvalidOperation, TypeError):
            continue
        shown = (
            rules.format_percent(values[spec.name])
            if spec.kind == "percent"
            else rules.format_money(values[spec.name])
        )
        inputs.append((spec.label, shown))
    try:
        loss = rules.compute_loss(rule.code, values)
    except rules.LossInputError:
        loss = None
    return inputs, loss


def _route(claim: Claim) -> dict:
    """Who arbitrates and, when it is not the level the parties share, why it moved up."""
    natural = rules.arbitrator_level(claim.unit("claimant"), claim.unit("defendant"))
    role_label = Role(claim.arbitrator_role).label if claim.arbitrator_role in Role.values else ""
    holders = RoleAssignment.objects.current().filter(
        role=claim.arbitrator_role, enterprise_id=claim.enterprise_id
    )
    if claim.arbitrator_level == Claim.Level.SECTION and claim.arbitrator_section_id:
        unit = claim.arbitrator_section
        holders = holders.filter(section_id=claim.arbitrator_section_id)
    elif claim.arbitrator_level == Claim.Level.SHOP and claim.arbitrator_shop_id:
        unit = claim.arbitrator_shop
        holders = holders.filter(shop_id=claim.arbitrator_shop_id, section__isnull=True)
    else:
        unit = claim.enterprise
        holders = holders.filter(shop__isnull=True, section__isnull=True)
    holders = holders.exclude(user_id=claim.filed_by_id).select_related("user").order_by("pk")
    people = [assignment.user for assignment in holders]
    moved = ""
    if claim.arbitrator_level != natural or (
        natural == Claim.Level.PLANT and claim.arbitrator_role != claim.claim_type.arbitrator_role
    ):
        moved = services.route(claim, claim.claim_type, claim.filed_by).moved_up_because
    return {
        "level": claim.get_arbitrator_level_display(),
        "natural": Claim.Level(natural).label,
        "role": role_label,
        "unit": unit,
        "people": people,
        "moved_up_because": moved,
    }


def _withdrawal(claim: Claim) -> HistoryRecord | None:
    if claim.status != Claim.Status.WITHDRAWN:
        return None
    records = HistoryRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Claim),
        object_pk=str(claim.pk),
        action=HistoryRecord.Action.UPDATE,
    ).select_related("actor")
    for record in records.order_by("-at", "-id"):
        status = record.changes.get("status")
        if status and status[-1] == Claim.Status.WITHDRAWN:
            return record
    return None


def _detail_context(request, claim: Claim, **bound) -> dict:
    user = request.user
    actions = _actions(user, claim)
    today = timezone.localdate()
    inputs, loss = _loss(claim)
    context = {
        "claim": claim,
        **actions,
        "overdue": is_late(claim, today),
        "days_left": (claim.answer_due - today).days,
        "documents": list(claim.documents.all()),
        "inputs": inputs,
        "loss": loss,
        "route": _route(claim),
        "withdrawal": _withdrawal(claim),
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
    claim = _claim(request.user, pk)
    return render(request, "claims/claim_detail.html", _detail_context(request, claim))


def _act(request, claim, form, key: str, call, success: str):
    """Run a lifecycle step. A refused value goes next to its field (the page again); a
    claim someone else changed meanwhile, or a closed month, is a message on the page."""
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
    if not services.may_answer(request.user, claim):
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
    )


@login_required
@require_POST
def claim_decide(request, pk):
    claim = _claim(request.user, pk)
    if not services.is_arbitrator(request.user, claim):
        raise Http404
    form = forms.DecideForm(request.POST)
    return _act(
        request,
        claim,
        form,
        "decide_form",
        lambda data: services.claim_decide(
            claim=claim, amount=data["amount"], reason=data["reason"], user=request.user
        ),
        _("Решение записано: сумма отнесена на ответчика."),
    )


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = _claim(request.user, pk)
    if not _may_withdraw(request.user, claim):
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


@login_required
def document_download(request, pk):
    document = get_object_or_404(
        ClaimDocument.objects.filter(claim__in=Claim.objects.visible_to(request.user)), pk=pk
    )
    if not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name or f"document-{document.pk}",
        content_type=document.content_type or "application/octet-stream",
    )


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


def _plant_wide(user, enterprise_id: int) -> bool:
    """Does the user see claims for the whole plant (an enterprise-level role)?"""
    scope = scope_of(user)
    if scope.everything:
        return True
    roles = ACTIONS["claim.statement"]
    return any(
        g.role in roles and g.enterprise_id == enterprise_id and not g.shop_id and not g.section_id
        for g in scope.grants
    )


def _statement_form(request):
    user = request.user
    web.allow(user, "claim.statement")
    enterprise = web.current_enterprise(request)
    periods = Period.objects.filter(enterprise=enterprise).order_by("-year", "-month")
    shops = Shop.objects.visible_to(user).filter(enterprise=enterprise)
    plant_wide = _plant_wide(user, enterprise.pk)
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = _latest_settled_period(user, enterprise, periods)
    if not plant_wide and not data.get("shop"):
        first = shops.first()
        data["shop"] = first.pk if first else ""
    form = forms.StatementForm(data, periods=periods, shops=shops, plant_wide=plant_wide)
    return enterprise, form


def _latest_settled_period(user, enterprise, periods):
    """The last month with finished claims the user sees, else the current month."""
    last = (
        selectors.claims_for(user)
        .filter(enterprise=enterprise, status__in=selectors.FINAL)
        .order_by("-period__year", "-period__month")
        .values_list("period_id", flat=True)
        .first()
    )
    if last is not None:
        return last
    today = timezone.localdate()
    current = periods.filter(year=today.year, month=today.month).first() or periods.first()
    return current.pk if current else ""


@login_required
def statement(request):
    enterprise, form = _statement_form(request)
    result, query, shop, totals = None, "", None, {}
    if form.is_valid():
        period, shop = form.cleaned_data["period"], form.cleaned_data["shop"]
        result = selectors.statement(enterprise.pk, period, shop)
        query = urlencode({"period": period.pk, "shop": shop.pk if shop else ""})
        totals = {
            name: sum((getattr(unit, name) for unit in result.units), Decimal("0.00"))
            for name in ("credited", "charged", "net")
        }
    return render(
        request,
        "claims/statement.html",
        {"form": form, "statement": result, "shop": shop, "query": query, "totals": totals},
    )


@login_required
def statement_pdf(request):
    from .pdf import render_statement

    enterprise, form = _statement_form(request)
    if not form.is_valid():
        raise Http404
    period, shop = form.cleaned_data["period"], form.cleaned_data["shop"]
    result = selectors.statement(enterprise.pk, period, shop)
    if shop is not None:
        shop = Shop.objects.select_related("head").get(pk=shop.pk)
    pdf = render_statement(result, enterprise=enterprise, shop=shop)
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
    for claim_type in ClaimType.objects.filter(enterprise=enterprise, active=True):
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
            "answer_days": services.ClaimSettings.of(enterprise.pk).answer_days,
        },
    )
