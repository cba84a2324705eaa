"""The back office's admin site: who may open it, and its titles in correct Russian.

Django's admin builds its titles from a model's ``verbose_name`` in the nominative: «Добавить
рабочий», «Выберите рабочий для изменения». Russian needs the accusative there
(«Добавить рабочего», «Выберите бригаду для изменения»). Each app registers the accusative
of its models (:func:`register_accusative`, from its ``admin.py``); the site puts it into
the titles of the add, change and view forms and of the lists, and into the list's «Добавить …»
button (``templates/admin/change_list_object_tools.html``). A model with none keeps its
``verbose_name`` — right for the inanimate masculine and neuter names («цех», «предприятие»).
The admin's messages that name a model are worded not to need its case or gender (the
project's Russian catalog, ``locale/ru``).
"""

from functools import wraps

from axes.apps import AppConfig as AxesAppConfig
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import BaseModelAdmin
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig

from .links import fixed_url

ACCUSATIVE: dict[str, object] = {}
"""``app_label.modelname`` → the model's name in the accusative (a lazy translation)."""

# Django's title patterns that take the model's name as their object.
TITLES = ("Add %s", "Change %s", "View %s", "Select %s", "Select %s to change", "Select %s to view")


def register_accusative(names: dict[str, object]) -> None:
    """Record the accusative of models: ``{"enterprise.worker": _("рабочего")}``."""
    ACCUSATIVE.update(names)


def accusative(opts) -> str:
    """A model's name as the object of «Добавить», «Выберите … для изменения»."""
    return str(ACCUSATIVE.get(opts.label_lower, opts.verbose_name))


def retitle(context: dict, opts) -> None:
    """Put the accusative into the page's title where Django put the nominative."""
    title = context.get("title")
    name = accusative(opts)
    context["accusative_name"] = name
    if not title or name == str(opts.verbose_name):
        return
    for pattern in TITLES:
        translated = gettext(pattern)
        if title == translated % opts.verbose_name:
            context["title"] = translated % name
            return


class KhozraschetAdminSite(admin.AdminSite):
    """The back office's admin: open to users whose current role allows it."""

    site_header = _("Хозрасчёт — справочники")
    site_title = _("Хозрасчёт")
    index_title = _("Справочники и ввод данных")

    def has_permission(self, request):
        from .permissions import can

        user = request.user
        return user.is_active and (user.is_superuser or can(user, "admin.access"))

    def _build_app_dict(self, request, label=None):
        """Django's app dictionary (the sidebar of every admin page, the index), with the
        URLs reversed once per URLconf (``enterprise.links.fixed_url``) instead of three per
        model on each request; the permissions are still asked on each request, as Django
        does."""
        app_dict = {}
        for model, model_admin in self._registry.items():
            app_label = model._meta.app_label
            if label and app_label != label:
                continue
            has_module_perms = model_admin.has_module_permission(request)
            if not has_module_perms:
                continue
            perms = model_admin.get_model_perms(request)
            if True not in perms.values():
                continue
            info = f"{app_label}_{model._meta.model_name}"
            model_dict = {
                "model": model,
                "name": capfirst(model._meta.verbose_name_plural),
                "object_name": model._meta.object_name,
                "perms": perms,
                "admin_url": None,
                "add_url": None,
            }
            if perms.get("change") or perms.get("view"):
                model_dict["view_only"] = not perms.get("change")
                model_dict["admin_url"] = self._url(f"{info}_changelist")
            if perms.get("add"):
                model_dict["add_url"] = self._url(f"{info}_add")
            if app_label in app_dict:
                app_dict[app_label]["models"].append(model_dict)
            else:
                app_dict[app_label] = {
                    "name": apps.get_app_config(app_label).verbose_name,
                    "app_label": app_label,
                    "app_url": self._url("app_list", app_label=app_label),
                    "has_module_perms": has_module_perms,
                    "models": [model_dict],
                }
        return app_dict

    def get_app_list(self, request, app_label=None):
        """Django's, sorted by the names as strings: Django sorts the models by their lazy
        names, which translates both names again at each comparison."""
        app_list = sorted(
            self._build_app_dict(request, app_label).values(),
            key=lambda app: str(app["name"]).lower(),
        )
        for app in app_list:
            app["models"].sort(key=lambda model: str(model["name"]))
        return app_list

    def _url(self, name: str, **kwargs) -> str | None:
        """``admin:<name>`` reversed once per URLconf and prefix (None when the site has no
        such URL, as Django leaves it)."""
        return fixed_url(f"admin:{name}", current_app=self.name, **kwargs)

    def admin_view(self, view, cacheable=False):
        """A model admin's views give their titles the model's accusative."""
        inner = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        if not isinstance(model_admin, BaseModelAdmin):
            return inner

        @wraps(inner)
        def titled(request, *args, **kwargs):
            response = inner(request, *args, **kwargs)
            context = getattr(response, "context_data", None)
            if context is not None and not getattr(response, "is_rendered", True):
                retitle(context, model_admin.opts)
            return response

        return titled


class KhozraschetAdminConfig(AdminConfig):
    default_site = "enterprise.admin_site.KhozraschetAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes under a Russian name in the admin (its own is «Axes»)."""

    verbose_name = _("Попытки входа")


class TasksConfig(TasksAppConfig):
    """django-tasks-db under a Russian name in the admin (its own is English only)."""

    verbose_name = _("Фоновые задачи")
