from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Производственные совещания")

    def ready(self):
        from enterprise.permissions import register_actions, register_model_permissions

        from .permissions import ACTIONS, MODEL_PERMISSIONS

        register_actions(ACTIONS)
        register_model_permissions(MODEL_PERMISSIONS)

        from enterprise.selectors import HOME_PANELS

        from .proposals.home import home_panel

        # the author's proposals and those held by the user's step, on the home page
        if home_panel not in HOME_PANELS:
            HOME_PANELS.append(home_panel)
