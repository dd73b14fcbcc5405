"""Evidence with a progress update on the item page: a file, a citation of the register, a
link, with the answers' evidence rules; who may open an update's file."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from assessments.models import Evidence
from indicators import instruments
from indicators.models import LegalInstrument
from ministries.models import Institution, User
from reports.actionplan import services
from reports.actionplan.models import ActionItem, ProgressUpdate
from tests.conftest import EVIDENCE_PDF
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_progress(user: User, item: ActionItem, **evidence: Any) -> Any:
    body = {"text": "The regulation is signed", "language": "en", "percent": "80"}
    body.update({f"ev-{name}": value for name, value in evidence.items()})
    return signed_in(user).post(f"/action-plan/items/{item.pk}/updates/", body)


@pytest.fixture
def cleanup_files() -> Iterator[None]:
    yield
    for evidence in Evidence.objects.exclude(file=""):
        evidence.file.storage.delete(evidence.file.name)


def test_the_progress_form_offers_the_evidence_kinds(action_item: ActionItem, focal_a: User):
    page = signed_in(focal_a).get(f"/action-plan/items/{action_item.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "No new evidence" in page and "data-evidence-kind-select" in page
    assert 'data-evidence-kinds="file"' in page  # the file field, shown for its kind only
    assert "UU 18/2017" in page  # the register's suggestions (<datalist>)
    assert "<script>" not in page  # no inline script: the CSP stays strict


def test_a_comment_has_no_evidence_form(
    action_item: ActionItem, facilitator: User, approved_assessment: object
):
    action_item.plan.assessment.facilitators.add(facilitator)
    page = signed_in(facilitator).get(f"/action-plan/items/{action_item.pk}/").content.decode()
    assert "Post the comment" in page
    assert "No new evidence" not in page


def test_an_upload_with_the_update_is_attached_and_linked(
    action_item: ActionItem, focal_a: User, cleanup_files: None
):
    upload = SimpleUploadedFile("Permenaker 4-2031.pdf", EVIDENCE_PDF, "application/pdf")
    response = post_progress(focal_a, action_item, kind="file", file=upload)
    assert response.status_code == 302, response.content.decode()
    update = ProgressUpdate.objects.get(item=action_item)
    evidence = update.evidence.get()
    assert (evidence.kind, evidence.content_type) == ("file", "application/pdf")
    assert evidence.institution_id == focal_a.institution_id
    assert evidence.title == "Permenaker 4-2031.pdf"
    page = signed_in(focal_a).get(f"/action-plan/items/{action_item.pk}/").content.decode()
    assert f'href="/evidence/{evidence.pk}/file"' in page
    assert "Permenaker 4-2031.pdf" in page
    download = signed_in(focal_a).get(f"/evidence/{evidence.pk}/file")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == EVIDENCE_PDF  # type: ignore[attr-defined]


def test_a_damaged_upload_is_refused_by_its_field(
    action_item: ActionItem, focal_a: User, cleanup_files: None
):
    upload = SimpleUploadedFile("report.pdf", b"not a pdf at all", "application/pdf")
    response = post_progress(focal_a, action_item, kind="file", file=upload)
    assert response.status_code == 400
    text = response.content.decode()
    assert "File: the content of “report.pdf” is not PDF" in text
    assert 'id="ev-update-ev-file_error"' in text  # next to the field
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_a_citation_of_the_register(
    action_item: ActionItem, focal_a: User, legal_instrument: LegalInstrument
):
    reference = instruments.reference(legal_instrument)
    response = post_progress(
        focal_a, action_item, kind="citation", instrument=reference, article="30"
    )
    assert response.status_code == 302, response.content.decode()
    evidence = ProgressUpdate.objects.get(item=action_item).evidence.get()
    assert (evidence.kind, evidence.instrument, evidence.article) == (
        "citation",
        legal_instrument,
        "30",
    )
    client = signed_in(focal_a)
    english = client.get(f"/action-plan/items/{action_item.pk}/").content.decode()
    assert instruments.cite(legal_instrument, language="en", article="30") in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(f"/action-plan/items/{action_item.pk}/").content.decode()
    cited_id = instruments.cite(legal_instrument, language="id", article="30")
    assert cited_id in indonesian and cited_id != instruments.cite(
        legal_instrument, language="en", article="30"
    )
    assert "Rujukan hukum" in indonesian and "Berkas" in indonesian  # the kinds
    with translation.override("id"):
        assert translation.gettext("No new evidence") in indonesian  # "Tanpa bukti baru" (B.po)


def test_an_unknown_instrument_is_named_and_kept(action_item: ActionItem, focal_a: User):
    response = post_progress(focal_a, action_item, kind="citation", instrument="UU 99/1801")
    assert response.status_code == 400
    text = response.content.decode()
    assert "“UU 99/1801” is not in the register" in text
    assert 'value="UU 99/1801"' in text
    assert not ProgressUpdate.objects.exists()


def test_a_bad_link_is_named_and_what_was_typed_kept(action_item: ActionItem, focal_a: User):
    response = post_progress(
        focal_a, action_item, kind="link", title="Ministry news", url="not a web address"
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Link: enter a full web address starting with https://" in text
    assert 'id="ev-update-ev-url_error"' in text
    assert 'value="not a web address"' in text and 'value="Ministry news"' in text
    assert "The regulation is signed" in text  # the update's own text is kept
    assert '<option value="link" selected>' in text
    assert not ProgressUpdate.objects.exists() and not Evidence.objects.exists()


def test_a_link_is_shown_as_a_link(action_item: ActionItem, focal_a: User):
    response = post_progress(
        focal_a, action_item, kind="link", title="Ministry news", url="https://kemnaker.go.id/x"
    )
    assert response.status_code == 302
    page = signed_in(focal_a).get(f"/action-plan/items/{action_item.pk}/").content.decode()
    assert '<a href="https://kemnaker.go.id/x" rel="noopener">Ministry news</a>' in page


@pytest.fixture
def contributed_file(
    action_item: ActionItem,
    coordinator: User,
    focal_b: User,
    bp2mi: Institution,
    cleanup_files: None,
) -> Evidence:
    """A file BP2MI's focal point gave with its progress on Kemnaker's item (BP2MI
    contributes): evidence of BP2MI's library."""
    services.item_update(
        item=action_item, actor=coordinator, version=1, values={"contributors": [bp2mi]}
    )
    upload = SimpleUploadedFile("data.pdf", EVIDENCE_PDF, "application/pdf")
    assert post_progress(focal_b, action_item, kind="file", file=upload).status_code == 302
    return ProgressUpdate.objects.get(item=action_item).evidence.get()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead_focal_point", 200),  # Kemnaker, whose library does not hold the file
        ("contributing_focal_point", 200),  # BP2MI, who gave it
        ("coordinator", 200),
        ("facilitator", 200),
        ("other_focal_point", 404),  # an institution not in the item
        ("other_facilitator", 404),  # not of this assessment
    ],
)
def test_who_opens_an_updates_file(
    contributed_file: Evidence,
    who: str,
    status: int,
    focal_a: User,
    focal_b: User,
    coordinator: User,
    facilitator: User,
) -> None:
    contributed_file.assessment.facilitators.add(facilitator)
    users: dict[str, Any] = {
        "lead_focal_point": focal_a,
        "contributing_focal_point": focal_b,
        "coordinator": coordinator,
        "facilitator": facilitator,
        "other_focal_point": UserFactory(
            username="t-focal-kemlu",
            role=User.Role.FOCAL_POINT,
            institution=Institution.objects.get(acronym="KEMLU"),
        ),
        "other_facilitator": UserFactory(username="t-fac-2", role=User.Role.FACILITATOR),
    }
    client = signed_in(users[who])
    assert client.get(f"/evidence/{contributed_file.pk}/file").status_code == status
    api = client.get(f"/api/v1/evidence/{contributed_file.pk}/file/")
    assert api.status_code == status


def test_no_new_evidence_ignores_what_the_hidden_fields_hold(
    action_item: ActionItem, focal_a: User
):
    response = post_progress(focal_a, action_item, kind="", url="not a web address", year="x")
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(item=action_item)
    assert (update.percent, update.evidence.count()) == (80, 0)


def test_the_item_page_reads_the_updates_evidence_in_fixed_queries(
    action_item: ActionItem, focal_a: User, legal_instrument: LegalInstrument
):
    client = signed_in(focal_a)

    def post(n: int) -> None:
        services.update_post(
            item=action_item,
            actor=focal_a,
            kind=ProgressUpdate.Kind.PROGRESS,
            text=f"Step {n}",
            language="en",
            link={"instrument": legal_instrument, "article": str(n)},
            new_evidence={"kind": "link", "title": f"News {n}", "url": f"https://x.go.id/{n}"},
        )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/action-plan/items/{action_item.pk}/").status_code == 200
        return len(queries)

    post(1)
    one = count()
    post(2)
    post(3)
    assert count() == one
