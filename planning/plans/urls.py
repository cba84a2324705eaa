"""URLs of personal plans and of their sheets (namespace "planning")."""

from django.urls import path

from .views import plans as views
from .views import sheets, signing

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("checks/", views.plan_checks, name="plan_checks"),
    path("sections/<int:pk>/", views.section_plans, name="section_plans"),
    path("sections/<int:pk>/task/", views.section_task_edit, name="section_task_edit"),
    path("sections/<int:pk>/sign/", signing.section_sign, name="section_sign"),
    path("workers/<int:worker_pk>/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/agree/", signing.plan_agree, name="plan_agree"),
    path("plans/<int:pk>/sign/", signing.plan_sign, name="plan_sign"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan_revise"),
]

# One worker's sheet as PDF, batches printed in the background.
print_urlpatterns = [
    path("plans/<int:pk>/pdf/", sheets.plan_pdf, name="plan_pdf"),
    path("print/", sheets.print_list, name="print_list"),
    path("print/new/", sheets.print_create, name="print_create"),
    path("print/<int:pk>/", sheets.print_detail, name="print_detail"),
    path("print/<int:pk>/status/", sheets.print_status, name="print_status"),
    path("print/<int:pk>/resume/", sheets.print_resume, name="print_resume"),
    path("print/<int:pk>/download/", sheets.print_download, name="print_download"),
]
