from django.urls import path

from . import views, views_reports
from . import views_actions as actions

app_name = "brigades"
urlpatterns = [
    path("", views.BrigadeListView.as_view(), name="brigade_list"),
    path("new/", views.brigade_edit, name="brigade_create"),
    path("<int:pk>/", views.brigade_detail, name="brigade_detail"),
    path("<int:pk>/edit/", views.brigade_edit, name="brigade_edit"),
    path("<int:pk>/members/new/", views.membership_add, name="membership_add"),
    path("members/<int:pk>/change/", views.membership_change, name="membership_change"),
    path("members/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("<int:pk>/posts/new/", views.post_assign, name="post_assign"),
    path("<int:pk>/months/new/", views.distribution_open, name="distribution_open"),
    path("distributions/", views.DistributionListView.as_view(), name="distribution_list"),
    path(
        "distributions/approve/",
        actions.distribution_bulk_approve,
        name="distribution_bulk_approve",
    ),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution_detail"),
    path("distributions/<int:pk>/timesheet/", views.timesheet_edit, name="timesheet_edit"),
    path("distributions/<int:pk>/earnings/", views.earnings_edit, name="earnings_edit"),
    path("distributions/<int:pk>/ktu/<int:worker_pk>/", views.ktu_edit, name="ktu_edit"),
    path("distributions/<int:pk>/agree/", actions.distribution_agree, name="distribution_agree"),
    path(
        "distributions/<int:pk>/approve/",
        actions.distribution_approve,
        name="distribution_approve",
    ),
    path(
        "distributions/<int:pk>/return/",
        actions.distribution_return,
        name="distribution_return",
    ),
    path(
        "distributions/<int:pk>/delete/",
        actions.distribution_delete,
        name="distribution_delete",
    ),
    path(
        "distributions/<int:pk>/correct/",
        actions.distribution_correct,
        name="distribution_correct",
    ),
    path("distributions/<int:pk>/sheet.pdf", views.distribution_pdf, name="distribution_pdf"),
    path("ktu/", views.ktu_settings, name="ktu_settings"),
    path("report/", views_reports.report, name="report"),
]
