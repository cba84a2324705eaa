"""Filters of the list of meetings."""

import django_filters
from django.utils.translation import gettext_lazy as _

from enterprise.filtersets import YearFilter

from .models import Commission, Level, Meeting


def visible_commissions(request):
    if request is None:
        return Commission.objects.none()
    return Commission.objects.visible_to(request.user).select_related("shop")


class MeetingFilterSet(django_filters.FilterSet):
    year = YearFilter(field_name="date__year")
    commission = django_filters.ModelChoiceFilter(
        label=_("Комиссия"), queryset=visible_commissions, empty_label=_("все")
    )
    level = django_filters.ChoiceFilter(
        label=_("Уровень"),
        field_name="commission__level",
        choices=Level.choices,
        empty_label=_("любой"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Состояние"), choices=Meeting.Status.choices, empty_label=_("любое")
    )

    class Meta:
        model = Meeting
        fields = ["year", "commission", "level", "status"]
