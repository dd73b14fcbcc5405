"""What an evidence item of each kind is made of, and how a problem with it is named.

The one source of these rules: `services.evidence_create` applies them (for the pages, the
API and the workbook importer alike), the evidence form shows the fields of each kind from
`KIND_FIELDS`, and every message names the field it is about, so that it reads well next
to the field and in a list of errors.
"""

from pathlib import PurePath

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.models import Evidence, Response

K = Evidence.Kind

# The fields each kind is made of, in the order the form shows them; the service blanks the
# others (a URL typed before switching to "Legal citation" is not kept).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    K.CITATION: ("instrument", "instrument_type", "title", "number", "year", "article"),
    K.LINK: ("title", "url"),
    K.FILE: ("file", "title", "year"),
}
# The fields a kind cannot do without (a file's title defaults to the file's name).
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    K.CITATION: ("instrument_type", "title"),
    K.LINK: ("title", "url"),
    K.FILE: ("file",),
}
YEAR_RANGE = (1900, 2100)
# Extensions of the accepted types, to name a refused file by what its sender called it.
# (GIF, WebP, .doc and .xls are refused: config/uploads.py says why.)
ACCEPTED_EXTENSIONS = frozenset({"pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "jpeg"})


def kinds_of(field: str) -> list[str]:
    """The kinds `field` belongs to."""
    return [kind for kind, fields in KIND_FIELDS.items() if field in fields]


def field_label(name: str) -> str:
    field = Evidence._meta.get_field(name)
    return str(capfirst(getattr(field, "verbose_name", name)))


def named(name: str, problem: str) -> str:
    """A problem Django words on its own ("Ensure this value has at most 50 characters."),
    prefixed with the field it is about."""
    return _("%(field)s: %(problem)s") % {"field": field_label(name), "problem": problem}


def named_response_field(name: str, problem: str) -> str:
    """`named` for a field of the answer (Response) rather than of the evidence."""
    label = capfirst(getattr(Response._meta.get_field(name), "verbose_name", name))
    return _("%(field)s: %(problem)s") % {"field": label, "problem": problem}


def kind_message() -> str:
    return _("Kind: choose a legal citation, a file or a link.")


def instrument_message() -> str:
    return _("Instrument type: choose the type of law, regulation or document.")


def instrument_unknown_message(text: str) -> str:
    return _(
        "Legal instrument: “%(text)s” is not in the register; choose one from the list, or "
        "leave it empty and fill in the type, title, number and year."
    ) % {"text": text}


def title_message() -> str:
    return _("Title: enter the title of the law, document or web page.")


def url_message() -> str:
    return _("Link: enter a full web address starting with https://")


def year_message() -> str:
    return _("Year: enter a year such as 2017.")


def file_missing_message() -> str:
    return _("File: choose the file to upload.")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.2f}"


def file_size_message(limit: int) -> str:
    return _(
        "File: the file is larger than %(limit)s MB, the limit for one file; upload a smaller one."
    ) % {"limit": megabytes(limit)}


def response_size_message(limit: int, used: int) -> str:
    return _(
        "File: the files of this answer would come to more than %(limit)s MB, the limit for "
        "one answer (%(used)s MB are attached already); upload a smaller file."
    ) % {"limit": megabytes(limit), "used": megabytes(used)}


def file_damaged_message(name: str) -> str:
    return _(
        "File: “%(name)s” is damaged or is not what its type claims; upload the original file."
    ) % {"name": name}


def file_bomb_message(name: str) -> str:
    return _(
        "File: “%(name)s” unpacks to far more than its size and was refused; upload the "
        "original document."
    ) % {"name": name}


def file_type_message(name: str) -> str:
    """A refused file, named by its extension when the sender gave it one we do not take."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension and extension not in ACCEPTED_EXTENSIONS:
        return _(
            "File: .%(extension)s files are not accepted; upload PDF, Word, Excel, "
            "OpenDocument, PNG or JPEG."
        ) % {"extension": extension}
    return _(
        "File: the content of “%(name)s” is not PDF, Word (.docx), Excel (.xlsx), "
        "OpenDocument, PNG or JPEG; upload a file of one of these types."
    ) % {"name": name}
