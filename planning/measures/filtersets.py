"""Filters of the catalogue of org-technical measures."""

import django_filters
from django.utils.translation import gettext_lazy as _

from enterprise.filtersets import SearchFilterSet, YearFilter, visible_rows
from enterprise.models import Section, Shop

from .models import FACTOR_GROUPS, FactorGroup, OrgMeasure


class MeasureFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "responsible__icontains", "workplaces__icontains")
    year = YearFilter()
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"),
        field_name="section__shop",
        queryset=visible_rows(Shop),
        empty_label=_("все"),
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Участок"), queryset=visible_rows(Section, "shop"), empty_label=_("все")
    )
    factor_group = django_filters.ChoiceFilter(
        label=_("Группа факторов"),
        choices=FactorGroup.choices,
        empty_label=_("все"),
        method="by_group",
    )
    status = django_filters.ChoiceFilter(
        label=_("Состояние"), choices=OrgMeasure.Status.choices, empty_label=_("любое")
    )

    class Meta:
        model = OrgMeasure
        fields = ["q", "year", "shop", "section", "factor_group", "status"]

    def by_group(self, queryset, name, value):
        return queryset.filter(
            factor__in=[factor for factor, group in FACTOR_GROUPS.items() if group == value]
        )
