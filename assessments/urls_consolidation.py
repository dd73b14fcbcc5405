# Consolidation across institutions; views live in assessments/views_consolidation.py.
from django.urls import path

from . import views_consolidation

urlpatterns = [
    path(
        "assessments/<int:pk>/indicators/",
        views_consolidation.consolidation_list,
        name="consolidation_list",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/",
        views_consolidation.consolidation_indicator,
        name="consolidation_indicator",
    ),
    path(
        "assessments/<int:pk>/indicators/<str:code>/take-over/",
        views_consolidation.consolidation_take_over,
        name="consolidation_take_over",
    ),
]
