"""Template context shared by every page: the navigation the user's roles allow."""

from .permissions import ACTIONS, can, has_role
from .scoping import scope_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    return {
        "nav": {
            "admin": can(user, "admin.access"),
            "role_grants": can(user, "roles.review"),
            "tariffs": bool(scope.roles) or scope.everything,
            "scales": bool(scope.roles) or scope.everything,
            "periods": bool(scope.roles) or scope.everything,
            "structure": bool(scope.roles) or scope.everything,
            "is_worker_only": scope.roles == {"worker"},
            "brigades": bool(scope.roles) or scope.everything,
            "ktu_settings": "ktu.settings" in ACTIONS and can(user, "ktu.settings"),
            "has_role": has_role,
        }
    }
