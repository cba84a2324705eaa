from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Личные планы")

    def ready(self):
        from enterprise.permissions import register_actions, register_model_permissions
        from planning.permissions import ACTIONS, MODEL_PERMISSIONS

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)

        from enterprise.selectors import TASK_PROVIDERS
        from planning.plans.selectors import tasks_for

        if tasks_for not in TASK_PROVIDERS:
            TASK_PROVIDERS.append(tasks_for)
