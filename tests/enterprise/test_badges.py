"""``{% status_badge %}`` and the models' status colours and method flags."""

import pytest
from django.template import Context, Template

from brigades.models import Brigade, Distribution
from claims.models import Claim


def render(obj, args: str = "") -> str:
    template = Template("{% load badges %}{% status_badge obj " + args + " %}")
    return template.render(Context({"obj": obj}))


@pytest.mark.parametrize(
    ("status", "colour"),
    [("draft", "secondary"), ("agreed", "info"), ("approved", "success")],
)
def test_it_colours_a_distribution_by_its_status(status, colour):
    html = render(Distribution(status=status))
    assert f'class="badge text-bg-{colour}"' in html
    assert 'data-testid="status"' in html


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        ("filed", "warning"),
        ("arbitration", "info"),
        ("settled", "success"),
        ("decided", "success"),
        ("withdrawn", "secondary"),
    ],
)
def test_it_colours_a_claim_by_its_status_with_extra_classes(status, colour):
    html = render(Claim(status=status), '"fs-6"')
    assert f'class="badge text-bg-{colour} fs-6"' in html
    assert str(Claim.Status(status).label) in html


def test_it_leaves_out_the_test_id_when_asked():
    assert "data-testid" not in render(Claim(status="filed"), 'testid=""')


def test_it_names_the_distribution_methods_instead_of_letters():
    ktu = Distribution(method=Brigade.Method.KTU)
    output = Distribution(method=Brigade.Method.OUTPUT)
    tariff = Distribution(method=Brigade.Method.TARIFF)
    assert (ktu.splits_by_ktu, ktu.splits_by_output) == (True, False)
    assert (output.splits_by_ktu, output.splits_by_output) == (False, True)
    assert (tariff.splits_by_ktu, tariff.splits_by_output) == (False, False)
