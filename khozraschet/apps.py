from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhozraschetConfig(AppConfig):
    name = "khozraschet"
    verbose_name = _("Хозрасчёт участков")

    def ready(self):
        from enterprise.permissions import register_actions, register_model_permissions

        from .permissions import ACTIONS, MODEL_PERMISSIONS

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)

        from enterprise.selectors import HOME_PANELS

        from .selectors.results import home_panel

        if home_panel not in HOME_PANELS:
            HOME_PANELS.append(home_panel)
