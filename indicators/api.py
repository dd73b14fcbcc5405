import django_filters
from django.db.models import Count, QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .bilingual import bilingual_field
from .models import FrameworkVersion, GCMObjective, Indicator, SDGSubcategory
from .selectors import SDG_WITH_DOMAIN, indicator_search_q


class FrameworkVersionSerializer(serializers.ModelSerializer):
    title = bilingual_field("title")
    description = bilingual_field("description")
    indicator_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = FrameworkVersion
        fields = ["code", "level", "year", "title", "description", "indicator_count"]


class GCMObjectiveSerializer(serializers.ModelSerializer):
    title = bilingual_field("title")

    class Meta:
        model = GCMObjective
        fields = ["number", "title"]


class SDGSubcategorySerializer(serializers.ModelSerializer):
    name = bilingual_field("name")
    domain = serializers.CharField(source="domain.code", read_only=True)
    domain_name = serializers.SerializerMethodField()

    class Meta:
        model = SDGSubcategory
        fields = ["code", "domain", "domain_name", "name"]

    def get_domain_name(self, obj: SDGSubcategory) -> dict[str, str]:
        return {"en": obj.domain.name_en, "id": obj.domain.name_id}


class DimensionRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = bilingual_field("name")


class SubAreaRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = bilingual_field("name")


class IndicatorSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code", read_only=True)
    dimension = DimensionRefSerializer(read_only=True)
    subarea = SubAreaRefSerializer(read_only=True)
    question = bilingual_field("question")
    guidance = bilingual_field("guidance")
    answers = serializers.SerializerMethodField()
    gcm_objectives = GCMObjectiveSerializer(many=True, read_only=True)
    sdg_subcategories = SDGSubcategorySerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "framework",
            "dimension",
            "subarea",
            "question",
            "guidance",
            "answers",
            "has_coverage",
            "national_competence",
            "national_code",
            "gcm_objectives",
            "sdg_subcategories",
        ]

    def get_subarea(self, obj: Indicator) -> dict[str, object]:
        return {
            "code": obj.subarea.code,
            "name": {"en": obj.subarea.name_en, "id": obj.subarea.name_id},
        }

    def get_answers(self, obj: Indicator) -> list[str]:
        return [value for value, _label in obj.answer_choices()]


class FrameworkVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Framework versions (public)."""

    serializer_class = FrameworkVersionSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    filterset_fields = ["level", "year"]

    def get_queryset(self) -> QuerySet[FrameworkVersion]:
        return FrameworkVersion.objects.annotate(indicator_count=Count("indicators")).order_by(
            "-year", "level", "code"
        )


class IndicatorFilter(django_filters.FilterSet):
    framework = django_filters.CharFilter(field_name="framework__code", required=False)
    dimension = django_filters.NumberFilter(field_name="dimension__number")
    gcm = django_filters.NumberFilter(field_name="gcm_objectives__number")
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Indicator
        fields = ["framework", "dimension", "gcm", "q"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        return queryset.filter(indicator_search_q(value)).distinct()


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicators of every framework version (public); filter with `?framework=<code>`."""

    serializer_class = IndicatorSerializer
    permission_classes = [AllowAny]
    filterset_class = IndicatorFilter

    def get_queryset(self) -> QuerySet[Indicator]:
        return (
            Indicator.objects.select_related("framework", "dimension", "subarea")
            .prefetch_related("gcm_objectives", SDG_WITH_DOMAIN)
            .order_by("framework__code", "order")
        )


class GCMObjectiveViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GCMObjectiveSerializer
    permission_classes = [AllowAny]
    queryset = GCMObjective.objects.all()
    lookup_field = "number"
    pagination_class = None


class SDGSubcategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SDGSubcategorySerializer
    permission_classes = [AllowAny]
    queryset = SDGSubcategory.objects.select_related("domain")
    lookup_field = "code"
    pagination_class = None
