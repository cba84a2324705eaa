"""Section self-financing in the back office's admin.

The plant's configuration (terms and thresholds, the indicators it hands down, the
factor set of plan tension, cost articles, the scorecard of table 7, the competition
rules of table 8, the bonus categories) is edited here by the labour & wages department
(``khozraschet.permissions.MODEL_PERMISSIONS``). A section's month goes through its pages
(entry, corrections, the close), where the services check who may do what: the admin
shows those rows read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprise.admin import TrackedAdmin
from enterprise.admin_site import register_accusative
from enterprise.models import Enterprise, StepScale
from enterprise.selectors import visible_enterprise_ids

from .models import (
    BonusCategory,
    CompetitionRule,
    CostArticle,
    CostCorrection,
    CostLine,
    DeviationNote,
    EnergySaving,
    IdleRecord,
    IncentiveFund,
    Indicator,
    IndicatorValue,
    Passport,
    ScorecardRow,
    SectionMonth,
    SectionResult,
    Settings,
    ShopResult,
    TensionFactor,
    TimeStudy,
)


class ConfigAdmin(TrackedAdmin):
    """A plant's configuration row: the enterprise and scales offered are the user's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        enterprises = visible_enterprise_ids(request.user)
        if db_field.related_model is Enterprise:
            kwargs["queryset"] = Enterprise.objects.filter(pk__in=enterprises)
        elif db_field.related_model in (StepScale, Indicator):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                enterprise_id__in=enterprises
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Settings)
class SettingsAdmin(ConfigAdmin):
    list_display = ["enterprise", "mass_max", "large_serial_max", "serial_max", "small_serial_max"]
    fieldsets = [
        (None, {"fields": ["enterprise"]}),
        (
            "Кз",
            {"fields": ["mass_max", "large_serial_max", "serial_max", "small_serial_max"]},
        ),
        (
            None,
            {
                "fields": [
                    "section_due_day",
                    "shop_due_day",
                    "quality_rank_minimum",
                    "withhold_percent",
                    "unlikely_ratio",
                    "energy_min_percent",
                    "energy_max_percent",
                ]
            },
        ),
    ]


@admin.register(Indicator)
class IndicatorAdmin(ConfigAdmin):
    list_display = ["name", "code", "unit", "direction", "source", "role", "mandatory", "active"]
    list_filter = ["active", "mandatory", "direction", "source", "role"]
    search_fields = ["name", "code"]


@admin.register(TensionFactor)
class TensionFactorAdmin(ConfigAdmin):
    list_display = ["indicator", "weight", "enterprise"]
    list_select_related = ["indicator", "enterprise"]


@admin.register(CostArticle)
class CostArticleAdmin(ConfigAdmin):
    list_display = ["name", "code", "materials", "order"]
    list_filter = ["materials"]
    search_fields = ["name", "code"]


@admin.register(ScorecardRow)
class ScorecardRowAdmin(ConfigAdmin):
    list_display = ["position", "measure", "base_points", "penalty_serial", "penalty_small_serial"]
    list_filter = ["position"]


@admin.register(CompetitionRule)
class CompetitionRuleAdmin(ConfigAdmin):
    list_display = ["factor", "per", "gain", "loss", "counts_when_unmet"]


@admin.register(BonusCategory)
class BonusCategoryAdmin(ConfigAdmin):
    list_display = ["name", "code", "tension_scale", "share_of_scale", "position", "quality"]
    list_select_related = ["tension_scale"]
    search_fields = ["name", "code"]


class ReadOnlyAdmin(TrackedAdmin):
    """A row of a section's month: written by its pages' services, read here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Passport)
class PassportAdmin(ReadOnlyAdmin):
    list_display = ["section", "valid_from", "operations", "workplaces", "workers"]
    list_select_related = ["section__shop"]
    date_hierarchy = "valid_from"


@admin.register(TimeStudy)
class TimeStudyAdmin(ReadOnlyAdmin):
    list_display = ["section", "studied_on", "machine"]
    list_select_related = ["section__shop"]


@admin.register(IdleRecord)
class IdleRecordAdmin(ReadOnlyAdmin):
    list_display = ["section", "period", "cause", "hours"]
    list_select_related = ["section__shop", "period"]
    list_filter = ["cause"]


@admin.register(SectionMonth)
class SectionMonthAdmin(ReadOnlyAdmin):
    list_display = ["section", "period"]
    list_select_related = ["section__shop", "period"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    list_display = ["section", "period", "indicator", "plan", "actual"]
    list_select_related = ["section__shop", "period", "indicator"]


@admin.register(CostLine)
class CostLineAdmin(ReadOnlyAdmin):
    list_display = ["section", "period", "article", "plan", "actual"]
    list_select_related = ["section__shop", "period", "article"]


@admin.register(CostCorrection)
class CostCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["section", "period", "article", "amount", "reason", "author"]
    list_select_related = ["section__shop", "period", "article", "author"]


@admin.register(DeviationNote)
class DeviationNoteAdmin(ReadOnlyAdmin):
    list_display = ["section", "period", "part", "article", "deviation", "author"]
    list_select_related = ["section__shop", "period", "article", "author"]


@admin.register(EnergySaving)
class EnergySavingAdmin(ReadOnlyAdmin):
    list_display = ["section", "period", "resource", "saved_value", "percent"]
    list_select_related = ["section__shop", "period"]


@admin.register(IncentiveFund)
class IncentiveFundAdmin(ReadOnlyAdmin):
    list_display = ["period", "shop", "amount"]
    list_select_related = ["period", "shop"]


@admin.register(SectionResult)
class SectionResultAdmin(ReadOnlyAdmin):
    """A month's result as the close computed it (the document is its page and PDF)."""

    list_display = [
        "section",
        "period",
        "plan_met",
        "tension",
        "competition",
        "rank",
        "incentive",
        "computed_at",
    ]
    list_select_related = ["section__shop", "period"]
    list_filter = ["plan_met"]
    exclude = ["details"]


@admin.register(ShopResult)
class ShopResultAdmin(ReadOnlyAdmin):
    list_display = ["shop", "period", "competition", "rank", "incentive", "computed_at"]
    list_select_related = ["shop", "period"]
    exclude = ["details"]


register_accusative(
    {
        "khozraschet.costarticle": _("статью затрат"),
        "khozraschet.scorecardrow": _("строку оценочной карты"),
        "khozraschet.bonuscategory": _("категорию премирования"),
        "khozraschet.timestudy": _("фотографию рабочего времени"),
        "khozraschet.costline": _("статью сметы участка"),
        "khozraschet.costcorrection": _("корректировку плана затрат"),
        "khozraschet.energysaving": _("экономию энергоресурсов"),
    }
)
