from django.urls import path

from . import urls_measures, urls_print, urls_tracking, views

app_name = "planning"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("checks/", views.plan_checks, name="plan_checks"),
    path("sections/<int:pk>/", views.section_plans, name="section_plans"),
    path("sections/<int:pk>/task/", views.section_task_edit, name="section_task_edit"),
    path("workers/<int:worker_pk>/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/agree/", views.plan_agree, name="plan_agree"),
    path("plans/<int:pk>/sign/", views.plan_sign, name="plan_sign"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan_revise"),
    *urls_tracking.urlpatterns,
    *urls_measures.urlpatterns,
    *urls_print.urlpatterns,
]
