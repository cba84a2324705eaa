from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KhozraschetConfig(AppConfig):
    name = "khozraschet"
    verbose_name = _("Хозрасчёт участков")
