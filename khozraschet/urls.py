app_name = "khozraschet"

urlpatterns: list = []

# Each feature's module adds its paths below (kept apart to merge cleanly).
