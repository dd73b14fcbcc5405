"""The per-indicator change table of a follow-up round on a newer framework version reads
the earlier answers through the versions' code mapping, not by matching codes."""

import pytest
from django.utils import translation

from assessments.models import Assessment, Snapshot
from indicators.models import FrameworkVersion
from reports import content
from reports.models import Profile

pytestmark = pytest.mark.django_db


def _set_answers(snapshot: Snapshot, answers: dict[str, str]) -> None:
    data = dict(snapshot.data)
    data["indicators"] = [
        {**r, "answer": answers.get(r["code"], r["answer"])} for r in data["indicators"]
    ]
    Snapshot.objects.filter(pk=snapshot.pk).update(data=data)


def _rows_2025(rows_2023: list[dict], answers: dict[str, str]) -> list[dict]:
    """The 2023 rows in 2025 codes: 1.6.1 split in six, 1.6.2 renamed 1.6.7."""
    rows = []
    for r in rows_2023:
        if r["code"] == "1.6.1":
            rows += [{**r, "code": f"1.6.{n}"} for n in range(1, 7)]
        elif r["code"] == "1.6.2":
            rows.append({**r, "code": "1.6.7"})
        else:
            rows.append(dict(r))
    return [{**r, "answer": answers.get(r["code"], r["answer"])} for r in rows]


def test_change_table_reads_a_renamed_and_a_split_indicator_through_the_mapping(
    draft_profile, coordinator
):
    first = draft_profile.assessment
    # The 2023 round: the ratification indicator (one answer for all instruments) "no",
    # the bilateral agreements indicator (1.6.2 in 2023) "yes".
    _set_answers(draft_profile.snapshot, {"1.6.1": "no", "1.6.2": "yes"})
    draft_profile.snapshot.refresh_from_db()
    v2025 = FrameworkVersion.objects.get(code="mgi-national-2025")
    data = dict(draft_profile.snapshot.data)
    data["assessment"] = {**data["assessment"], "framework": v2025.code}
    data["indicators"] = _rows_2025(
        data["indicators"],
        {"1.6.1": "yes", "1.6.2": "no", "1.6.3": "partial", "1.6.7": "yes"},
    )
    follow_up = Assessment.objects.create(
        framework=v2025,
        scope="national",
        year=2034,
        round=2,
        title_en="Follow-up",
        title_id="Tindak lanjut",
        previous=first,
        status=Assessment.Status.APPROVED,
    )
    snapshot = Snapshot.objects.create(
        assessment=follow_up, number=1, data=data, approved_by=coordinator
    )
    profile = Profile.objects.create(
        assessment=follow_up, snapshot=snapshot, version=1, created_by=coordinator
    )

    with translation.override("en"):
        ctx = content.profile_context(profile, "en")

    changes = {r["code"]: r["change"] for s in ctx["sections"] for r in s.indicators}
    # Split: each instrument compares with the one 2023 answer ("no").
    assert changes["1.6.1"] == "New measure"
    assert changes["1.6.2"] == "Unchanged"  # by code it would be old 1.6.2 ("yes"): weakened
    assert changes["1.6.3"] == "New measure"
    assert changes["1.6.6"] == "Unchanged"
    # Renamed: 1.6.7 is 2023's 1.6.2; by code it would be "not in the earlier round".
    assert changes["1.6.7"] == "Unchanged"
    assert changes["1.1.1"] == "Unchanged"
    assert "Not in the earlier round" not in changes.values()
