from django.urls import path

app_name = "khozraschet"

urlpatterns: list = []

# Each feature's module adds its paths below (kept apart to merge cleanly).

# --- the close (lead) ---
from .views import close as close_views  # noqa: E402

urlpatterns += [
    path("close/<int:year>/<int:month>/", close_views.close, name="close"),
    path("close/<int:year>/<int:month>/start/", close_views.close_start, name="close_start"),
    path("runs/<int:pk>/", close_views.run_detail, name="run_detail"),
    path("runs/<int:pk>/status/", close_views.run_status, name="run_status"),
]
