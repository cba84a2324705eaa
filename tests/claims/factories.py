"""factory-boy factories and small builders for the claims models.

``ClaimTypeFactory`` builds a claim type of its own enterprise (idle-time loss, no required
documents, the head of production arbitrating). ``ClaimFactory`` writes a claim row straight
away — already settled by default — for the reads (statement, inboxes) that need many
claims without walking each through the services: pass the parties as units
(``claimant=shop_a, defendant=section_b1``) and the period. ``party(unit)`` wraps a unit
for ``services.claim_file``; ``upload()`` and ``pdf()`` make uploaded files.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from brigades.models import Brigade
from claims.models import Claim, ClaimType, PartyKind
from claims.services import Party
from enterprise.models import Section, Shop, Worker
from enterprise.models.roles import Role
from tests.factories import EnterpriseFactory, UserFactory


def pdf_bytes(size: int | None = None) -> bytes:
    """A real one-page PDF (pypdf), padded in its content stream to ``size`` bytes."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    def build(padding: int) -> bytes:
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        stream = DecodedStreamObject()
        stream.set_data(b"%" + b"0" * padding + b"\n" if padding else b"")
        page[NameObject("/Contents")] = writer._add_object(stream)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    content = build(0)
    if size is not None:
        padding = max(size - len(content) - 2, 1)
        while len(content := build(padding)) != size:
            padding += size - len(content)
    return content


def image_bytes(format_name: str) -> bytes:
    """A real 8×8 image in Pillow's ``format_name`` (PNG, JPEG, TIFF)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (8, 8), color=200).save(out, format=format_name)
    return out.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
TIFF = image_bytes("TIFF")
# Not what they claim: a PDF's first bytes over an HTML page; a PNG's signature on junk
HTML_AS_PDF = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
JUNK_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32

_KINDS = (
    (Worker, PartyKind.WORKER),
    (Brigade, PartyKind.BRIGADE),
    (Section, PartyKind.SECTION),
    (Shop, PartyKind.SHOP),
)


def kind_of(unit) -> str:
    for model, kind in _KINDS:
        if isinstance(unit, model):
            return kind
    raise TypeError(f"not a party unit: {unit!r}")


def party(unit) -> Party:
    """A shop, section, brigade or worker as one side of a claim."""
    return Party(kind_of(unit), unit)


def upload(name: str = "Листок простоя.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def pdf(name: str = "Листок простоя.pdf") -> SimpleUploadedFile:
    return upload(name, PDF)


class ClaimTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimType

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Вид претензии {n}")
    grounds = "Нарушен срок поставки."
    documents = factory.LazyFunction(list)
    loss_rule = "idle_time"
    arbitrator_role = Role.PRODUCTION_HEAD


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim written directly; ``status`` settled, ``final_amount`` the whole loss.

    ``ClaimFactory(period=october, claimant=shop_a, defendant=shop_b, loss_amount=D("1000"))``;
    ``status=Claim.Status.FILED`` (or ARBITRATION) leaves ``final_amount`` empty.
    """

    class Meta:
        model = Claim

    claimant = None
    defendant = None
    period = None  # required: an open period of the parties' enterprise
    enterprise = factory.LazyAttribute(lambda o: o.period.enterprise)
    number = factory.Sequence(lambda n: n + 1)
    claim_type = factory.SubFactory(
        ClaimTypeFactory, enterprise=factory.SelfAttribute("..enterprise")
    )
    description = "Детали поданы на двое суток позже графика."
    loss_inputs = factory.LazyAttribute(
        lambda o: {"idle_pay": str(o.loss_amount), "overhead_percent": "0"}
    )
    loss_amount = Decimal("1000.00")
    loss_formula = ""
    status = Claim.Status.SETTLED
    final_amount = factory.LazyAttribute(
        lambda o: (
            o.loss_amount if o.status in (Claim.Status.SETTLED, Claim.Status.DECIDED) else None
        )
    )
    filed_by = factory.SubFactory(UserFactory)
    filed_at = factory.LazyFunction(timezone.now)
    answer_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    arbitrator_level = Claim.Level.PLANT
    arbitrator_role = Role.PRODUCTION_HEAD

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        claimant = kwargs.pop("claimant", None)
        defendant = kwargs.pop("defendant", None)
        if claimant is None or defendant is None:
            raise TypeError("ClaimFactory needs claimant= and defendant= units")
        kwargs.update(party(claimant).fields("claimant"))
        kwargs.update(party(defendant).fields("defendant"))
        return kwargs
