"""Plan sheets: one worker's sheet as PDF, batches printed in the background."""

from django.urls import path

from . import views_print

urlpatterns = [
    path("plans/<int:pk>/pdf/", views_print.plan_pdf, name="plan_pdf"),
    path("print/", views_print.print_list, name="print_list"),
    path("print/new/", views_print.print_create, name="print_create"),
    path("print/<int:pk>/", views_print.print_detail, name="print_detail"),
    path("print/<int:pk>/status/", views_print.print_status, name="print_status"),
    path("print/<int:pk>/resume/", views_print.print_resume, name="print_resume"),
    path("print/<int:pk>/download/", views_print.print_download, name="print_download"),
]
