"""What an uploaded evidence file is, judged by its content alone (OWASP ASVS V5).

`inspect_upload` detects the type from the bytes (libmagic for the first bytes, then the
structure of the file), checks that the file is what that type claims, and answers the
detected type or a problem code. Only `ACCEPTED_TYPES` pass: PDF, DOCX, XLSX, ODT, ODS,
PNG and JPEG. Refused on purpose: HTML, SVG (it carries scripts), any script, plain
archives, the old binary Office formats (.doc, .xls: macro carriers that libmagic cannot
tell from other OLE files) and GIF / WebP (no policy document needs them; a screenshot is
a PNG). The stored name takes the detected type's extension (config/files.py).

Office files are zip containers: one is accepted only when it holds the parts of its kind
(`[Content_Types].xml` and `word/` or `xl/`; an OpenDocument's `mimetype` entry naming its
type) and when it unpacks, really decompressed and counted, to no more than
MGI_EVIDENCE_MAX_UNPACKED_BYTES and MGI_EVIDENCE_MAX_UNPACKED_RATIO times its size (a zip
bomb stops being read at the limit). Images must decode (Pillow `verify`), a PDF must end
with `%%EOF`: a PNG header glued to a script is not a PNG.
"""

import zipfile
from typing import IO, Any

from django.conf import settings

from config.files import DOCX, ODS, ODT, PDF, XLSX

PNG = "image/png"
JPEG = "image/jpeg"
ACCEPTED_TYPES = frozenset({PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG})
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1024 * 1024

# Problem codes, worded by assessments/collection/evidence_rules.py.
NOT_ACCEPTED = "type"
DAMAGED = "damaged"
BOMB = "bomb"


def detect_head(head: bytes) -> str:
    import magic

    return str(magic.from_buffer(head, mime=True))


def _unpacked_within_limit(archive: zipfile.ZipFile, size: int) -> bool:
    """Decompress every member, counting, and stop as soon as the limit is passed: the
    sizes a zip declares may lie."""
    limit = min(
        settings.EVIDENCE_MAX_UNPACKED_BYTES,
        max(size, 1) * settings.EVIDENCE_MAX_UNPACKED_RATIO,
    )
    total = 0
    for info in archive.infolist():
        if info.file_size > limit:
            return False
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    return False
    return True


def _office_type(file: IO[bytes], size: int) -> tuple[str, str]:
    """The Office type a zip upload is, by its parts; or the problem with it."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            kind = ""
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    kind = DOCX
                elif any(n.startswith("xl/") for n in names):
                    kind = XLSX
            elif "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                kind = declared if declared in (ODT, ODS) else ""
            if not kind:
                return "", NOT_ACCEPTED
            if not _unpacked_within_limit(archive, size):
                return "", BOMB
            return kind, ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return "", DAMAGED
    except Exception:  # zlib.error and others from a damaged member
        return "", DAMAGED


def _image_decodes(file: IO[bytes]) -> bool:
    from PIL import Image

    try:
        with Image.open(file) as image:
            image.verify()
    except Exception:  # Pillow raises many types for a damaged or fake image
        return False
    return True


def _pdf_complete(file: IO[bytes], size: int) -> bool:
    file.seek(max(size - 1024, 0))
    return b"%%EOF" in file.read()


def inspect_upload(file: Any) -> tuple[str, str]:
    """(detected content type, "") for an accepted file, ("", problem code) otherwise.
    Leaves the file at its start."""
    size = int(file.size)
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    try:
        if head.startswith(ZIP_MAGIC):
            return _office_type(file, size)
        content_type = detect_head(head)
        if content_type not in ACCEPTED_TYPES:
            return "", NOT_ACCEPTED
        if content_type in (PNG, JPEG) and not _image_decodes(file):
            return "", DAMAGED
        if content_type == PDF and not _pdf_complete(file, size):
            return "", DAMAGED
        return content_type, ""
    finally:
        file.seek(0)
