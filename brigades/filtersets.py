import django_filters
from django.utils.translation import gettext_lazy as _

from enterprise.filtersets import SearchFilterSet, visible_rows
from enterprise.models import Period, Section, Shop
from enterprise.widgets import Select

from .models import Brigade, Distribution


class BrigadeFilterSet(SearchFilterSet):
    search_fields = ("name__icontains",)
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"),
        field_name="section__shop",
        queryset=visible_rows(Shop),
        empty_label=_("все"),
        widget=Select,
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Участок"),
        queryset=visible_rows(Section, "shop"),
        empty_label=_("все"),
        widget=Select,
    )
    method = django_filters.ChoiceFilter(
        label=_("Способ распределения"),
        choices=Brigade.Method.choices,
        empty_label=_("любой"),
        widget=Select,
    )

    class Meta:
        model = Brigade
        fields = ["q", "shop", "section", "method"]


class DistributionFilterSet(django_filters.FilterSet):
    period = django_filters.ModelChoiceFilter(
        label=_("Месяц"), queryset=visible_rows(Period), empty_label=_("все"), widget=Select
    )
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"),
        field_name="brigade__section__shop",
        queryset=visible_rows(Shop),
        empty_label=_("все"),
        widget=Select,
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Участок"),
        field_name="brigade__section",
        queryset=visible_rows(Section, "shop"),
        empty_label=_("все"),
        widget=Select,
    )
    status = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=Distribution.Status.choices,
        empty_label=_("любое"),
        widget=Select,
    )

    class Meta:
        model = Distribution
        fields = ["period", "shop", "section", "status"]
