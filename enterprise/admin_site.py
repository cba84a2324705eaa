from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class KhozraschetAdminSite(admin.AdminSite):
    """The back office's admin: open to users whose current role allows it."""

    site_header = _("Хозрасчёт — справочники")
    site_title = _("Хозрасчёт")
    index_title = _("Справочники и ввод данных")

    def has_permission(self, request):
        from .permissions import can

        user = request.user
        return user.is_active and (user.is_superuser or can(user, "admin.access"))


class KhozraschetAdminConfig(AdminConfig):
    default_site = "enterprise.admin_site.KhozraschetAdminSite"
