"""The back office's admin, in Russian: reference data with search, filters and inlines.

Rows are scoped like the pages (``visible_to``); rows of a closed month are shown
read-only, and a write the closed-period rule refuses comes back as a message, not an
error page.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import duties
from .admin_site import register_accusative
from .fields import ADMIN_OVERRIDES, INTEGER_LIMIT, safe_int
from .forms import BaseStepRowFormSet
from .models import (
    Enterprise,
    HistoryRecord,
    PayCondition,
    Period,
    PeriodReopening,
    Profession,
    RoleAssignment,
    Section,
    Shop,
    StepScale,
    StepScaleRow,
    TariffRate,
    Worker,
)
from .tracking import PeriodClosedError, assert_months_open


class _CheckedChoices:
    """An autocomplete widget that shows a posted choice only when it can be an id: the
    admin's own looks a refused value up as it re-renders the form (``?section=sNaN`` —
    ``ValueError``; a number past ``bigint`` — ``DataError``)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = []
        for choice in value:
            if isinstance(target, models.AutoField | models.IntegerField):
                if safe_int(choice, minimum=-INTEGER_LIMIT) is None:
                    continue
            else:
                try:
                    target.to_python(choice)
                except ValidationError:
                    continue
            kept.append(choice)
        return super().optgroups(name, kept, attr)


class CheckedAutocompleteSelect(_CheckedChoices, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_CheckedChoices, AutocompleteSelectMultiple):
    pass


class DecimalInputs:
    """Hostile input in the admin: decimal columns take the project's field (``sNaN`` and
    out-of-range figures refused with a Russian message), autocomplete choices are
    checked before they are looked up."""

    formfield_overrides = ADMIN_OVERRIDES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request, queryset, *args, **kwargs):
        # The ticked rows' ids reach a ``pk__in`` lookup as posted: an empty or an
        # overflowing id was a server error.
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any(safe_int(pk, minimum=-INTEGER_LIMIT) is None for pk in selected):
            self.message_user(
                request,
                _("Строки для действия выбраны неверно: отметьте их в списке ещё раз."),
                messages.WARNING,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, *args, **kwargs)


class TrackedAdmin(DecimalInputs, admin.ModelAdmin):
    """Admin of a tracked model: scoped rows, frozen rows read-only, clean refusals."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def is_frozen(self, obj) -> bool:
        if obj is None:
            return False
        # The stored row decides: after a refused save the form's instance carries the
        # refused values (a date in a closed month), and its form must still show why.
        stored = obj.stored_version() if hasattr(obj, "stored_version") else None
        try:
            assert_months_open((stored or obj).period_keys())
        except PeriodClosedError:
            return True
        return False

    def is_frozen_for(self, request, obj) -> bool:
        """:meth:`is_frozen`, asked once per row in a request: Django asks the change and
        delete permissions of the object several times for one page (each asking for the
        stored row and its months). What the request writes through the admin forgets the
        answers (:meth:`forget_frozen`)."""
        if obj is None or obj.pk is None:
            return self.is_frozen(obj)
        answers = request.__dict__.setdefault("_khz_frozen", {})
        key = (obj._meta.label, obj.pk)
        if key not in answers:
            answers[key] = self.is_frozen(obj)
        return answers[key]

    @staticmethod
    def forget_frozen(request) -> None:
        request.__dict__.pop("_khz_frozen", None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_frozen_for(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A row of a closed month opens read-only with the reason; a save is refused."""
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is not None:
                try:
                    assert_months_open(obj.period_keys())
                except PeriodClosedError as error:
                    message = " ".join(error.messages)
                    if request.method == "POST":
                        self.message_user(request, message, messages.ERROR)
                        return HttpResponseRedirect(request.get_full_path())
                    self.message_user(request, message, messages.WARNING)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_frozen_for(request, obj)

    def save_model(self, request, obj, form, change):
        self.forget_frozen(request)
        super().save_model(request, obj, form, change)
        self.forget_frozen(request)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.forget_frozen(request)

    def delete_queryset(self, request, queryset):
        self.forget_frozen(request)
        try:
            with transaction.atomic():
                super().delete_queryset(request, queryset)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
        self.forget_frozen(request)

    def delete_model(self, request, obj):
        self.forget_frozen(request)
        try:
            with transaction.atomic():
                super().delete_model(request, obj)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
        self.forget_frozen(request)


class SectionInline(DecimalInputs, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["number", "name", "head"]
    autocomplete_fields = ["head"]
    show_change_link = True


@admin.register(Enterprise)
class EnterpriseAdmin(TrackedAdmin):
    list_display = ["name", "short_name", "young_worker_max_age", "ktu_min", "ktu_max"]
    search_fields = ["name", "short_name"]


@admin.register(Shop)
class ShopAdmin(TrackedAdmin):
    list_display = ["number", "name", "kind", "head", "enterprise"]
    list_display_links = ["number", "name"]
    list_filter = ["enterprise", "kind"]
    search_fields = ["name", "=number"]
    autocomplete_fields = ["head"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(TrackedAdmin):
    list_display = ["number", "name", "shop", "head"]
    list_display_links = ["number", "name"]
    list_filter = ["shop__enterprise", "shop"]
    search_fields = ["name", "=number", "shop__name"]
    list_select_related = ["shop", "head"]
    autocomplete_fields = ["head"]


@admin.register(Profession)
class ProfessionAdmin(TrackedAdmin):
    list_display = ["name", "code", "enterprise"]
    list_filter = ["enterprise"]
    search_fields = ["name", "code"]


@admin.register(Worker)
class WorkerAdmin(TrackedAdmin):
    list_display = [
        "personnel_number",
        "last_name",
        "first_name",
        "middle_name",
        "profession",
        "grade",
        "section",
        "hire_date",
    ]
    list_display_links = ["personnel_number", "last_name"]
    list_filter = ["grade", "section__shop", "profession", "pay_condition"]
    search_fields = ["=personnel_number", "last_name", "first_name"]
    list_select_related = ["profession", "section__shop"]
    autocomplete_fields = ["section", "profession", "user"]
    date_hierarchy = "hire_date"
    fieldsets = [
        (None, {"fields": ["enterprise", "personnel_number"]}),
        (_("Ф. И. О."), {"fields": ["last_name", "first_name", "middle_name"]}),
        (
            _("Работа"),
            {"fields": ["section", "profession", "grade", "pay_condition"]},
        ),
        (_("Даты"), {"fields": ["birth_date", "hire_date", "dismissal_date"]}),
        (_("Доступ"), {"fields": ["user"]}),
    ]


@admin.register(PayCondition)
class PayConditionAdmin(TrackedAdmin):
    list_display = ["name", "code", "enterprise"]
    search_fields = ["name", "code"]


@admin.register(TariffRate)
class TariffRateAdmin(TrackedAdmin):
    list_display = ["pay_condition", "grade", "hourly_rate", "valid_from", "enterprise"]
    list_filter = ["enterprise", "pay_condition", "grade"]
    search_fields = ["pay_condition__name"]
    date_hierarchy = "valid_from"
    list_select_related = ["pay_condition", "enterprise"]


class PeriodReopeningInline(DecimalInputs, admin.TabularInline):
    model = PeriodReopening
    fields = ["requested_by", "requested_at", "reason", "status", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Period)
class PeriodAdmin(TrackedAdmin):
    list_display = ["__str__", "status", "working_days", "working_hours", "closed_by", "closed_at"]
    list_filter = ["enterprise", "status", "year"]
    readonly_fields = ["status", "closed_by", "closed_at"]
    inlines = [PeriodReopeningInline]


class StepScaleRowInline(DecimalInputs, admin.TabularInline):
    model = StepScaleRow
    # The page's checks: no overlapping or empty ranges, no row counted but not sent.
    formset = BaseStepRowFormSet
    extra = 1


@admin.register(StepScale)
class StepScaleAdmin(TrackedAdmin):
    list_display = ["name", "code", "argument_label", "value_label", "enterprise"]
    search_fields = ["name", "code"]
    inlines = [StepScaleRowInline]


class RoleGrantForm(forms.ModelForm):
    """A role assignment as the admin edits it: refused next to the role field when the
    person saving it may not grant it (``enterprise.duties``)."""

    grantor = None  # set per request by the admin
    creating_account = False  # the account is being created in the same form

    def clean(self):
        cleaned = super().clean()
        # Does saving this form grant anything (a revocation does not: see save_model)?
        self.grants = (
            bool(cleaned.get("role"))
            and not cleaned.get("DELETE")
            and self._grants_something(cleaned)
        )
        if self.grantor is None or not self.grants or self.errors:
            return cleaned
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        section = cleaned.get("section")
        shop = cleaned.get("shop")
        enterprise = cleaned.get("enterprise")
        if (
            self.creating_account
            and cleaned["role"] in duties.DECIDING_ROLES
            and not self.grantor.is_superuser
        ):
            self.add_error(
                "role",
                _(
                    "Вы сами создаёте эту учётную запись: решающую роль ей назначает "
                    "другой руководитель."
                ),
            )
            return cleaned
        problem = duties.grant_problem(
            self.grantor,
            user_id=user.pk if user is not None else None,
            role=cleaned["role"],
            enterprise_id=enterprise.pk if enterprise else None,
            shop_id=shop.pk if shop else None,
            section_id=section.pk if section else None,
            section_shop_id=section.shop_id if section else None,
        )
        if problem:
            self.add_error("role", problem)
        return cleaned

    def _grants_something(self, cleaned) -> bool:
        """A new assignment grants; a change grants unless it only ends it sooner."""
        if self.instance.pk is None:
            return True
        stored = self.instance  # still the stored values while the form cleans
        changed = {
            name
            for name in ("user", "role", "enterprise", "shop", "section", "valid_from", "valid_to")
            if name in cleaned and cleaned[name] != getattr(stored, name, None)
        }
        if not changed:
            return False
        if changed == {"valid_to"}:
            old, new = stored.valid_to, cleaned.get("valid_to")
            return new is None or (old is not None and new > old)
        return True


class RoleGrantAdminMixin:
    """Gives the form its grantor; the admins record him on every assignment that grants."""

    def _with_grantor(self, form_class, request, creating_account=False):
        return type(
            form_class.__name__,
            (form_class,),
            {"grantor": request.user, "creating_account": creating_account},
        )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RoleGrantAdminMixin, TrackedAdmin):
    form = RoleGrantForm
    list_display = [
        "user",
        "role",
        "enterprise",
        "shop",
        "section",
        "valid_from",
        "valid_to",
        "granted_by",
    ]
    list_filter = ["role", "enterprise", "shop"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "shop", "section"]
    list_select_related = ["user", "enterprise", "shop", "section", "granted_by"]
    readonly_fields = ["granted_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        return self._with_grantor(super().get_form(request, obj, change, **kwargs), request)

    def save_model(self, request, obj, form, change):
        if getattr(form, "grants", False):
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(HistoryRecord)
class HistoryRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DecimalInputs, DjangoGroupAdmin):
    """Django's groups, with the checked choices of every admin form."""


class RoleAssignmentInline(RoleGrantAdminMixin, DecimalInputs, admin.TabularInline):
    model = RoleAssignment
    form = RoleGrantForm
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["shop", "section"]
    readonly_fields = ["granted_by"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = self._with_grantor(formset.form, request, creating_account=obj is None)
        return formset


@admin.register(User)
class UserAdmin(DecimalInputs, DjangoUserAdmin):
    """Users with their roles; only a superuser grants superuser or raw permissions."""

    inlines = [RoleAssignmentInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in _PRIVILEGED]})
            for name, opts in fieldsets
        ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def has_change_permission(self, request, obj=None):
        """The back office does not change the account of someone holding a deciding role
        (his password, name, activity): it would act as him. A superuser does."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser or obj.pk == request.user.pk:
            return True
        return (
            not RoleAssignment.objects.current()
            .filter(user=obj, role__in=list(duties.DECIDING_ROLES))
            .exists()
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is RoleAssignment:
            for inline_form in formset.forms:
                if getattr(inline_form, "grants", False):
                    inline_form.instance.granted_by = request.user
        super().save_formset(request, form, formset, change)


_PRIVILEGED = {"is_superuser", "groups", "user_permissions", "is_staff"}


class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's table of background tasks, its columns named in Russian."""

    list_display = (
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("задача"))
    def task(self, obj):
        return obj.task_name

    @admin.display(description=_("трассировка"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("выполнить не раньше"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)


# «Добавить рабочего», «Выберите бригаду для изменения» (enterprise/admin_site.py): the
# names whose accusative differs from the nominative; Django's and the libraries' too.
register_accusative(
    {
        "enterprise.worker": _("рабочего"),
        "enterprise.profession": _("профессию"),
        "enterprise.tariffrate": _("тарифную ставку"),
        "enterprise.stepscale": _("ступенчатую шкалу"),
        "auth.user": _("пользователя"),
        "auth.group": _("группу"),
        "axes.accessfailurelog": _("ошибку доступа"),
        "django_tasks_database.dbtaskresult": _("фоновую задачу"),
    }
)
