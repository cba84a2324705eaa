"""Every URL × every role (and anonymous) → the status ``tests/permission_matrix.py`` expects.

A named URL missing from the matrix fails the suite: add a row for it (and decide who
may open it) or, for Django's own admin pages, see ``EXCLUDED_NAMESPACES``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES
from tests.permission_matrix import (
    EXCLUDED_NAMESPACES,
    EXCLUDED_ROUTE_PREFIXES,
    INCLUDED_FROM_EXCLUDED,
    PRINCIPALS,
    Redirect,
    all_rows,
    matrix_objects,
    request_data,
    url_args,
)

MATRIX = all_rows()  # the platform's rows and the apps' kept beside their tests


def _patterns(resolver=None, namespace=None, prefix=""):
    """(full name or None, route) of every pattern, namespaces joined with ':'."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            joined = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(pattern, joined, route)
        elif isinstance(pattern, URLPattern):
            name = None
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route


def _excluded(name, route) -> bool:
    if name in INCLUDED_FROM_EXCLUDED:
        return False
    if route.startswith(EXCLUDED_ROUTE_PREFIXES):
        return True
    if name is None:
        return route.startswith("admin/")
    return name.split(":")[0] in EXCLUDED_NAMESPACES


def _project_urls() -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for name, route in _patterns():
        if not _excluded(name, route):
            found.setdefault(name, []).append(route)
    return found


def _takes_pk(name: str) -> bool:
    return any("<" in route for route in _project_urls().get(name, []))


# --- the matrix is complete and well-formed ------------------------------------------------


def test_it_lists_every_named_url_of_the_project():
    urls = _project_urls()
    unnamed = urls.pop(None, [])
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    in_matrix = {row.name for row in MATRIX}
    missing = sorted(set(urls) - in_matrix)
    assert not missing, (
        f"named URLs missing from tests/permission_matrix.py: {missing} — add a row "
        "saying which status anonymous and each role get"
    )


def test_it_lists_no_url_that_no_longer_exists():
    stale = sorted({row.name for row in MATRIX} - set(_project_urls()))
    assert not stale, f"rows for URLs that do not exist: {stale}"


def test_it_has_a_column_for_anonymous_and_every_role():
    assert PRINCIPALS[0] == "anonymous"
    assert set(PRINCIPALS[1:]) == set(ROLES)


def test_it_gives_every_url_that_takes_an_object_a_row_of_an_object_out_of_reach():
    # Scope is part of the matrix: each detail/action URL is also requested for an
    # object of the other plant, which nobody of this plant may reach.
    for name in {row.name for row in MATRIX if _takes_pk(row.name)}:
        if name.startswith("admin:"):
            continue
        rows = [r for r in MATRIX if r.name == name and r.obj and "other plant" in r.obj]
        assert rows, f"{name}: no row for an object of the other plant"
        for r in rows:
            assert all(r.expected[role] in (404, 405) for role in ROLES), r.id


def test_it_names_an_object_exactly_for_the_urls_that_take_one():
    for r in MATRIX:
        assert bool(r.obj) == _takes_pk(r.name), r.id


# --- every row, as every principal ---------------------------------------------------------


def _request(client, r, url, data):
    if r.method == "GET":
        return client.get(url, data)
    if r.method == "POST":
        return client.post(url, data)
    raise AssertionError(f"unknown method {r.method}")


def _mismatch(expected, response) -> str | None:
    status = response.status_code
    if isinstance(expected, Redirect):
        if status != 302:
            return f"expected {expected}, got {status}"
        location = urlsplit(response["Location"]).path
        if expected.to is None:
            if location == reverse("login"):
                return f"expected {expected}, got a redirect to the login page"
            return None
        if location != reverse(expected.to):
            return f"expected {expected}, got 302→{location}"
        return None
    if status != expected:
        where = f"→{response['Location']}" if status == 302 else ""
        return f"expected {expected}, got {status}{where}"
    return None


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files the rows' objects store (claim documents) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("r", MATRIX, ids=lambda r: r.id)
def test_it_answers_each_principal_as_the_matrix_says(world, r):
    objects = matrix_objects(world)
    if r.obj is not None:
        assert r.obj in objects, f"the matrix names an unknown object {r.obj!r}"
        url = reverse(r.name, args=url_args(objects[r.obj]))
    else:
        url = reverse(r.name)
    data = request_data(r, objects)
    problems = []
    for principal in PRINCIPALS:
        client = Client()
        # Each principal starts from the same data: a POST by one is rolled back.
        with transaction.atomic():
            if principal != "anonymous":
                client.force_login(world.users[principal])
            response = _request(client, r, url, data)
            transaction.set_rollback(True)
        problem = _mismatch(r.expected[principal], response)
        if problem:
            problems.append(f"{principal}: {problem}")
    assert not problems, f"{r.id} {url}\n  " + "\n  ".join(problems)
