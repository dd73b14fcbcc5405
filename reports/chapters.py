"""The publication's parts built from the snapshot, in the edition's language: the dimension
chapters (findings grouped by sub-area, sources as footnotes), the sources annex, the
crosswalk marks, and the sections and context figures people edited.

Called by content.profile_context; it reads only the snapshot and the framework, never live
answers. A source is cited in the edition's language: the register's citation
(indicators/instruments.py `cite`) where the snapshot stores the instrument, else the label
stored with the evidence.
"""

from dataclasses import dataclass, field
from typing import Any

from indicators.instruments import cite

from .models import Finding, Profile
from .sections import subarea_names, subarea_of
from .wording import institution_names, phrase


def citation(evidence: dict[str, Any], language: str) -> str:
    """One piece of evidence as the edition cites it."""
    given = evidence.get("citation")
    if isinstance(given, dict):
        given = given.get(language) or given.get("en")
    if given:
        return str(given)
    instrument = evidence.get("instrument")
    if isinstance(instrument, dict) and instrument.get("kind"):
        try:
            return cite(instrument, language=language, article=evidence.get("article") or "")
        except (KeyError, TypeError, ValueError):
            pass
    return str(evidence.get("label") or evidence.get("title") or evidence.get("url") or "")


def row_sources(row: dict[str, Any], language: str) -> list[str]:
    """The sources of one indicator's answer, each once, in the order given."""
    seen: dict[str, None] = {}
    for e in row.get("evidence", []):
        text = citation(e, language).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


@dataclass
class Passage:
    """One finding in a sub-area's paragraph: the footnote of the sources it is the first
    in its chapter to cite, and the numbers of the chapter's earlier notes it also rests on."""

    text: str
    note: str = ""
    refs: list[int] = field(default_factory=list)


@dataclass
class Group:
    code: str
    name: str
    passages: list[Passage] = field(default_factory=list)


def _sort_key(code: str) -> list[int]:
    return [int(p) if p.isdigit() else 0 for p in code.split(".")]


class Notes:
    """The footnotes' numbers, as WeasyPrint counts them (one counter through the document,
    in the order the chapters show the findings), and within a chapter which source has its
    note already: a source gets one footnote per chapter, later findings refer to it."""

    def __init__(self) -> None:
        self.count = 0
        self.cited: dict[str, int] = {}

    def chapter(self) -> None:
        self.cited = {}

    def passage(self, text: str, sources: list[str]) -> Passage:
        new = [s for s in dict.fromkeys(sources) if s not in self.cited]
        refs = sorted({self.cited[s] for s in sources if s in self.cited})
        if new:
            self.count += 1
            for source in new:
                self.cited[source] = self.count
        return Passage(text=text, note="; ".join(new), refs=refs)


def group_findings(
    findings: list[Finding],
    rows: dict[str, dict[str, Any]],
    names: dict[str, str],
    language: str,
    notes: Notes,
) -> list[Group]:
    """Findings of one dimension and kind as narrative paragraphs, one per sub-area, their
    sources as footnotes (`notes`)."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        codes = list(f.indicators or [])
        groups.setdefault(subarea_of(codes[0]) if codes else "", []).append(f)
    result = []
    for area in sorted(groups, key=_sort_key):
        group = Group(area, names.get(area) or phrase("other_subarea", language))
        for f in groups[area]:
            sources = [
                s for code in f.indicators or [] for s in row_sources(rows.get(code, {}), language)
            ]
            text = str(getattr(f, f"text_{language}")).strip()
            group.passages.append(notes.passage(text, sources))
        result.append(group)
    return result


def chapters(
    sections: list[Any],
    findings: list[Finding],
    rows: list[dict[str, Any]],
    framework: str,
    language: str,
) -> None:
    """Give each dimension section its grouped findings (`groups_well`, `groups_further`)."""
    by_code = {r["code"]: r for r in rows}
    names = subarea_names(framework, language)
    notes = Notes()
    for s in sections:
        notes.chapter()
        mine = [f for f in findings if f.dimension == s.number]
        for attr, kind in (
            ("groups_well", Finding.Kind.WELL_DEVELOPED),
            ("groups_further", Finding.Kind.FURTHER_DEVELOPMENT),
        ):
            of_kind = [f for f in mine if f.kind == kind]
            setattr(s, attr, group_findings(of_kind, by_code, names, language, notes))


def name_sources(
    rows: list[dict[str, Any]], language: str, also: list[str]
) -> tuple[list[str], list[str]]:
    """Institutions in full (one query): the names of those the rows' sources cite (each row
    gets `source_names`), and of the acronyms in `also` (the participants), each sorted."""
    cited = {s["institution"] for r in rows for s in r.get("sources", [])}
    names = institution_names(cited | set(also), language)
    for r in rows:
        r["source_names"] = [names[s["institution"]] for s in r.get("sources", [])]
    return sorted(names[a] for a in cited), sorted(names[a] for a in also)


def publication_parts(profile: Profile, sections: list[Any], language: str) -> dict[str, Any]:
    """The edited sections in `language` ({key: text} for the whole profile's parts; a
    dimension's own go to its section as `intro` and `developments`) and the context
    figures."""
    texts: dict[str, str] = {}
    per_dimension: dict[tuple[str, int], str] = {}
    for s in profile.sections.all():
        text = getattr(s, f"text_{language}") or ""
        if s.dimension:
            per_dimension[(s.key, s.dimension)] = text
        else:
            texts[s.key] = text
    for section in sections:
        section.intro = per_dimension.get(("chapter", section.number), "")
        section.developments = per_dimension.get(("developments", section.number), "")
    figures = [
        {
            "label": getattr(f, f"label_{language}") or f.label_en,
            "value": f.value,
            "source": f.source,
            "year": f.year,
        }
        for f in profile.context_figures.all()
    ]
    return {"texts": texts, "figures": figures}


def unverified_mark(item: Any, language: str) -> str:
    """ "portal mapping" beside an SDG sub-category not verified against the UN metadata,
    once the register says so (a `verified` field); nothing where it does not."""
    if hasattr(item, "verified") and not item.verified:
        return phrase("portal_mapping", language)
    return ""
