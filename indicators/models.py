from typing import Any

from django.db import models
from django.utils.translation import gettext
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
    verified = models.BooleanField(
        _("checked against the UN metadata"),
        default=False,
        help_text=_(
            "The name was checked against the published UN metadata of indicator 10.7.2; "
            "otherwise profiles show the link as the portal's own mapping."
        ),
    )

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
    gcm_objectives: "models.ManyToManyField[GCMObjective, IndicatorGCMLink]" = (
        models.ManyToManyField(
            GCMObjective,
            verbose_name=_("GCM objectives"),
            related_name="indicators",
            blank=True,
            through="IndicatorGCMLink",
        )
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


class LegalInstrument(models.Model):
    """A law, regulation or treaty in the register every assessment cites from.

    Reference data shared by all institutions and assessments. The official title is the
    Indonesian one; citations are formatted in an edition's language by
    `indicators.instruments.cite`.
    """

    class Kind(models.TextChoices):
        UU = "uu", _("Law (Undang-Undang)")
        PERPPU = "perppu", _("Government regulation in lieu of law (Perppu)")
        PP = "pp", _("Government regulation (Peraturan Pemerintah)")
        PERPRES = "perpres", _("Presidential regulation (Peraturan Presiden)")
        KEPPRES = "keppres", _("Presidential decree (Keputusan Presiden)")
        INPRES = "inpres", _("Presidential instruction (Instruksi Presiden)")
        PERMEN = "permen", _("Ministerial regulation (Peraturan Menteri)")
        KEPMEN = "kepmen", _("Ministerial decree (Keputusan Menteri)")
        PERBAN = "perban", _("Agency regulation (Peraturan Badan/Lembaga)")
        PERDA_PROV = "perda_prov", _("Provincial regulation (Peraturan Daerah Provinsi)")
        PERGUB = "pergub", _("Governor regulation (Peraturan Gubernur)")
        PERDA_KAB = "perda_kab", _("Regency or city regulation (Peraturan Daerah Kabupaten/Kota)")
        TREATY = "treaty", _("International convention or treaty")
        OTHER = "other", _("Other")

    class Relation(models.TextChoices):
        AMENDS = "amends", _("amends")
        REVOKES = "revokes", _("revokes")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.ForeignKey(
        "ministries.Institution",
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_instruments",
    )
    issuer_name_en = models.CharField(
        _("issuing body (English)"),
        max_length=255,
        blank=True,
        help_text=_("For bodies not in the register, e.g. Central Java Province."),
    )
    issuer_name_id = models.CharField(
        _("issuing body (Indonesian)"),
        max_length=255,
        blank=True,
        help_text=_("For bodies not in the register, e.g. Provinsi Jawa Tengah."),
    )
    title_id = models.CharField(_("official title (Indonesian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    enacted_on = models.DateField(_("date of enactment"), null=True, blank=True)
    url = models.URLField(_("link (JDIH or official gazette)"), max_length=1000, blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends or revokes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
    )
    relation = models.CharField(
        _("relation to that instrument"), max_length=10, choices=Relation.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "year", "number"]
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "year", "issuer"],
                condition=models.Q(issuer__isnull=False),
                name="legalinstrument_unique_with_issuer",
                violation_error_message=_(
                    "This instrument (kind, number, year and issuing body) is already in the "
                    "register."
                ),
            ),
            models.UniqueConstraint(
                fields=["kind", "number", "year", "issuer_name_id"],
                condition=models.Q(issuer__isnull=True),
                name="legalinstrument_unique_named_issuer",
                violation_error_message=_(
                    "This instrument (kind, number, year and issuing body) is already in the "
                    "register."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amends__isnull=True, relation="")
                | models.Q(amends__isnull=False) & ~models.Q(relation=""),
                name="legalinstrument_relation_with_amends",
                violation_error_message=_(
                    "Amends or revokes: choose both the instrument and whether it amends or "
                    "revokes it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}/{self.year}"


class IndicatorGCMLink(models.Model):
    """An indicator's link to a GCM objective. The table is the one Django created for the
    plain many-to-many field (migration 0003 keeps it), now with a flag: `indirect` where
    the indicator's subject (refugees, internal displacement) lies outside the GCM's scope
    and the link is thematic only."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="gcm_links")
    gcmobjective = models.ForeignKey(
        GCMObjective,
        verbose_name=_("GCM objective"),
        on_delete=models.CASCADE,
        related_name="indicator_links",
    )
    indirect = models.BooleanField(
        _("indirect link"),
        default=False,
        help_text=_(
            "The indicator concerns refugees or internal displacement, outside the GCM's "
            "scope: the objective is related, not covered."
        ),
    )

    class Meta:
        db_table = "indicators_indicator_gcm_objectives"
        unique_together = [("indicator", "gcmobjective")]
        verbose_name = _("GCM link")
        verbose_name_plural = _("GCM links")

    def __str__(self) -> str:
        return f"{self.indicator_id} → GCM {self.gcmobjective_id}"


class IndicatorMapping(models.Model):
    """How an indicator code of an earlier framework version carries into a later one.

    A version carries the rows from the version it follows: every earlier code appears
    (same, renamed, split, merged or retired) and every new code (same, renamed, split,
    merged or new), so answers of one round can be read in the next one's codes
    (`indicators.selectors.mapped_answers`). `from_code` is empty for a new indicator and
    `to_code` for a retired one.
    """

    class Relation(models.TextChoices):
        SAME = "same", _("Same")
        RENAMED = "renamed", _("Renamed")
        SPLIT = "split", _("Split")
        MERGED = "merged", _("Merged")
        NEW = "new", _("New")
        RETIRED = "retired", _("Retired")

    from_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("earlier version"),
        on_delete=models.PROTECT,
        related_name="mappings_onward",
    )
    to_version = models.ForeignKey(
        FrameworkVersion,
        verbose_name=_("later version"),
        on_delete=models.CASCADE,
        related_name="mappings",
    )
    from_code = models.CharField(_("earlier code"), max_length=12, blank=True)
    to_code = models.CharField(_("later code"), max_length=12, blank=True)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        ordering = ["to_version", "from_version", "from_code", "to_code"]
        verbose_name = _("indicator code mapping")
        verbose_name_plural = _("indicator code mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["from_version", "to_version", "from_code", "to_code"],
                name="indicatormapping_unique_pair",
            ),
            models.CheckConstraint(
                condition=(models.Q(relation="new", from_code="") & ~models.Q(to_code=""))
                | (models.Q(relation="retired", to_code="") & ~models.Q(from_code=""))
                | (
                    ~models.Q(relation__in=["new", "retired"])
                    & ~models.Q(from_code="")
                    & ~models.Q(to_code="")
                ),
                name="indicatormapping_codes_match_relation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_code or '—'} → {self.to_code or '—'} ({self.relation})"


class FrameworkChangeNote(BilingualMixin, models.Model):
    """A correction of wording in a framework version already in use, recorded with why.

    `element` is the code of what changed: an indicator ("6.2.2"), a sub-area ("6.2"), a
    dimension ("6"), or empty for the version itself. `before` and `after` are the passage
    replaced and its replacement, not the whole text.
    """

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="change_notes"
    )
    element = models.CharField(_("element"), max_length=12, blank=True)
    field = models.CharField(_("field"), max_length=40)
    before = models.TextField(_("before"))
    after = models.TextField(_("after"))
    reason_en = models.TextField(_("reason (English)"))
    reason_id = models.TextField(_("reason (Indonesian)"))
    changed_on = models.DateField(_("date"))
    changed_by = models.CharField(_("changed by"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "changed_on", "element", "field"]
        verbose_name = _("framework change note")
        verbose_name_plural = _("framework change notes")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "element", "field", "changed_on"],
                name="frameworkchangenote_unique_field_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework_id} {self.element} {self.field} {self.changed_on}"

    @property
    def element_model(self) -> type[models.Model]:
        """The kind of element the code names: its number of parts."""
        parts = len(self.element.split(".")) if self.element else 0
        kinds: list[type[models.Model]] = [FrameworkVersion, Dimension, SubArea, Indicator]
        return kinds[parts]

    @property
    def field_label(self) -> Any:
        field = self.element_model._meta.get_field(self.field)
        return getattr(field, "verbose_name", self.field)

    @property
    def element_label(self) -> str:
        labels: dict[type[models.Model], str] = {
            FrameworkVersion: gettext("The framework version"),
            Dimension: gettext("Dimension %(code)s"),
            SubArea: gettext("Sub-area %(code)s"),
            Indicator: gettext("Indicator %(code)s"),
        }
        label = labels[self.element_model]
        return label % {"code": self.element} if "%(code)s" in label else label

    @property
    def text_language(self) -> str:
        """The language of the corrected text ("en" or "id"), for the page's lang attribute."""
        return self.field.rsplit("_", 1)[-1]
