"""The legal-instrument register in the API: public reference data, read only (laws and
regulations are public); each instrument with its citation in both languages."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from . import instruments
from .models import LegalInstrument


class LegalInstrumentSerializer(serializers.ModelSerializer):
    issuer: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="acronym", read_only=True, allow_null=True
    )
    reference = serializers.SerializerMethodField(
        help_text="The short form the entry page and the answers workbook accept (UU 18/2017)."
    )
    citation = serializers.SerializerMethodField()

    class Meta:
        model = LegalInstrument
        fields = [
            "id",
            "kind",
            "number",
            "year",
            "issuer",
            "issuer_name_en",
            "issuer_name_id",
            "title_id",
            "title_en",
            "enacted_on",
            "url",
            "amends",
            "relation",
            "reference",
            "citation",
        ]

    def get_reference(self, obj: LegalInstrument) -> str:
        return instruments.reference(obj)

    @extend_schema_field(
        {"type": "object", "properties": {"en": {"type": "string"}, "id": {"type": "string"}}}
    )
    def get_citation(self, obj: LegalInstrument) -> dict[str, str]:
        return {lang: instruments.cite(obj, language=lang) for lang in ("en", "id")}


class LegalInstrumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Words of the title or the number")

    class Meta:
        model = LegalInstrument
        fields = ["kind", "year"]

    def search(self, queryset: QuerySet[LegalInstrument], name: str, value: Any) -> Any:
        words = str(value).split()[:8]
        for word in words:
            queryset = queryset.filter(
                Q(title_id__icontains=word) | Q(title_en__icontains=word) | Q(number=word)
            )
        return queryset


class LegalInstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The register of laws, regulations and treaties that legal citations point at."""

    serializer_class = LegalInstrumentSerializer
    permission_classes = [AllowAny]
    filterset_class = LegalInstrumentFilter

    def get_queryset(self) -> QuerySet[LegalInstrument]:
        return instruments.register().order_by("kind", "year", "number", "pk")
