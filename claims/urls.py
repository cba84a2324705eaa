from django.urls import path

from . import views

app_name = "claims"
urlpatterns = [
    path("", views.ClaimListView.as_view(), name="claim_list"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("new/", views.claim_create, name="claim_create"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/answer/", views.claim_answer, name="claim_answer"),
    path("<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("<int:pk>/act.pdf", views.claim_pdf, name="claim_pdf"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("statement/", views.statement, name="statement"),
    path("statement.pdf", views.statement_pdf, name="statement_pdf"),
    path("types/", views.claim_types, name="claim_types"),
]
