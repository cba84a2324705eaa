"""URLs of org-technical measures and of the workers' accounts (namespace "planning")."""

from django.urls import path

from . import views

urlpatterns = [
    path("measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("measures/new/", views.measure_edit, name="measure_create"),
    path("measures/summary/", views.measure_summary, name="measure_summary"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/status/", views.measure_status, name="measure_status"),
    path("accounts/<int:pk>/", views.account, name="account"),
    path("accounts/<int:pk>/savings/", views.savings_add, name="savings_add"),
    path("savings/<int:pk>/delete/", views.savings_delete, name="savings_delete"),
]
