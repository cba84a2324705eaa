from django.urls import path

from . import views

app_name = "enterprise"
urlpatterns = [
    path("shops/", views.ShopListView.as_view(), name="shop_list"),
    path("shops/<int:pk>/", views.shop_detail, name="shop_detail"),
    path("sections/", views.SectionListView.as_view(), name="section_list"),
    path("sections/<int:pk>/", views.section_detail, name="section_detail"),
    path("workers/", views.WorkerListView.as_view(), name="worker_list"),
    path("workers/new/", views.worker_edit, name="worker_create"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("tariffs/", views.tariff_grid, name="tariff_grid"),
    path("tariffs/new/", views.tariff_rate_create, name="tariff_rate_create"),
    path("scales/", views.StepScaleListView.as_view(), name="scale_list"),
    path("scales/new/", views.scale_edit, name="scale_create"),
    path("scales/<int:pk>/", views.scale_detail, name="scale_detail"),
    path("scales/<int:pk>/edit/", views.scale_edit, name="scale_edit"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/closing/", views.period_closing, name="period_closing"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("periods/<int:pk>/reopen/", views.period_request_reopen, name="period_request_reopen"),
    path("periods/reopenings/<int:pk>/decide/", views.reopening_decide, name="reopening_decide"),
    path("roles/grants/", views.role_grants, name="role_grants"),
]
