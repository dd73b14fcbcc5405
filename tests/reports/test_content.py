"""Profile content from the frozen snapshot: findings, counts, change since the previous round."""

import pytest
from django.utils import translation

from assessments.models import ConsolidatedAnswer
from reports import content
from reports.content import Change
from reports.models import Finding

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, "yes", Change.NOT_IN_EARLIER),
        ("no", "yes", Change.NEW),
        ("no", "partial", Change.NEW),
        ("partial", "yes", Change.STRENGTHENED),
        ("yes", "yes", Change.UNCHANGED),
        ("yes", "partial", Change.WEAKENED),
        ("partial", "no", Change.WEAKENED),
        ("na", "na", Change.UNCHANGED),
    ],
)
def test_change_between_rounds(before, after, expected):
    assert Change.between(before, after) == expected


def test_findings_are_drafted_from_the_snapshot_not_live_answers(draft_profile):
    snapshot_rows = {r["code"]: r for r in draft_profile.snapshot.data["indicators"]}
    # 2.3.2 was changed to "yes" in the FGD: well developed; the others are "partial".
    f = Finding.objects.get(profile=draft_profile, indicators=["2.3.2"])
    assert f.kind == Finding.Kind.WELL_DEVELOPED and f.dimension == 2
    assert (
        Finding.objects.filter(profile=draft_profile, kind=Finding.Kind.FURTHER_DEVELOPMENT).count()
        == 97
    )
    # A sentence, not a checklist entry: the code goes to the annex, the sources to footnotes.
    drafted = Finding.objects.get(profile=draft_profile, indicators=["1.1.1"]).text_en
    assert "(1.1.1)" not in drafted and "Sources:" not in drafted
    # Changing the live consolidated answer afterwards does not change the profile.
    ConsolidatedAnswer.objects.filter(
        assessment=draft_profile.assessment, indicator__code="1.1.1"
    ).update(answer="no")
    ctx = content.profile_context(draft_profile, "en")
    row = next(r for s in ctx["sections"] for r in s.indicators if r["code"] == "1.1.1")
    assert row["answer"] == snapshot_rows["1.1.1"]["answer"] == "partial"


def test_counts_per_dimension_are_counts_not_scores(draft_profile):
    ctx = content.profile_context(draft_profile, "id")
    d2 = next(s for s in ctx["sections"] if s.number == 2)
    assert d2.counts["yes"] == 1 and d2.counts["partial"] == 19
    assert 'role="img"' in d2.chart and "%" not in d2.chart
    assert ctx["totals"]["yes"] + ctx["totals"]["partial"] == 98
    assert "2030" in ctx["title"]


def test_follow_up_round_shows_the_change_per_indicator(draft_profile, coordinator):
    """A later round that follows this one up compares each indicator with it."""
    from assessments.models import Assessment, Snapshot

    first = draft_profile.assessment
    data = dict(draft_profile.snapshot.data)
    rows = [dict(r) for r in data["indicators"]]
    for r in rows:
        if r["code"] == "1.1.1":
            r["answer"] = "yes"  # strengthened since the first round
    data["indicators"] = rows
    follow_up = Assessment.objects.create(
        framework=first.framework,
        scope="national",
        year=2034,
        round=1,
        title_en="x",
        title_id="x",
        previous=first,
        status=Assessment.Status.APPROVED,
    )
    snapshot = Snapshot.objects.create(
        assessment=follow_up, number=1, data=data, approved_by=coordinator
    )
    from reports.models import Profile

    profile = Profile.objects.create(
        assessment=follow_up, snapshot=snapshot, version=1, created_by=coordinator
    )
    with translation.override("en"):
        ctx = content.profile_context(profile, "en")
    assert ctx["has_previous"]
    changes = {r["code"]: r["change"] for s in ctx["sections"] for r in s.indicators}
    assert changes["1.1.1"] == "Strengthened" and changes["1.1.2"] == "Unchanged"
