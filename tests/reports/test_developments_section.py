"""A follow-up round's "developments since the last assessment", drafted per dimension from
the data: the answers that changed (through the code mapping between framework versions:
one renamed and one split indicator) and the earlier round's completed actions; the
section stays editable, and the change table reads through the same mapping."""

from typing import Any

import pytest
from django.utils import translation

from assessments.models import Assessment, Snapshot
from indicators.models import FrameworkVersion
from ministries.models import User
from reports import content, publication, sections
from reports.actionplan import services as plan_services
from reports.actionplan.models import ActionItem
from reports.models import Profile, ProfileSection

pytestmark = pytest.mark.django_db


def _set_answers(snapshot: Snapshot, answers: dict[str, str]) -> None:
    data = dict(snapshot.data)
    data["indicators"] = [
        {**r, "answer": answers.get(r["code"], r["answer"])} for r in data["indicators"]
    ]
    Snapshot.objects.filter(pk=snapshot.pk).update(data=data)
    snapshot.refresh_from_db()


def _rows_2025(rows_2023: list[dict[str, Any]], answers: dict[str, str]) -> list[dict[str, Any]]:
    """The 2023 rows in 2025 codes: 1.6.1 split in six, 1.6.2 renamed 1.6.7."""
    rows: list[dict[str, Any]] = []
    for r in rows_2023:
        if r["code"] == "1.6.1":
            rows += [{**r, "code": f"1.6.{n}"} for n in range(1, 7)]
        elif r["code"] == "1.6.2":
            rows.append({**r, "code": "1.6.7"})
        else:
            rows.append(dict(r))
    return [{**r, "answer": answers.get(r["code"], r["answer"])} for r in rows]


@pytest.fixture
def follow_up(action_item: ActionItem, published_profile: Profile, coordinator: User) -> Profile:
    """The 2034 follow-up (framework 2025) of the published test round, whose plan's item in
    dimension 1 was completed in between; its version 1 drafted like any new version."""
    plan_services.item_update(
        item=action_item, actor=coordinator, version=1, values={"status": "completed"}
    )
    first = published_profile.assessment
    # 2023 round: ratification (1.6.1, one answer for all instruments) "no"; the bilateral
    # agreements indicator (1.6.2 in 2023) "yes".
    _set_answers(published_profile.snapshot, {"1.6.1": "no", "1.6.2": "yes"})
    v2025 = FrameworkVersion.objects.get(code="mgi-national-2025")
    data = dict(published_profile.snapshot.data)
    data["assessment"] = {**data["assessment"], "framework": v2025.code, "previous": first.pk}
    data["indicators"] = _rows_2025(
        data["indicators"], {"1.6.1": "yes", "1.6.3": "partial", "1.6.7": "no"}
    )
    assessment = Assessment.objects.create(
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
        assessment=assessment, number=1, data=data, approved_by=coordinator
    )
    profile = Profile.objects.create(
        assessment=assessment, snapshot=snapshot, version=1, created_by=coordinator
    )
    sections.sections_create(profile=profile)
    return profile


def _developments(profile: Profile, dimension: int) -> ProfileSection:
    return profile.sections.get(key=ProfileSection.Key.DEVELOPMENTS, dimension=dimension)


def test_the_developments_are_drafted_from_the_changes_and_the_completed_actions(
    follow_up: Profile, published_profile: Profile
):
    year = published_profile.assessment.year
    section = _developments(follow_up, 1)
    english, indonesian = section.text_en, section.text_id
    assert f"Since the previous round ({year}), the answers" in english
    # Renamed: 2025's 1.6.7 is 2023's 1.6.2.
    assert "- 1.6.7 (1.6.2 in the previous round, renamed): Yes → No, weakened." in english
    # Split: two of 1.6.1's six successors moved from the one 2023 answer.
    assert "- 1.6.1 (part of 1.6.1 in the previous round, split): No → Yes, a new measure." in (
        english
    )
    assert "- 1.6.3 (part of 1.6.1 in the previous round, split): No → Partially" in english
    assert "- 1.6.2 " not in english  # a successor whose answer stayed "no"
    assert "Adopt the regulation on placement fees" in english  # the completed action
    assert "- 1.6.7 (1.6.2 pada putaran sebelumnya, berganti kode): Ya → Tidak, melemah." in (
        indonesian
    )
    assert "- 1.6.3 (bagian dari 1.6.1 pada putaran sebelumnya, dipecah): Tidak → Sebagian" in (
        indonesian
    )
    assert "Menetapkan peraturan tentang biaya penempatan" in indonesian
    assert "Adopt the regulation" not in indonesian
    quiet = _developments(follow_up, 2)
    assert "No answer to an indicator of this dimension changed" in quiet.text_en
    assert "No action of the previous round's action plan in this dimension" in quiet.text_en
    assert "Tidak ada jawaban atas indikator dalam dimensi ini yang berubah" in quiet.text_id


def test_a_first_round_has_no_developments_section(published_profile: Profile):
    assert not published_profile.sections.filter(key=ProfileSection.Key.DEVELOPMENTS).exists()


def test_the_change_table_goes_through_the_mapping(follow_up: Profile):
    with translation.override("en"):
        ctx = content.profile_context(follow_up, "en")
    changes = {r["code"]: r["change"] for s in ctx["sections"] for r in s.indicators}
    assert changes["1.6.7"] == "Weakened"  # by code: "not in the earlier round"
    assert changes["1.6.1"] == changes["1.6.3"] == "New measure"
    assert changes["1.6.2"] == "Unchanged"
    assert "Not in the earlier round" not in changes.values()
    first = next(s for s in ctx["sections"] if s.number == 1)
    assert "1.6.7 (1.6.2 in the previous round, renamed)" in first.developments


def test_the_developments_stay_editable(follow_up: Profile, coordinator: User):
    section = _developments(follow_up, 1)
    publication.section_update(
        section=section,
        actor=coordinator,
        text_en="The 2025 regulation replaced the bilateral agreements.",
        text_id="Peraturan 2025 menggantikan perjanjian bilateral.",
    )
    for language, expected in (
        ("en", "The 2025 regulation replaced the bilateral agreements."),
        ("id", "Peraturan 2025 menggantikan perjanjian bilateral."),
    ):
        with translation.override(language):
            ctx = content.profile_context(follow_up, language)
        first = next(s for s in ctx["sections"] if s.number == 1)
        assert first.developments == expected
