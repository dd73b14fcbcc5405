"""The action plan of an assessment whose profile is published: what the government does
about the findings, and how far it has got.

An item answers a finding (usually an "area with potential for further development") or is
added by hand; items of kind `data_statistics` form the data roadmap (One Data on
International Migration, SDMI). Items carry a version: a save of a stale version is refused
(409), as for answers. Every change is kept by simple_history with who, when and why (the
reason a code of reasons.py, shown in the reader's language).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Evidence
from indicators.models import GCMObjective, SDGSubcategory
from ministries.models import Institution


class ActionPlan(models.Model):
    """One assessment's plan; public once its coordinator publishes it."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="action_plan"
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved by every change to the plan, its items and their updates: the public page's
    # cache follows it (reports/selectors.public_profile_version).
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.assessment} action plan"


class ActionItem(models.Model):
    class Kind(models.TextChoices):
        POLICY_LEGAL = "policy_legal", _("Policy or legal change")
        INSTITUTIONAL = "institutional", _("Institutional arrangement")
        PROGRAMME = "programme", _("Programme")
        DATA_STATISTICS = "data_statistics", _("Data and statistics")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        DROPPED = "dropped", _("Dropped")

    class Reason(models.TextChoices):
        """Why an item is delayed or dropped (with the coordinator's own words beside)."""

        RESOURCES = "resources", _("Resources not available")
        MANDATE = "mandate", _("Mandate or responsibility changed")
        DEPENDENCY = "dependency", _("Waiting for another action")
        PRIORITY = "priority", _("Priorities changed")
        SUPERSEDED = "superseded", _("Replaced by another action")
        OTHER = "other", _("Other reason")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    lead = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        related_name="led_action_items",
    )
    contributors = models.ManyToManyField(
        Institution,
        verbose_name=_("contributing institutions"),
        related_name="contributed_action_items",
        blank=True,
    )
    gcm_objectives = models.ManyToManyField(
        GCMObjective, verbose_name=_("GCM objectives"), related_name="action_items", blank=True
    )
    indicators = models.JSONField(_("MGI indicators"), default=list, blank=True)
    dimension = models.PositiveSmallIntegerField(_("dimension"), null=True, blank=True)
    sdg_subcategory = models.ForeignKey(
        SDGSubcategory,
        verbose_name=_("SDG 10.7.2 sub-category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    status_reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    status_note = models.TextField(_("reason in your words"), blank=True)
    finding = models.ForeignKey(
        "reports.Finding",
        verbose_name=_("finding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    public = models.BooleanField(_("shown on the public page"), default=True)
    # The deadline reminder (reminders.py): claimed when queued, and the target date it was
    # sent for once the mail server took it (a new target date is reminded again).
    reminder_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[contributors, gcm_objectives])

    class Meta:
        ordering = ["plan", "target_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return self.title_en[:80]

    def title(self, language: str) -> str:
        return self.title_id if language == "id" and self.title_id else self.title_en

    def description(self, language: str) -> str:
        return (
            self.description_id if language == "id" and self.description_id else self.description_en
        )


class ProgressUpdate(models.Model):
    """A focal point's progress on an item, or a facilitator's or coordinator's comment."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress update")
        COMMENT = "comment", _("Comment")

    class Language(models.TextChoices):
        EN = "en", "English"
        ID = "id", "Bahasa Indonesia"

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    text = models.TextField(_("text"))
    language = models.CharField(_("written in"), max_length=5, choices=Language.choices)
    percent = models.PositiveSmallIntegerField(
        _("percent done"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence"), related_name="action_updates", blank=True
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["item", "-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100),
                name="progress_percent_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.created_at:%Y-%m-%d}"
