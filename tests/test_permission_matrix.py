"""Every URL × every role (and anonymous) → the status ``tests/permission_matrix.py`` expects.

A named URL missing from the matrix fails the suite: add a row for it (and decide who
may open it) or, for Django's own admin pages, see ``EXCLUDED_NAMESPACES``.
"""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.pages import plain_rendering
from tests.permission_matrix import (
    BRIGADE_OBJECTS,
    CLAIM_OBJECTS,
    EXCLUDED_NAMESPACES,
    EXCLUDED_ROUTE_PREFIXES,
    INCLUDED_FROM_EXCLUDED,
    ME,
    MULTI_ROLE_MATRIX,
    MULTI_ROLE_USERS,
    PRINCIPALS,
    Pk,
    Redirect,
    all_rows,
    matrix_layers,
    planning_matrices,
    request_data,
    url_args,
)

MATRIX = all_rows()  # the platform's rows and the apps' kept beside their tests
# The groups of objects built on demand (see matrix_layers), in the order rows run.
GROUPS = (BRIGADE_OBJECTS, CLAIM_OBJECTS, *(module.OBJECTS for module in planning_matrices()))


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


def _groups(r) -> tuple:
    """The groups of objects the row names (its object, then the pks of its data), each
    the first group that holds the name — as ``matrix_objects`` builds them."""
    names = [r.obj, *(value.obj for _key, value in r.data if isinstance(value, Pk))]
    groups = []
    for name in names:
        if any(name in group for group in groups):
            continue
        group = next((group for group in GROUPS if name in group), None)
        if group is not None:
            groups.append(group)
    return tuple(groups)


def _order(r) -> tuple:
    return tuple(GROUPS.index(group) for group in _groups(r))


class Layers:
    """The rows' objects, in savepoints above the session's committed world.

    The lower layer holds the objects any row may name; above it, the groups the current
    row names (brigades, claims, plans …), built again only when a row names others (the
    rows run grouped). Each row's own transaction nests above both and is
    rolled back, so each row costs only its requests.
    """

    def __init__(self, world, blocker):
        self.blocker = blocker
        self.atomics = []
        with blocker.unblock():
            self._enter()
            self.base, self.builders = matrix_layers(world)
            # Each principal logged in once, in the lower layer (a login in a row's own
            # transaction would be rolled back with it): a row costs only its requests.
            self.clients = {"anonymous": Client()}
            for role in ROLES:
                self.clients[role] = Client()
                self.clients[role].force_login(world.users[role])
        self.groups = ()
        self.objects = dict(self.base)

    def objects_for(self, r) -> dict:
        groups = _groups(r)
        if groups != self.groups:
            with self.blocker.unblock():
                if self.groups:
                    self._roll_back()
                self.groups, self.objects = (), dict(self.base)
                if groups:
                    self._enter()
                    for group in groups:
                        built = self.builders[group]()
                        assert set(built) == group, set(built) ^ group
                        self.objects.update(built)
                    self.groups = groups
        return self.objects

    def close(self):
        with self.blocker.unblock():
            while self.atomics:
                self._roll_back()

    def _enter(self):
        atomic = transaction.atomic()
        atomic.__enter__()
        self.atomics.append(atomic)

    def _roll_back(self):
        transaction.set_rollback(True)
        self.atomics.pop().__exit__(None, None, None)


@pytest.fixture(scope="module", autouse=True)
def _media(tmp_path_factory):
    """Files the rows' objects store (claim documents, batches) go to a temporary folder."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module", autouse=True)
def _pdf_without_layout():
    """The matrix asks who may open a PDF, not how WeasyPrint lays it out (each document's
    tests do, tests/*/test_pdf.py): the document's template is still rendered with the row's
    data and parsed, and the layout is replaced by one small real PDF (a quarter of the
    matrix's time went into laying out the same documents for every principal)."""
    from weasyprint import HTML

    stub = HTML(string="<p>PDF</p>").write_pdf()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: stub)
        yield


@pytest.fixture(scope="module")
def layers(world_keeper, django_db_blocker):
    world = world_keeper.commit()
    assert world is not None, "the matrix's layers need the committed world"
    layers = Layers(copy.deepcopy(world), django_db_blocker)
    with plain_rendering():  # the rows read statuses and redirects, not response.context
        yield layers
    layers.close()


@pytest.fixture
def objects(request, layers):
    """The objects of the row's layers (set up before the row's own transaction opens)."""
    return layers.objects_for(request.node.callspec.params["r"])


# --- people holding several roles (runs before the layers above are built) -----------------


def _multi_role_user(world, person):
    user = UserFactory(username=person.username)
    for role, unit in person.roles:
        key = "enterprise" if unit == "enterprise" else "section" if len(unit) > 1 else "shop"
        RoleAssignmentFactory(user=user, role=role, **{key: world.units[unit]})
    return user


def test_every_multi_role_user_has_steps():
    assert set(MULTI_ROLE_MATRIX) == {person.username for person in MULTI_ROLE_USERS}
    assert all(len(person.roles) >= 2 for person in MULTI_ROLE_USERS)


@pytest.mark.parametrize("person", MULTI_ROLE_USERS, ids=lambda person: person.username)
def test_a_multi_role_user_does_what_the_matrix_says(world, person):
    base, builders = matrix_layers(world)
    base["enterprise"] = world.enterprise
    base["newcomer account"] = UserFactory(username="newcomer")
    me = _multi_role_user(world, person)
    client = Client()
    client.force_login(me)
    problems = []
    # The steps run grouped by the objects they name (brigades, claims, plans …), each
    # group built in a savepoint rolled back before the next, as the rows' layers are.
    groups, layer, objects = None, None, dict(base)
    for step in MULTI_ROLE_MATRIX[person.username]:
        if _groups(step) != groups:
            if layer is not None:
                transaction.set_rollback(True)
                layer.__exit__(None, None, None)
            groups, layer, objects = _groups(step), transaction.atomic(), dict(base)
            layer.__enter__()
            for group in groups:
                objects.update(builders[group]())
        args = url_args(objects[step.obj]) if step.obj else []
        url = reverse(step.name, args=args)
        data = {
            key: me.pk if value == ME else objects[value.obj].pk if isinstance(value, Pk) else value
            for key, value in step.data
        }
        response = client.get(url, data) if step.method == "GET" else client.post(url, data)
        problem = _mismatch(step.expected, response)
        html = response.status_code == 200 and "html" in response.get("Content-Type", "")
        page = response.content.decode() if html else ""
        missing = [text for text in step.shows if text not in page]
        present = [text for text in step.hides if text in page]
        if missing or present:
            problem = (
                f"{problem or ''} missing on the page: {missing}; there but not to be: {present}"
            )
        if problem is None and step.state is not None and not step.state(objects, me):
            problem = "the state it leaves is not the expected one"
        if problem:
            problems.append(f"{step.what} ({step.method} {url}): {problem}")
    if layer is not None:
        transaction.set_rollback(True)
        layer.__exit__(None, None, None)
    assert not problems, f"{person.username}\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("r", sorted(MATRIX, key=_order), ids=lambda r: r.id)
def test_it_answers_each_principal_as_the_matrix_says(layers, objects, world, r):
    if r.obj is not None:
        assert r.obj in objects, f"the matrix names an unknown object {r.obj!r}"
        url = reverse(r.name, args=url_args(objects[r.obj]))
    else:
        url = reverse(r.name)
    data = request_data(r, objects)
    problems = []
    for principal in PRINCIPALS:
        client = layers.clients[principal]
        # Each principal starts from the same data: a POST by one is rolled back, and so
        # is a session it ends or renews (logging out, the language): its cookies are
        # put back.
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            response = _request(client, r, url, data)
            transaction.set_rollback(True)
        client.cookies = cookies
        problem = _mismatch(r.expected[principal], response)
        if problem:
            problems.append(f"{principal}: {problem}")
    assert not problems, f"{r.id} {url}\n  " + "\n  ".join(problems)
