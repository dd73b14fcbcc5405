"""The consolidated answer per indicator, drafted by facilitators."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Indicator

from .assessment import Assessment
from .collection import Evidence, Response


class ConsolidatedAnswer(models.Model):
    """The one answer of the assessment on an indicator, drawn from the institutions' answers."""

    class Answer(models.TextChoices):
        """The institutions' answers, plus "no information": nobody could say whether the
        policy exists. The profile reports it as such, never as absent."""

        YES = "yes", _("Yes")
        PARTIAL = "partial", _("Partially")
        NO = "no", _("No")
        NOT_APPLICABLE = "na", _("Not applicable")
        NO_INFORMATION = "no_info", _("No information")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="consolidated_answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Indicator.Coverage.choices, blank=True
    )
    narrative_en = models.TextField(_("narrative (English)"), blank=True)
    narrative_id = models.TextField(_("narrative (Indonesian)"), blank=True)
    # The language each narrative was written in: taking over a ministry's answer copies its
    # justification, written in one language, into both; "en" in narrative_id_language means
    # the Indonesian narrative is a copy of an English text (the profile flags it).
    narrative_en_language = models.CharField(max_length=5, blank=True, default="en")
    narrative_id_language = models.CharField(max_length=5, blank=True, default="id")
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
