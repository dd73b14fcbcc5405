"""Writes to a profile's publication parts: its sections' texts and the migration-context
figures (by hand, or from an uploaded CSV or Excel file).

Only a draft version changes; each change renders the PDFs already rendered again
(services.invalidate_renders), as a finding's does. A text saved here was written by a
person in its field's language, so each records that language.
"""

from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from assessments.errors import InvalidRequest
from audit.services import Action, audit_record
from ministries.models import User

from .figures import FigureRow, FiguresFileError, char_field, read_figures
from .models import ContextFigure, Profile, ProfileSection
from .services import check_draft, invalidate_renders

FIGURE_FIELDS = ("label_en", "label_id", "value", "source")


@transaction.atomic
def section_update(
    *, section: ProfileSection, actor: User, text_en: str, text_id: str
) -> ProfileSection:
    """Save both texts of one section, as their own languages' (a person wrote them)."""
    check_draft(section.profile)
    text_en, text_id = text_en.strip(), text_id.strip()
    if not text_en or not text_id:
        raise InvalidRequest(_("A section needs its text in English and in Bahasa Indonesia."))
    section.text_en = text_en
    section.text_id = text_id
    section.text_en_language = "en"
    section.text_id_language = "id"
    section.edited_by = actor
    section.save()
    audit_record(
        action=Action.SECTION_UPDATED,
        actor=actor,
        obj=section,
        assessment=section.profile.assessment_id,
        details={"section": section.key, "dimension": section.dimension},
    )
    invalidate_renders(section.profile)
    return section


def _figures_audited(profile: Profile, actor: User, change: str) -> None:
    audit_record(
        action=Action.CONTEXT_FIGURES_CHANGED,
        actor=actor,
        obj=profile,
        details={"change": change},
    )


def _clean_figure(fields: dict[str, Any]) -> dict[str, Any]:
    """The figure's fields, stripped and checked; InvalidRequest naming the first wrong one."""
    cleaned: dict[str, Any] = {}
    for name in FIGURE_FIELDS:
        value = str(fields.get(name) or "").strip()
        limit = char_field(name).max_length or 0
        if not value:
            raise InvalidRequest(_("Fill in “%(field)s”.") % {"field": _label(name)}, field=name)
        if len(value) > limit:
            raise InvalidRequest(
                _("The %(field)s is longer than %(limit)s characters.")
                % {"field": _label(name), "limit": limit},
                field=name,
            )
        cleaned[name] = value
    try:
        year = int(str(fields.get("year") or "").strip())
    except ValueError:
        year = 0
    if not 1900 <= year <= 2100:
        raise InvalidRequest(_("The year must be a year such as 2023."), field="year")
    cleaned["year"] = year
    return cleaned


def _label(name: str) -> str:
    return str(char_field(name).verbose_name)


@transaction.atomic
def context_figure_save(
    *, profile: Profile, actor: User, figure: ContextFigure | None = None, **fields: Any
) -> ContextFigure:
    """Add a figure to the context table (`figure` None) or change one."""
    check_draft(profile)
    cleaned = _clean_figure(fields)
    if figure is None:
        last = profile.context_figures.aggregate(n=Max("order"))["n"] or 0
        figure = ContextFigure(profile=profile, order=last + 1)
    for name, value in cleaned.items():
        setattr(figure, name, value)
    figure.save()
    _figures_audited(profile, actor, "saved")
    invalidate_renders(profile)
    return figure


@transaction.atomic
def context_figure_delete(*, figure: ContextFigure, actor: User) -> None:
    profile = figure.profile
    check_draft(profile)
    figure.delete()
    _figures_audited(profile, actor, "deleted")
    invalidate_renders(profile)


@transaction.atomic
def context_figures_import(
    *, profile: Profile, actor: User, upload: IO[bytes], name: str = ""
) -> list[ContextFigure]:
    """Replace the context table with the figures of an uploaded file: all of them, or none
    if any row is wrong (InvalidRequest listing each problem with its row and column)."""
    check_draft(profile)
    try:
        rows: list[FigureRow] = read_figures(upload, name=name)
    except FiguresFileError as exc:
        problems = [str(e) for e in exc.errors]
        error = InvalidRequest(
            _("The file was not applied: %(problems)s") % {"problems": "; ".join(problems)}
        )
        error.problems = problems  # type: ignore[attr-defined]  # the page lists them
        raise error from exc
    profile.context_figures.all().delete()
    figures = ContextFigure.objects.bulk_create(
        [
            ContextFigure(
                profile=profile,
                label_en=r.label_en,
                label_id=r.label_id,
                value=r.value,
                source=r.source,
                year=r.year,
                order=i,
            )
            for i, r in enumerate(rows, start=1)
        ]
    )
    _figures_audited(profile, actor, "imported")
    invalidate_renders(profile)
    return figures
