"""Steering committee reviews of an action plan.

In Indonesia a programme steering committee, co-chaired by MOFA and the UN Resident
Coordinator, reviews how far the plan has got. A review is the record of one meeting: when,
who chaired, the institutions present, the minutes in both languages, a frozen snapshot of
every item's status at the time (`snapshot`, codes only, shown in the reader's language) and
a decision per item. Its minutes are rendered as PDF by the worker (`ReviewMinutesFile`, one
row per language) and as Excel in the request (review_minutes.py).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.files import PDF, RandomName
from ministries.models import Institution

from .models import ActionItem, ActionPlan


class SteeringReview(models.Model):
    """One meeting of the steering committee on the plan. `version` moves with every saved
    change of its decisions or minutes: a save of a stale version is refused (409)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("date of the meeting"))
    chair = models.CharField(_("chaired by"), max_length=300)
    participants = models.ManyToManyField(
        Institution, verbose_name=_("institutions present"), related_name="steering_reviews"
    )
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    minutes_id = models.TextField(_("minutes (Indonesian)"), blank=True)
    # {"taken_at": ISO time, "items": [{"id", "title_en", "title_id", "kind", "status",
    # "status_reason", "lead", "lead_name_en", "lead_name_id", "target_date", "percent",
    # "gcm", "indicators"}]}: the plan as it stood when the review was recorded.
    snapshot = models.JSONField(_("snapshot of the plan"), default=dict, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["plan", "-held_on", "-pk"]
        verbose_name = _("steering committee review")
        verbose_name_plural = _("steering committee reviews")

    def __str__(self) -> str:
        return f"{self.plan} review {self.held_on:%Y-%m-%d}"

    def minutes(self, language: str) -> str:
        return self.minutes_id if language == "id" and self.minutes_id else self.minutes_en

    @property
    def snapshot_items(self) -> list[dict]:
        return list((self.snapshot or {}).get("items", []))


class ReviewDecision(models.Model):
    """The committee's decision on one item of the snapshot (blank until it is set). The item
    may be deleted later; `item_key` keeps its place in the snapshot."""

    class Decision(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        NEEDS_ATTENTION = "needs_attention", _("Needs attention")
        REPLANNED = "replanned", _("Re-planned")

    review = models.ForeignKey(SteeringReview, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_decisions",
    )
    item_key = models.PositiveIntegerField(_("action number in the snapshot"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(fields=["review", "item_key"], name="review_decision_item")
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.item_key} {self.decision}"


class ReviewMinutesFile(models.Model):
    """The minutes of a review as a PDF in one language, rendered by a Celery worker; one
    row per (review, language), rendered again on request. `review_version` is the review's
    version the file was made from: an older one is marked out of date on the page."""

    class Language(models.TextChoices):
        EN = "en", "English"
        ID = "id", "Bahasa Indonesia"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    review = models.ForeignKey(SteeringReview, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    # A random name (config/files.py); downloaded under review_minutes.minutes_filename.
    file = models.FileField(_("file"), upload_to=RandomName("review-minutes", PDF), blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    review_version = models.PositiveIntegerField(_("review version"), default=1)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["review", "language"]
        verbose_name = _("review minutes file")
        verbose_name_plural = _("review minutes files")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "language"], name="review_minutes_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review} [{self.language}] {self.status}"

    @property
    def pending(self) -> bool:
        """Queued or rendering, and not for longer than the task may run: one older than that
        lost its task or its worker, and may be asked for again."""
        if self.status not in (self.Status.QUEUED, self.Status.RENDERING):
            return False
        since = self.started_at or self.requested_at
        limit = datetime.timedelta(seconds=settings.PROFILE_RENDER_TIME_LIMIT + 60)
        return since is None or timezone.now() - since < limit
