"""``object_url`` writes the address ``reverse`` would, for every row's page."""

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from enterprise.links import fixed_url, object_url

# The pages rows link to (``get_absolute_url`` of every model that has one).
ROUTES = [
    "brigades:distribution_detail",
    "brigades:brigade_detail",
    "planning:plan_detail",
    "planning:print_detail",
    "planning:measure_detail",
    "planning:part_detail",
    "enterprise:shop_detail",
    "enterprise:section_detail",
    "enterprise:worker_detail",
    "enterprise:scale_detail",
    "enterprise:period_detail",
    "meetings:proposal_detail",
    "meetings:meeting_detail",
    "meetings:commission_detail",
    "claims:claim_detail",
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("pk", [1, 7, 2147480009, 99999999999])
def test_same_address_as_reverse(route, pk):
    assert object_url(route, pk) == reverse(route, args=[pk])
    assert object_url(route, str(pk)) == reverse(route, args=[pk])


def test_every_model_link_is_a_listed_route():
    """A model whose rows link to their page names one of the routes above, and the link is
    the one ``reverse`` gives."""
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url") or model._meta.app_label in ("auth", "admin"):
            continue
        row = model(pk=41)
        url = row.get_absolute_url()
        assert url.rstrip("/").endswith("/41"), (model, url)
        assert any(url == reverse(route, args=[41]) for route in ROUTES), (model, url)


def test_script_prefix_is_kept_apart():
    """Mounted under a prefix, the address carries it; back at the root, it does not."""
    plain = object_url("claims:claim_detail", 5)
    set_script_prefix("/khz/")
    try:
        prefixed = object_url("claims:claim_detail", 5)
        assert prefixed == reverse("claims:claim_detail", args=[5])
        assert prefixed == "/khz" + plain
    finally:
        clear_script_prefix()
    assert object_url("claims:claim_detail", 5) == plain


def _view(request, pk):  # pragma: no cover - never called
    raise AssertionError


urlpatterns = [
    path("other/<int:pk>/page/", _view, name="thing"),
    path("code/<str:code>/", _view, name="code"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_another_urlconf_gets_its_own_addresses():
    assert object_url("thing", 12) == "/other/12/page/"
    assert object_url("code", 12) == "/code/12/"


def test_no_id_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        object_url("claims:claim_detail", None)


def test_a_fixed_address_is_reverse_s_and_none_when_there_is_no_route():
    assert fixed_url("admin:app_list", current_app="admin", app_label="claims") == reverse(
        "admin:app_list", kwargs={"app_label": "claims"}
    )
    assert fixed_url("admin:claims_claim_changelist") == reverse("admin:claims_claim_changelist")
    assert fixed_url("admin:no_such_page") is None
    set_script_prefix("/khz/")
    try:
        assert fixed_url("admin:claims_claim_changelist").startswith("/khz/")
    finally:
        clear_script_prefix()
    assert not fixed_url("admin:claims_claim_changelist").startswith("/khz/")
