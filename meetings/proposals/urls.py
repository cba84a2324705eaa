"""URLs of the workers' proposals (namespace "meetings": meetings/urls.py includes them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/overdue/", views.OverdueListView.as_view(), name="proposal_overdue"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/pass/", views.proposal_pass, name="proposal_pass"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("proposals/<int:pk>/implement/", views.proposal_implement, name="proposal_implement"),
    path("proposals/<int:pk>/drop/", views.proposal_drop, name="proposal_drop"),
    path("proposals/<int:pk>/attach/", views.proposal_attach, name="proposal_attach"),
    path("proposals/<int:pk>/measure/", views.proposal_measure, name="proposal_measure"),
    path(
        "proposals/documents/<int:pk>/",
        views.document_download,
        name="proposal_document_download",
    ),
]
