"""What a person does about a finding the editor flags, other than rewriting it (that is
`services.finding_update`): confirm it is still true, or confirm a copied text is translated.

Neither changes a text, so the rendered PDFs stay as they are; both are audited as a change
of the finding, as `finding_update` is.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.errors import InvalidRequest, ServiceError
from audit.services import Action, audit_record
from ministries.models import User

from . import findings
from .models import Finding
from .services import LANGUAGES, check_draft


@transaction.atomic
def finding_confirm(*, finding: Finding, actor: User) -> Finding:
    """The finding is still true of the changed answers: it now rests on them."""
    check_draft(finding.profile)
    if not finding.stale:
        raise ServiceError(_("This finding rests on the current answers already."))
    changes = list(finding.stale_changes or [])
    findings.finding_refresh(finding)
    finding.edited_by = actor
    finding.save()
    audit_record(
        action=Action.FINDING_UPDATED,
        actor=actor,
        obj=finding,
        assessment=finding.profile.assessment_id,
        details={"confirmed_still_true": changes, "basis": finding.basis},
    )
    return finding


@transaction.atomic
def finding_translation_confirm(*, finding: Finding, actor: User, language: str) -> Finding:
    """The text in `language`, copied from the other, is confirmed as its translation (a name
    or a citation that reads the same in both, or a text a person already translated)."""
    check_draft(finding.profile)
    if language not in LANGUAGES:
        raise InvalidRequest(_("The language must be en or id."), field="language")
    if language not in findings.untranslated(finding):
        raise ServiceError(_("This text does not need translation."))
    was = findings.copied_from(finding, language)
    setattr(finding, f"text_{language}_language", language)
    finding.edited_by = actor
    finding.save()
    audit_record(
        action=Action.FINDING_UPDATED,
        actor=actor,
        obj=finding,
        assessment=finding.profile.assessment_id,
        details={"translation_confirmed": language, "copied_from": was},
    )
    return finding
