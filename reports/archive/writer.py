"""The payload folder of a round archive, the index entries of what is written to it, and
the zip of the finished bag (`zip_bag`).

Every file goes through `PayloadWriter`, which gives it a safe name (ASCII letters, digits,
".", "-" and "_": a name a national archive's systems, Windows and a zip tool all accept),
never the same name twice (compared without case, as Windows and macOS do), and hashes it
while writing, in chunks: a stored file is copied from its storage in 1 MiB pieces and never
held in memory whole.
"""

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import Promise

CHUNK = 1024 * 1024
# Formats that are compressed already: stored in the zip as they are.
STORED = {".pdf", ".xlsx", ".docx", ".ods", ".odt", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 120


def safe_name(name: str, default: str = "file") -> str:
    """`name` as a portable file name: accents folded to ASCII, anything else but letters,
    digits, ".", "-" and "_" replaced by "-", no leading dot (no hidden file, no ".."), at
    most 120 characters with the extension kept."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = UNSAFE.sub("-", folded).strip(".-_ ")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    if not cleaned:
        return default
    if len(cleaned) > MAX_NAME:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            cleaned = f"{stem[: MAX_NAME - len(ext) - 1].rstrip('.-_')}.{ext}"
        else:
            cleaned = cleaned[:MAX_NAME]
    return cleaned


@dataclass
class Entry:
    """One line of the index: a file of the payload, or a record inside one (an answer).

    `label` is translated when the index is written, in each language, with `params`
    (values put into words in that language are given as lazy strings).
    """

    kind: str
    path: str
    label: Promise | str
    params: dict[str, Any] = field(default_factory=dict)
    record: str = ""
    institution: str = ""
    indicator: str = ""
    size: int | None = None
    sha256: str = ""

    def text(self) -> str:
        label = str(self.label)
        if not self.params:
            return label
        return label % {k: str(v) for k, v in self.params.items()}


class PayloadWriter:
    """Writes the payload under `root`, remembering an index entry per file."""

    def __init__(self, root: Path):
        self.root = root
        self.entries: list[Entry] = []
        self._taken: set[str] = set()

    def unique(self, folder: str, name: str) -> str:
        """`folder/name`, made safe, with "-2", "-3"... before the extension if taken."""
        parts = [safe_name(p, "folder") for p in folder.split("/") if p]
        base = safe_name(name)
        stem, dot, ext = base.rpartition(".")
        if not dot or not stem:
            stem, dot, ext = base, "", ""
        candidate = "/".join([*parts, base])
        number = 1
        while candidate.lower() in self._taken:
            number += 1
            candidate = "/".join([*parts, f"{stem}-{number}{dot}{ext}"])
        self._taken.add(candidate.lower())
        return candidate

    def _target(self, relative: str) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def copy_stream(self, source: IO[bytes], relative: str) -> tuple[int, str]:
        """Copy an open binary file to `relative` in chunks; (size, SHA-256)."""
        digest = hashlib.sha256()
        size = 0
        with self._target(relative).open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        return size, digest.hexdigest()

    def write_bytes(self, relative: str, data: bytes) -> tuple[int, str]:
        return self.copy_stream(io.BytesIO(data), relative)

    def write_json(self, relative: str, payload: Any) -> tuple[int, str]:
        target = self._target(relative)
        with target.open("w", encoding="utf-8") as out:
            json.dump(payload, out, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        return self.hash_file(relative)

    def write_csv(
        self, relative: str, header: Iterable[str], rows: Iterable[Iterable[Any]]
    ) -> tuple[int, str]:
        """UTF-8 with a byte-order mark, so spreadsheet programs read Indonesian text right.
        Cells are written as they are: this is a record, not a file to calculate in."""
        target = self._target(relative)
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(list(header))
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
        return self.hash_file(relative)

    def hash_file(self, relative: str) -> tuple[int, str]:
        digest = hashlib.sha256()
        path = self.root / relative
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return path.stat().st_size, digest.hexdigest()

    def add(self, entry: Entry) -> Entry:
        self.entries.append(entry)
        return entry

    def file(
        self, relative: str, written: tuple[int, str], kind: str, label: Any, **extra: Any
    ) -> Entry:
        """Record the index entry of a file just written."""
        size, sha256 = written
        return self.add(
            Entry(kind=kind, path=relative, label=label, size=size, sha256=sha256, **extra)
        )


def zip_bag(bag_dir: Path, target: Path) -> None:
    """The bag folder as a zip whose root is the folder; written file by file from disk."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for folder, subfolders, names in os.walk(bag_dir):
            subfolders.sort()
            for name in sorted(names):
                path = Path(folder) / name
                arcname = f"{bag_dir.name}/{path.relative_to(bag_dir).as_posix()}"
                method = zipfile.ZIP_STORED if path.suffix.lower() in STORED else None
                archive.write(path, arcname, compress_type=method)
