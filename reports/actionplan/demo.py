"""The demo's action plan: Central Java 2023's, drawn from its published profile's areas with
potential for further development, across several institutions and every kind, with two
data roadmap (SDMI) items led by the statistics office (BPS), a few progress updates with
evidence, published. Called by reports/demo.py once the profile is published; nothing
happens when the plan exists already. Demonstration data, not an official plan."""

import datetime
from io import TextIOBase
from typing import Any

from assessments.models import Assessment
from indicators.models import LegalInstrument
from ministries.models import Institution, User

from ..models import Finding
from . import reasons, services
from .models import ActionItem, ActionPlan, ProgressUpdate

D = datetime.date
# (dimension, kind, lead, contributors, status, reason, start, target, title en, title id)
ITEMS: list[tuple[Any, ...]] = [
    (1, "policy_legal", "DISNAKERTRANS-JATENG", ["BP3MI-JATENG"], "in_progress", "",
     D(2024, 7, 1), D(2025, 6, 30),
     "Regional regulation on the protection of migrant workers from Central Java",
     "Peraturan daerah tentang pelindungan pekerja migran asal Jawa Tengah"),
    (1, "programme", "DINKES-JATENG", ["DINSOS-JATENG"], "planned", "",
     D(2025, 1, 1), D(2025, 12, 31),
     "Health services for returning migrant workers and their families",
     "Layanan kesehatan bagi pekerja migran purna dan keluarganya"),
    (2, "institutional", "BAPPEDA-JATENG", ["SETDA-JATENG", "BIRO-PEMERINTAHAN-JATENG"],
     "completed", "", D(2024, 7, 15), D(2024, 12, 31),
     "Provincial coordination team on migration governance",
     "Tim koordinasi provinsi untuk tata kelola migrasi"),
    (2, "policy_legal", "BIRO-PEMERINTAHAN-JATENG", ["BAPPEDA-JATENG"], "delayed", "resources",
     D(2024, 9, 1), D(2025, 3, 31),
     "Migration in the provincial medium-term development plan (RPJMD)",
     "Migrasi dalam rencana pembangunan jangka menengah daerah (RPJMD)"),
    (3, "programme", "DISKOMINFO-JATENG", ["KESBANGPOL-JATENG"], "in_progress", "",
     D(2024, 8, 1), D(2025, 9, 30),
     "Information campaign on safe migration in the villages of origin",
     "Kampanye informasi migrasi aman di desa asal"),
    (3, "institutional", "DISPERMADESDUKCAPIL-JATENG", [], "planned", "",
     D(2025, 2, 1), D(2026, 1, 31),
     "Migrant service desks in village administrations (Desmigratif)",
     "Layanan migran di pemerintah desa (Desmigratif)"),
    (4, "programme", "DISNAKERTRANS-JATENG", ["DINKOPUKM-JATENG"], "in_progress", "",
     D(2024, 10, 1), D(2025, 12, 31),
     "Entrepreneurship training for returning migrant workers",
     "Pelatihan kewirausahaan bagi pekerja migran purna"),
    (4, "policy_legal", "BP3MI-JATENG", ["DISNAKERTRANS-JATENG"], "dropped", "superseded",
     D(2024, 7, 1), D(2025, 6, 30),
     "Provincial ceiling on placement fees",
     "Batas biaya penempatan tingkat provinsi"),
    (5, "institutional", "BPBD-JATENG", ["DINSOS-JATENG"], "planned", "",
     D(2025, 3, 1), D(2026, 3, 31),
     "Migrants in the provincial disaster contingency plans",
     "Migran dalam rencana kontinjensi bencana provinsi"),
    (6, "programme", "KESBANGPOL-JATENG", ["POLDA-JATENG", "KANIM-SEMARANG"], "in_progress", "",
     D(2024, 8, 15), D(2025, 8, 31),
     "Joint training against trafficking in persons for district officers",
     "Pelatihan bersama pencegahan perdagangan orang bagi aparat kabupaten"),
    (2, "data_statistics", "BPS", ["DISNAKERTRANS-JATENG", "BP3MI-JATENG"], "in_progress", "",
     D(2024, 9, 1), D(2025, 12, 31),
     "One Data on International Migration: common definitions and metadata",
     "Satu Data Migrasi Internasional: definisi dan metadata bersama"),
    (2, "data_statistics", "BPS", ["DISPERMADESDUKCAPIL-JATENG"], "planned", "",
     D(2025, 1, 1), D(2026, 6, 30),
     "Migration module in the provincial labour force survey",
     "Modul migrasi dalam survei angkatan kerja provinsi"),
]  # fmt: skip


def _finding_for(assessment: Assessment, dimension: int, used: set[int]) -> Finding | None:
    finding = (
        Finding.objects.filter(
            profile__assessment=assessment,
            profile__status="published",
            kind=Finding.Kind.FURTHER_DEVELOPMENT,
            dimension=dimension,
        )
        .exclude(pk__in=used)
        .order_by("order", "pk")
        .first()
    )
    if finding is not None:
        used.add(finding.pk)
    return finding


def _item(assessment: Assessment, actor: User, spec: tuple[Any, ...], used: set[int]) -> ActionItem:
    dimension, kind, lead, contributors, status, reason, start, target, en, id_ = spec
    institutions = {
        i.acronym: i for i in Institution.objects.filter(acronym__in=[lead, *contributors])
    }
    finding = _finding_for(assessment, dimension, used)
    carried = services.finding_carry(finding, assessment) if finding else {}
    values = {
        "title_en": en,
        "title_id": id_,
        "description_en": carried.get("description_en", ""),
        "description_id": carried.get("description_id", ""),
        "kind": kind,
        "lead": institutions[lead],
        "contributors": [institutions[c] for c in contributors if c in institutions],
        "dimension": dimension,
        "indicators": carried.get("indicators", []),
        "gcm_objectives": carried.get("gcm_objectives", []),
        "start_date": start,
        "target_date": target,
        "status": status,
        "status_reason": reason,
        "status_note": "",
    }
    return services.item_create(
        assessment=assessment, actor=actor, values=values, finding=finding, reason=reasons.DEMO
    )


def _updates(items: list[ActionItem]) -> None:
    """Progress from the lead institutions' focal points, with evidence; a facilitator's
    comment."""
    focal_bps = User.objects.filter(username="focal-bps").first()
    focal_nakertrans = User.objects.filter(username="focal-disnakertrans").first()
    facilitator = User.objects.filter(username="facilitator").first()
    by_lead = {(i.lead.acronym, i.kind): i for i in items}
    sdmi = by_lead.get(("BPS", "data_statistics"))
    if focal_bps and sdmi:
        services.update_post(
            item=sdmi, actor=focal_bps, kind=ProgressUpdate.Kind.PROGRESS, language="id",
            text="Draf metadata bersama disepakati dalam rapat teknis BPS, Disnakertrans dan "
            "BP3MI; uji coba di tiga kabupaten dimulai.",
            percent=40,
            link={"title": "Notulen rapat teknis SDMI (demo)", "url": "https://example.org/sdmi"},
        )  # fmt: skip
    law = by_lead.get(("DISNAKERTRANS-JATENG", "policy_legal"))
    instrument = LegalInstrument.objects.filter(kind="uu", number="18", year=2017).first()
    if focal_nakertrans and law:
        services.update_post(
            item=law, actor=focal_nakertrans, kind=ProgressUpdate.Kind.PROGRESS, language="en",
            text="The draft regional regulation follows Law 18/2017 and is with the "
            "provincial legal bureau.",
            percent=60,
            link={"instrument": instrument, "article": "Art. 41"} if instrument else None,
        )  # fmt: skip
    if facilitator and law:
        services.update_post(
            item=law, actor=facilitator, kind=ProgressUpdate.Kind.COMMENT, language="en",
            text="IOM can share the model regulation used in East Nusa Tenggara.",
        )  # fmt: skip


def seed_action_plan(assessment: Assessment, out: TextIOBase) -> None:
    """The Central Java plan, once its profile is published; nothing when it exists."""
    if ActionPlan.objects.filter(assessment=assessment).exists():
        out.write("Central Java 2023 action plan: already seeded\n")
        return
    if not services.assessment_has_published_profile(assessment):
        return
    actor = User.objects.get(username="jateng-coordinator")
    used: set[int] = set()
    items = [_item(assessment, actor, spec, used) for spec in ITEMS]
    _updates(items)
    services.plan_publish(plan=items[0].plan, actor=actor)
    out.write(f"Central Java 2023 action plan: {len(items)} actions, published\n")
