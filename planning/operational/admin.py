"""Operational scheduling's reference data in the back office's admin: parts and their
routes, the shops' regimes and machines, the assembly floor (tables 12–13). Shift tasks
and the journal of production are kept in the pages; the admin shows them read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprise.admin import DecimalInputs, TrackedAdmin
from enterprise.admin_site import register_accusative

from .models import (
    AssemblyArea,
    AssemblyDay,
    AssemblyProduct,
    AssemblyStage,
    ConsumerStock,
    EquipmentGroup,
    Part,
    PartProduction,
    PartSupply,
    Route,
    RouteOperation,
    ShiftTask,
    ShopSchedule,
)


@admin.register(ShopSchedule)
class ShopScheduleAdmin(TrackedAdmin):
    list_display = ["shop", "shift_coefficient", "norm_fulfilment", "working_days_month"]
    list_select_related = ["shop"]


class RouteInline(DecimalInputs, admin.TabularInline):
    model = Route
    extra = 0
    fields = [
        "section",
        "sequence",
        "batch_size",
        "parallelism",
        "natural_days",
        "waiting_days",
        "monthly_output",
        "safety_days",
    ]
    autocomplete_fields = ["section"]


@admin.register(Part)
class PartAdmin(TrackedAdmin):
    list_display = ["number", "name", "assembly_shop", "daily_need"]
    list_filter = ["assembly_shop"]
    search_fields = ["=number", "name"]
    list_select_related = ["assembly_shop"]
    inlines = [RouteInline]


class OperationInline(DecimalInputs, admin.TabularInline):
    model = RouteOperation
    extra = 0
    fields = ["number", "name", "piece_hours", "equipment_group"]


@admin.register(Route)
class RouteAdmin(TrackedAdmin):
    list_display = ["part", "section", "sequence", "batch_size", "monthly_output"]
    search_fields = ["=part__number", "part__name"]
    list_select_related = ["part", "section__shop"]
    autocomplete_fields = ["part", "section"]
    inlines = [OperationInline]


@admin.register(EquipmentGroup)
class EquipmentGroupAdmin(TrackedAdmin):
    list_display = ["name", "shop", "units", "shifts", "repair_percent"]
    list_filter = ["shop"]
    search_fields = ["name"]
    list_select_related = ["shop"]


@admin.register(PartSupply)
class PartSupplyAdmin(TrackedAdmin):
    list_display = ["part", "year", "period_need", "ranks", "batch", "lead_group"]
    list_filter = ["year"]
    search_fields = ["=part__number", "part__name"]
    list_select_related = ["part"]
    autocomplete_fields = ["part"]


@admin.register(ConsumerStock)
class ConsumerStockAdmin(TrackedAdmin):
    list_display = ["part", "shop", "date", "quantity"]
    list_filter = ["shop"]
    date_hierarchy = "date"
    search_fields = ["=part__number", "part__name"]
    list_select_related = ["part", "shop"]
    autocomplete_fields = ["part"]


@admin.register(AssemblyDay)
class AssemblyDayAdmin(TrackedAdmin):
    list_display = ["shop", "date", "kits"]
    date_hierarchy = "date"
    list_select_related = ["shop"]


@admin.register(PartProduction)
class PartProductionAdmin(TrackedAdmin):
    list_display = ["part", "section", "date", "quantity"]
    date_hierarchy = "date"
    search_fields = ["=part__number", "part__name"]
    list_select_related = ["part", "section__shop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssemblyArea)
class AssemblyAreaAdmin(TrackedAdmin):
    list_display = ["shop", "production_area", "auxiliary_area", "hours_year"]
    list_select_related = ["shop"]


class StageInline(DecimalInputs, admin.TabularInline):
    model = AssemblyStage
    extra = 0
    fields = ["number", "name", "labour_hours", "fulfilment_percent", "assemblers"]


@admin.register(AssemblyProduct)
class AssemblyProductAdmin(TrackedAdmin):
    list_display = ["name", "shop", "product_area", "assemblers_area", "reduction"]
    search_fields = ["name"]
    list_select_related = ["shop"]
    inlines = [StageInline]


@admin.register(ShiftTask)
class ShiftTaskAdmin(TrackedAdmin):
    list_display = ["section", "date", "shift", "status"]
    list_filter = ["status"]
    date_hierarchy = "date"
    list_select_related = ["section__shop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_accusative(
    {
        "planning.part": _("деталь"),
        "planning.equipmentgroup": _("группу оборудования"),
        "planning.assemblyday": _("день сборки"),
        "planning.partsupply": _("пятидневную потребность детали"),
        "planning.assemblyarea": _("площадь сборочного цеха"),
    }
)
