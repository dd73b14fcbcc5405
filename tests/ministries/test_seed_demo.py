import io

import pytest
from django.core.management import CommandError, call_command

from assessments.models import (
    Assessment,
    ConsolidatedAnswer,
    ValidationDecision,
    ValidationSession,
)
from ministries.models import Institution, Province, User
from reports.models import Profile

from ..indicators.test_load_framework import MODELS as FRAMEWORK_MODELS

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_login_per_role_and_a_second_run_changes_nothing(
    django_user_model, quick_pdfs
):
    """One test for both, since seeding runs the Central Java cycle with its two PDFs (the
    one-page stand-ins of quick_pdfs: no PDF text is read here)."""
    call_command("seed_demo", stdout=io.StringIO())
    for username in (
        "coordinator",
        "facilitator",
        "focal-kemnaker",
        "focal-bp2mi",
        "jateng-coordinator",
        "focal-disnakertrans",
    ):
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
    assert {
        u.role
        for u in User.objects.filter(
            username__in=[
                "admin",
                "coordinator",
                "facilitator",
                "focal-kemnaker",
                "jateng-coordinator",
            ]
        )
    } == set(User.Role.values)
    assert User.objects.get(username="focal-disnakertrans").institution.province.code == "33"
    assert Institution.objects.filter(level="national").count() >= 23
    assert Institution.objects.filter(province__code="33").count() >= 15
    # The demo's notes are bilingual where the field is a pair, and in Indonesian where an
    # Indonesian government office wrote them (issue 10, finding 11).
    consolidated = list(ConsolidatedAnswer.objects.filter(assessment__year=2023))
    assert consolidated
    for item in consolidated:
        assert item.narrative_en and item.narrative_id, item.indicator_id
        assert item.narrative_id != item.narrative_en, item.indicator_id
    session = ValidationSession.objects.get(assessment__province__code="33")
    assert "diskusi kelompok terpumpun" in session.notes
    changed = ValidationDecision.objects.get(session=session, decision="changed")
    assert "ditunjukkan dalam FGD" in changed.reason
    # The answer the FGD changed has a narrative that says so, and no finding of the
    # published profile contradicts its answers (issue 13: 1.1.4 was a "well-developed
    # area" saying that no provincial measure was found).
    narrative = ConsolidatedAnswer.objects.get(
        assessment=session.assessment, indicator=changed.indicator
    )
    assert narrative.answer == "yes"
    assert "governor regulation of 2023" in narrative.narrative_en
    profile = Profile.objects.get(assessment=session.assessment, status="published")
    snapshot_answers = {row["code"]: row["answer"] for row in profile.snapshot.data["indicators"]}
    for finding in profile.findings.all():
        values = {snapshot_answers[code] for code in finding.indicators}
        if finding.kind == "well_developed":
            assert values <= {"yes", "partial"}, (finding.indicators, values)
            assert "no provincial measure" not in finding.text_en, finding.indicators
        else:
            assert "yes" not in values, (finding.indicators, values)

    # Run again (and load the framework again): no row more, no row less.
    tracked = [*FRAMEWORK_MODELS, Institution, Province, django_user_model, Assessment]
    first = {m._meta.label: m.objects.count() for m in tracked}
    call_command("seed_demo", stdout=io.StringIO())
    call_command("load_framework", stdout=io.StringIO())
    assert {m._meta.label: m.objects.count() for m in tracked} == first
    assert Assessment.objects.filter(year=2023).count() == 2


def test_seed_demo_refuses_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="coordinator").exists()


def test_production_settings_turn_demo_data_off(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "mgi.example.go.id")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@localhost/db")
    monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
    production = importlib.import_module("config.settings.production")
    production = importlib.reload(production)
    assert production.DEMO_DATA_ALLOWED is False
    assert production.DEBUG is False
    assert production.CELERY_TASK_ALWAYS_EAGER is False


def test_production_settings_refuse_a_missing_secret(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "mgi.example.go.id")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(importlib.import_module("config.settings.production"))
