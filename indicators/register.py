"""Writes to the legal-instrument register: loading the reference file, adding and editing.

The reference file (indicators/data/legal_instruments.yaml) is loaded by `load_framework`;
a second load changes nothing. Administrators and coordinators add and edit instruments on
the register page (indicators/instrument_views.py) or in the admin; both go through
`instrument_save`, which reports every problem by field.
"""

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ministries.models import Institution, User

from .framework_io import DATA_DIR
from .models import LegalInstrument
from .services import ApplyResult

INSTRUMENTS_FILE = DATA_DIR / "legal_instruments.yaml"
FIELDS = (
    "kind",
    "number",
    "year",
    "issuer",
    "issuer_name_en",
    "issuer_name_id",
    "title_id",
    "title_en",
    "enacted_on",
    "url",
    "amends",
    "relation",
)


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _find(
    kind: str, number: str, year: int, acronym: str = "", issuer_name_id: str = ""
) -> LegalInstrument | None:
    """The instrument of the register with this identity: issued by the institution
    `acronym`, or, while that institution is not loaded, by the body named in the text."""
    found = LegalInstrument.objects.filter(kind=kind, number=number, year=year)
    if acronym:
        return found.filter(
            Q(issuer__acronym=acronym) | Q(issuer__isnull=True, issuer_name_id=issuer_name_id)
        ).first()
    return found.filter(issuer__isnull=True, issuer_name_id=issuer_name_id).first()


def _values(item: dict[str, Any]) -> dict[str, Any]:
    names = item.get("issuer_name") or {}
    acronym = item.get("issuer") or ""
    amends = None
    if item.get("amends"):
        ref = item["amends"]
        amends = _find(
            ref["kind"], str(ref["number"]), int(ref["year"]), ref.get("issuer") or "", ""
        )
        if amends is None:
            raise ValueError(
                f"{INSTRUMENTS_FILE.name}: {item['kind']} {item['number']}/{item['year']} "
                f"amends {ref}, which is not listed before it."
            )
    return {
        "issuer": Institution.objects.filter(acronym=acronym).first() if acronym else None,
        "issuer_name_en": " ".join(str(names.get("en") or "").split()),
        "issuer_name_id": " ".join(str(names.get("id") or "").split()),
        "title_id": " ".join(str(item["title"]["id"]).split()),
        "title_en": " ".join(str(item["title"].get("en") or "").split()),
        "enacted_on": _date(item.get("enacted_on")),
        "url": item.get("url") or "",
        "amends": amends,
        "relation": item.get("relation") or "",
    }


@transaction.atomic
def instruments_load(*, path: Path = INSTRUMENTS_FILE) -> ApplyResult:
    """Load the reference instruments in file order (an instrument it amends comes first);
    a second run changes nothing."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    result = ApplyResult()
    for item in data["instruments"]:
        kind, number, year = item["kind"], str(item["number"]), int(item["year"])
        values = _values(item)
        instrument = _find(kind, number, year, item.get("issuer") or "", values["issuer_name_id"])
        if instrument is None:
            instrument = LegalInstrument(kind=kind, number=number, year=year, **values)
            instrument.full_clean()
            instrument.save()
            result.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(instrument, name) != value]
        if changed:
            for name in changed:
                setattr(instrument, name, values[name])
            instrument.full_clean()
            instrument.save(update_fields=[*changed, "updated_at"])
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def instrument_problems(instrument: LegalInstrument) -> dict[str, list[str]]:
    """The register's own rules, beyond the model's: what a citation of the kind needs."""
    errors: dict[str, list[str]] = {}
    named = instrument.issuer_id or instrument.issuer_name_id.strip()
    needs_issuer = (
        LegalInstrument.Kind.PERMEN,
        LegalInstrument.Kind.KEPMEN,
        LegalInstrument.Kind.PERBAN,
        LegalInstrument.Kind.PERDA_PROV,
        LegalInstrument.Kind.PERGUB,
        LegalInstrument.Kind.PERDA_KAB,
    )
    if instrument.kind in needs_issuer and not named:
        errors["issuer_name_id"] = [
            _(
                "Issuing body: a regulation of this kind is cited with the body that issued "
                "it; choose the institution or type its name."
            )
        ]
    if bool(instrument.amends_id) != bool(instrument.relation):
        field = "relation" if instrument.amends_id else "amends"
        errors[field] = [
            _("Amends or revokes: choose both the instrument and whether it amends or revokes it.")
        ]
    if instrument.pk and instrument.amends_id == instrument.pk:
        errors["amends"] = [_("Amends or revokes: an instrument cannot amend itself.")]
    return errors


@transaction.atomic
def instrument_save(
    *, actor: User, instrument: LegalInstrument | None = None, **values: Any
) -> LegalInstrument:
    """Add an instrument to the register (`instrument` None) or correct one; every problem
    is reported by field, all at once (a ValidationError), and nothing is saved then."""
    instrument = instrument or LegalInstrument()
    for name in FIELDS:
        if name in values:
            value = values[name]
            setattr(instrument, name, value.strip() if isinstance(value, str) else value)
    errors = instrument_problems(instrument)
    try:
        instrument.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    instrument.save()
    return instrument
