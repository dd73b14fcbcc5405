"""The drafted default texts of a profile's sections, in English and in Bahasa Indonesia.

`draft_sections` is called when a profile version is made (services.profile_create); the
coordinator and the facilitators then edit each text. Every figure a text quotes (how many
indicators and institutions, the dates of data collection and validation, the dataset's
number) is read from the version's snapshot, and every institution is named in full.
"""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from assessments.models import Assessment
from indicators.models import Dimension, SubArea
from ministries.models import Institution, User

from .developments import developments_texts
from .models import ContextFigure, Profile, ProfileSection
from .texts import TEXTS
from .wording import institution_names, iso_date, long_date, pick

Key = ProfileSection.Key
LANGUAGES = ("en", "id")
# Where each part sits in the publication; per-dimension parts add their dimension number.
ORDER = {
    Key.COVER: 0,
    Key.PUBLISHER: 1,
    Key.ACKNOWLEDGEMENTS: 2,
    Key.OBJECTIVES: 3,
    Key.INTRODUCTION: 4,
    Key.CONTEXT: 5,
    Key.KEY_FINDINGS: 6,
    Key.CHAPTER: 10,
    Key.DEVELOPMENTS: 20,
    Key.ANNEX_MIGOF: 40,
    Key.ANNEX_METHODOLOGY: 41,
}


def subarea_of(code: str) -> str:
    """An indicator's sub-area: the first two parts of its code ("1.2" for "1.2.3")."""
    return ".".join(code.split(".")[:2])


def subarea_names(framework_code: str, language: str) -> dict[str, str]:
    """Sub-area code → name in `language`, from the framework version (one query)."""
    return {
        s.code: getattr(s, f"name_{language}") or s.name_en
        for s in SubArea.objects.filter(dimension__framework__code=framework_code)
    }


def _lower_first(text: str) -> str:
    """ "Access to services" → "access to services", but "ASEAN cooperation" stays."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def join_list(items: list[str], language: str) -> str:
    """ "a, b and c" / "a, b, dan c"."""
    if len(items) <= 1:
        return "".join(items)
    word = {"en": "and", "id": "dan"}[language]
    # Names that hold the conjunction themselves are set apart by semicolons.
    sep = "; " if any(f" {word} " in item for item in items) else ", "
    last = f"{sep}{word} " if len(items) > 2 or sep == "; " or language == "id" else f" {word} "
    if language == "id" and len(items) == 2 and sep == ", ":
        last = f" {word} "
    return sep.join(items[:-1]) + last + items[-1]


def _n(count: int, pair_one: dict[str, str], pair_many: dict[str, str], language: str) -> str:
    return pick(pair_one if count == 1 else pair_many, language) % {"count": count}


class Facts:
    """What the drafts quote, read once from the snapshot and the database."""

    def __init__(self, profile: Profile) -> None:
        data = profile.snapshot.data
        self.profile = profile
        self.meta = data["assessment"]
        self.data = data
        self.provincial = self.meta["scope"] == "provincial"
        participation = data.get("participation") or {}
        self.assigned = participation.get("assigned") or data["institutions"]
        self.submitted = participation.get("submitted")
        self.accepted = participation.get("accepted")
        self.names = {lang: institution_names(self.assigned, lang) for lang in LANGUAGES}
        self.coordinator = _coordinating_institution(profile.assessment)
        self.dimensions = list(
            Dimension.objects.filter(framework__code=self.meta["framework"]).order_by("number")
        )
        self.subareas = {lang: subarea_names(self.meta["framework"], lang) for lang in LANGUAGES}

    def values(self, language: str) -> dict[str, Any]:
        meta = self.meta
        place = meta.get(f"province_{language}") or meta.get("province_en") or ""
        names = sorted(self.names[language].values())
        coordinator = (
            getattr(self.coordinator, f"name_{language}") or self.coordinator.name_en
            if self.coordinator
            else pick(TEXTS["government"], language)
        )
        return {
            "year": meta["year"],
            "pub": self.profile.publication_year or meta["year"],
            "place": place,
            "where": pick(TEXTS["where_provincial" if self.provincial else "where"], language)
            % {"place": place},
            "coordinator": coordinator,
            "count": len(names),
            "institutions": join_list(names, language),
            "indicators": len(self.data["indicators"]),
            "snapshot": self.profile.snapshot.number,
            "version": self.profile.version,
        }


def _coordinating_institution(assessment: Assessment) -> Institution | None:
    """The ministry that coordinates the MGI: the creator's institution for a national
    round; for a province's, the national coordinators' (MOFA launches every profile)."""
    creator = assessment.created_by
    if assessment.scope == Assessment.Scope.NATIONAL and creator and creator.institution_id:
        return creator.institution
    national = (
        User.objects.filter(
            role=User.Role.NATIONAL_COORDINATOR, is_active=True, institution__isnull=False
        )
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    return national.institution if national else None


def _text(key: str, facts: Facts, language: str, **extra: Any) -> str:
    """The paragraphs of TEXTS[key] (the provincial variant where there is one), filled in."""
    variant = f"{key}_provincial"
    pair = TEXTS[variant] if facts.provincial and variant in TEXTS else TEXTS[key]
    return pick(pair, language) % {**facts.values(language), **extra}


def _acknowledgements(facts: Facts, language: str) -> str:
    text = _text("acknowledgements", facts, language)
    count = len(facts.assigned)
    if count:
        text += "\n\n" + _n(count, TEXTS["thanks_one"], TEXTS["thanks_many"], language) % {
            "institutions": facts.values(language)["institutions"]
        }
    return text


def _publisher(facts: Facts, language: str) -> str:
    text = _text("publisher", facts, language)
    if facts.meta.get("is_demo"):
        text += "\n\n" + pick(TEXTS["demo"], language)
    return text


def _dates(held: str | None, ends: str | None, language: str) -> str:
    start, end = iso_date(held), iso_date(ends)
    if start is None:
        return ""
    if end is None or end == start:
        return pick(TEXTS["on_day"], language) % {"day": long_date(start, language)}
    return pick(TEXTS["from_to"], language) % {
        "start": long_date(start, language),
        "end": long_date(end, language),
    }


def _methodology(facts: Facts, language: str) -> str:
    """Counts and dates from the snapshot, never fixed in a sentence."""
    parts = [_text("methodology", facts, language)]
    collection = facts.data.get("data_collection") or {}
    opened, closed = collection.get("opened"), collection.get("closed")
    if opened and closed:
        parts.append(
            pick(TEXTS["collection"], language) % {"dates": _dates(opened, closed, language)}
        )
    taking_part = _n(len(facts.assigned), TEXTS["assigned_one"], TEXTS["assigned_many"], language)
    if facts.submitted is not None and facts.accepted is not None:
        taking_part += " " + pick(TEXTS["answered"], language) % {
            "submitted": len(facts.submitted),
            "accepted": len(facts.accepted),
        }
    parts.append(taking_part)
    sessions = facts.data.get("validation") or []
    for session in sessions:
        where = (
            pick(TEXTS["in_place"], language) % {"place": session["place"]}
            if session.get("place")
            else ""
        )
        parts.append(
            _n(
                session.get("participant_count") or 0,
                TEXTS["session_one"],
                TEXTS["session_many"],
                language,
            )
            % {
                "dates": _dates(session["held_on"], session.get("ends_on"), language),
                "where": where,
            }
        )
    if not sessions:
        parts.append(pick(TEXTS["no_session"], language))
    parts.append(_text("frozen", facts, language))
    return "\n\n".join(parts)


def _groups(findings: Iterable[Any], dimension: int, kind: str) -> list[str]:
    """The sub-areas (codes, in order) of a dimension's findings of one kind."""
    codes: dict[str, None] = {}
    for f in findings:
        if _get(f, "dimension") == dimension and _get(f, "kind") == kind:
            for code in _get(f, "indicators") or []:
                codes.setdefault(subarea_of(code), None)
    return sorted(codes, key=lambda c: [int(p) if p.isdigit() else 0 for p in c.split(".")])


def _get(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def _key_findings(facts: Facts, findings: list[Any], language: str) -> str:
    paragraphs = [pick(TEXTS["key_findings"], language)]
    names = facts.subareas[language]
    for dim in facts.dimensions:
        good = [
            _lower_first(names.get(c, c)) for c in _groups(findings, dim.number, "well_developed")
        ]
        further = [
            _lower_first(names.get(c, c))
            for c in _groups(findings, dim.number, "further_development")
        ]
        sentences = [f"{dim.number}. {getattr(dim, f'name_{language}') or dim.name_en}."]
        sentences.append(
            pick(TEXTS["good"], language) % {"areas": join_list(good, language)}
            if good
            else pick(TEXTS["no_good"], language)
        )
        sentences.append(
            pick(TEXTS["further"], language) % {"areas": join_list(further, language)}
            if further
            else pick(TEXTS["no_further"], language)
        )
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _chapter(facts: Facts, dim: Dimension, language: str) -> str:
    description = getattr(dim, f"description_{language}") or dim.description_en
    return "\n\n".join(p for p in (description, pick(TEXTS["chapter"], language)) if p)


def draft_texts(profile: Profile, findings: list[Any]) -> list[dict[str, Any]]:
    """Every section of `profile` with its drafted texts: {key, dimension, order, text_en,
    text_id}. `findings` are the version's findings (dicts or Finding rows)."""
    facts = Facts(profile)
    drafts: list[dict[str, Any]] = []

    def add(key: str, texts: dict[str, str], dimension: int | None = None) -> None:
        drafts.append(
            {
                "key": key,
                "dimension": dimension,
                "order": ORDER[Key(key)] + (dimension or 0),
                "text_en": texts["en"],
                "text_id": texts["id"],
            }
        )

    def each(fn: Any, *args: Any) -> dict[str, str]:
        return {lang: fn(*args, lang) for lang in LANGUAGES}

    add(Key.COVER, each(lambda lang: _text("cover", facts, lang)))
    add(Key.PUBLISHER, each(_publisher, facts))
    add(Key.ACKNOWLEDGEMENTS, each(_acknowledgements, facts))
    for key in (Key.OBJECTIVES, Key.INTRODUCTION, Key.CONTEXT):
        add(key, each(lambda lang, k=key: _text(str(k), facts, lang)))
    add(Key.KEY_FINDINGS, each(_key_findings, facts, findings))
    developments = {}
    if facts.meta.get("previous"):  # a follow-up: what changed, from the data
        developments = developments_texts(profile, [d.number for d in facts.dimensions])
    for dim in facts.dimensions:
        add(Key.CHAPTER, each(_chapter, facts, dim), dim.number)
        if dim.number in developments:
            add(Key.DEVELOPMENTS, developments[dim.number], dim.number)
    add(Key.ANNEX_MIGOF, each(lambda lang: pick(TEXTS["annex_migof"], lang)))
    add(Key.ANNEX_METHODOLOGY, each(_methodology, facts))
    return drafts


def draft_sections(profile: Profile, findings: list[Any]) -> list[ProfileSection]:
    """Unsaved sections of `profile` with their drafted texts (the texts people edited in
    the previous version replace them afterwards: findings.sections_carry_over)."""
    return [ProfileSection(profile=profile, **draft) for draft in draft_texts(profile, findings)]


def carry_figures(profile: Profile) -> None:
    """A new version starts with the context figures of the version before it."""
    previous = (
        Profile.objects.filter(assessment=profile.assessment, version__lt=profile.version)
        .order_by("-version")
        .first()
    )
    if previous is None:
        return
    ContextFigure.objects.bulk_create(
        [
            ContextFigure(
                profile=profile,
                label_en=f.label_en,
                label_id=f.label_id,
                value=f.value,
                source=f.source,
                year=f.year,
                order=f.order,
            )
            for f in previous.context_figures.all()
        ]
    )


def sections_create(*, profile: Profile, publication_year: int | None = None) -> None:
    """Draft the sections of a new version (inside profile_create's transaction), and carry
    over the previous version's context figures."""
    # By default the year it is made in, or its assessment's year if that is later.
    profile.publication_year = publication_year or max(timezone.now().year, profile.assessment.year)
    profile.save(update_fields=["publication_year"])
    findings = list(profile.findings.all())
    ProfileSection.objects.bulk_create(draft_sections(profile, findings))
    carry_figures(profile)
