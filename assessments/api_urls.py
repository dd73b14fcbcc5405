"""The assessments app's API under /api/v1/, one include per stage of the cycle.

The collection stage's router (assessments and their answers) is registered on the API's
root router in config/api_urls.py, after these routes, so the API root lists it.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("assessments.setup.api")),
    path("", include("assessments.collection.api")),  # evidence files; its router: see above
    path("", include("assessments.collection.workbook.api")),
    path("", include("assessments.consolidation.api")),
    path("", include("assessments.validation.api")),
    path("", include("assessments.dashboard.api")),
    path("", include("assessments.review.api")),
]
