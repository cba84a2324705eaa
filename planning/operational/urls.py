"""Operational scheduling's pages (chapter III): parts and routes, five-day ranks, daily
kits, the registration journal, capacity."""

from django.urls import path

from . import views

urlpatterns = [
    path("operational/parts/", views.PartListView.as_view(), name="part_list"),
    path("operational/parts/new/", views.part_create, name="part_create"),
    path("operational/parts/<int:pk>/", views.part_detail, name="part_detail"),
    path("operational/parts/<int:pk>/edit/", views.part_edit, name="part_edit"),
    path("operational/parts/<int:part_pk>/routes/new/", views.route_create, name="route_create"),
    path("operational/routes/<int:pk>/edit/", views.route_edit, name="route_edit"),
    path("operational/routes/<int:pk>/card/", views.planning_card, name="planning_card"),
    path("operational/rhythm/", views.rhythm_board, name="rhythm_board"),
    path("operational/rhythm/calendar/", views.rhythm_calendar, name="rhythm_calendar"),
    path("operational/rhythm/stock/", views.stock_record, name="stock_record"),
    path("operational/kits/", views.kits_index, name="kits_index"),
    path("operational/kits/<int:shop_pk>/", views.kits, name="kits"),
    path(
        "operational/kits/<int:shop_pk>/day/",
        views.assembly_day_record,
        name="assembly_day_record",
    ),
    path("operational/journal/<int:section_pk>/", views.journal, name="journal"),
    path("operational/capacity/", views.capacity_index, name="capacity_index"),
    path("operational/capacity/<int:shop_pk>/", views.capacity, name="capacity"),
]
