"""The action plan's API serializers: texts in two languages as {"en": …, "id": …};
institutions by acronym, GCM objectives by number, SDG 10.7.2 sub-categories by code."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.models import Evidence
from indicators.models import GCMObjective, LegalInstrument, SDGSubcategory
from ministries.models import Institution

from .models import ActionItem, ProgressUpdate

BILINGUAL = {
    "type": "object",
    "properties": {"en": {"type": "string"}, "id": {"type": "string"}},
    "required": ["en", "id"],
}
TITLE_LENGTH = 300
DESCRIPTION_LENGTH = 10000


def _bilingual(max_length: int) -> dict[str, Any]:
    text = {"type": "string", "maxLength": max_length}
    return {**BILINGUAL, "properties": {"en": text, "id": text}}


def _slug_schema(max_length: int) -> Any:
    """A slug-related field's schema states the length of its slug."""
    return extend_schema_field({"type": "string", "maxLength": max_length})


@_slug_schema(40)
class InstitutionAcronym(serializers.SlugRelatedField):
    pass


@_slug_schema(50)
class SubcategoryCode(serializers.SlugRelatedField):
    pass


@extend_schema_field(BILINGUAL)
class BilingualText(serializers.Field):
    """{"en": …, "id": …} in and out; stored as `<source>_en` / `<source>_id`."""

    def __init__(self, *, max_length: int | None = None, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj: Any) -> dict[str, str]:
        return {
            "en": getattr(obj, f"{self.field_name}_en"),
            "id": getattr(obj, f"{self.field_name}_id"),
        }

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict) or set(data) - {"en", "id"}:
            raise serializers.ValidationError(_('Give {"en": …, "id": …}.'))
        out = {}
        for language in ("en", "id"):
            value = data.get(language, "")
            if not isinstance(value, str):
                raise serializers.ValidationError(_('Give {"en": …, "id": …}.'))
            if self.max_length and len(value) > self.max_length:
                raise serializers.ValidationError(
                    _("At most %(n)s characters.") % {"n": self.max_length}
                )
            out[f"{self.field_name}_{language}"] = value
        return out


class ItemSerializer(serializers.ModelSerializer):
    title = BilingualText(read_only=True)
    description = BilingualText(read_only=True)
    lead: Any = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    contributors: Any = serializers.SlugRelatedField(
        slug_field="acronym", many=True, read_only=True
    )
    gcm_objectives: Any = serializers.SlugRelatedField(
        slug_field="number", many=True, read_only=True
    )
    sdg_subcategory: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assessment = serializers.IntegerField(source="plan.assessment_id", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "assessment",
            "title",
            "description",
            "kind",
            "status",
            "status_reason",
            "status_note",
            "lead",
            "contributors",
            "gcm_objectives",
            "indicators",
            "dimension",
            "sdg_subcategory",
            "start_date",
            "target_date",
            "finding",
            "public",
            "version",
            "updated_at",
        ]


@extend_schema_field(_bilingual(TITLE_LENGTH))
class BilingualTitle(BilingualText):
    pass


@extend_schema_field(_bilingual(DESCRIPTION_LENGTH))
class BilingualDescription(BilingualText):
    pass


class ItemWriteSerializer(serializers.Serializer):
    title = BilingualTitle(max_length=TITLE_LENGTH, required=False)
    description = BilingualDescription(max_length=DESCRIPTION_LENGTH, required=False)
    kind = serializers.ChoiceField(choices=ActionItem.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False)
    status_reason = serializers.ChoiceField(
        choices=ActionItem.Reason.choices, required=False, allow_blank=True
    )
    status_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    lead = InstitutionAcronym(
        slug_field="acronym", queryset=Institution.objects.all(), required=False
    )
    contributors = InstitutionAcronym(
        slug_field="acronym", queryset=Institution.objects.all(), many=True, required=False
    )
    gcm_objectives = serializers.SlugRelatedField(
        slug_field="number", queryset=GCMObjective.objects.all(), many=True, required=False
    )
    indicators = serializers.ListField(
        child=serializers.CharField(max_length=12), required=False, max_length=200
    )
    dimension = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True)
    sdg_subcategory = SubcategoryCode(
        slug_field="code", queryset=SDGSubcategory.objects.all(), required=False, allow_null=True
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    target_date = serializers.DateField(required=False, allow_null=True)
    public = serializers.BooleanField(required=False)

    def values(self) -> dict[str, Any]:
        """The fields given, as the services take them (texts spread into _en / _id)."""
        out: dict[str, Any] = {}
        for name, value in self.validated_data.items():
            if name in ("version", "finding"):
                continue
            if isinstance(value, dict):
                out.update(value)
            else:
                out[name] = value
        return out


class ItemCreateSerializer(ItemWriteSerializer):
    finding = serializers.IntegerField(
        required=False, help_text="A finding of the published profile to carry over."
    )


class ItemPatchSerializer(ItemWriteSerializer):
    version = serializers.IntegerField(help_text="The version read; a stale one gets 409.")


class UpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name", read_only=True)
    institution: Any = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "kind",
            "text",
            "language",
            "percent",
            "author",
            "institution",
            "evidence",
            "created_at",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_evidence(self, update: ProgressUpdate) -> list[dict[str, Any]]:
        return [
            {"id": e.pk, "kind": e.kind, "label": e.label, "url": e.url or None}
            for e in update.evidence.all()
        ]


class UpdateCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    language = serializers.ChoiceField(choices=ProgressUpdate.Language.choices)
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Evidence.objects.none(), required=False
    )
    evidence_title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    evidence_url = serializers.URLField(required=False, allow_blank=True, max_length=1000)
    instrument = serializers.PrimaryKeyRelatedField(
        queryset=LegalInstrument.objects.all(), required=False, allow_null=True
    )
    article = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = self.context.get("evidence")
        if allowed is not None:
            field: Any = self.fields["evidence"]
            field.child_relation.queryset = allowed

    def link(self) -> dict[str, Any] | None:
        v = self.validated_data
        if not (v.get("evidence_url") or v.get("instrument")):
            return None
        return {
            "title": v.get("evidence_title", ""),
            "url": v.get("evidence_url", ""),
            "instrument": v.get("instrument"),
            "article": v.get("article", ""),
        }
