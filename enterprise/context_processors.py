"""Template context shared by every page: the navigation the user's roles allow."""

from .permissions import ACTIONS, can, has_role
from .scoping import scope_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    # A worker (and nothing more) uses his own pages: his pay, his plan, his brigade, the
    # board, the claims that name him. The plant's reference pages (structure, tariff grid,
    # scales, periods, claim types) are for the roles that keep or read them.
    worker_only = scope.worker_only
    reference = (bool(scope.roles) or scope.everything) and not worker_only
    return {
        "nav": {
            "admin": can(user, "admin.access"),
            "role_grants": can(user, "roles.review"),
            "tariffs": reference,
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
