"""Validation (the focus group discussion): sessions, decisions and the snapshots approval freezes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from ministries.models import Institution

from .assessment import Assessment
from .consolidation import ConsolidatedAnswer


class ValidationSession(models.Model):
    """A validation meeting (the focus group discussion) and what it decided."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="validation_sessions"
    )
    held_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    place = models.CharField(_("place"), max_length=255, blank=True)
    participant_count = models.PositiveIntegerField(_("number of participants"))
    institutions = models.ManyToManyField(
        Institution, verbose_name=_("institutions present"), related_name="+", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("validation session")
        verbose_name_plural = _("validation sessions")

    def __str__(self) -> str:
        return f"{self.assessment_id} FGD {self.held_on}"


class ValidationDecision(models.Model):
    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CHANGED = "changed", _("Changed")

    session = models.ForeignKey(
        ValidationSession, on_delete=models.CASCADE, related_name="decisions"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    previous_answer = models.CharField(
        _("answer before"), max_length=10, choices=ConsolidatedAnswer.Answer.choices, blank=True
    )
    answer = models.CharField(
        _("new answer"), max_length=10, choices=ConsolidatedAnswer.Answer.choices, blank=True
    )
    coverage = models.CharField(
        _("new coverage"), max_length=10, choices=Indicator.Coverage.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "indicator__order"]
        verbose_name = _("validation decision")
        verbose_name_plural = _("validation decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "indicator"], name="validation_decision_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(decision="confirmed")
                | (~models.Q(answer="") & ~models.Q(reason="")),
                name="validation_change_has_answer_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.decision}"


class Snapshot(models.Model):
    """The validated dataset, frozen when the validation is approved. Profiles are built from it.

    `data` never changes once written; a reopened and re-approved assessment gets the next
    number, and earlier snapshots stay readable.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    number = models.PositiveIntegerField(_("number"))
    data = models.JSONField(_("data"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "-number"]
        get_latest_by = "number"
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="snapshot_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} snapshot {self.number}"
