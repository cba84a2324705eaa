"""Filters of the parts list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprise.models import Shop

from .models import Part


def _shops(request):
    if request is None:
        return Shop.objects.none()
    return Shop.objects.visible_to(request.user).order_by("enterprise", "number")


class PartFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Номер или наименование"), method="_search")
    assembly_shop = django_filters.ModelChoiceFilter(
        label=_("Сборочный цех"), queryset=_shops, empty_label=_("все")
    )

    class Meta:
        model = Part
        fields = ["search", "assembly_shop"]

    def _search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value))
