from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Snapshot
from config.files import PDF, ZIP, RandomName


class Profile(models.Model):
    """One version of an assessment's MGI profile, built from one frozen snapshot.

    A correction is a new version; the old one stays listed as superseded.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="profiles")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="profiles")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    correction_note = models.TextField(_("what this version corrects"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    embargo_until = models.DateTimeField(_("publish on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The launch: MOFA's public event (for example "Public discussion, Jakarta, 12 June 2024").
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    launch_event_en = models.CharField(_("launch event (English)"), max_length=300, blank=True)
    launch_event_id = models.CharField(_("launch event (Indonesian)"), max_length=300, blank=True)
    # The cover's year: IOM titles a profile by its year of publication, not of assessment.
    publication_year = models.PositiveSmallIntegerField(
        _("publication year"), null=True, blank=True
    )

    class Meta:
        ordering = ["assessment", "-version"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="profile_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} v{self.version}"


class Finding(models.Model):
    """A key finding of one dimension: drafted from the answers, then edited by people."""

    class Kind(models.TextChoices):
        WELL_DEVELOPED = "well_developed", _("Well-developed area")
        FURTHER_DEVELOPMENT = (
            "further_development",
            _("Area with potential for further development"),
        )

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="findings")
    dimension = models.PositiveSmallIntegerField(_("dimension"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    indicators = models.JSONField(_("indicators"), default=list)
    text_en = models.TextField(_("text (English)"))
    text_id = models.TextField(_("text (Indonesian)"))
    # The language each text was written in: a text whose language is not its field's
    # ("en" in text_id) was copied across and needs translation until a person confirms it.
    text_en_language = models.CharField(max_length=5, blank=True, default="en")
    text_id_language = models.CharField(max_length=5, blank=True, default="id")
    # What the finding rests on: {indicator code: answer value} when drafted or last revised.
    basis = models.JSONField(_("answers it rests on"), default=dict, blank=True)
    # Set when an answer in `basis` changed (validation, erratum): [{code, was, now}].
    stale = models.BooleanField(_("stale"), default=False)
    stale_changes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile", "dimension", "kind", "order", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.dimension} {self.kind}: {self.text_en[:40]}"


class ProfileSection(models.Model):
    """An edited part of the publication (cover, acknowledgements, introduction, ...).

    Drafted with a default text in both languages when the version is made; the coordinator
    and the facilitators edit it. `dimension` is set for per-dimension parts (a chapter's
    introduction, "developments since the last assessment") and null otherwise.
    """

    class Key(models.TextChoices):
        COVER = "cover", _("Cover")
        PUBLISHER = "publisher", _("Publisher and disclaimer")
        ACKNOWLEDGEMENTS = "acknowledgements", _("Acknowledgements")
        OBJECTIVES = "objectives", _("Objectives")
        INTRODUCTION = "introduction", _("Introduction")
        CONTEXT = "context", _("Migration context")
        KEY_FINDINGS = "key_findings", _("Summary of key findings")
        CHAPTER = "chapter", _("Dimension chapter introduction")
        DEVELOPMENTS = "developments", _("Developments since the last assessment")
        ANNEX_MIGOF = "annex_migof", _("Annex: the Migration Governance Framework")
        ANNEX_METHODOLOGY = "annex_methodology", _("Annex: methodology")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=30, choices=Key.choices)
    dimension = models.PositiveSmallIntegerField(_("dimension"), null=True, blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_id = models.TextField(_("text (Indonesian)"), blank=True)
    text_en_language = models.CharField(max_length=5, blank=True, default="en")
    text_id_language = models.CharField(max_length=5, blank=True, default="id")
    order = models.PositiveIntegerField(default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["profile", "order", "dimension", "pk"]
        verbose_name = _("profile section")
        verbose_name_plural = _("profile sections")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "key", "dimension"],
                name="section_unique_key",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.key} {self.dimension or ''}".strip()


class ContextFigure(models.Model):
    """A figure of the migration-context table, with its source and year."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="context_figures")
    label_en = models.CharField(_("figure (English)"), max_length=200)
    label_id = models.CharField(_("figure (Indonesian)"), max_length=200)
    value = models.CharField(_("value"), max_length=60)
    source = models.CharField(_("source"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["profile", "order", "pk"]
        verbose_name = _("context figure")
        verbose_name_plural = _("context figures")

    def __str__(self) -> str:
        return f"{self.label_en}: {self.value} ({self.year})"


class LaunchHandover(models.Model):
    """The national coordinator hands one provincial round's launch to its province."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="launch_handover"
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    handed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("launch handover")
        verbose_name_plural = _("launch handovers")

    def __str__(self) -> str:
        return f"{self.assessment_id} launch handed over"


class ProfileRender(models.Model):
    """A PDF of one profile version in one language, rendered by a Celery worker.

    One row per (profile, language): rendering the same snapshot, language and version
    again replaces the file, it never adds a second one.
    """

    class Language(models.TextChoices):
        EN = "en", "English"
        ID = "id", "Bahasa Indonesia"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="renders")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    # A random name (config/files.py); it is downloaded as `exports.filename(...)`.
    file = models.FileField(_("file"), upload_to=RandomName("profiles", PDF), blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["profile", "language"]
        verbose_name = _("profile render")
        verbose_name_plural = _("profile renders")
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="render_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.profile} [{self.language}] {self.status}"

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class RoundArchive(models.Model):
    """The archive of one round for a national archive: a zipped BagIt bag (RFC 8493) of
    everything the round holds, built by a Celery worker (reports/archive/).

    One row per request: an archive is a record of the round at the time it was built, and
    an earlier one stays downloadable beside a newer one.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="archives")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=RandomName("archives", ZIP), blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    file_count = models.PositiveIntegerField(_("files"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "-requested_at", "-pk"]
        verbose_name = _("round archive")
        verbose_name_plural = _("round archives")

    def __str__(self) -> str:
        return f"{self.assessment} archive {self.pk} {self.status}"

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


# The action plan (issue 14) lives in its own package; imported here so Django sees its models.
from .actionplan.models import ActionItem, ActionPlan, ProgressUpdate  # noqa: E402
from .actionplan.review_models import (  # noqa: E402
    ReviewDecision,
    ReviewMinutesFile,
    SteeringReview,
)

__all__ = [
    "ActionItem",
    "ActionPlan",
    "ContextFigure",
    "Finding",
    "LaunchHandover",
    "Profile",
    "ProfileRender",
    "ProfileSection",
    "ProgressUpdate",
    "ReviewDecision",
    "ReviewMinutesFile",
    "RoundArchive",
    "SteeringReview",
]
