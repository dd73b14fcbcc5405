from django.urls import include, path
from rest_framework.routers import DefaultRouter

from assessments.collection.api import router as collection_router
from indicators.api import (
    FrameworkVersionViewSet,
    GCMObjectiveViewSet,
    IndicatorViewSet,
    SDGSubcategoryViewSet,
)
from indicators.instrument_api import LegalInstrumentViewSet
from ministries.api import InstitutionViewSet, ProvinceViewSet
from ministries.api_auth import (
    LogoutAllView,
    LogoutView,
    TokenDetailView,
    TokenListView,
    TokenLoginView,
)

router = DefaultRouter()
router.register("frameworks", FrameworkVersionViewSet, basename="framework")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("gcm-objectives", GCMObjectiveViewSet, basename="gcm-objective")
router.register("sdg-subcategories", SDGSubcategoryViewSet, basename="sdg-subcategory")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("provinces", ProvinceViewSet, basename="province")
router.register("legal-instruments", LegalInstrumentViewSet, basename="legal-instrument")
# Assessments and their answers: routed here so the API root lists them, as it always has.
router.registry.extend(collection_router.registry)

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<str:token_key>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path("", include("assessments.api_urls")),
    path("", include("reports.staff.api")),
    path("", include("reports.archive.api")),
    path("", include("reports.public.api")),
    path("", include("reports.actionplan.api")),
    path("", include("reports.actionplan.review_api")),
    path("", include("reports.actionplan.public_api")),
    path("", include(router.urls)),
]
