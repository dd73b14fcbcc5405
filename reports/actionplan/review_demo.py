"""The demo's steering committee review: one meeting on the Central Java 2023 plan, held in
2025 after the first progress updates, co-chaired by MOFA and the UN Resident Coordinator,
with a decision on every action (mostly on track, two needing attention, one re-planned) and
its PDF minutes in both languages. Called by reports/demo.py after the plan is seeded;
nothing happens when the plan has a review already. Demonstration data."""

import datetime
from io import TextIOBase

from django.conf import settings
from django.utils import timezone

from assessments.models import Assessment
from ministries.models import Institution, User

from . import review_services
from .models import ActionPlan
from .review_models import ReviewDecision, SteeringReview

HELD_ON = datetime.date(2025, 3, 12)
CHAIR = "Kementerian Luar Negeri and UN Resident Coordinator"
PARTICIPANTS = ["KEMLU", "BAPPEDA-JATENG", "DISNAKERTRANS-JATENG", "BP3MI-JATENG", "BPS",
                "BIRO-PEMERINTAHAN-JATENG", "DINSOS-JATENG"]  # fmt: skip
MINUTES_EN = (
    "The steering committee met in Semarang to review the Central Java action plan. "
    "Most actions are on track. The committee asked the provincial government to confirm "
    "the closure of the provincial ceiling on placement fees, replaced by the national "
    "regulation, and to name the village administrations of the first Desmigratif desks. "
    "The integration of migration in the RPJMD moves to the next planning cycle."
)
MINUTES_ID = (
    "Komite pengarah bertemu di Semarang untuk meninjau rencana aksi Jawa Tengah. "
    "Sebagian besar aksi berjalan sesuai rencana. Komite meminta pemerintah provinsi "
    "memastikan penutupan batas biaya penempatan tingkat provinsi, yang digantikan oleh "
    "peraturan nasional, dan menetapkan pemerintah desa untuk layanan Desmigratif pertama. "
    "Pengarusutamaan migrasi dalam RPJMD dipindahkan ke siklus perencanaan berikutnya."
)
# Title (English) starts with -> (decision, note); every other action is on track.
DECISIONS = {
    "Provincial ceiling on placement fees": (
        ReviewDecision.Decision.NEEDS_ATTENTION,
        "Confirm the closure: replaced by the national regulation.",
    ),
    "Migrant service desks": (
        ReviewDecision.Decision.NEEDS_ATTENTION,
        "Name the first village administrations before June.",
    ),
    "Migration in the provincial medium-term": (
        ReviewDecision.Decision.REPLANNED,
        "Moved to the 2026-2030 planning cycle.",
    ),
}


def seed_steering_review(assessment: Assessment, out: TextIOBase) -> None:
    plan = ActionPlan.objects.filter(assessment=assessment).first()
    if plan is None:
        return
    if SteeringReview.objects.filter(plan=plan).exists():
        out.write("Central Java 2023 steering committee review: already seeded\n")
        return
    actor = User.objects.get(username="jateng-coordinator")
    review = review_services.review_create(
        plan=plan,
        held_on=HELD_ON,
        chair=CHAIR,
        participants=Institution.objects.filter(acronym__in=PARTICIPANTS),
        minutes_en=MINUTES_EN,
        minutes_id=MINUTES_ID,
        actor=actor,
    )
    decisions = {}
    for entry in review.snapshot_items:
        chosen = (ReviewDecision.Decision.ON_TRACK, "")
        for start, decision in DECISIONS.items():
            if entry["title_en"].startswith(start):
                chosen = decision
        decisions[entry["id"]] = (str(chosen[0]), chosen[1])
    review = review_services.review_decide(
        review=review, decisions=decisions, version=review.version, actor=actor
    )
    # Recorded at the end of the meeting day, not on the day of seeding.
    recorded = timezone.make_aware(datetime.datetime.combine(HELD_ON, datetime.time(16, 0)))
    SteeringReview.objects.filter(pk=review.pk).update(created_at=recorded)
    review.created_at = recorded
    for language in review_services.LANGUAGES:
        row = review_services.review_minutes_request(review=review, language=language, actor=actor)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # Without a worker, render here (inside a transaction the queued task would only
            # run at commit); with one, the worker renders it.
            review_services.review_minutes_render(file_id=row.pk)
    out.write(f"Central Java 2023 steering committee review: {len(decisions)} decisions\n")
