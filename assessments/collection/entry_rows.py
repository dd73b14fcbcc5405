"""The entry page's data: plain rows read with `.values()`, not model instances.

An entry page shows up to 98 answers, each with its indicator, evidence and last editor.
Built as model instances that was some 500 objects a page (a quarter of its time); these
rows carry only what the page shows. The single answer block that htmx swaps in after a
save is built from the model instance with `EntryRow.from_response`, so both paths go
through the same renderer.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from assessments.collection.selectors import DimensionProgress, has_content, role_subquery
from assessments.models import (
    Assessment,
    Assignment,
    Response,
    ResponseComment,
    Submission,
    response_is_editable,
)
from config.compiled_sql import CompiledValues
from indicators.bilingual import active_language
from indicators.models import Dimension
from ministries.templatetags.people import display_name, person


@dataclass(slots=True)
class EntryIndicator:
    code: str
    question: str
    guidance: str
    allows_not_applicable: bool
    has_coverage: bool
    dimension_id: int = 0
    # Read with the page's rows for its navigation (entry_nav.py); blank in a single block.
    subarea_code: str = ""
    subarea_name: str = ""


@dataclass(slots=True)
class EntryEvidence:
    pk: int
    kind: str
    instrument_type: str
    number: str
    year: int | None
    title: str
    article: str
    url: str
    file: str


@dataclass(slots=True)
class EntryComment:
    """One of the latest comments of an answer's thread (a query, a return, a reply…)."""

    kind: str
    body: str
    author_name: str
    created_at: datetime.datetime


@dataclass(slots=True)
class EntryRow:
    """One answer as its block shows it."""

    pk: int
    indicator: EntryIndicator
    role: str
    answer: str
    coverage: str
    justification: str
    state: str
    review_state: str
    version: int
    updated_at: datetime.datetime
    updated_by_id: int | None
    updated_by_name: str
    evidence: list[EntryEvidence] = field(default_factory=list)
    # The thread's latest comments, oldest first, and how many it has in all.
    comments: list[EntryComment] = field(default_factory=list)
    comment_count: int = 0
    nothing_to_add: bool = False
    confirmed: bool = True
    # The earlier round a carried-forward draft comes from: (year, round), or None.
    carried_from: tuple[int, int] | None = None

    @property
    def is_editable(self) -> bool:
        return response_is_editable(self.state, self.review_state)

    @classmethod
    def from_response(
        cls, response: Response, role: str, *, evidence: list[Any] | None = None
    ) -> "EntryRow":
        """The row of one response model instance (its indicator and, unless `evidence`
        gives the answer's whole list, its evidence are read: `evidence_rows`)."""
        lang = active_language()
        indicator = response.indicator
        if evidence is None:
            items = evidence_rows(pk=response.pk).get(response.pk, [])
        else:
            items = [
                EntryEvidence(**{f: getattr(item, f) for f in EVIDENCE_FIELDS}, pk=item.pk)
                for item in sorted(evidence, key=lambda item: item.pk)
            ]
        return cls(
            pk=response.pk,
            indicator=EntryIndicator(
                code=indicator.code,
                question=getattr(indicator, f"question_{lang}") or indicator.question_en,
                guidance=getattr(indicator, f"guidance_{lang}") or indicator.guidance_en,
                allows_not_applicable=indicator.allows_not_applicable,
                has_coverage=indicator.has_coverage,
                dimension_id=indicator.dimension_id,
            ),
            role=role,
            answer=response.answer,
            coverage=response.coverage,
            justification=response.justification,
            state=response.state,
            review_state=response.review_state,
            version=response.version,
            updated_at=response.updated_at,
            updated_by_id=response.updated_by_id,
            updated_by_name=person(response.updated_by) if response.updated_by_id else "",
            evidence=items,
            nothing_to_add=response.nothing_to_add,
            confirmed=response.confirmed,
            carried_from=_carried_from(response),
        )


def _carried_from(response: Response) -> tuple[int, int] | None:
    source = response.carried_from
    return (source.assessment.year, source.assessment.round) if source is not None else None


EVIDENCE_FIELDS = ("kind", "instrument_type", "number", "year", "title", "article", "url", "file")
LATEST_COMMENTS = 3  # shown inline under an answer; the thread page has them all


def _comments_query(**ids: int) -> Any:
    """Every comment of the threads of the responses matching `ids` (id lookups on
    Response), in thread order (compiled once per set of lookups: `_COMMENTS`)."""
    return (
        ResponseComment.objects.filter(**{f"response__{k}": v for k, v in ids.items()})
        .order_by("response_id", "created_at", "pk")
        .values(
            "response_id",
            "kind",
            "body",
            "created_at",
            "author__username",
            "author__first_name",
            "author__last_name",
        )
    )


_COMMENTS = CompiledValues(_comments_query)


def latest_comments(**ids: int) -> dict[int, tuple[int, list[EntryComment]]]:
    """{response id: (comment count, its latest comments, oldest first)} for the responses
    matching `ids` (id lookups on Response: `pk`, or `assessment_id` and
    `institution_id`), in one query whatever their number.

    Every comment of those threads is read (a few per answer) and the latest kept here: a
    window function ranking them in the database cost Django more to compile (about 4 ms)
    than reading them all.
    """
    threads: dict[int, list[EntryComment]] = {}
    for row in _COMMENTS.rows(tuple(sorted(ids)), **ids):
        name = display_name(
            row["author__first_name"], row["author__last_name"], row["author__username"]
        )
        threads.setdefault(row["response_id"], []).append(
            EntryComment(row["kind"], row["body"], name, row["created_at"])
        )
    return {pk: (len(thread), thread[-LATEST_COMMENTS:]) for pk, thread in threads.items()}


@dataclass(slots=True)
class EntrySubmission:
    """The institution's latest submission, as the page's facts show it."""

    submitted_at: datetime.datetime
    submitted_by_name: str


def _submission_query(*, assessment_id: int, institution_id: int) -> Any:
    """The latest submission (the model's order), with who submitted it: `_SUBMISSION`."""
    return Submission.objects.filter(
        assessment_id=assessment_id, institution_id=institution_id
    ).values(
        "submitted_at",
        "submitted_by__first_name",
        "submitted_by__last_name",
        "submitted_by__username",
    )[:1]


_SUBMISSION = CompiledValues(_submission_query)


def last_submission(assessment_id: int, institution_id: int) -> EntrySubmission | None:
    """What `.first()` of the institution's submissions gave the page, without the
    submitter's whole row and compiled once (config/compiled_sql.py)."""
    for row in _SUBMISSION.rows("", assessment_id=assessment_id, institution_id=institution_id):
        name = display_name(
            row["submitted_by__first_name"],
            row["submitted_by__last_name"],
            row["submitted_by__username"],
        )
        return EntrySubmission(row["submitted_at"], name)
    return None


@dataclass
class EntryGroup:
    dimension: Dimension
    responses: list[EntryRow] = field(default_factory=list)
    html: str = ""  # the rendered blocks of its responses, joined


@dataclass
class EntryPage:
    groups: list[EntryGroup]
    progress: list[DimensionProgress]
    missing: list[EntryRow]  # lead indicators still without an answer
    unconfirmed: list[EntryRow] = field(default_factory=list)  # carried forward, to confirm

    @property
    def has_editable(self) -> bool:
        """Whether anything on the page can still be changed (and so submitted)."""
        return any(row.is_editable for group in self.groups for row in group.responses)


def _rows_query(*, assessment_id: int, institution_id: int) -> Any:
    """The entry page's answers as rows (compiled once per language: `_ROWS`)."""
    lang = active_language()
    question, guidance = f"indicator__question_{lang}", f"indicator__guidance_{lang}"
    return (
        Response.objects.filter(assessment_id=assessment_id, institution_id=institution_id)
        .annotate(role=role_subquery())
        .order_by("indicator__order")
        .values(
            "pk",
            "indicator_id",
            "answer",
            "coverage",
            "justification",
            "state",
            "review_state",
            "version",
            "updated_at",
            "updated_by_id",
            "updated_by__username",
            "updated_by__first_name",
            "updated_by__last_name",
            "role",
            "indicator__code",
            "indicator__dimension_id",
            "indicator__dimension__number",
            "indicator__dimension__name_en",
            "indicator__dimension__name_id",
            "indicator__allows_not_applicable",
            "indicator__has_coverage",
            "indicator__question_en",
            "indicator__guidance_en",
            "indicator__subarea__code",
            "indicator__subarea__name_en",
            *({f"indicator__subarea__name_{lang}"} - {"indicator__subarea__name_en"}),
            "nothing_to_add",
            "confirmed",
            "carried_from__assessment__year",
            "carried_from__assessment__round",
            *({question, guidance} - {"indicator__question_en", "indicator__guidance_en"}),
        )
    )


def _evidence_query(**ids: int) -> Any:
    """The evidence of the responses matching `ids` (id lookups on Response: the entry
    page's `assessment_id` and `institution_id`, one answer block's `pk`), in the order of
    their ids (compiled once per set of lookups: `_EVIDENCE`, read by `evidence_rows`)."""
    through = Response.evidence.through.objects.filter(
        **{f"response__{k}": v for k, v in ids.items()}
    )
    return through.order_by("evidence_id").values(
        "response_id", "evidence_id", *(f"evidence__{f}" for f in EVIDENCE_FIELDS)
    )


def evidence_rows(**ids: int) -> dict[int, list[EntryEvidence]]:
    """{response id: its evidence as the blocks show it} for the responses matching `ids`."""
    evidence: dict[int, list[EntryEvidence]] = {}
    for item in _EVIDENCE.rows(tuple(sorted(ids)), **ids):
        evidence.setdefault(item["response_id"], []).append(
            EntryEvidence(item["evidence_id"], *(item[f"evidence__{f}"] for f in EVIDENCE_FIELDS))
        )
    return evidence


# Compiled to SQL once per process (and language): Django's building and compiling of
# these queries was a third of the page's own time (config/compiled_sql.py).
_ROWS = CompiledValues(_rows_query)
_EVIDENCE = CompiledValues(_evidence_query)


def entry_page(assessment: Assessment, institution_id: int) -> EntryPage:
    """The institution's answers grouped by dimension, its progress and what it still owes.

    Three queries whatever the number of indicators, evidence items, comments and history
    rows: the responses (with their role, indicator, dimension and last editor), their
    evidence and the latest comments of their threads.
    """
    lang = active_language()
    question = f"indicator__question_{lang}"
    guidance = f"indicator__guidance_{lang}"
    ids = {"assessment_id": assessment.pk, "institution_id": institution_id}
    rows = _ROWS.rows(lang, **ids)
    evidence = evidence_rows(**ids)
    threads = latest_comments(**ids)
    # The page's dimensions, read with the rows: an unsaved instance each, for the headings.
    dimensions: dict[int, Dimension] = {}
    groups: dict[int, EntryGroup] = {}
    progress: dict[int, DimensionProgress] = {}
    missing = []
    unconfirmed: list[EntryRow] = []
    for r in rows:
        dim_id = r["indicator__dimension_id"]
        if dim_id not in dimensions:
            dimensions[dim_id] = Dimension(
                pk=dim_id,
                framework_id=assessment.framework_id,
                number=r["indicator__dimension__number"],
                name_en=r["indicator__dimension__name_en"],
                name_id=r["indicator__dimension__name_id"],
            )
        row = EntryRow(
            pk=r["pk"],
            indicator=EntryIndicator(
                code=r["indicator__code"],
                question=r[question] or r["indicator__question_en"],
                guidance=r[guidance] or r["indicator__guidance_en"],
                allows_not_applicable=r["indicator__allows_not_applicable"],
                has_coverage=r["indicator__has_coverage"],
                dimension_id=dim_id,
                subarea_code=r["indicator__subarea__code"],
                subarea_name=r[f"indicator__subarea__name_{lang}"]
                or r["indicator__subarea__name_en"],
            ),
            role=r["role"] or "",
            answer=r["answer"],
            coverage=r["coverage"],
            justification=r["justification"],
            state=r["state"],
            review_state=r["review_state"],
            version=r["version"],
            updated_at=r["updated_at"],
            updated_by_id=r["updated_by_id"],
            updated_by_name=display_name(
                r["updated_by__first_name"] or "",
                r["updated_by__last_name"] or "",
                r["updated_by__username"] or "",
            ),
            evidence=evidence.get(r["pk"], []),
            nothing_to_add=r["nothing_to_add"],
            confirmed=r["confirmed"],
        )
        if r["carried_from__assessment__year"] is not None:
            row.carried_from = (
                r["carried_from__assessment__year"],
                r["carried_from__assessment__round"],
            )
        row.comment_count, row.comments = threads.get(r["pk"], (0, []))
        groups.setdefault(dim_id, EntryGroup(dimensions[dim_id])).responses.append(row)
        count = progress.setdefault(dim_id, DimensionProgress(dimensions[dim_id]))
        count.assigned += 1
        if row.answer and row.confirmed:
            count.answered += 1
        elif has_content(row.answer, row.nothing_to_add, row.confirmed):
            count.nothing_to_add += 1
        elif row.role == Assignment.Role.LEAD:
            missing.append(row)
        if not row.confirmed and row.is_editable:
            unconfirmed.append(row)

    def by_number(item: Any) -> int:
        return int(item.dimension.number)

    return EntryPage(
        groups=sorted(groups.values(), key=by_number),
        progress=sorted(progress.values(), key=by_number),
        missing=missing,
        unconfirmed=unconfirmed,
    )
