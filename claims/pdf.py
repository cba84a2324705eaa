"""The claims' printed documents: the claim act and the period's netting statement.

Each is one template under ``templates/claims/pdf/`` rendered from data loaded before:
the act from a claim of :func:`claims.documents.claim_for_document`, the statement from
:func:`claims.selectors.statement`. The PDF code itself runs no queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from enterprise.models import Enterprise, Section, Shop
from enterprise.models.roles import Role
from enterprise.money import ZERO
from enterprise.pdf import SignatureTable, render_pdf

from . import rules
from .models import Claim, PartyKind
from .selectors import Statement

ACT_TEMPLATE = "claims/pdf/act.html"
STATEMENT_TEMPLATE = "claims/pdf/statement.html"
# The house style of printed documents, then the claims' own rules (a portrait act).
STYLESHEETS = ("css/pdf.css", "css/pdf-claims.css")


def _pdf(template: str, context: dict) -> bytes:
    return render_pdf(template, context, STYLESHEETS)


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# --- the claim act -------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    caption: str
    note: str
    name: str


def _loss_parts(claim: Claim) -> tuple[str, list[tuple[str, Decimal]]]:
    """The loss rule's label and the parts of the amount, recomputed from the stored inputs.

    The stored formula is what was filed; the parts are the same rule on the same inputs.
    Inputs the rule no longer takes leave the parts out (the formula still shows).
    """
    rule = rules.LOSS_RULES.get(claim.claim_type.loss_rule)
    if rule is None:
        return claim.claim_type.loss_rule, []
    try:
        inputs = {name: Decimal(value) for name, value in claim.loss_inputs.items()}
        loss = rules.compute_loss(rule.code, inputs)
    except (ArithmeticError, TypeError, ValueError, AttributeError):
        return rule.label, []
    return rule.label, list(loss.parts)


def _head(claim: Claim, side: str):
    """The head of a party's unit: its section's master, else its shop's head."""
    section = getattr(claim, f"{side}_section")
    if section is not None and section.head_id:
        return section.head
    return getattr(claim, f"{side}_shop").head


def party_detail(claim: Claim, side: str) -> str:
    """The names behind a party's label: «Токарный», цех «Механический»."""
    kind, unit = getattr(claim, f"{side}_kind"), claim.party(side)
    shop = getattr(claim, f"{side}_shop")
    if kind == PartyKind.SHOP:
        return f"«{shop.name}»"
    section = getattr(claim, f"{side}_section")
    if section is None:  # a worker or brigade attached to the shop itself
        where = _("цех «%(shop)s»") % {"shop": shop.name}
    elif kind == PartyKind.SECTION:
        return _("«%(section)s», цех «%(shop)s»") % {"section": section.name, "shop": shop.name}
    else:
        where = _("участок «%(section)s», цех «%(shop)s»") % {
            "section": section.name,
            "shop": shop.name,
        }
    if kind == PartyKind.BRIGADE:
        return f"«{unit.name}», {where}"
    return _("таб. № %(n)s, %(where)s") % {"n": unit.personnel_number, "where": where}


def arbitrator_label(claim: Claim) -> str:
    """Who arbitrates, by post: the master of a section, a shop's head, the plant's manager."""
    if claim.arbitrator_level == Claim.Level.SECTION and claim.arbitrator_section is not None:
        section = claim.arbitrator_section
        return _("мастер (начальник) участка № %(n)s цеха № %(shop)s") % {
            "n": section.number,
            "shop": section.shop.number,
        }
    if claim.arbitrator_level == Claim.Level.SHOP and claim.arbitrator_shop is not None:
        return _("начальник цеха № %(n)s") % {"n": claim.arbitrator_shop.number}
    return str(Role(claim.arbitrator_role).label) if claim.arbitrator_role else ""


def _act_signatures(claim: Claim) -> list[Signature]:
    if claim.answered_by is not None:
        defendant, note = claim.answered_by, _("ответил на претензию")
    else:
        defendant, note = _head(claim, "defendant"), _("руководитель подразделения-ответчика")
    return [
        Signature(_("От истца"), _("подал претензию"), _name(claim.filed_by)),
        Signature(_("От ответчика"), note, _name(defendant)),
        Signature(_("Арбитр"), arbitrator_label(claim), _name(claim.decided_by)),
    ]


def render_claim_act(claim: Claim) -> bytes:
    """The claim act as PDF bytes (A4 portrait), in the active language (Russian by default).

    ``claim`` must come loaded with everything the act shows — the parties with their
    sections, shops and heads, the people of each step, the documents:
    :func:`claims.documents.claim_for_document` loads it so.
    """
    rule_label, parts = _loss_parts(claim)
    today = timezone.localdate()
    context = {
        "claim": claim,
        "documents": list(claim.documents.all()),
        "rule_label": rule_label,
        "parts": parts,
        "arbitrator": arbitrator_label(claim),
        "claimant_detail": party_detail(claim, "claimant"),
        "defendant_detail": party_detail(claim, "defendant"),
        "is_open": claim.is_open,
        "overdue": claim.is_overdue(today),
        "awaits_decision": claim.status == Claim.Status.ARBITRATION,
        "signatures": _act_signatures(claim),
    }
    return _pdf(ACT_TEMPLATE, context)


# --- the netting statement -----------------------------------------------------------------


def _signed(amount: Decimal) -> str:
    """A result's change with its sign: +76,05, −142,00, 0,00."""
    return ("+" if amount > 0 else "") + rules.format_money(amount)


def _cached_head(shop: Shop | None):
    """The shop's head if the caller loaded him (``select_related("head")``), else None.

    Without him the line is left for a hand-written name rather than run a query.
    """
    if shop is None or not shop.head_id:
        return None
    if not Shop._meta.get_field("head").is_cached(shop):
        return None
    return shop.head


def render_statement(
    statement: Statement,
    *,
    enterprise: Enterprise,
    shop: Shop | None = None,
    sections: Sequence[Section] = (),
) -> bytes:
    """The period's netting statement as PDF bytes (A4 landscape), for the plant or a shop.

    ``statement`` is :func:`claims.selectors.statement` for the same enterprise, period
    and shop. The shop head's name is printed when ``shop`` comes with its head loaded.
    A statement of a reader who sees part of the shop (``statement.partial``: a section's
    master) prints as an extract for his ``sections`` (with their heads loaded), signed
    for the section, not as the shop's statement.
    """
    units = statement.units
    credited = sum((u.credited for u in units), ZERO)
    charged = sum((u.charged for u in units), ZERO)
    net = sum((u.net for u in units), ZERO)
    balances = sum((p.balance for p in statement.pairs), ZERO)
    context = {
        "statement": statement,
        "unit_rows": [(unit, _signed(unit.net)) for unit in units],
        "period": statement.period,
        "enterprise": enterprise,
        "shop": shop,
        "pairs": statement.pairs,
        "units": units,
        "credited": credited,
        "charged": charged,
        "net": _signed(net),
        "balances": balances,
        "offsets": statement.offset_total,
        "checks_out": credited == charged == statement.total and net == ZERO,
        "extract": statement.partial,
        "sections": sections,
        "signature_tables": _statement_signatures(shop, sections),
    }
    return _pdf(STATEMENT_TEMPLATE, context)


def _statement_signatures(shop: Shop | None, sections: Sequence[Section]) -> list[SignatureTable]:
    """Who signs the statement: an extract for sections, their masters and the shop's
    economist; a shop's, its economist and head; the plant's, the planning department's
    economist and the deputy director."""
    if sections:
        numbered = len(sections) > 1
        masters = [
            (
                _("Начальник участка (мастер)") + (f" · № {section.number}" if numbered else ""),
                _name(section.head),
            )
            for section in sections
        ]
        return [SignatureTable(masters), SignatureTable([(_("Экономист цеха"), "")])]
    if shop:
        return [
            SignatureTable([(_("Экономист цеха"), "")]),
            SignatureTable([(_("Начальник цеха"), _name(_cached_head(shop)))]),
        ]
    return [
        SignatureTable([(_("Экономист планово-экономического отдела"), "")]),
        SignatureTable([(_("Заместитель директора"), "")]),
    ]
