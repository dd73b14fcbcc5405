"""The audit trail (ASVS V16): one row per write by a person, and per sign-in, failed
sign-in, security change and failed mail. Rows are only ever added: the portal offers no way
to change or delete them (the admin is read-only)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What happened, stored as a code and shown in the reader's language."""

    ASSESSMENT_CREATED = "assessment_created", _("Assessment created")
    PARTICIPANTS_SET = "participants_set", _("Participating institutions changed")
    FACILITATORS_SET = "facilitators_set", _("Facilitators changed")
    MATRIX_EDITED = "matrix_edited", _("Survey matrix edited")
    MATRIX_IMPORTED = "matrix_imported", _("Survey matrix imported")
    RESPONSE_REMOVED = "response_removed", _("Response with content removed")
    RESPONSE_RESTORED = "response_restored", _("Response restored")
    WORKFLOW_MOVED = "workflow_moved", _("Assessment moved to another stage")
    VALIDATION_SESSION_SAVED = "validation_session_saved", _("Validation session saved")
    VALIDATION_DECIDED = "validation_decided", _("Validation decision recorded")
    COMMENT_ADDED = "comment_added", _("Comment added")
    RESPONSE_REVIEWED = "response_reviewed", _("Answer reviewed")
    FINDING_UPDATED = "finding_updated", _("Finding changed")
    FINDING_DELETED = "finding_deleted", _("Finding deleted")
    PROFILE_CREATED = "profile_created", _("Profile version created")
    PROFILE_APPROVED = "profile_approved", _("Profile version approved")
    PROFILE_PUBLISHED = "profile_published", _("Profile version published")
    ARCHIVE_REQUESTED = "archive_requested", _("Archive of the round requested")
    ARCHIVE_DOWNLOADED = "archive_downloaded", _("Archive of the round downloaded")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGNED_OUT = "signed_out", _("Signed out")
    MFA_ENABLED = "mfa_enabled", _("Two-step verification turned on")
    MFA_RECOVERY_CODES = "mfa_recovery_codes", _("New recovery codes made")
    MFA_RESET = "mfa_reset", _("Two-step verification turned off or reset")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ADMIN_ADDED = "admin_added", _("Administrator added a record")
    ADMIN_CHANGED = "admin_changed", _("Administrator changed a record")
    ADMIN_DELETED = "admin_deleted", _("Administrator deleted a record")
    EMAIL_FAILED = "email_failed", _("Email could not be sent")
    ANSWERS_SAVED = "answers_saved", _("Answers saved")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added to the library")
    ANSWERS_SUBMITTED = "answers_submitted", _("Answers submitted")
    ANSWER_RESUBMITTED = "answer_resubmitted", _("Answer resubmitted")
    ANSWERS_CONFIRMED = "answers_confirmed", _("Carried-forward answers confirmed")
    ANSWERS_CARRIED_FORWARD = "answers_carried_forward", _("Answers carried forward")
    ANSWERS_ACCEPTED = "answers_accepted", _("Answers accepted together")
    CONSOLIDATED_SAVED = "consolidated_saved", _("Consolidated answer saved")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    SESSIONS_ENDED = "sessions_ended", _("Logged out everywhere")
    LAUNCH_HANDED_OVER = "launch_handed_over", _("Launch handed to the province")
    LAUNCH_TAKEN_BACK = "launch_taken_back", _("Launch taken back by the national coordinator")
    SECTION_UPDATED = "section_updated", _("Profile section changed")
    CONTEXT_FIGURES_CHANGED = "context_figures_changed", _("Migration-context figures changed")
    ACTION_ITEM_SAVED = "action_item_saved", _("Action plan item saved")
    ACTION_UPDATE_POSTED = "action_update_posted", _("Action plan progress or comment posted")
    ACTION_PLAN_PUBLISHED = "action_plan_published", _("Action plan published")
    STEERING_REVIEW_SAVED = "steering_review_saved", _("Steering committee review saved")
    INSTRUMENT_SAVED = "instrument_saved", _("Legal instrument saved in the register")
    CITATION_LINKED = "citation_linked", _("Citation linked to the register")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("person (as recorded)"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object kind"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    institution = models.ForeignKey(
        "ministries.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["assessment", "-at"], name="audit_assessment_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"
