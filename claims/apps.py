from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Претензии")

    def ready(self):
        from enterprise.permissions import register_actions, register_model_permissions
        from enterprise.selectors import TASK_PROVIDERS, UNFINISHED_PROVIDERS

        from .permissions import ACTIONS, MODEL_PERMISSIONS
        from .selectors import tasks_for, unfinished_in

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)
        if tasks_for not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(tasks_for)
        if unfinished_in not in UNFINISHED_PROVIDERS:
            UNFINISHED_PROVIDERS.append(unfinished_in)
