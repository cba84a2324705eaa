import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprise import widgets
from enterprise.filtersets import visible_rows
from enterprise.models import Period, Shop

from .models import Claim, ClaimType


def _types(request):
    if request is None:
        return ClaimType.objects.none()
    from enterprise.selectors import visible_enterprise_ids

    return ClaimType.objects.filter(enterprise_id__in=visible_enterprise_ids(request.user))


class ClaimFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Номер, текст"), method="search")
    period = django_filters.ModelChoiceFilter(
        label=_("Период"),
        queryset=visible_rows(Period),
        empty_label=_("все"),
        widget=widgets.Select,
    )
    status = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=Claim.Status.choices,
        empty_label=_("любое"),
        widget=widgets.Select,
    )
    claim_type = django_filters.ModelChoiceFilter(
        label=_("Вид претензии"), queryset=_types, empty_label=_("все"), widget=widgets.Select
    )
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"),
        queryset=visible_rows(Shop),
        empty_label=_("все"),
        method="by_shop",
        widget=widgets.Select,
    )

    class Meta:
        model = Claim
        fields = ["q", "period", "status", "claim_type", "shop"]

    def search(self, queryset, name, value):
        value = value.strip()
        condition = Q(description__icontains=value)
        if value.isdigit():
            condition |= Q(number=int(value))
        return queryset.filter(condition)

    def by_shop(self, queryset, name, value):
        return queryset.filter(Q(claimant_shop=value) | Q(defendant_shop=value))
