"""Legal citations and the register of instruments (indicators.LegalInstrument).

A citation chosen from the register keeps the free-text fields it had before the register
existed (instrument type, number, year, title) filled from the instrument, so every label
and export that reads them still reads well; the instrument is what a snapshot freezes and
what profiles cite. A citation typed by hand is matched to the register when its type,
number and year agree with exactly one instrument (`citations_match`, the rule of the data
migration assessments/0011); the others are listed on the "Citations to resolve" page.
"""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from assessments.models import Evidence
from indicators.models import LegalInstrument

T = Evidence.InstrumentType
K = LegalInstrument.Kind

# Evidence.InstrumentType → the register's kinds it may stand for.
KINDS_OF_TYPE: dict[str, tuple[str, ...]] = {
    T.LAW: (K.UU,),
    T.GOVERNMENT_REGULATION: (K.PP,),
    T.PRESIDENTIAL_REGULATION: (K.PERPRES,),
    T.PRESIDENTIAL_DECREE: (K.KEPPRES,),
    T.MINISTERIAL_REGULATION: (K.PERMEN,),
    T.REGIONAL_REGULATION: (K.PERDA_PROV, K.PERDA_KAB),
    T.GOVERNOR_REGULATION: (K.PERGUB,),
    T.DECREE: (K.KEPPRES, K.KEPMEN),
    T.AGREEMENT: (K.TREATY,),
}
# The register's kind → the instrument type a citation of it records.
TYPE_OF_KIND: dict[str, str] = {
    K.UU: T.LAW,
    K.PERPPU: T.LAW,
    K.PP: T.GOVERNMENT_REGULATION,
    K.PERPRES: T.PRESIDENTIAL_REGULATION,
    K.KEPPRES: T.PRESIDENTIAL_DECREE,
    K.INPRES: T.DECREE,
    K.PERMEN: T.MINISTERIAL_REGULATION,
    K.KEPMEN: T.DECREE,
    K.PERBAN: T.OTHER,
    K.PERDA_PROV: T.REGIONAL_REGULATION,
    K.PERGUB: T.GOVERNOR_REGULATION,
    K.PERDA_KAB: T.REGIONAL_REGULATION,
    K.TREATY: T.AGREEMENT,
    K.OTHER: T.OTHER,
}


def fields_from_instrument(instrument: LegalInstrument) -> dict[str, Any]:
    """The free-text fields of a citation of `instrument`."""
    title_field = Evidence._meta.get_field("title")
    return {
        "instrument_type": TYPE_OF_KIND[instrument.kind],
        "number": instrument.number,
        "year": instrument.year,
        "title": instrument.title_id[: getattr(title_field, "max_length", None) or 500],
    }


def matching_instrument(evidence: Evidence) -> LegalInstrument | None:
    """The one instrument whose kind, number and year agree with a typed citation."""
    kinds = KINDS_OF_TYPE.get(evidence.instrument_type)
    if not kinds or not evidence.number.strip() or evidence.year is None:
        return None
    found = list(
        LegalInstrument.objects.filter(
            kind__in=kinds, number__iexact=evidence.number.strip(), year=evidence.year
        )[:2]
    )
    return found[0] if len(found) == 1 else None


def unresolved() -> QuerySet[Evidence]:
    """Citations typed by hand and not linked to the register."""
    return Evidence.objects.filter(kind=Evidence.Kind.CITATION, instrument__isnull=True)


@transaction.atomic
def citations_match() -> int:
    """Link every unresolved citation that agrees with exactly one instrument; how many.
    Run after the register is loaded (`load_framework`); a second run links nothing new."""
    linked = 0
    for evidence in unresolved().exclude(number="").filter(year__isnull=False).iterator():
        instrument = matching_instrument(evidence)
        if instrument is not None:
            Evidence.objects.filter(pk=evidence.pk).update(instrument=instrument)
            linked += 1
    return linked
