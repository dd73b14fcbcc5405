"""Production-sized demonstration data, for the scale benchmark (`manage.py scale_data`).

One national and up to 38 provincial assessments (Indonesia's provinces), all in data
collection, each with a complete survey matrix (every participating institution answers
every indicator, one lead per indicator) and answers in every state a real round has:
untouched drafts, answered drafts, submitted answers pending review, accepted, queried
and returned ones, with their history rows, review comments and submissions. With the
defaults, 38 provinces make about 100,000 responses.

Written in bulk (one INSERT per table and batch, not a service call per answer: the
services would take hours), but every row is one the services could have written: one
lead per indicator, answers allowed by each indicator's scheme (no "Not applicable" where
the indicator refuses it, coverage only where it has a qualifier), reviews only of
submitted answers, a submission for each institution that submitted. Assessments are
marked `is_demo` and titled "Scale data", so `scale_clear` finds them again.

Provinces without institutions in the reference data get generic provincial agencies
("BAPPEDA-<province code>", …); every institution taking part gets one focal point
("scale-<acronym>", no usable password).
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from assessments import history_reasons
from assessments.history_reasons import reason_code
from assessments.models import (
    Assessment,
    AssessmentStatusChange,
    Assignment,
    ConsolidatedAnswer,
    Response,
    ResponseComment,
    Submission,
)
from assessments.setup import services as setup_services
from indicators.models import FrameworkVersion, Indicator
from ministries.models import Institution, Province, User

SCALE_TITLE = "Scale data"
BATCH = 2000  # rows per INSERT: far below PostgreSQL's 65,535 parameters per statement

# Provincial agencies (organisasi perangkat daerah) found in most provinces: acronym prefix,
# English name, Indonesian name. Generic ones get "<prefix>-<province code>" as acronym.
GENERIC_AGENCIES = [
    ("BAPPEDA", "Regional Development Planning Agency", "Badan Perencanaan Pembangunan Daerah"),
    ("DISNAKERTRANS", "Manpower and Transmigration Office", "Dinas Tenaga Kerja dan Transmigrasi"),
    ("DINSOS", "Social Affairs Office", "Dinas Sosial"),
    ("DINKES", "Health Office", "Dinas Kesehatan"),
    ("DISDUKCAPIL", "Population and Civil Registration Office", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("BPBD", "Regional Disaster Management Agency", "Badan Penanggulangan Bencana Daerah"),
    ("KESBANGPOL", "National Unity and Politics Agency", "Badan Kesatuan Bangsa dan Politik"),
    ("DISDIKBUD", "Education and Culture Office", "Dinas Pendidikan dan Kebudayaan"),
    ("DPMPTSP", "Investment and One-Stop Services Office", "Dinas Penanaman Modal dan PTSP"),
    ("BIROHUKUM", "Legal Bureau", "Biro Hukum"),
    ("DP3A", "Women's Empowerment and Child Protection Office", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("DISKOMINFO", "Communication and Informatics Office", "Dinas Komunikasi dan Informatika"),
    ("DISPERINDAG", "Industry and Trade Office", "Dinas Perindustrian dan Perdagangan"),
    ("DKP", "Marine Affairs and Fisheries Office", "Dinas Kelautan dan Perikanan"),
    ("DISHUB", "Transport Office", "Dinas Perhubungan"),
    ("BPKAD", "Regional Finance and Asset Agency", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("INSPEKTORAT", "Inspectorate", "Inspektorat"),
    ("SATPOLPP", "Civil Service Police Unit", "Satuan Polisi Pamong Praja"),
    ("DISPORAPAR", "Youth, Sports and Tourism Office", "Dinas Kepemudaan, Olahraga dan Pariwisata"),
    ("DISPERKIM", "Housing and Settlements Office", "Dinas Perumahan dan Kawasan Permukiman"),
    ("DLHK", "Environment and Forestry Office", "Dinas Lingkungan Hidup dan Kehutanan"),
    ("DISTANBUN", "Agriculture and Plantation Office", "Dinas Pertanian dan Perkebunan"),
    ("DINKOPUKM", "Cooperatives and SMEs Office", "Dinas Koperasi dan UKM"),
    ("DPMD", "Community and Village Empowerment Office", "Dinas Pemberdayaan Masyarakat dan Desa"),
    ("BIROPEM", "Government Affairs Bureau", "Biro Pemerintahan"),
    ("BIROKESRA", "People's Welfare Bureau", "Biro Kesejahteraan Rakyat"),
    ("BKD", "Regional Civil Service Agency", "Badan Kepegawaian Daerah"),
    ("BAPENDA", "Regional Revenue Agency", "Badan Pendapatan Daerah"),
    ("DPUPR", "Public Works and Spatial Planning Office", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DISARPUS", "Archives and Library Office", "Dinas Arsip dan Perpustakaan"),
]  # fmt: skip

# Written by the provinces' focal points, so in Indonesian (the facilitators' review
# comments below stay in English).
JUSTIFICATIONS = [
    "Diatur dalam undang-undang; peraturan pelaksanaannya sudah terbit dan diterapkan di provinsi.",
    "Sebagian: sudah ada peraturan gubernur, tetapi anggaran dan tenaganya belum memadai.",
    "Belum ada instrumen khusus; masalah ini ditangani kasus per kasus oleh dinas terkait.",
]


# Each step of an answer, with the reason the services store in its history row (a code,
# assessments/history_reasons.py; a save in the browser gives none).
REASONS = {
    "assigned": reason_code(history_reasons.MATRIX_ASSIGNED),
    "answered": "",
    "submitted": reason_code(history_reasons.SUBMITTED),
    **{kind: reason_code(code) for kind, code in history_reasons.REVIEW_DECISIONS.items()},
}
REVIEW_STATES = {"accept": "accepted", "query": "queried", "return": "returned"}


@dataclass
class ScaleResult:
    assessments: list[Assessment] = field(default_factory=list)
    responses: int = 0
    institutions_created: int = 0
    users_created: int = 0


@dataclass
class People:
    """Who acts in the generated rounds."""

    coordinator: User
    facilitator: User
    focal: dict[int, User]  # institution id -> its focal point
    provincial: dict[int, User]  # province id -> its coordinator


def scale_assessments(year: int) -> QuerySet[Assessment]:
    return Assessment.objects.filter(is_demo=True, year=year, title_en__startswith=SCALE_TITLE)


@transaction.atomic
def scale_clear(*, year: int) -> int:
    """Delete the scale assessments of `year` with their rows (history rows included).

    Answers and their history rows go by plain DELETE statements: the ORM would load each of
    the ~100,000 answers and write a "deleted" history row for each (simple_history's
    post_delete), minutes of work for rows nobody will read. What could point at an answer
    (comments, evidence links, consolidated answers) is deleted first, through the ORM.
    """
    ids = list(scale_assessments(year).values_list("pk", flat=True))
    if not ids:
        return 0
    history = Response.history.model
    links = history._meta.get_field("historicalresponse_evidence").related_model
    ConsolidatedAnswer.objects.filter(assessment_id__in=ids).delete()
    ResponseComment.objects.filter(response__assessment_id__in=ids).delete()
    Response.evidence.through.objects.filter(response__assessment_id__in=ids).delete()
    links.objects.filter(history__assessment_id__in=ids).delete()
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        for model in (history, Response):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE assessment_id IN ({marks})", ids)  # noqa: S608
    Assessment.objects.filter(pk__in=ids).delete()
    return len(ids)


def provincial_institutions(
    provinces: Sequence[Province], count: int
) -> tuple[list[Institution], int]:
    """`count` institutions per province: those of the reference data (by acronym),
    completed with generic provincial agencies. Gives (all of them, how many were created)."""
    existing: dict[int, list[Institution]] = {p.pk: [] for p in provinces}
    for inst in Institution.objects.filter(province__in=provinces).order_by("acronym"):
        existing[inst.province_id or 0].append(inst)
    new: list[Institution] = []
    for province in provinces:
        have = existing[province.pk]
        prefixes = {i.acronym.split("-")[0] for i in have}
        generic = [g for g in GENERIC_AGENCIES if g[0] not in prefixes]
        n = 0
        while len(have) < count:
            if n < len(generic):
                prefix, name_en, name_id = generic[n]
            else:  # past the named ones: "OPD31-11", "Provincial agency 31, Aceh"
                prefix, name_en, name_id = (
                    f"OPD{n + 1}",
                    f"Provincial agency {n + 1}",
                    f"OPD {n + 1}",
                )
            n += 1
            inst = Institution(
                acronym=f"{prefix}-{province.code}",
                name_en=f"{name_en}, {province.name_en}",
                name_id=f"{name_id} Provinsi {province.name_id}",
                level=Institution.Level.PROVINCIAL,
                kind=Institution.Kind.PROVINCIAL_AGENCY,
                province=province,
            )
            have.append(inst)
            new.append(inst)
    Institution.objects.bulk_create(new, batch_size=BATCH)
    chosen = [i for p in provinces for i in existing[p.pk][:count]]
    return chosen, len(new)


def _ensure_users(wanted: list[User]) -> tuple[dict[str, User], int]:
    """Create the users of `wanted` (unsaved) whose username is not taken yet."""
    names = [u.username for u in wanted]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [u for u in wanted if u.username not in have]
    for user in new:
        user.password = make_password(None)
    User.objects.bulk_create(new, batch_size=BATCH)
    return {u.username: u for u in User.objects.filter(username__in=names)}, len(new)


def _role_user(role: str, username: str) -> User:
    """The demo user of a role (`coordinator`, `facilitator`), or another one, or a new one."""
    user = (
        User.objects.filter(username=username, role=role).first()
        or User.objects.filter(role=role, is_active=True).order_by("pk").first()
    )
    if user is None:
        user = User.objects.create(
            username=f"scale-{username}", role=role, password=make_password(None)
        )
    return user


def scale_people(
    institutions: Sequence[Institution], provinces: Sequence[Province]
) -> tuple[People, int]:
    """A focal point per institution and a coordinator per province (created if missing)."""

    def unsaved(username: str, role: str, **fields: Any) -> User:
        return User(username=username, role=role, notifications_enabled=False, **fields)

    focal = [
        unsaved(f"scale-{i.acronym.lower()}", User.Role.FOCAL_POINT, institution=i)
        for i in institutions
    ]
    coordinators = [
        unsaved(f"scale-coordinator-{p.code}", User.Role.PROVINCIAL_COORDINATOR, province=p)
        for p in provinces
    ]
    users, created = _ensure_users(focal + coordinators)
    people = People(
        coordinator=_role_user(User.Role.NATIONAL_COORDINATOR, "coordinator"),
        facilitator=_role_user(User.Role.FACILITATOR, "facilitator"),
        focal={i.pk: users[u.username] for i, u in zip(institutions, focal, strict=True)},
        provincial={p.pk: users[u.username] for p, u in zip(provinces, coordinators, strict=True)},
    )
    return people, created


def _answer(rng: random.Random, indicator: Indicator) -> tuple[str, str]:
    """An answer and coverage the indicator's scheme allows."""
    choices = ["yes", "partial", "partial", "no"]
    if indicator.allows_not_applicable:
        choices.append("na")
    answer = rng.choice(choices)
    coverage = ""
    if indicator.has_coverage and answer != "na":
        coverage = rng.choice(["all", "regular", ""])
    return answer, coverage


@dataclass
class _Rows:
    """The rows of one assessment, built in memory and then inserted in bulk."""

    responses: list[Response] = field(default_factory=list)
    # (response, step, who, when, the response's tracked values at that step)
    history: list[tuple[Response, str, User, datetime.datetime, dict[str, Any]]] = field(
        default_factory=list
    )
    comments: list[tuple[Response, str, str]] = field(default_factory=list)
    submitted: dict[int, int] = field(default_factory=dict)  # institution id -> answers


# The fields a history row copies, but for id, assessment and updated_at (set on writing).
TRACKED = ("indicator_id", "institution_id", "answer", "coverage", "justification", "state", "review_state", "reviewed_by_id", "reviewed_at", "version", "updated_by_id")  # fmt: skip


def _step(rows: _Rows, r: Response, step: str, who: User, when: datetime.datetime) -> None:
    values = {name: getattr(r, name) for name in TRACKED}
    rows.history.append((r, step, who, when, values))


def _answers(
    rows: _Rows,
    indicators: Sequence[Indicator],
    institutions: Sequence[Institution],
    people: People,
    rng: random.Random,
    start: datetime.datetime,
    submitted_share: float,
) -> None:
    """Each institution's answers: submitted (`submitted_share`, 35 % by default), in
    progress (60 % of the others: six answers in ten) or not started; a submitted answer is
    then accepted (50 %), queried (10 %), returned (5 %) or still awaiting review (35 %).
    Each step leaves its history row."""
    day = datetime.timedelta(days=1)
    for inst in institutions:
        progress = rng.random()
        submitted = progress < submitted_share
        in_progress = not submitted and rng.random() < 0.6
        focal = people.focal[inst.pk]
        for indicator in indicators:
            r = Response(indicator=indicator, institution=inst, version=1)
            rows.responses.append(r)
            _step(rows, r, "assigned", people.coordinator, start)
            if not (submitted or (in_progress and rng.random() < 0.6)):
                continue
            r.answer, r.coverage = _answer(rng, indicator)
            r.justification = rng.choice(JUSTIFICATIONS)
            r.updated_by, r.version = focal, 2
            _step(rows, r, "answered", focal, start + 5 * day)
            if not submitted:
                continue
            r.state = Response.State.SUBMITTED
            rows.submitted[inst.pk] = rows.submitted.get(inst.pk, 0) + 1
            _step(rows, r, "submitted", focal, start + 9 * day)
            decision = rng.random()
            if decision >= 0.65:
                continue  # awaiting review
            kind = "accept" if decision < 0.5 else "query" if decision < 0.6 else "return"
            r.review_state = REVIEW_STATES[kind]
            if kind == "return":
                r.state = Response.State.RETURNED
            r.reviewed_by, r.reviewed_at, r.version = people.facilitator, start + 12 * day, 3
            _step(rows, r, kind, people.facilitator, start + 12 * day)
            body = "" if kind == "accept" else "Please cite the regulation and its article."
            rows.comments.append((r, kind, body))


def _write(assessment: Assessment, rows: _Rows, people: People) -> None:
    """Insert one assessment's responses, history rows, comments and submissions."""
    for r in rows.responses:
        r.assessment = assessment
    Response.objects.bulk_create(rows.responses, batch_size=BATCH)
    history = Response.history.model
    history.objects.bulk_create(
        [
            history(
                id=r.pk,
                assessment_id=assessment.pk,
                updated_at=when,
                history_date=when,
                history_user=who,
                history_change_reason=REASONS[step],
                history_type="+" if step == "assigned" else "~",
                **values,
            )
            for r, step, who, when, values in rows.history
        ],
        batch_size=BATCH,
    )
    ResponseComment.objects.bulk_create(
        [
            ResponseComment(response=r, author=people.facilitator, kind=kind, body=body)
            for r, kind, body in rows.comments
        ],
        batch_size=BATCH,
    )
    Submission.objects.bulk_create(
        [
            Submission(
                assessment=assessment,
                institution_id=inst_id,
                submitted_by=people.focal[inst_id],
                response_count=count,
            )
            for inst_id, count in rows.submitted.items()
        ]
    )


def scale_assessment(
    *,
    framework: FrameworkVersion,
    province: Province | None,
    year: int,
    indicators: Sequence[Indicator],
    institutions: Sequence[Institution],
    people: People,
    seed: int,
    submitted_share: float = 0.35,
) -> tuple[Assessment, int]:
    """One round in data collection, its matrix complete and partly answered."""
    place_en = province.name_en if province else "Republic of Indonesia"
    place_id = f"Provinsi {province.name_id}" if province else "Republik Indonesia"
    actor = people.provincial[province.pk] if province else people.coordinator
    assessment = setup_services.assessment_create(
        actor=actor,
        framework=framework,
        province=province,
        year=year,
        title_en=f"{SCALE_TITLE} {year}: {place_en} (demonstration)",
        title_id=f"Data skala {year}: {place_id} (demonstrasi)",
        data_collection_deadline=datetime.date(year, 9, 30),
        is_demo=True,
    )
    assessment.participants.set(institutions)
    assessment.facilitators.set([people.facilitator])
    Assignment.objects.bulk_create(
        [
            Assignment(
                assessment=assessment,
                indicator=indicator,
                institution=inst,
                role=Assignment.Role.LEAD
                if inst is institutions[n % len(institutions)]
                else Assignment.Role.CONTRIBUTOR,
            )
            for n, indicator in enumerate(indicators)
            for inst in institutions
        ],
        batch_size=BATCH,
    )
    AssessmentStatusChange.objects.create(
        assessment=assessment,
        from_status=Assessment.Status.SETUP,
        to_status=Assessment.Status.DATA_COLLECTION,
        note=reason_code(history_reasons.DEMO_COLLECTION_OPEN),
        actor=actor,
    )
    assessment.status = Assessment.Status.DATA_COLLECTION
    assessment.save(update_fields=["status"])
    rows = _Rows()
    start = timezone.now() - datetime.timedelta(days=30)
    # Reproducible made-up data, not secrets.
    rng = random.Random(f"{seed}-{province.code if province else 'national'}")  # noqa: S311
    _answers(rows, indicators, institutions, people, rng, start, submitted_share)
    _write(assessment, rows, people)
    return assessment, len(rows.responses)


def _indicators(code: str, limit: int | None) -> tuple[FrameworkVersion, list[Indicator]]:
    framework = FrameworkVersion.objects.get(code=code)
    indicators = list(framework.indicators.order_by("order"))
    return framework, indicators[:limit] if limit else indicators


@transaction.atomic
def scale_generate(
    *,
    provinces: int,
    institutions_per_province: int = 40,
    national_institutions: int | None = None,
    indicators: int | None = None,
    year: int = 2025,
    seed: int = 2025,
    submitted_share: float = 0.35,
    analyze: bool = True,
) -> ScaleResult:
    """One national and `provinces` provincial rounds of `year` (see the module docstring).

    Needs the framework (`load_framework`) and the reference data (`institutions_load`);
    `indicators` limits each framework to its first indicators (for small test data).
    With 38 provinces and the defaults: about 100,000 responses.
    """
    chosen = list(Province.objects.order_by("code")[:provinces])
    if len(chosen) < provinces:
        raise ValueError(f"Only {len(chosen)} provinces in the reference data.")
    national_fw, national_indicators = _indicators("mgi-national-2023", indicators)
    local_fw, local_indicators = _indicators("mgi-local-2023", indicators)
    national = list(
        Institution.objects.filter(level=Institution.Level.NATIONAL)
        .valid_on(datetime.date(year, 1, 1))
        .order_by("acronym")
    )[:national_institutions]
    provincial, created = provincial_institutions(chosen, institutions_per_province)
    people, users_created = scale_people(national + provincial, chosen)
    result = ScaleResult(institutions_created=created, users_created=users_created)
    rounds = [(national_fw, None, national_indicators, national)] + [
        (local_fw, p, local_indicators, [i for i in provincial if i.province_id == p.pk])
        for p in chosen
    ]
    for framework, province, round_indicators, institutions in rounds:
        assessment, n = scale_assessment(
            framework=framework,
            province=province,
            year=year,
            indicators=round_indicators,
            institutions=institutions,
            people=people,
            seed=seed,
            submitted_share=submitted_share,
        )
        result.assessments.append(assessment)
        result.responses += n
    if analyze and connection.vendor == "postgresql":
        # Fresh planner statistics, as autovacuum would gather shortly after a bulk load: of
        # every table, since the load grows more than the answers (the new framework's
        # dimensions and indicators, institutions, people, participants; with a stale
        # count of dimensions the dashboard's plan read the round's answers once for each).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return result
