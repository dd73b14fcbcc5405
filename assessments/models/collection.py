"""Data collection: answers (responses), their evidence, submissions and answers-workbook imports."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.files import XLSX, RandomName, download_name
from indicators.bilingual import active_language
from indicators.instruments import cite
from indicators.models import Indicator, LegalInstrument
from ministries.models import Institution

from .assessment import Assessment


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
    # A citation points at the register (indicators.LegalInstrument); the free-text fields
    # above stay for citations nobody has matched yet ("Citations to resolve").
    instrument = models.ForeignKey(
        LegalInstrument,
        verbose_name=_("legal instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    article = models.CharField(_("article"), max_length=100, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    # Stored under a random name with the extension of the type detected at upload
    # (config/files.py); the name it was uploaded under is `original_name`.
    file = models.FileField(_("file"), upload_to=RandomName("evidence"), blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
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

    @property
    def download_name(self) -> str:
        """The name its file is downloaded under: the uploaded one, its extension that of
        the detected type (config/files.py)."""
        return download_name(self.original_name or self.title, self.content_type)

    def label_with(self, instrument_labels: dict[str, Any]) -> str:
        """The label, with instrument names looked up in a dict translated once per page.

        A citation of the register whose instrument was loaded with it (select_related) is
        cited in the reader's language; otherwise the label is built from the free-text
        fields, which a citation of the register has filled from its instrument (no query
        per item either way)."""
        instrument = self.instrument if Evidence.instrument.is_cached(self) else None
        if instrument is not None:
            return cite(instrument, language=active_language(), article=self.article)
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

    # No index of its own: `response_unique` (assessment, indicator, institution) serves
    # every lookup by assessment, and each further index is written on every insert.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
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
    # A contributor's explicit "my institution has nothing to add on this indicator": it is
    # submitted and reviewed like an answer, and counted as such, never as a blank.
    nothing_to_add = models.BooleanField(_("nothing to add"), default=False)
    # False for a draft the system filled in (carried forward from an earlier round) until a
    # focal point of the institution saves or confirms it: until then it counts as blank.
    confirmed = models.BooleanField(_("confirmed"), default=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried forward from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
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
    # Every save writes a history row (an import, thousands): its indexes are those the
    # history is read by (the answer's `id`, the date, the assessment, who saved), not one
    # per foreign key as simple_history would make.
    history = HistoricalRecords(
        m2m_fields=[evidence],
        no_db_index=["indicator", "institution", "updated_by", "reviewed_by", "carried_from"],
    )

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
    def is_editable(self) -> bool:
        return response_is_editable(self.state, self.review_state)


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


def _import_path(instance: "AnswersWorkbookImport", filename: str) -> str:
    # Named in migrations 0001 to 0005 as `assessments.models._import_path`: keep it
    # importable there. New imports are stored under `RandomName` (migration 0006).
    return f"imports/{instance.assessment_id}/{uuid.uuid4().hex}.xlsx"


class AnswersWorkbookImport(models.Model):
    """A focal point's upload of their institution's answers workbook, between its preview
    and its application (not the coordinator's survey matrix, which is applied at once)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Only workbooks openpyxl could read are kept (answers_workbook_import_create): XLSX.
    file = models.FileField(upload_to=RandomName("imports", XLSX))
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


def response_open_to_institution(assessment_status: str, state: str, review_state: str) -> bool:
    """Whether the institution may change an answer now: any editable answer while data
    collection is open; during the cross-check, one the facilitators returned or queried
    (they asked for a revision, which is then resubmitted)."""
    if not response_is_editable(state, review_state):
        return False
    if assessment_status == Assessment.Status.DATA_COLLECTION:
        return True
    return assessment_status == Assessment.Status.CROSS_CHECK and (
        state == Response.State.RETURNED
        or review_state in (Response.ReviewState.RETURNED, Response.ReviewState.QUERIED)
    )


def response_is_editable(state: str, review_state: str) -> bool:
    """Drafts, returned answers and queried ones (a query leaves the answer open)."""
    return state in (Response.State.DRAFT, Response.State.RETURNED) or (
        review_state == Response.ReviewState.QUERIED
    )
