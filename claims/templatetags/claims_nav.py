"""The «Претензии» menu: which of its items the user's roles allow (no queries: the
user's scope is already cached for the request)."""

from django import template

from enterprise.models.roles import Role
from enterprise.permissions import can, has_role

register = template.Library()


@register.simple_tag
def claims_menu(user) -> dict:
    return {
        "file": can(user, "claim.file"),
        "answer": can(user, "claim.answer") or can(user, "claim.answer_brigade"),
        "decide": has_role(
            user, Role.MASTER, Role.SHOP_HEAD, Role.PRODUCTION_HEAD, Role.DEPUTY_DIRECTOR
        ),
        "statement": can(user, "claim.statement"),
        "types_admin": can(user, "claim_type.edit") and can(user, "admin.access"),
    }
