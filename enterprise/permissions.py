"""What a user may do: actions checked on the server against roles and their units.

Visibility of rows is :mod:`enterprise.scoping`; this module answers "may this user do
that to this object". An action names the roles allowed; the user must hold one of
them now, scoped to a unit that covers the object (an enterprise-wide role covers
everything of its enterprise, a shop role its sections and workers, a section role its
workers). Templates ask the same function, so what is shown and what is allowed agree.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .models.roles import Role
from .scoping import Grant, scope_of

R = Role

# action -> roles that may perform it (each within its own unit)
ACTIONS: dict[str, frozenset[str]] = {
    "structure.edit": frozenset({R.ADMINISTRATOR}),
    "worker.edit": frozenset({R.ADMINISTRATOR, R.LABOUR}),
    "tariff.edit": frozenset({R.LABOUR, R.ADMINISTRATOR}),
    "scale.edit": frozenset({R.LABOUR}),
    "period.close": frozenset({R.LABOUR, R.ADMINISTRATOR, R.DEPUTY_DIRECTOR}),
    "period.request_reopen": frozenset(
        {R.LABOUR, R.ADMINISTRATOR, R.DEPUTY_DIRECTOR, R.ECONOMIST, R.SHOP_HEAD}
    ),
    "period.decide_reopen": frozenset({R.DEPUTY_DIRECTOR, R.ADMINISTRATOR}),
    "admin.access": frozenset({R.ADMINISTRATOR, R.LABOUR}),
    # the log of grants and revocations of roles, for the director's review
    "roles.review": frozenset({R.DEPUTY_DIRECTOR, R.ADMINISTRATOR}),
    "history.view": frozenset(
        {
            R.MASTER,
            R.SHOP_HEAD,
            R.ECONOMIST,
            R.LABOUR,
            R.PRODUCTION_HEAD,
            R.DEPUTY_DIRECTOR,
            R.ADMINISTRATOR,
            R.DISPATCHER,
        }
    ),
}

# The platform's own actions; apps add theirs with register_actions().
ENTERPRISE_ACTIONS = frozenset(ACTIONS)

# Django model permissions the admin checks, per role (the admin is the back office's).
_REFERENCE = ("enterprise", "shop", "section", "profession", "worker", "paycondition")
ROLE_MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    R.ADMINISTRATOR: frozenset(
        [f"enterprise.{verb}_{model}" for model in _REFERENCE for verb in ("add", "change", "view")]
        + [f"enterprise.delete_{model}" for model in ("profession", "paycondition")]
        + [f"enterprise.{verb}_tariffrate" for verb in ("add", "change", "view", "delete")]
        + [f"enterprise.{verb}_roleassignment" for verb in ("add", "change", "view", "delete")]
        + ["enterprise.view_period", "enterprise.view_stepscale", "enterprise.view_historyrecord"]
        + [f"auth.{verb}_user" for verb in ("add", "change", "view")]
        # login locks (django-axes): seen, and lifted by deleting the attempt
        + ["axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog"]
        + ["axes.view_accessfailurelog"]
    ),
    R.LABOUR: frozenset(
        [f"enterprise.{verb}_tariffrate" for verb in ("add", "change", "view", "delete")]
        + [f"enterprise.{verb}_paycondition" for verb in ("add", "change", "view")]
        + [f"enterprise.{verb}_stepscale" for verb in ("add", "change", "view", "delete")]
        + [f"enterprise.{verb}_stepscalerow" for verb in ("add", "change", "view", "delete")]
        + ["enterprise.change_worker", "enterprise.view_worker", "enterprise.view_period"]
    ),
}


def _covers(grant: Grant, obj) -> bool:
    """Does a grant's unit cover ``obj`` (None: any object of the user's units)?"""
    if obj is None:
        return True
    enterprise_id, shop_id, section_id = unit_of(obj)
    if grant.enterprise_id != enterprise_id:
        return False
    if shop_id is None and section_id is None:
        # An enterprise-wide object (a month, the tariff grid) is every unit's concern;
        # which roles may act on it is the action's list.
        return True
    if grant.section_id:
        return section_id == grant.section_id
    if grant.shop_id:
        return shop_id == grant.shop_id
    return True


def unit_of(obj) -> tuple[int | None, int | None, int | None]:
    """(enterprise, shop, section) ids an object belongs to, as far as they apply."""
    if hasattr(obj, "scope_unit"):
        return obj.scope_unit()
    from .models import Enterprise, Section, Shop, Worker

    if isinstance(obj, Enterprise):
        return obj.pk, None, None
    if isinstance(obj, Worker):
        return obj.enterprise_id, obj.section.shop_id, obj.section_id
    if isinstance(obj, Section):
        return obj.shop.enterprise_id, obj.shop_id, obj.id
    if isinstance(obj, Shop):
        return obj.enterprise_id, obj.id, None
    return getattr(obj, "enterprise_id", None), None, None


def can(user, action: str, obj=None) -> bool:
    """May ``user`` perform ``action`` on ``obj`` now?"""
    roles = ACTIONS[action]
    scope = scope_of(user)
    if scope.everything:
        return True
    return any(
        grant.role in roles and _covers(grant, obj) and _permits(obj, user, grant.role)
        for grant in scope.grants
    )


def _permits(obj, user, role: str) -> bool:
    """An object may narrow a role further (a brigade leader: his own brigade only)."""
    permits = getattr(obj, "permits", None)
    return permits is None or permits(user, role)


def register_model_permissions(permissions: dict[str, frozenset[str]]) -> None:
    """Apps add the admin's model permissions of their roles here (in ``ready()``)."""
    for role, names in permissions.items():
        ROLE_MODEL_PERMISSIONS[role] = ROLE_MODEL_PERMISSIONS.get(role, frozenset()) | names


def register_actions(actions: dict[str, frozenset[str]]) -> None:
    """Apps to the right of ``enterprise`` add their actions here (in ``ready()``)."""
    clash = set(actions) & set(ACTIONS)
    if clash and any(ACTIONS[name] != actions[name] for name in clash):
        raise ValueError(f"actions registered twice with different roles: {sorted(clash)}")
    ACTIONS.update(actions)


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def has_role(user, *roles: str) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles.intersection(roles))


class RoleBackend(ModelBackend):
    """Authenticates like Django's and grants model permissions from current roles."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        permissions = set(super().get_all_permissions(user_obj))
        for role in scope_of(user_obj).roles:
            permissions |= ROLE_MODEL_PERMISSIONS.get(role, frozenset())
        return permissions
