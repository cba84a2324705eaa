app_name = "khozraschet"

urlpatterns: list = []

# Each feature's module adds its paths below (kept apart to merge cleanly).

# --- results (khz-pages) ---
from django.urls import path  # noqa: E402

from .views import results as result_views  # noqa: E402

urlpatterns += [
    path("", result_views.index, name="index"),
    path(
        "sections/<int:section_pk>/<int:year>/<int:month>/",
        result_views.section_month,
        name="section_month",
    ),
    path(
        "sections/<int:section_pk>/<int:year>/<int:month>/pdf/",
        result_views.section_month_pdf,
        name="section_month_pdf",
    ),
    path("shops/<int:shop_pk>/<int:year>/<int:month>/", result_views.shop_month, name="shop_month"),
    path("plant/<int:year>/<int:month>/", result_views.plant_month, name="plant_month"),
    path("board/", result_views.board_index, name="board_index"),
    path("board/<int:shop_pk>/<int:year>/<int:month>/", result_views.board, name="board"),
]
