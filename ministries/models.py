import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from indicators.bilingual import BilingualMixin


class Province(BilingualMixin, models.Model):
    code = models.CharField(_("province code (Kemendagri)"), max_length=4, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name_id

    @property
    def name(self) -> str:
        return self.tr("name")


class InstitutionQuerySet(models.QuerySet["Institution"]):
    def valid_on(self, day: datetime.date) -> "InstitutionQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class Institution(BilingualMixin, models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial or local")

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        COORDINATING_MINISTRY = "coordinating_ministry", _("Coordinating ministry")
        AGENCY = "agency", _("Agency")
        PROVINCIAL_AGENCY = "provincial_agency", _("Provincial agency")
        LOCAL_GOVERNMENT = "local_government", _("Local government")

    acronym = models.CharField(_("acronym"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_id = models.CharField(_("name (Indonesian)"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.AGENCY)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
    )
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The institution that took over its tasks, e.g. after a renaming."),
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["level", "acronym"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="national", province__isnull=True)
                | models.Q(level="provincial", province__isnull=False),
                name="institution_province_matches_level",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="institution_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acronym}: {self.name_en}"

    @property
    def name(self) -> str:
        return self.tr("name")

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def clean(self) -> None:
        if self.level == self.Level.NATIONAL and self.province_id:
            raise ValidationError({"province": _("A national institution has no province.")})
        if self.level == self.Level.PROVINCIAL and not self.province_id:
            raise ValidationError({"province": _("A provincial institution needs a province.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An institution cannot succeed itself.")})


class User(AbstractUser):
    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Ministry focal point")
        FACILITATOR = "facilitator", _("IOM facilitator")
        NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator (MOFA)")
        PROVINCIAL_COORDINATOR = "provincial_coordinator", _("Provincial coordinator")
        ADMINISTRATOR = "administrator", _("System administrator")

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focal_points",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinators",
    )
    # Blank until the user chooses (account settings or the language switch): until then
    # the portal follows the language cookie or the browser's Accept-Language.
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("en", "English"), ("id", "Bahasa Indonesia")],
        blank=True,
        default="",
        help_text=_("Empty until the user chooses: the portal then follows their browser."),
    )
    notifications_enabled = models.BooleanField(_("email notifications"), default=True)
    # Raised by "log out everywhere": it is part of the hash every session carries, so each
    # session signed with the previous value ends (as a password change ends them).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="focal_point") | models.Q(institution__isnull=False),
                name="focal_point_has_institution",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="provincial_coordinator")
                | models.Q(province__isnull=False),
                name="provincial_coordinator_has_province",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        password_changed = getattr(self, "_password", None) is not None and self.pk is not None
        super().save(*args, **kwargs)
        # Every new password (the change page, a reset, the admin, `changepassword`) revokes
        # the API tokens; the sessions end by themselves, their hash holds the password's.
        if password_changed:
            AuthToken.objects.filter(user=self).delete()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        password_hash = super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        if not self.session_generation:
            return password_hash
        return salted_hmac(
            "ministries.User.session_generation",
            f"{password_hash}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.FOCAL_POINT and not self.institution_id:
            raise ValidationError({"institution": _("A focal point belongs to an institution.")})
        if self.role == self.Role.PROVINCIAL_COORDINATOR and not self.province_id:
            raise ValidationError({"province": _("A provincial coordinator needs a province.")})

    @property
    def is_focal_point(self) -> bool:
        return self.role == self.Role.FOCAL_POINT

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def is_national_coordinator(self) -> bool:
        return self.role == self.Role.NATIONAL_COORDINATOR

    @property
    def is_provincial_coordinator(self) -> bool:
        return self.role == self.Role.PROVINCIAL_COORDINATOR

    @property
    def is_coordinator(self) -> bool:
        return self.role in (self.Role.NATIONAL_COORDINATOR, self.Role.PROVINCIAL_COORDINATOR)

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMINISTRATOR or self.is_superuser


class OutgoingMail(models.Model):
    """An email waiting for the mail server, kept until it took it (`ministries.mail`).

    The broker's queue is not where a mail lives: Redis restarted without its data loses the
    tasks, and the beat task `ministries.requeue_mail` sends again every row still unsent
    whose attempt was due a while ago. A delivery locks its row and skips one sent, so a mail
    goes out at least once, and twice only if a worker died between the mail server taking it
    and the row recording it.
    """

    subject = models.TextField()
    body = models.TextField()
    html_body = models.TextField(blank=True)
    to = models.JSONField(default=list)
    audit = models.JSONField(default=dict, blank=True)  # what a failure's audit event names
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(default=timezone.now)  # the current attempt's time
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["due_at"],
                name="mail_unsent_due",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"
