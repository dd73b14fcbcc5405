from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .bilingual import BilingualMixin


class GCMObjective(BilingualMixin, models.Model):
    """One of the 23 objectives of the Global Compact for Migration (A/RES/73/195)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_id = models.CharField(_("title (Indonesian)"), max_length=255)

    class Meta:
        ordering = ["number"]
        verbose_name = _("GCM objective")
        verbose_name_plural = _("GCM objectives")

    def __str__(self) -> str:
        return f"GCM {self.number}: {self.title_en}"


class SDGDomain(BilingualMixin, models.Model):
    """A policy domain of SDG indicator 10.7.2."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_id = models.CharField(_("name (Indonesian)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("SDG 10.7.2 domain")
        verbose_name_plural = _("SDG 10.7.2 domains")

    def __str__(self) -> str:
        return f"10.7.2 domain {self.code}: {self.name_en}"


class SDGSubcategory(BilingualMixin, models.Model):
    domain = models.ForeignKey(SDGDomain, on_delete=models.CASCADE, related_name="subcategories")
    code = models.CharField(_("code"), max_length=4, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_id = models.CharField(_("name (Indonesian)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("SDG 10.7.2 sub-category")
        verbose_name_plural = _("SDG 10.7.2 sub-categories")

    def __str__(self) -> str:
        return f"10.7.2 {self.code}: {self.name_en}"


class FrameworkVersion(BilingualMixin, models.Model):
    """A version of the indicator set; every assessment round pins the one it used."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        LOCAL = "local", _("Local (province)")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_id = models.CharField(_("title (Indonesian)"), max_length=255)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "level", "code"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        return self.code


class Dimension(BilingualMixin, models.Model):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="dimensions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_id = models.CharField(_("name (Indonesian)"), max_length=255)
    migof_en = models.CharField(_("MiGOF principle or objective (English)"), max_length=255)
    migof_id = models.CharField(_("MiGOF principle or objective (Indonesian)"), max_length=255)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="dimension_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_en}"


class SubArea(BilingualMixin, models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="subareas")
    code = models.CharField(_("code"), max_length=10)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_id = models.CharField(_("name (Indonesian)"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension", "order", "code"]
        verbose_name = _("sub-area")
        verbose_name_plural = _("sub-areas")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="subarea_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


class Indicator(BilingualMixin, models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        PARTIAL = "partial", _("Partially")
        NO = "no", _("No")
        NOT_APPLICABLE = "na", _("Not applicable")

    class Coverage(models.TextChoices):
        ALL_MIGRANTS = "all", _("All migrants, whatever their status")
        REGULAR_ONLY = "regular", _("Regular migrants only")

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="indicators"
    )
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    subarea = models.ForeignKey(SubArea, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=12)
    order = models.PositiveIntegerField(_("order"), default=0)
    question_en = models.TextField(_("question (English)"))
    question_id = models.TextField(_("question (Indonesian)"))
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    guidance_id = models.TextField(_("guidance (Indonesian)"), blank=True)
    allows_not_applicable = models.BooleanField(_("allows 'Not applicable'"), default=False)
    has_coverage = models.BooleanField(
        _("has a coverage qualifier"),
        default=False,
        help_text=_(
            "Access questions record whether all migrants or regular migrants only are covered."
        ),
    )
    national_competence = models.BooleanField(
        _("national competence"),
        default=False,
        help_text=_("Local frameworks: the matter is a competence of the national government."),
    )
    national_code = models.CharField(
        _("corresponding national indicator"), max_length=12, blank=True
    )
    gcm_objectives = models.ManyToManyField(
        GCMObjective, verbose_name=_("GCM objectives"), related_name="indicators", blank=True
    )
    sdg_subcategories = models.ManyToManyField(
        SDGSubcategory,
        verbose_name=_("SDG 10.7.2 sub-categories"),
        related_name="indicators",
        blank=True,
    )

    class Meta:
        ordering = ["framework", "order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question_en[:60]}"

    def answer_choices(self) -> list[tuple[str, Any]]:
        choices = [(c.value, c.label) for c in self.Answer if c != self.Answer.NOT_APPLICABLE]
        if self.allows_not_applicable:
            choices.append((self.Answer.NOT_APPLICABLE.value, self.Answer.NOT_APPLICABLE.label))
        return choices
