from django.urls import path

app_name = "khozraschet"

urlpatterns: list = []

# Each feature's module adds its paths below (kept apart to merge cleanly).

# --- the close (lead) ---
from .views import close as close_views  # noqa: E402

urlpatterns += [
    path("close/", close_views.close_index, name="close_index"),
    path("close/<int:year>/<int:month>/", close_views.close, name="close"),
    path("close/<int:year>/<int:month>/start/", close_views.close_start, name="close_start"),
    path("runs/<int:pk>/", close_views.run_detail, name="run_detail"),
    path("runs/<int:pk>/status/", close_views.run_status, name="run_status"),
]

# --- months (khz-entry) ---
from .views import months as months_views  # noqa: E402

_MONTH = "sections/<int:section_pk>/<int:year>/<int:month>/"
urlpatterns += [
    path(f"{_MONTH}edit/", months_views.month_entry, name="month_entry"),
    path(f"{_MONTH}indicators/", months_views.month_indicators, name="month_indicators"),
    path(f"{_MONTH}sheet/", months_views.month_sheet, name="month_sheet"),
    path(f"{_MONTH}idle/", months_views.month_idle, name="month_idle"),
    path(f"{_MONTH}energy/", months_views.month_energy, name="month_energy"),
    path("funds/<int:year>/<int:month>/", months_views.funds, name="funds"),
]

# --- costs and sections (khz-costs) ---
from .views import costs as costs_views  # noqa: E402
from .views import sections as sections_views  # noqa: E402

_MONTH = "sections/<int:section_pk>/<int:year>/<int:month>/"

urlpatterns += [
    path(f"{_MONTH}costs/", costs_views.cost_plan, name="costs"),
    path(f"{_MONTH}costs/corrections/", costs_views.correction_add, name="correction_add"),
    path(
        f"{_MONTH}costs/corrections/<int:pk>/delete/",
        costs_views.correction_delete,
        name="correction_delete",
    ),
    path(f"{_MONTH}costs/explanations/", costs_views.explanations, name="explanations"),
    path(
        f"{_MONTH}costs/explanations/<int:pk>/",
        costs_views.explanation_edit,
        name="explanation_edit",
    ),
    path(f"{_MONTH}time-study/", sections_views.time_study, name="time_study"),
    path("sections/<int:section_pk>/passport/", sections_views.passport, name="passport"),
    path(
        "sections/<int:section_pk>/passport/profile/",
        sections_views.profile_save,
        name="profile_save",
    ),
    path(
        "sections/<int:section_pk>/passport/new/",
        sections_views.passport_add,
        name="passport_add",
    ),
    path(
        "sections/<int:section_pk>/passport/<int:pk>/",
        sections_views.passport_edit,
        name="passport_edit",
    ),
]

# --- results (khz-pages) ---
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
