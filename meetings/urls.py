"""URLs of production commissions, meetings and their statistics (namespace "meetings")."""

from django.urls import path

from . import views
from .proposals import urls as proposal_urls

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("commissions/", views.commission_list, name="commission_list"),
    path("commissions/new/", views.commission_edit, name="commission_create"),
    path("commissions/<int:pk>/", views.commission_detail, name="commission_detail"),
    path("commissions/<int:pk>/edit/", views.commission_edit, name="commission_edit"),
    path(
        "commissions/<int:commission_pk>/members/new/",
        views.member_edit,
        name="member_create",
    ),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "commissions/<int:commission_pk>/meetings/new/",
        views.meeting_edit,
        name="meeting_create",
    ),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("<int:pk>/invitations/", views.invitation_add, name="invitation_add"),
    path("invitations/<int:pk>/remove/", views.invitation_remove, name="invitation_remove"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<int:pk>/decisions/", views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/done/", views.decision_done, name="decision_done"),
    path("<int:pk>/requests/", views.request_add, name="request_add"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("statistics/", views.stats, name="stats"),
    path("statistics/pdf/", views.stats_pdf, name="stats_pdf"),
]

# the workers' proposals (meetings/proposals/)
urlpatterns += proposal_urls.urlpatterns
