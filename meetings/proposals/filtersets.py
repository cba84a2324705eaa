"""Filters of the proposals' list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprise.filtersets import SearchFilterSet, YearFilter, visible_rows
from enterprise.models import Shop
from enterprise.scoping import scope_of

from ..models import Proposal, ProposalAuthor
from .selectors import past_term


class YesNoAll(django_filters.widgets.BooleanWidget):
    """A yes/no filter whose empty choice reads «все», not django-filter's «Неизвестно»."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("все")), ("true", _("да")), ("false", _("нет"))]


class ProposalFilterSet(SearchFilterSet):
    search_fields = ("title__icontains", "problem__icontains", "workplace__icontains")
    year = YearFilter(field_name="submitted_on__year")
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"), queryset=visible_rows(Shop), empty_label=_("все")
    )
    status = django_filters.ChoiceFilter(
        label=_("Состояние"), choices=Proposal.Status.choices, empty_label=_("любое")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Срок прошёл"),
        method="by_overdue",
        widget=YesNoAll(),
    )
    mine = django_filters.BooleanFilter(label=_("Мои"), method="by_mine", widget=YesNoAll())

    class Meta:
        model = Proposal
        fields = ["q", "year", "shop", "status", "overdue", "mine"]

    def by_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(past_term()) if value else queryset.exclude(past_term())

    def by_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        condition = Q(submitted_by=user)
        own = scope_of(user).workers
        if own:
            condition |= Q(
                pk__in=ProposalAuthor.objects.filter(worker_id__in=own).values("proposal")
            )
        return queryset.filter(condition)


class OverdueFilterSet(django_filters.FilterSet):
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"), queryset=visible_rows(Shop), empty_label=_("все")
    )

    class Meta:
        model = Proposal
        fields = ["shop"]
