import django_filters
from django.utils.translation import gettext_lazy as _

from enterprise.filtersets import SearchFilterSet, ShopSectionFilterSet, YearFilter
from enterprise.widgets import Select

from .models import PersonalPlan


class PlanFilterSet(ShopSectionFilterSet, SearchFilterSet):
    search_fields = ("worker__last_name__icontains", "worker__personnel_number")
    year = YearFilter()
    status = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=PersonalPlan.Status.choices,
        empty_label=_("кроме заменённых"),
        widget=Select,
    )
    method = django_filters.ChoiceFilter(
        label=_("Способ"),
        choices=PersonalPlan.Method.choices,
        empty_label=_("любой"),
        widget=Select,
    )

    class Meta:
        model = PersonalPlan
        fields = ["q", "year", "shop", "section", "status", "method"]

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("status"):
            queryset = queryset.exclude(status=PersonalPlan.Status.SUPERSEDED)
        return queryset
