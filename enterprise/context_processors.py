"""Template context shared by every page: the navigation the user's roles allow."""

from .models.roles import Role
from .permissions import ACTIONS, can, has_role
from .scoping import scope_of

# The roles of the shop floor: a worker, and a brigade leader (a worker who keeps his
# brigade's month). They use their own pages, not the plant's reference pages.
SHOP_FLOOR = frozenset({Role.WORKER, Role.BRIGADE_LEADER})


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    # A worker (and nothing more) uses his own pages: his pay, his plan, his brigade, the
    # board, the claims that name him. A brigade leader adds his brigade's: its timesheet,
    # KTU and pay (counted by the tariff grid, which he keeps in his menu) and the claims
    # against it. The plant's reference pages (structure, scales, periods, claim types) are
    # for the roles that keep or read them: a master files claims by their types, asks to
    # reopen a month and is paid by the scales. The pages stay open to the shop floor by
    # their links (a frozen month's note, a breadcrumb); only the menu leaves them out.
    worker_only = scope.worker_only
    reference = scope.everything or bool(scope.roles - SHOP_FLOOR)
    leader = Role.BRIGADE_LEADER in scope.roles
    return {
        "nav": {
            "admin": can(user, "admin.access"),
            "role_grants": can(user, "roles.review"),
            "tariffs": reference or leader,
            "scales": reference,
            "periods": reference,
            "structure": reference,
            "claim_types": reference,
            "is_worker_only": worker_only,
            "brigades": bool(scope.roles) or scope.everything,
            "ktu_settings": "ktu.settings" in ACTIONS and can(user, "ktu.settings"),
            "has_role": has_role,
        }
    }
