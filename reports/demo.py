"""The demonstration profile: Central Java 2023's, rendered in both languages, approved and
published on the real launch date. Called by `seed_demo` after `assessments.demo`."""

import time
from datetime import timedelta
from io import TextIOBase

from django.conf import settings

from assessments.demo import CentralJavaCycle
from assessments.models import Assessment, AssessmentStatusChange
from ministries.models import User
from reports import demo_publication, freshness, services
from reports.actionplan.demo import seed_action_plan
from reports.actionplan.review_demo import seed_steering_review
from reports.models import Profile, ProfileRender

RENDER_TIMEOUT_SECONDS = 300


class DemoRenderFailed(Exception):
    pass


def seed_profile(assessment: Assessment, out: TextIOBase) -> None:
    """Carry an approved demo assessment to a published profile; nothing once published."""
    if assessment.status == Assessment.Status.APPROVED:
        coordinator = User.objects.get(username="jateng-coordinator")
        profile = assessment.profiles.filter(status=Profile.Status.DRAFT).first()
        if profile is None:
            # Titled by its year of publication: launched in June 2024.
            profile = services.profile_create(
                assessment=assessment, actor=coordinator, publication_year=2024
            )
        demo_publication.seed_publication(profile, coordinator)
        _render_both(profile, coordinator)
        profile = services.profile_approve(profile=profile, actor=coordinator)
        # The province approves; MOFA launches (reports/launch.py).
        when = CentralJavaCycle.DATES[Assessment.Status.PUBLISHED]
        services.profile_publish(
            profile=profile,
            actor=User.objects.get(username="coordinator"),
            launch_date=when.date(),
            launch_event_en="Public discussion, Jakarta",
            launch_event_id="Diskusi publik, Jakarta",
        )
        # Demonstration dates follow the real calendar: the profiles were launched in June 2024.
        # The version was drafted and approved before its launch, not on the day of seeding.
        Profile.objects.filter(pk=profile.pk).update(
            created_at=when - timedelta(days=21),
            approved_at=when - timedelta(days=7),
            published_at=when,
        )
        freshness.public_changed()
        AssessmentStatusChange.objects.filter(
            assessment=assessment, to_status=Assessment.Status.PUBLISHED
        ).update(created_at=when)
        assessment.refresh_from_db()
    out.write(f"Central Java 2023: {Assessment.Status(assessment.status).label}\n")
    seed_action_plan(assessment, out)
    seed_steering_review(assessment, out)


def _render_both(profile: Profile, actor: User) -> None:
    """Both PDFs: by the worker when there is one (waiting for it), else here."""
    for language in ("en", "id"):
        render = profile.renders.filter(language=language).first()
        if render is None or render.status != ProfileRender.Status.DONE:
            render = services.render_request(profile=profile, language=language, actor=actor)
            if settings.CELERY_TASK_ALWAYS_EAGER:
                # Without a worker, render here: inside a transaction (as in tests) the
                # queued task would only run at commit, after this step waits for it.
                services.profile_render(render_id=render.pk)
    deadline = time.monotonic() + RENDER_TIMEOUT_SECONDS
    while profile.renders.exclude(status=ProfileRender.Status.DONE).exists():
        failed = profile.renders.filter(status=ProfileRender.Status.FAILED).first()
        if failed or time.monotonic() > deadline:
            raise DemoRenderFailed(failed.error if failed else "timeout")
        time.sleep(1)
