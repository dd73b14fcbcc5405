from django.urls import include, path
from rest_framework.routers import DefaultRouter

from assessments.api import AssessmentViewSet, ResponseViewSet
from indicators.api import (
    FrameworkVersionViewSet,
    GCMObjectiveViewSet,
    IndicatorViewSet,
    SDGSubcategoryViewSet,
)
from ministries.api import InstitutionViewSet, ProvinceViewSet, TokenLoginView

router = DefaultRouter()
router.register("frameworks", FrameworkVersionViewSet, basename="framework")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("gcm-objectives", GCMObjectiveViewSet, basename="gcm-objective")
router.register("sdg-subcategories", SDGSubcategoryViewSet, basename="sdg-subcategory")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("provinces", ProvinceViewSet, basename="province")
router.register("assessments", AssessmentViewSet, basename="api-assessment")
router.register("responses", ResponseViewSet, basename="api-response")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("", include("assessments.api_setup")),
    path("", include("assessments.api_workbook")),
    path("", include("assessments.api_consolidation")),
    path("", include("assessments.api_validation")),
    path("", include("assessments.api_dashboard")),
    path("", include("reports.api_staff")),
    path("", include("reports.api_public")),
    path("", include(router.urls)),
]
