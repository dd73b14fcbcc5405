from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from indicators.bilingual import bilingual_field

from .models import Institution, Province


class ProvinceSerializer(serializers.ModelSerializer):
    name = bilingual_field("name")

    class Meta:
        model = Province
        fields = ["code", "name"]


class InstitutionSerializer(serializers.ModelSerializer):
    name = bilingual_field("name")
    province = serializers.CharField(
        source="province.code", read_only=True, default=None, allow_null=True
    )
    successor = serializers.CharField(
        source="successor.acronym", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Institution
        fields = [
            "acronym",
            "name",
            "level",
            "kind",
            "province",
            "website",
            "valid_from",
            "valid_to",
            "successor",
        ]


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """Ministries, agencies and provincial institutions (public reference data)."""

    serializer_class = InstitutionSerializer
    permission_classes = [AllowAny]
    lookup_field = "acronym"
    filterset_fields = ["level", "kind", "province__code"]

    def get_queryset(self) -> QuerySet[Institution]:
        return Institution.objects.select_related("province", "successor")


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProvinceSerializer
    permission_classes = [AllowAny]
    queryset = Province.objects.all()
    lookup_field = "code"
    pagination_class = None
