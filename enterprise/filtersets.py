import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import IntegerField
from .models import Period, Profession, Section, Shop, StepScale, Worker
from .widgets import Select


class YearFilter(django_filters.NumberFilter):
    """A year in the query string: ASCII digits, 1960–2100 (``?year=sNaN``, a year past
    ``bigint`` or in other digits is a refused filter, not a query)."""

    field_class = IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Год"))
        kwargs.setdefault("min_value", 1960)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class FetchedChoices(django_filters.fields.ModelChoiceIterator):
    """A filter's choices fetched with one query. Django iterates them with
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor (DECLARE, FETCH,
    CLOSE: three round trips and their client work for a hundred sections)."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = FetchedChoices


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``django_filters.ModelChoiceFilter`` whose choices come in one query
    (:class:`FetchedChoices`)."""

    field_class = ModelChoiceField


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


class StepScaleFilterSet(SearchFilterSet):
    """The scales by their words: the name and what they read and give (a code, the
    administrator's, finds its scale too; the list shows it as the name's tooltip only)."""

    search_fields = (
        "name__icontains",
        "argument_label__icontains",
        "value_label__icontains",
        "code__iexact",
    )

    class Meta:
        model = StepScale
        fields = ["q"]


class SectionFilterSet(SearchFilterSet):
    search_fields = ("name__icontains", "number__iexact")
    shop = django_filters.ModelChoiceFilter(
        label=_("Цех"), queryset=visible_rows(Shop), empty_label=_("все")
    )

    class Meta:
        model = Section
        fields = ["q", "shop"]


class ShopSectionFilterSet(django_filters.FilterSet):
    """The shop and section filters of a list whose rows have a ``section``: the sections'
    and shops' drop-downs of a whole plant, in one query each, written by :class:`Select`.
    A list puts ``"shop"`` and ``"section"`` in its ``Meta.fields``."""

    shop = ModelChoiceFilter(
        label=_("Цех"),
        field_name="section__shop",
        queryset=visible_rows(Shop),
        empty_label=_("все"),
        widget=Select,
    )
    section = ModelChoiceFilter(
        label=_("Участок"),
        queryset=visible_rows(Section, "shop"),
        empty_label=_("все"),
        widget=Select,
    )


class WorkerFilterSet(ShopSectionFilterSet, SearchFilterSet):
    search_fields = ("last_name__icontains", "first_name__icontains", "personnel_number__exact")
    profession = ModelChoiceFilter(
        label=_("Профессия"),
        empty_label=_("все"),
        widget=Select,
        queryset=lambda request: (
            Profession.objects.filter(
                enterprise__in=Shop.objects.visible_to(request.user).values("enterprise")
            )
            if request
            else Profession.objects.none()
        ),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Разряд"),
        choices=[(g, str(g)) for g in range(1, 7)],
        empty_label=_("любой"),
        widget=Select,
    )

    class Meta:
        model = Worker
        fields = ["q", "shop", "section", "profession", "grade"]


class PeriodFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Состояние"), choices=Period.Status.choices, empty_label=_("любое")
    )
    year = YearFilter(widget=forms.NumberInput(attrs={"min": 1960}))

    class Meta:
        model = Period
        fields = ["year", "status"]
