# Consolidation across institutions; views live in assessments/consolidation/views.py.
from django.urls import path

from assessments.consolidation import views

urlpatterns = [
    path(
        "assessments/<int:pk>/indicators/",
        views.consolidation_list,
        name="consolidation_list",
    ),
    # Before the indicator's pattern, whose <str:code> would take "take-over-all".
    path(
        "assessments/<int:pk>/indicators/take-over-all/",
        views.consolidation_take_over_bulk,
        name="consolidation_take_over_bulk",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/",
        views.consolidation_indicator,
        name="consolidation_indicator",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/take-over/",
        views.consolidation_take_over,
        name="consolidation_take_over",
    ),
]
