"""History reasons the portal wrote as text become codes (assessments/history_reasons.py).

Until now a system reason ("Submitted", "Excel import (kemnaker.xlsx)", …) was stored in the
language of the person acting, so readers saw English and Indonesian mixed. This converts the
texts the portal wrote, in English or in Bahasa Indonesia, where they match exactly (a whole
text, or one of the patterns with a parameter); anything else (a person's words) stays as it
is. The texts and the stored form are copied here, not imported, so that the migration does
the same whatever the code and the translations become.

Reversing writes the English text back.
"""

import json
import re

from django.db import migrations
from django.db.models import Q

# code -> (English, Indonesian) exactly as the portal wrote them.
EXACT = {
    "submitted": ("Submitted", "Terkirim"),
    "resubmitted": ("Resubmitted", "Dikirim ulang"),
    "accepted": ("Accepted", "Diterima"),
    "queried": ("Query", "Ajukan pertanyaan"),
    "returned": ("Returned for revision", "Dikembalikan untuk perbaikan"),
    "matrix_assigned": ("Assigned in the survey matrix", "Ditugaskan dalam matriks survei"),
    "api": ("API",),
    "demo": ("Demo",),
}
# code -> patterns (English, Indonesian) whose named groups are the code's parameters.
PATTERNS = {
    "evidence_added": (r"Evidence added: (?P<label>.+)", r"Bukti ditambahkan: (?P<label>.+)"),
    "excel_import": (r"Excel import \((?P<filename>.+)\)", r"Impor Excel \((?P<filename>.+)\)"),
    "validation": (
        r"Validation (?P<date>\d{4}-\d{2}-\d{2}): (?P<reason>.+)",
        r"Validasi (?P<date>\d{4}-\d{2}-\d{2}): (?P<reason>.+)",
    ),
    "taken_over": (r"Taken over from (?P<institution>\S+)", r"Diambil dari (?P<institution>\S+)"),
}
# The English text of each code, for the way back.
ENGLISH = {
    **{code: texts[0] for code, texts in EXACT.items()},
    "evidence_added": "Evidence added: {label}",
    "excel_import": "Excel import ({filename})",
    "validation": "Validation {date}: {reason}",
    "taken_over": "Taken over from {institution}",
    "demo_collection_open": "Demo: survey matrix complete, data collection open.",
}
# The one workflow note the portal wrote itself (the demo opening data collection).
STATUS_NOTES = {"demo_collection_open": "Demo: survey matrix complete, data collection open."}
HISTORY_MODELS = ["HistoricalResponse", "HistoricalConsolidatedAnswer", "HistoricalEvidence"]
STORED_RE = re.compile(r"^(?P<code>[a-z][a-z0-9_]*)(?:\|(?P<params>\{.*\}))?$", re.DOTALL)
BATCH = 1000


def stored(code, params=None):
    if not params:
        return code
    return f"{code}|{json.dumps(params, ensure_ascii=False, sort_keys=True, separators=(',', ':'))}"


def to_code(text):
    """The stored code for a text the portal wrote, or None."""
    for code, texts in EXACT.items():
        if text in texts:
            return stored(code)
    for code, patterns in PATTERNS.items():
        for pattern in patterns:
            match = re.fullmatch(pattern, text, re.DOTALL)
            if match:
                return stored(code, match.groupdict())
    return None


def to_english(value):
    match = STORED_RE.match(value)
    if match is None or match["code"] not in ENGLISH:
        return None
    params = json.loads(match["params"]) if match["params"] else {}
    if match["code"] == "evidence_added" and "label" not in params:
        params["label"] = params.get("title", "")
    try:
        return ENGLISH[match["code"]].format(**params)
    except (KeyError, IndexError):
        return None


def _convert(model, field, candidates, convert):
    changed = []
    for row in candidates.only("pk", field).iterator(chunk_size=BATCH):
        new = convert(getattr(row, field))
        if new is not None and new != getattr(row, field):
            setattr(row, field, new)
            changed.append(row)
        if len(changed) >= BATCH:
            model.objects.bulk_update(changed, [field])
            changed = []
    if changed:
        model.objects.bulk_update(changed, [field])


def _system_texts(model):
    """Rows whose reason may be a text the portal wrote (narrowed in SQL, matched in Python)."""
    exact = [text for texts in EXACT.values() for text in texts]
    prefixes = ["Evidence added: ", "Bukti ditambahkan: ", "Excel import (", "Impor Excel ("]
    prefixes += ["Validation ", "Validasi ", "Taken over from ", "Diambil dari "]
    condition = Q(history_change_reason__in=exact)
    for prefix in prefixes:
        condition |= Q(history_change_reason__startswith=prefix)
    return model.objects.filter(condition)


def forwards(apps, schema_editor):
    for name in HISTORY_MODELS:
        model = apps.get_model("assessments", name)
        _convert(model, "history_change_reason", _system_texts(model), to_code)
    Change = apps.get_model("assessments", "AssessmentStatusChange")
    for code, text in STATUS_NOTES.items():
        Change.objects.filter(note=text).update(note=stored(code))


def backwards(apps, schema_editor):
    for name in HISTORY_MODELS:
        model = apps.get_model("assessments", name)
        coded = model.objects.filter(history_change_reason__regex=r"^[a-z][a-z0-9_]*(\|\{.*)?$")
        _convert(model, "history_change_reason", coded, to_english)
    Change = apps.get_model("assessments", "AssessmentStatusChange")
    for code, text in STATUS_NOTES.items():
        Change.objects.filter(note=stored(code)).update(note=text)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_evidence_stored_names"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
