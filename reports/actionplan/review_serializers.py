"""The steering committee reviews' API serializers: minutes as {"en": …, "id": …},
institutions by acronym, the frozen snapshot as it was stored (codes), a decision per item."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config import text as text_rules
from ministries.models import Institution

from .review_models import ReviewDecision, ReviewMinutesFile, SteeringReview
from .review_services import CHAIR_LENGTH
from .serializers import BilingualText, InstitutionAcronym, _bilingual

SNAPSHOT_ITEM = {
    "type": "object",
    "description": "An action as it stood when the review was recorded (codes).",
    "properties": {
        "id": {"type": "integer"},
        "title_en": {"type": "string"},
        "title_id": {"type": "string"},
        "kind": {"type": "string"},
        "status": {"type": "string"},
        "status_reason": {"type": "string"},
        "lead": {"type": "string"},
        "lead_name_en": {"type": "string"},
        "lead_name_id": {"type": "string"},
        "target_date": {"type": "string", "format": "date", "nullable": True},
        "percent": {"type": "integer", "nullable": True},
        "gcm": {"type": "array", "items": {"type": "integer"}},
        "indicators": {"type": "array", "items": {"type": "string"}},
    },
}


@extend_schema_field(_bilingual(text_rules.MINUTES))
class BilingualMinutes(BilingualText):
    pass


class ReviewDecisionSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_key", read_only=True)

    class Meta:
        model = ReviewDecision
        fields = ["item", "decision", "note"]


class ReviewMinutesFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewMinutesFile
        fields = ["language", "status", "review_version", "error", "requested_at", "finished_at"]


class ReviewSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="plan.assessment_id", read_only=True)
    participants: Any = serializers.SlugRelatedField(
        slug_field="acronym", many=True, read_only=True
    )
    minutes = BilingualText(read_only=True)
    snapshot = serializers.SerializerMethodField()
    decisions = ReviewDecisionSerializer(many=True, read_only=True)
    minutes_files = ReviewMinutesFileSerializer(source="files", many=True, read_only=True)

    class Meta:
        model = SteeringReview
        fields = [
            "id",
            "assessment",
            "held_on",
            "chair",
            "participants",
            "minutes",
            "snapshot",
            "decisions",
            "minutes_files",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field({"type": "array", "items": SNAPSHOT_ITEM})
    def get_snapshot(self, review: SteeringReview) -> list[dict[str, Any]]:
        return review.snapshot_items


class ReviewCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    chair = serializers.CharField(max_length=CHAIR_LENGTH)
    participants = InstitutionAcronym(
        slug_field="acronym", queryset=Institution.objects.all(), many=True
    )
    minutes = BilingualMinutes(max_length=text_rules.MINUTES, required=False)


class ReviewDecisionWriteSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="The action's id in the review's snapshot.")
    decision = serializers.ChoiceField(choices=ReviewDecision.Decision.choices, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=text_rules.NOTE)


class ReviewPatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version read; a stale one gets 409.")
    decisions = ReviewDecisionWriteSerializer(many=True, required=False)
    minutes = BilingualMinutes(max_length=text_rules.MINUTES, required=False)

    def validate_decisions(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items = [d["item"] for d in value]
        if len(items) != len(set(items)):
            raise serializers.ValidationError(_("Each action appears once."))
        return value


class ReviewMinutesRequestSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=ReviewMinutesFile.Language.choices)
