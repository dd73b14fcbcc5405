from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.bilingual import BilingualMixin
from indicators.models import FrameworkVersion
from ministries.models import Province


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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
