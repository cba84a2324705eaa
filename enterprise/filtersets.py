import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Period, Profession, Section, Shop, Worker


def visible_rows(model, *related):
    """A filter's choices: the rows of ``model`` the requesting user sees."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        rows = model.objects.visible_to(request.user)
        return rows.select_related(*related) if related else rows

    return queryset


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Поиск"), method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field: value})
        return queryset.filter(condition)


class ShopFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "number__iexact")
    kind = django_filters.ChoiceFilter(
        label=_("Вид"), choices=Shop.Kind.choices, empty_label=_("любой")
    )

    class Meta:
        model = Shop
        fields = ["q", "kind"]


class SectionFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "number__iexact")
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"), queryset=visible_rows(Shop), empty_label=_("все")
    )

    class Meta:
        model = Section
        fields = ["q", "shop"]


class WorkerFilterSet(SearchFilterSet):
    search_fields = ("last_name__icontains", "first_name__icontains", "personnel_number__exact")
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"),
        field_name="section__shop",
        queryset=visible_rows(Shop),
        empty_label=_("все"),
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Участок"), queryset=visible_rows(Section, "shop"), empty_label=_("все")
    )
    profession = django_filters.ModelChoiceFilter(
        label=_("Профессия"),
        empty_label=_("все"),
        queryset=lambda request: (
            Profession.objects.filter(
                enterprise__in=Shop.objects.visible_to(request.user).values("enterprise")
            )
            if request
            else Profession.objects.none()
        ),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Разряд"), choices=[(g, str(g)) for g in range(1, 7)], empty_label=_("любой")
    )

    class Meta:
        model = Worker
        fields = ["q", "shop", "section", "profession", "grade"]


class PeriodFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Состояние"), choices=Period.Status.choices, empty_label=_("любое")
    )
    year = django_filters.NumberFilter(
        label=_("Год"), widget=forms.NumberInput(attrs={"min": 1960})
    )

    class Meta:
        model = Period
        fields = ["year", "status"]
