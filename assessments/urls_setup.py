# Owned by the setup work (assessment page, survey matrix grid and workbook, participants,
# workflow moves). Each view lives in assessments/views_setup.py.
# TEMPORARY placeholders until views_setup.py exists:
from django.http import Http404
from django.urls import path


def _pending(request, pk=None):
    raise Http404


urlpatterns: list = [
    path("assessments/new/", _pending, name="assessment_create"),
    path("assessments/<int:pk>/", _pending, name="assessment_detail"),
]
