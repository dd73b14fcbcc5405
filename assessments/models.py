import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
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


class Evidence(models.Model):
    """A source an answer rests on: a legal citation, a file or a link.

    It belongs to one institution in one assessment and can support several answers.
    """

    class Kind(models.TextChoices):
        CITATION = "citation", _("Legal citation")
        FILE = "file", _("File")
        LINK = "link", _("Link")

    class InstrumentType(models.TextChoices):
        CONSTITUTION = "constitution", _("Constitution")
        LAW = "law", _("Law (Undang-Undang)")
        GOVERNMENT_REGULATION = "government_regulation", _("Government regulation (PP)")
        PRESIDENTIAL_REGULATION = "presidential_regulation", _("Presidential regulation (Perpres)")
        PRESIDENTIAL_DECREE = "presidential_decree", _("Presidential decree (Keppres)")
        MINISTERIAL_REGULATION = "ministerial_regulation", _("Ministerial regulation (Permen)")
        REGIONAL_REGULATION = "regional_regulation", _("Regional regulation (Perda)")
        GOVERNOR_REGULATION = "governor_regulation", _("Governor regulation (Pergub)")
        DECREE = "decree", _("Decree")
        STRATEGY = "strategy", _("Strategy, plan or policy")
        AGREEMENT = "agreement", _("International agreement")
        OTHER = "other", _("Other document")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    instrument_type = models.CharField(
        _("instrument type"), max_length=30, choices=InstrumentType.choices, blank=True
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    article = models.CharField(_("article"), max_length=100, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    content_type = models.CharField(_("file type"), max_length=120, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "instrument_type", "year", "number", "title"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["assessment", "institution"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_with(dict(self.InstrumentType.choices))

    def label_with(self, instrument_labels: dict[str, Any]) -> str:
        """The label, with instrument names looked up in a dict translated once per page."""
        return evidence_label(self, instrument_labels)


def evidence_label(item: Any, instrument_labels: dict[str, Any]) -> str:
    """An evidence item's label ("Law 18/2017: title, Art. 5"), for a model instance or any
    object with its fields (the entry page reads rows, not models)."""
    if item.kind == Evidence.Kind.CITATION:
        parts = [str(instrument_labels.get(item.instrument_type, ""))]
        if item.number and item.year:
            parts.append(f"{item.number}/{item.year}")
        elif item.number or item.year:
            parts.append(str(item.number or item.year))
        label = " ".join(p for p in parts if p)
        label = f"{label}: {item.title}" if label else item.title
        return f"{label}, {item.article}" if item.article else label
    return str(item.title)


class Response(models.Model):
    """One institution's answer to one indicator of an assessment."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")

    Answer = Indicator.Answer
    Coverage = Indicator.Coverage

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="responses")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="responses")
    answer = models.CharField(
        _("answer"), max_length=10, choices=Indicator.Answer.choices, blank=True
    )
    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Indicator.Coverage.choices, blank=True
    )
    justification = models.TextField(_("justification"), blank=True)
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence"), related_name="responses", blank=True
    )

    class ReviewState(models.TextChoices):
        PENDING = "pending", _("Pending review")
        ACCEPTED = "accepted", _("Accepted")
        QUERIED = "queried", _("Queried")
        RETURNED = "returned", _("Returned")
        RESUBMITTED = "resubmitted", _("Resubmitted")

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    review_state = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["assessment", "indicator__order", "institution__acronym"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "institution"], name="response_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} / {self.institution.acronym}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)

    @property
    def is_editable(self) -> bool:
        return response_is_editable(self.state, self.review_state)

    @property
    def awaits_review(self) -> bool:
        return self.state == self.State.SUBMITTED and self.review_state in (
            self.ReviewState.PENDING,
            self.ReviewState.RESUBMITTED,
        )


class Submission(models.Model):
    """An institution submitted its part of the matrix."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submissions")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    response_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.institution_id} submitted {self.assessment_id}"


def _import_path(instance: "MatrixImport", filename: str) -> str:
    return f"imports/{instance.assessment_id}/{uuid.uuid4().hex}.xlsx"


class MatrixImport(models.Model):
    """An uploaded workbook between its preview and its application."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=_import_path)
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class ResponseComment(models.Model):
    """The thread on one answer, between the institution's focal points and the facilitators.

    Review decisions (query, return, accept) and resubmissions appear in it too.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        QUERY = "query", _("Query")
        RETURN = "return", _("Returned for revision")
        ACCEPT = "accept", _("Accepted")
        RESUBMIT = "resubmit", _("Resubmitted")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.kind} on {self.response_id}"


class ConsolidatedAnswer(models.Model):
    """The one answer of the assessment on an indicator, drawn from the institutions' answers."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="consolidated_answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Indicator.Answer.choices)
    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Indicator.Coverage.choices, blank=True
    )
    narrative_en = models.TextField(_("narrative (English)"), blank=True)
    narrative_id = models.TextField(_("narrative (Indonesian)"), blank=True)
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence"), related_name="consolidated_answers", blank=True
    )
    sources = models.ManyToManyField(
        Response, verbose_name=_("drawn from"), related_name="consolidations", blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[evidence, sources])

    class Meta:
        ordering = ["assessment", "indicator__order"]
        verbose_name = _("consolidated answer")
        verbose_name_plural = _("consolidated answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="consolidated_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}: {self.answer}"


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
        _("answer before"), max_length=10, choices=Indicator.Answer.choices, blank=True
    )
    answer = models.CharField(
        _("new answer"), max_length=10, choices=Indicator.Answer.choices, blank=True
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


class DeadlineReminder(models.Model):
    """A deadline reminder sent to an institution, so the daily task sends each one once."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "institution", "deadline"], name="deadline_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.institution_id} {self.deadline}"


def response_is_editable(state: str, review_state: str) -> bool:
    """Drafts, returned answers and queried ones (a query leaves the answer open)."""
    return state in (Response.State.DRAFT, Response.State.RETURNED) or (
        review_state == Response.ReviewState.QUERIED
    )
