"""Tracking (§6): output entry and import, the section's days, the board, bonus proposals."""

from django.urls import path

from . import views

urlpatterns = [
    path("output/", views.output_home, name="output"),
    path(
        "output/<int:section_pk>/<int:period_pk>/",
        views.output_entry,
        name="output_entry",
    ),
    path("output/import/", views.output_import, name="output_import"),
    path("output/import/confirm/", views.output_import_confirm, name="output_import_confirm"),
    path(
        "sections/<int:section_pk>/days/<int:period_pk>/",
        views.section_days,
        name="section_days",
    ),
    path("board/", views.board_index, name="board_index"),
    path("board/<int:shop_pk>/", views.board, name="board"),
    path("board/<int:shop_pk>/board.pdf", views.board_pdf, name="board_pdf"),
    path("bonuses/", views.bonuses, name="bonuses"),
]
