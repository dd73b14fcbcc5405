from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from indicators.bilingual import bilingual_field

from .models import Institution, Province


class ProvinceSerializer(serializers.ModelSerializer):
    name = bilingual_field("name")

    class Meta:
        model = Province
        fields = ["code", "name"]


class InstitutionSerializer(serializers.ModelSerializer):
    name = bilingual_field("name")
    province = serializers.CharField(source="province.code", read_only=True, default=None)
    successor = serializers.CharField(source="successor.acronym", read_only=True, default=None)

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


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenLoginView(APIView):
    """Exchange a username and password for an API token (`Authorization: Token ...`)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenResponseSerializer})
    def post(self, request: Request) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
