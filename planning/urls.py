"""The URLs of planning, one module per feature, all in the namespace "planning"."""

from planning.measures import urls as measures
from planning.operational import urls as operational
from planning.operational.shifts import urls as shifts
from planning.plans import urls as plans
from planning.tracking import urls as tracking

app_name = "planning"
urlpatterns = [
    *plans.urlpatterns,
    *tracking.urlpatterns,
    *measures.urlpatterns,
    *operational.urlpatterns,
    *shifts.urlpatterns,
    *plans.print_urlpatterns,
]
