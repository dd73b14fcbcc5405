"""Personas shared by every test, and the reference data loaded once per test run.

The framework (98 + 63 indicators), crosswalks, provinces and institutions are loaded
into the test database once, before the first test; each test runs in a transaction
rolled back at its end, so that data is always there.
"""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from assessments.collection import services as collection_services
from assessments.consolidation import services as consolidation_services
from assessments.review import services as review_services
from assessments.setup import services as setup_services
from assessments.validation import services as validation_services
from ministries.models import Institution, Province, User
from ministries.services import institutions_load

from .factories import UserFactory


def load_reference_data() -> None:
    call_command("load_framework", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    institutions_load()


# The shared Chromium of the browser tests; the demo database built once (backup, archive).
pytest_plugins = [
    "tests.browser_fixtures",
    "tests.demo_database",
    "tests.instrument_fixtures",
    "tests.actionplan_fixtures",
    "tests.archive_fixtures",
]


@pytest.fixture(autouse=True)
def empty_cache_for_each_test() -> Iterator[None]:
    """The cache holds the sign-in throttles' counters (per client address: every test
    client is 127.0.0.1) and public pages: each test starts without what earlier tests of
    its worker left there."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A page test in Bahasa Indonesia leaves the language active in its thread; each test
    starts from the default language, whatever ran before it on the same worker."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        load_reference_data()
    yield


@pytest.fixture
def kemnaker(db) -> Institution:
    return Institution.objects.get(acronym="KEMNAKER")


@pytest.fixture
def bp2mi(db) -> Institution:
    return Institution.objects.get(acronym="BP2MI")


@pytest.fixture
def central_java(db) -> Province:
    return Province.objects.get(code="33")


@pytest.fixture
def coordinator(db) -> User:
    return UserFactory(
        username="t-coordinator",
        role=User.Role.NATIONAL_COORDINATOR,
        institution=Institution.objects.get(acronym="KEMLU"),
    )


@pytest.fixture
def provincial_coordinator(central_java: Province) -> User:
    return UserFactory(
        username="t-jateng", role=User.Role.PROVINCIAL_COORDINATOR, province=central_java
    )


@pytest.fixture
def facilitator(db) -> User:
    return UserFactory(username="t-facilitator", role=User.Role.FACILITATOR)


@pytest.fixture
def focal_a(kemnaker: Institution) -> User:
    """Focal point of institution A (Kemnaker)."""
    return UserFactory(
        username="t-focal-kemnaker", role=User.Role.FOCAL_POINT, institution=kemnaker
    )


@pytest.fixture
def focal_b(bp2mi: Institution) -> User:
    """Focal point of institution B (BP2MI)."""
    return UserFactory(username="t-focal-bp2mi", role=User.Role.FOCAL_POINT, institution=bp2mi)


@pytest.fixture
def administrator(db) -> User:
    return UserFactory(
        username="t-admin", role=User.Role.ADMINISTRATOR, is_staff=True, is_superuser=True
    )


PERSONAS = [
    "anonymous",
    "coordinator",
    "provincial_coordinator",
    "facilitator",
    "focal_a",
    "focal_b",
    "administrator",
]


@pytest.fixture(params=PERSONAS)
def persona(request) -> tuple[str, Client]:
    """Each persona in turn, as (name, logged-in client)."""
    client = Client()
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return request.param, client


@pytest.fixture
def login(client: Client):
    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process on the test Redis, using the test database.

    Yields an object with `mail_dir`, where the worker's emails land as files. Tests that
    use it must commit what the worker reads (`transactional_db`).
    """
    import os
    import subprocess
    import sys
    import time
    from types import SimpleNamespace

    from django.conf import settings
    from django.db import connection

    from config.celery import app

    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the suite with `make test`.")
    redis_url = settings.CELERY_BROKER_URL  # this xdist worker's own Redis database
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "DJANGO_EMAIL_FILE_PATH": str(mail_dir),
    }
    log = tmp_path_factory.mktemp("worker-log") / "worker.log"
    with log.open("w") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--hostname=test-worker@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    eager = app.conf.task_always_eager
    app.conf.update(task_always_eager=False)
    app.conf.update(broker_url=redis_url)
    try:
        yield SimpleNamespace(process=proc, mail_dir=mail_dir, log=log, env=env)
    finally:
        app.conf.update(task_always_eager=eager)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def national_assessment(db, coordinator, facilitator):
    """The national 2023 assessment, open for data collection, with a small survey matrix.

    Kemnaker (focal_a) leads 1.3.1, 1.3.2, 4.1.1 and contributes to 4.1.2; BP2MI (focal_b)
    leads 4.1.2 and 2.3.2 and contributes to 1.3.1; KEMLU leads every other indicator.
    """
    return build_national_assessment(coordinator, facilitator)


def build_national_assessment(coordinator, facilitator=None):
    from assessments.models import Assessment, Assignment
    from indicators.models import FrameworkVersion

    framework = FrameworkVersion.objects.get(code="mgi-national-2023")
    assessment = setup_services.assessment_create(
        actor=coordinator,
        framework=framework,
        year=2030,
        title_en="Test national assessment",
        title_id="Asesmen nasional uji",
    )
    if facilitator is not None:
        setup_services.assessment_set_facilitators(
            assessment=assessment, actor=coordinator, facilitators=[facilitator]
        )
    inst = {
        i.acronym: i for i in Institution.objects.filter(acronym__in=["KEMNAKER", "BP2MI", "KEMLU"])
    }
    special = {
        "1.3.1": [("KEMNAKER", "lead"), ("BP2MI", "contributor")],
        "1.3.2": [("KEMNAKER", "lead")],
        "4.1.1": [("KEMNAKER", "lead")],
        "4.1.2": [("BP2MI", "lead"), ("KEMNAKER", "contributor")],
        "2.3.2": [("BP2MI", "lead")],
    }
    cells = {}
    for indicator in framework.indicators.all():
        for acronym, role in special.get(indicator.code, [("KEMLU", "lead")]):
            cells[(indicator.pk, inst[acronym].pk)] = role
    setup_services.matrix_apply(assessment=assessment, actor=coordinator, cells=cells)
    setup_services.assessment_set_participants(
        assessment=assessment, actor=coordinator, institutions=inst.values()
    )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.DATA_COLLECTION
    )
    assert Assignment.objects.filter(assessment=assessment).count() == 100
    return assessment


@pytest.fixture
def response_a(national_assessment, kemnaker):
    """Kemnaker's response to 1.3.1 (shared with BP2MI as contributor)."""
    return national_assessment.responses.get(indicator__code="1.3.1", institution=kemnaker)


@pytest.fixture
def response_b(national_assessment, bp2mi):
    """BP2MI's response to 4.1.2."""
    return national_assessment.responses.get(indicator__code="4.1.2", institution=bp2mi)


def submit_institution(assessment, institution, actor, answer="yes"):
    """Answer every indicator of the institution and submit them."""

    for r in assessment.responses.filter(institution=institution):
        collection_services.response_update(
            response=r,
            actor=actor,
            version=r.version,
            answer=answer,
            justification=f"{institution.acronym}: {answer}",
        )
    return collection_services.submission_create(
        assessment=assessment, institution=institution, actor=actor
    )


def to_cross_check(assessment, coordinator, focal_a, focal_b):
    """Kemnaker (focal_a) answers yes, BP2MI (focal_b) partial, both submit; into cross-check."""

    from assessments.models import Assessment

    submit_institution(assessment, focal_a.institution, focal_a, "yes")
    submit_institution(assessment, focal_b.institution, focal_b, "partial")
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.CROSS_CHECK
    )
    return assessment


def to_validation(assessment, coordinator, facilitator):
    """Every submitted answer accepted, every indicator consolidated; into validation."""

    from assessments.models import Assessment

    for r in assessment.responses.filter(state="submitted"):
        review_services.response_review(response=r, actor=facilitator, decision="accept")
    for indicator in assessment.framework.indicators.all():
        consolidation_services.consolidated_save(
            assessment=assessment,
            indicator=indicator,
            actor=facilitator,
            answer="partial",
            narrative_en=f"Narrative {indicator.code}",
            narrative_id=f"Narasi {indicator.code}",
            sources=list(assessment.responses.filter(indicator=indicator).exclude(answer="")),
        )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.VALIDATION
    )
    return assessment


def to_approved(assessment, coordinator, institutions):
    """An FGD of `institutions` changes 2.3.2 to Yes; approved (snapshot no. 1)."""
    import datetime

    from assessments.models import Assessment
    from indicators.models import Indicator

    session = validation_services.validation_session_save(
        assessment=assessment,
        actor=coordinator,
        held_on=datetime.date(2031, 6, 20),
        format="hybrid",
        place="Jakarta",
        participant_count=94,
        institutions=list(institutions),
    )
    validation_services.validation_decide(
        session=session,
        indicator=Indicator.objects.get(framework=assessment.framework, code="2.3.2"),
        actor=coordinator,
        decision="changed",
        answer="yes",
        reason="Law 18/2017 covers it fully.",
    )
    setup_services.assessment_transition(
        assessment=assessment, actor=coordinator, to=Assessment.Status.APPROVED
    )
    return assessment


@pytest.fixture
def cross_check_assessment(national_assessment, kemnaker, bp2mi, focal_a, focal_b, coordinator):
    """The national assessment in cross-check: Kemnaker answered yes, BP2MI partial (so 1.3.1
    and 4.1.2, which both answer, are in conflict); KEMLU never answered its indicators."""
    return to_cross_check(national_assessment, coordinator, focal_a, focal_b)


@pytest.fixture
def validation_assessment(cross_check_assessment, facilitator, coordinator):
    """The assessment in validation: every answer accepted, every indicator consolidated."""
    return to_validation(cross_check_assessment, coordinator, facilitator)


@pytest.fixture
def approved_assessment(validation_assessment, coordinator, kemnaker, bp2mi):
    """The national test assessment validated in an FGD (one answer changed) and approved:
    snapshot no. 1 exists."""
    return to_approved(validation_assessment, coordinator, [kemnaker, bp2mi])


@pytest.fixture
def draft_profile(approved_assessment, coordinator):
    """Profile version 1 (draft) of the approved assessment, findings drafted, nothing rendered."""
    from reports import services

    return services.profile_create(assessment=approved_assessment, actor=coordinator)


@pytest.fixture
def validation_session(validation_assessment, coordinator, kemnaker, bp2mi):
    """A recorded FGD of the validation assessment: Kemnaker and BP2MI present, no decision yet."""
    import datetime

    return validation_services.validation_session_save(
        assessment=validation_assessment,
        actor=coordinator,
        held_on=datetime.date(2031, 3, 4),
        format="hybrid",
        place="Jakarta, Kemlu",
        participant_count=18,
        institutions=[kemnaker, bp2mi],
        notes="Opened by the Director.",
    )


@pytest.fixture
def quick_pdfs(monkeypatch):
    """Profile PDFs laid out by the real service, task and WeasyPrint, but from a one-page
    stand-in (the profile's title and language) instead of the 20-page profile, which takes
    about 3 s a language. For tests that read no PDF text; `published_profile_full` and the
    render tests lay out the real profile."""
    from django.utils.html import escape

    from reports import services

    def short_html(profile, language):
        title = escape(str(profile))
        return f'<!DOCTYPE html><html lang="{language}"><body><h1>{title}</h1><p>{language}</p></body></html>'

    monkeypatch.setattr(services, "profile_html", short_html)


def publish(profile, coordinator, capture):
    """Render both languages (eagerly, when the request commits), approve and publish now."""
    from reports import services

    with capture(execute=True):
        for language in ("en", "id"):
            services.render_request(profile=profile, language=language, actor=coordinator)
    profile = services.profile_approve(profile=profile, actor=coordinator)
    return services.profile_publish(profile=profile, actor=coordinator)


@pytest.fixture
def published_profile(quick_pdfs, draft_profile, coordinator, django_capture_on_commit_callbacks):
    """Version 1 of the approved assessment's profile, published now: what the public sees.
    Its PDFs are one-page stand-ins (see quick_pdfs)."""
    return publish(draft_profile, coordinator, django_capture_on_commit_callbacks)


@pytest.fixture
def published_profile_full(draft_profile, coordinator, django_capture_on_commit_callbacks):
    """Like published_profile, with the real profile laid out in both languages."""
    return publish(draft_profile, coordinator, django_capture_on_commit_callbacks)


@pytest.fixture
def profile_render_done(quick_pdfs, draft_profile, coordinator, django_capture_on_commit_callbacks):
    """The English PDF of draft_profile, requested and rendered eagerly: a done render
    (a stand-in PDF, see quick_pdfs)."""
    from reports import services

    with django_capture_on_commit_callbacks(execute=True):
        render = services.render_request(profile=draft_profile, language="en", actor=coordinator)
    render.refresh_from_db()
    assert render.status == "done", render.error
    return render


# A PDF as python-magic detects it (the smallest document it calls application/pdf).
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def evidence_file_a(national_assessment, focal_a):
    """A PDF in Kemnaker's evidence library for the national assessment, uploaded by its
    focal point as "Permenaker 9-2019.pdf" through the service; the file is deleted after."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="file",
        title="Ministerial regulation 9/2019",
        file=SimpleUploadedFile("Permenaker 9-2019.pdf", EVIDENCE_PDF, "application/octet-stream"),
    )
    yield evidence
    evidence.file.storage.delete(evidence.file.name)
