"""Writes of the register room: linking a citation typed by hand to an instrument.

Adding and correcting instruments is `indicators.register.instrument_save`, shared with
the reference-data loader's rules.
"""

from typing import Any

from django.db import transaction

from assessments.collection.citations import fields_from_instrument
from assessments.frozen import check_not_frozen
from assessments.models import Evidence
from audit.services import Action, audit_record
from indicators import register
from indicators.models import LegalInstrument
from ministries.models import User


@transaction.atomic
def citation_resolve(*, evidence: Evidence, instrument: LegalInstrument, actor: User) -> Evidence:
    """Link a citation typed by hand to the register: it points at `instrument` and takes its
    type, number, year and title (the typed ones stay in the evidence's history). Refused for
    a frozen assessment, whose evidence stays as it was published."""
    evidence = Evidence.objects.select_for_update().select_related("assessment").get(pk=evidence.pk)
    check_not_frozen(evidence.assessment)
    for name, value in fields_from_instrument(instrument).items():
        setattr(evidence, name, value)
    evidence.instrument = instrument
    evidence._history_user = actor  # type: ignore[attr-defined]
    evidence.save(update_fields=["instrument", "instrument_type", "number", "year", "title"])
    audit_record(
        action=Action.CITATION_LINKED,
        actor=actor,
        obj=evidence,
        details={"instrument": instrument.pk},
    )
    return evidence


@transaction.atomic
def instrument_save(
    *, actor: User, instrument: LegalInstrument | None = None, **values: Any
) -> LegalInstrument:
    """Add or correct an instrument of the register (`indicators.register.instrument_save`'s
    rules), recorded in the audit trail."""
    created = instrument is None or instrument.pk is None
    saved = register.instrument_save(actor=actor, instrument=instrument, **values)
    audit_record(
        action=Action.INSTRUMENT_SAVED, actor=actor, obj=saved, details={"created": created}
    )
    return saved
