"""The content of an MGI profile, built from a frozen snapshot (never from live answers).

The snapshot holds every answer, narrative, source and citation; the framework version it
pins gives the dimension names, MiGOF texts and crosswalk titles. The title sentences are
shared with the public pages and API (`public_title`); the dimension charts come from
assessments/charts.py.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.charts import dimension_chart_svg
from assessments.models import Assessment, Snapshot
from indicators.bilingual import active_language
from indicators.models import Dimension, GCMObjective, SDGSubcategory
from indicators.selectors import mapped_answers

from . import chapters, selectors, wording
from .models import Finding, Profile

# "no_info" (no information) is its own category: never counted, shown or charted as "no".
ANSWER_KEYS = ("yes", "partial", "no", "na", "no_info")


def answer_label(answer: str) -> str:
    return {
        "yes": _("Yes"),
        "partial": _("Partially"),
        "no": _("No"),
        "na": _("Not applicable"),
        "no_info": _("No information"),
        "": _("No answer"),
    }[answer or ""]


def coverage_label(coverage: str) -> str:
    return {
        "all": _("all migrants, whatever their status"),
        "regular": _("regular migrants only"),
        "": "",
    }[coverage or ""]


class Change:
    """How an indicator moved since the previous round."""

    NEW = "new"
    STRENGTHENED = "strengthened"
    UNCHANGED = "unchanged"
    WEAKENED = "weakened"
    NOT_IN_EARLIER = "not_in_earlier"

    RANK = {"no": 0, "partial": 1, "yes": 2}

    @classmethod
    def between(cls, before: str | None, after: str) -> str:
        if before is None:
            return cls.NOT_IN_EARLIER
        if before not in cls.RANK or after not in cls.RANK:  # blank, n/a, no information
            return cls.UNCHANGED if before == after else cls.NOT_IN_EARLIER
        if before == "no" and after in ("partial", "yes"):
            return cls.NEW
        delta = cls.RANK[after] - cls.RANK[before]
        return cls.STRENGTHENED if delta > 0 else cls.WEAKENED if delta < 0 else cls.UNCHANGED

    @staticmethod
    def label(value: str) -> str:
        return {
            Change.NEW: _("New measure"),
            Change.STRENGTHENED: _("Strengthened"),
            Change.UNCHANGED: _("Unchanged"),
            Change.WEAKENED: _("Weakened"),
            Change.NOT_IN_EARLIER: _("Not in the earlier round"),
        }[value]


def narrative_language(row: dict[str, Any], lang: str) -> str:
    """The language the snapshot row's narrative in `lang` was written in. A snapshot frozen
    before languages were recorded says nothing: the same text in both narratives was copied
    from one into the other, which one nobody knows ("und", undetermined)."""
    recorded = row.get(f"narrative_{lang}_language")
    if recorded:
        return str(recorded)
    if "narrative_en_language" not in row and row["narrative_en"].strip() == (
        row["narrative_id"].strip()
    ):
        return "und"
    return lang


def draft_findings(snapshot: Snapshot) -> list[dict[str, Any]]:
    """One finding per answered indicator: Yes → well developed; Partially or No → potential."""
    findings = []
    order: Counter[tuple[int, str]] = Counter()
    for row in snapshot.data["indicators"]:
        answer = row["answer"]
        if answer not in ("yes", "partial", "no"):
            continue
        kind = Finding.Kind.WELL_DEVELOPED if answer == "yes" else Finding.Kind.FURTHER_DEVELOPMENT
        texts, written = {}, {}
        for lang in ("en", "id"):
            with translation.override(lang):
                narrative = row[f"narrative_{lang}"].strip()
                written[lang] = narrative_language(row, lang) if narrative else lang
                if not narrative:
                    question = row[f"question_{lang}"].rstrip("?").strip()
                    narrative = _("%(question)s: %(answer)s.") % {
                        "question": question,
                        "answer": answer_label(answer),
                    }
                # The sources become the publication's footnotes (reports/chapters.py) and
                # the code its annex: the narrative stays a sentence.
                texts[lang] = narrative
        order[(row["dimension"], kind)] += 1
        findings.append(
            {
                "dimension": row["dimension"],
                "kind": kind,
                "indicators": [row["code"]],
                "text_en": texts["en"],
                "text_id": texts["id"],
                "text_en_language": written["en"],
                "text_id_language": written["id"],
                "basis": {row["code"]: answer},
                "order": order[(row["dimension"], kind)],
            }
        )
    return findings


@dataclass
class DimensionSection:
    number: int
    name: str
    migof: str
    description: str
    counts: dict[str, int]
    chart: str
    well_developed: list[Finding] = field(default_factory=list)
    further_development: list[Finding] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    # The publication's chapter (reports/chapters.py): findings grouped by sub-area, and the
    # chapter's edited texts.
    groups_well: list[Any] = field(default_factory=list)
    groups_further: list[Any] = field(default_factory=list)
    intro: str = ""
    developments: str = ""


def _date(value: str | None) -> datetime.date | None:
    return datetime.datetime.fromisoformat(value).date() if value else None


def publication_year(profile: Profile) -> int:
    """The cover's year: the version's publication year, else the year it was published
    (or made)."""
    when = profile.published_at or profile.created_at
    return profile.publication_year or (when.year if when else profile.assessment.year)


def public_title(profile: Profile, language: str | None = None) -> str:
    """The profile's title in `language` (default: the active one), as on its cover:
    "Migration Governance Indicators Profile 2024 – Central Java Province".

    Built from the profile and its assessment rather than its snapshot, so that a list of
    profiles does not load every snapshot.
    """
    language = language or active_language()
    assessment = profile.assessment
    place = None
    if assessment.scope == Assessment.Scope.PROVINCIAL and assessment.province:
        place = getattr(assessment.province, f"name_{language}") or assessment.province.name_en
    return wording.title(publication_year(profile), place, language)


def _annotate_rows(
    rows: list[dict[str, Any]],
    language: str,
    previous: dict[str, str] | None,
    national: dict[str, str] | None,
) -> None:
    """Add to each snapshot row what the templates show: labels, texts in `language`, the
    change since the previous round and the national answer, where there are."""
    for r in rows:
        r["answer_label"] = answer_label(r["answer"])
        r["coverage_label"] = coverage_label(r["coverage"])
        r["question"] = r[f"question_{language}"]
        r["narrative"] = r[f"narrative_{language}"]
        if previous is not None:
            r["change"] = Change.label(Change.between(previous.get(r["code"]), r["answer"]))
        if national is not None and r["national_code"]:
            r["national_answer"] = answer_label(national.get(r["national_code"], ""))


def _section(
    dim: Dimension, rows: list[dict[str, Any]], findings: list[Finding], language: str
) -> DimensionSection:
    """One dimension: its texts, counts and chart, its findings and its (annotated) rows."""
    number = dim.number
    counts = Counter(r["answer"] or "" for r in rows)
    section_counts = {k: counts.get(k, 0) for k in ANSWER_KEYS}
    return DimensionSection(
        number=number,
        name=getattr(dim, f"name_{language}"),
        migof=getattr(dim, f"migof_{language}"),
        description=getattr(dim, f"description_{language}"),
        counts=section_counts,
        chart=dimension_chart_svg(
            section_counts,
            title=_("Dimension %(n)s: indicators in place, partly in place and absent")
            % {"n": number},
        ),
        well_developed=[
            f for f in findings if f.dimension == number and f.kind == Finding.Kind.WELL_DEVELOPED
        ],
        further_development=[
            f
            for f in findings
            if f.dimension == number and f.kind == Finding.Kind.FURTHER_DEVELOPMENT
        ],
        indicators=rows,
    )


def _legal_instruments(rows: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Every law and regulation cited, once, cited in `language`, with the indicators citing
    it; oldest first."""
    instruments: dict[str, dict[str, Any]] = {}
    for r in rows:
        for e in r["evidence"]:
            if e["kind"] != "citation":
                continue
            key = chapters.citation({**e, "article": ""}, language)
            # The register's data where the snapshot stores the instrument (its link, its
            # date of enactment); "citation" is the source as the edition cites it.
            instrument = e.get("instrument") or {}
            entry = instruments.setdefault(
                key,
                {
                    **e,
                    "label": key,
                    "citation": key,
                    "url": e.get("url") or instrument.get("url") or "",
                    "enacted_on": instrument.get("enacted_on"),
                    "indicators": [],
                },
            )
            entry["indicators"].append(r["code"])
    return sorted(instruments.values(), key=lambda e: (e.get("year") or 0, e["label"]))


def _crosswalks(
    rows: list[dict[str, Any]], language: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The GCM objectives and SDG sub-categories the answered indicators relate to, each
    with those indicators: two queries."""
    informed = [r for r in rows if r["answer"] in ("yes", "partial", "no")]
    gcm_numbers = sorted({n for r in informed for n in r["gcm"]})
    sdg_codes = sorted({c for r in informed for c in r["sdg"]})
    gcm = [
        {
            "number": o.number,
            "title": getattr(o, f"title_{language}"),
            "indicators": [r["code"] for r in informed if o.number in r["gcm"]],
        }
        for o in GCMObjective.objects.filter(number__in=gcm_numbers)
    ]
    sdg = [
        {
            "code": s.code,
            "domain": getattr(s.domain, f"name_{language}"),
            "name": getattr(s, f"name_{language}"),
            "mark": chapters.unverified_mark(s, language),
            "verified": s.verified,
            "indicators": [r["code"] for r in informed if s.code in r["sdg"]],
        }
        for s in SDGSubcategory.objects.filter(code__in=sdg_codes).select_related("domain")
    ]
    return gcm, sdg


def profile_context(profile: Profile, language: str) -> dict[str, Any]:
    """Everything the profile templates show, in `language` (call inside translation.override)."""
    data = profile.snapshot.data
    meta = data["assessment"]
    assessment: Assessment = profile.assessment
    rows = data["indicators"]
    dims = {
        d.number: d
        for d in Dimension.objects.filter(framework__code=meta["framework"]).order_by("number")
    }
    findings = list(profile.findings.all())
    previous = _previous_answers(assessment, meta["framework"])
    national = _national_answers(assessment, meta)

    sections = []
    for number, dim in dims.items():
        dim_rows = [r for r in rows if r["dimension"] == number]
        _annotate_rows(dim_rows, language, previous, national)
        sections.append(_section(dim, dim_rows, findings, language))
    for f in findings:
        f.text = getattr(f, f"text_{language}")  # type: ignore[attr-defined]

    chapters.chapters(sections, findings, rows, meta["framework"], language)
    source_names, institutions = chapters.name_sources(rows, language, data["institutions"])
    legal = _legal_instruments(rows, language)
    gcm, sdg = _crosswalks(rows, language)
    validation = data["validation"]
    return {
        "participation": participation_sentences(data),
        "language": language,
        "title": public_title(profile, language),
        "publication": chapters.publication_parts(profile, sections, language),
        "headings": wording.headings(language),
        "phrases": wording.phrases(language),
        "source_institutions": source_names,
        "profile": profile,
        "snapshot": profile.snapshot,
        "meta": meta,
        "is_demo": meta.get("is_demo", False),
        "sections": sections,
        "indicator_count": len(rows),
        "institutions": institutions,
        "institution_count": len(data["institutions"]),
        "data_collection_opened": _date(data["data_collection"]["opened"]),
        "data_collection_closed": _date(data["data_collection"]["closed"]),
        "validation": [
            {**v, "held_on": _date(v["held_on"]), "ends_on": _date(v["ends_on"])}
            for v in validation
        ],
        "legal": legal,
        "gcm": gcm,
        "sdg": sdg,
        "has_previous": previous is not None,
        "has_national": national is not None,
        "totals": {k: sum(s.counts[k] for s in sections) for k in ANSWER_KEYS},
    }


def participation_sentences(data: dict[str, Any]) -> list[str]:
    """The methodology's counts of institutions, from the snapshot: assigned, submitted, with
    an accepted answer. A snapshot frozen before these were kept says only how many were
    assigned, rather than claiming they all answered."""
    assigned = len(data["institutions"])
    sentences = [
        ngettext(
            "%(count)s institution was assigned indicators in the survey matrix.",
            "%(count)s institutions were assigned indicators in the survey matrix.",
            assigned,
        )
        % {"count": assigned}
    ]
    participation = data.get("participation")
    if participation is None:
        return sentences
    submitted, accepted = len(participation["submitted"]), len(participation["accepted"])
    sentences.append(
        ngettext(
            "%(count)s of them submitted its answers;",
            "%(count)s of them submitted their answers;",
            submitted,
        )
        % {"count": submitted}
    )
    sentences.append(
        ngettext(
            "%(count)s institution has at least one answer accepted in the cross-check.",
            "%(count)s institutions have at least one answer accepted in the cross-check.",
            accepted,
        )
        % {"count": accepted}
    )
    return sentences


def _previous_answers(assessment: Assessment, framework: str) -> dict[str, str] | None:
    """Answers of the round this one follows up (its latest snapshot), in the codes of this
    round's `framework` through the versions' code mapping: a renamed indicator keeps its
    answer, each part of a split one gets the earlier answer."""
    previous = assessment.previous
    snapshot = previous.snapshots.order_by("-number").first() if previous else None
    if previous is None or snapshot is None:
        return None
    answers = {r["code"]: r["answer"] for r in snapshot.data["indicators"]}
    from_version = snapshot.data["assessment"].get("framework") or previous.framework.code
    return mapped_answers(answers, from_version, framework)


def _national_answers(assessment: Assessment, meta: dict[str, Any]) -> dict[str, str] | None:
    """For a province: the national assessment of the same year and round, by national code."""
    if meta["scope"] != "provincial":
        return None
    # Only a published national profile: a province's profile must not reveal national
    # answers that are not public yet.
    published = (
        selectors.public_profiles()
        .filter(
            assessment__scope=Assessment.Scope.NATIONAL,
            assessment__year=meta["year"],
            assessment__round=meta["round"],
        )
        .select_related("snapshot")
        .order_by("-version")
        .first()
    )
    if published is None:
        return None
    return {r["code"]: r["answer"] for r in published.snapshot.data["indicators"]}
