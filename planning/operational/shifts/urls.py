"""Shift tasks (§5): where they are, a section's month, a task and its steps, the output of
its stubs and the day's report."""

from django.urls import path

from . import views

urlpatterns = [
    path("shifts/", views.shifts_home, name="shifts"),
    path(
        "sections/<int:section_pk>/shifts/<int:period_pk>/",
        views.shift_month,
        name="shift_month",
    ),
    path("shifts/<int:pk>/", views.shift_task, name="shift_task"),
    path("shifts/<int:pk>/items/", views.shift_task_items, name="shift_task_items"),
    path("shifts/<int:pk>/issue/", views.shift_task_issue, name="shift_task_issue"),
    path("shifts/<int:pk>/check/", views.shift_task_check, name="shift_task_check"),
    path("shifts/<int:pk>/sign/", views.shift_task_sign, name="shift_task_sign"),
    path("shifts/<int:pk>/cancel/", views.shift_task_cancel, name="shift_task_cancel"),
    path("shifts/<int:pk>/output/", views.shift_output, name="shift_output"),
    path("shifts/<int:pk>/report/", views.shift_report, name="shift_report"),
    path("shifts/<int:pk>/report.pdf", views.shift_report_pdf, name="shift_report_pdf"),
]
