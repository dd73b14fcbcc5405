"""The assessment, its workflow log, the survey matrix (assignments) and deadline reminders."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.bilingual import BilingualMixin
from indicators.models import FrameworkVersion, Indicator
from ministries.models import Institution, Province


class Assessment(BilingualMixin, models.Model):
    """One round of an MGI assessment, national or for one province, pinned to a framework."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")

    class Status(models.TextChoices):
        SETUP = "setup", _("Setup")
        DATA_COLLECTION = "data_collection", _("Data collection")
        CROSS_CHECK = "cross_check", _("Cross-check")
        VALIDATION = "validation", _("Validation")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    framework = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("framework version"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_id = models.CharField(_("title (Indonesian)"), max_length=255)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.SETUP
    )
    data_collection_deadline = models.DateField(
        _("data collection deadline"), null=True, blank=True
    )
    validation_deadline = models.DateField(_("validation deadline"), null=True, blank=True)
    participants = models.ManyToManyField(
        Institution,
        verbose_name=_("participating institutions"),
        related_name="assessments",
        blank=True,
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("IOM facilitators"),
        related_name="facilitated_assessments",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(
        _("demonstration data"),
        default=False,
        help_text=_("Pages and PDFs built from it say that it is not official."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "scope", "province__code"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="national", province__isnull=True)
                | models.Q(scope="provincial", province__isnull=False),
                name="assessment_province_matches_scope",
            ),
            models.UniqueConstraint(
                fields=["year", "round"],
                condition=models.Q(scope="national"),
                name="assessment_unique_national_round",
            ),
            models.UniqueConstraint(
                fields=["province", "year", "round"],
                condition=models.Q(scope="provincial"),
                name="assessment_unique_provincial_round",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def is_collecting(self) -> bool:
        return self.status == self.Status.DATA_COLLECTION


class AssessmentStatusChange(models.Model):
    """One move of the workflow: who, when, from, to, and why. Doubles as the audit trail."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=30, choices=Assessment.Status.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=Assessment.Status.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.from_status} → {self.to_status}"


class Assignment(models.Model):
    """A cell of the survey matrix: this institution answers this indicator."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CONTRIBUTOR = "contributor", _("Contributor")

    # No index of its own: `assignment_unique_cell` (assessment, indicator, institution)
    # serves every lookup by assessment.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["assessment", "indicator__order", "institution__acronym"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "institution"], name="assignment_unique_cell"
            ),
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                condition=models.Q(role="lead"),
                name="assignment_one_lead_per_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} → {self.institution.acronym} ({self.role})"


class DeadlineReminder(models.Model):
    """A deadline reminder to an institution, so the daily task sends each one once: claimed
    when its mails are queued, sent once the mail server took one of them (until then a
    claim older than a few hours is queued again)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "institution", "deadline"], name="deadline_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.institution_id} {self.deadline}"
