"""How a write of answers claims their versions: the conditional UPDATE that makes of two
saves of the same version exactly one win (one answer: the claim writes it; an import: rows
locked, compared and claimed in batches, then written by bulk_update)."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from simple_history.utils import get_change_reason_from_object

from assessments.errors import ChangeRefused, StaleResponse
from assessments.models import Evidence, Response
from config.compiled_sql import CompiledModels, CompiledValues, insert_one, update_where
from indicators.models import Indicator
from ministries.models import User


@dataclass
class ResponseChange:
    """One answer to write in `responses_update_bulk`: the response (its indicator loaded),
    the version it was read at, the values and, if given, its whole new evidence list."""

    response: Response
    version: int
    values: dict[str, Any]
    evidence: list[Evidence] | None = None


CLAIM_BATCH = 200


SAVED_FIELDS = [
    "answer",
    "coverage",
    "justification",
    "nothing_to_add",
    "confirmed",
    "version",
    "updated_by",
    "updated_at",
]


def apply_change(change: ResponseChange, *, actor: User, now_at: Any, reason: str) -> None:
    response = change.response
    for name, value in change.values.items():
        setattr(response, name, value)
    if change.values.get("answer") == Indicator.Answer.NOT_APPLICABLE:
        response.coverage = ""
    response.version = change.version + 1
    response.confirmed = True  # the institution's own save confirms a carried draft
    response.updated_by = actor
    response.updated_at = now_at
    # Read by the history rows; an instance may carry those of an earlier save.
    response._change_reason = reason  # type: ignore[attr-defined]
    response._history_user = actor  # type: ignore[attr-defined]


def refuse_stale(changes: list[ResponseChange]) -> None:
    """Refuse, before anything is written, a change whose version is already behind the
    answer as it was read for it (a later save has been committed since the person's
    page): versions only grow, so it would lose its claim; refused here it takes no row
    lock and no transaction. The answer as read is the current one the refusal shows
    (its last editor read if the caller's query did not bring it). A change still at the
    read version goes on to its claim, which settles a race with a save in flight."""
    for index, change in enumerate(changes):
        if change.response.version != change.version:
            raise ChangeRefused(index, StaleResponse(change.response))


def claim_one(change: ResponseChange) -> None:
    """One answer (a save in the browser or the API): the conditional UPDATE claims the
    version and writes the values in one statement. Of two saves of the same version the
    second finds no row (PostgreSQL re-checks the condition once the first commits)."""
    response = change.response
    if not update_where(response, _saved_fields(), pk=response.pk, version=change.version):
        # With what the answer block shows beside the person's own text (a 409 page).
        [current] = _CURRENT.objects(None, pk=response.pk)
        raise ChangeRefused(0, StaleResponse(current))


@cache
def _saved_fields() -> list[Any]:
    return [f for f in Response._meta.concrete_fields if f.name in SAVED_FIELDS]


# One answer's evidence links (the read before its list is rewritten).
_LINKS = CompiledValues(
    lambda response: Response.evidence.through.objects.filter(response_id=response).values(
        "id", "response_id", "evidence_id"
    )
)

# The answer a refused save shows, compiled once per process (half of all autosaves under
# load are refused: two people on one answer).
_CURRENT = CompiledModels(
    lambda pk: Response.objects.select_related(
        "updated_by", "assessment", "indicator", "institution"
    ).filter(pk=pk)
)


def claim_batches(changes: list[ResponseChange]) -> None:
    """Many answers (an import): lock the rows and compare versions (PostgreSQL), then claim
    them with a conditional UPDATE, which also catches a write that slipped in where rows
    are not locked (SQLite). The values are written afterwards with bulk_update."""
    for start in range(0, len(changes), CLAIM_BATCH):
        batch = changes[start : start + CLAIM_BATCH]
        pks = [c.response.pk for c in batch]
        versions = dict(
            Response.objects.select_for_update()
            .filter(pk__in=pks)
            .order_by()
            .values_list("pk", "version")
        )
        stale = next((i for i, c in enumerate(batch) if versions[pks[i]] != c.version), None)
        if stale is None:
            claim = Q()
            for change in batch:
                claim |= Q(pk=change.response.pk, version=change.version)
            if Response.objects.filter(claim).update(version=F("version") + 1) != len(batch):
                stale = 0
        if stale is not None:
            current = Response.objects.select_related("updated_by").get(pk=pks[stale])
            raise ChangeRefused(start + stale, StaleResponse(current))


def write_evidence_links(changes: list[ResponseChange]) -> dict[int, list[tuple[int, int]]]:
    """Make each answer's evidence links its change's list (changes that give one): the
    links no longer wanted deleted, the new ones created. Gives {response id: [(link id,
    evidence id)]} of the links they now have, known from the read and the insert (the
    history rows copy them) without reading them again."""
    if not changes:
        return {}
    through = Response.evidence.through
    wanted = {(c.response.pk, e.pk) for c in changes for e in c.evidence or []}
    rows: Iterable[Any]
    if len(changes) == 1:  # a save in the browser or the API: the read compiled once
        rows = _LINKS.rows(None, response=changes[0].response.pk)
    else:
        rows = through.objects.filter(response_id__in=[c.response.pk for c in changes]).values(
            "id", "response_id", "evidence_id"
        )
    existing = {(row["response_id"], row["evidence_id"]): row["id"] for row in rows}
    gone = set(existing) - wanted
    if gone:
        drop = Q()
        for response_id, evidence_id in gone:
            drop |= Q(response_id=response_id, evidence_id=evidence_id)
        through.objects.filter(drop).delete()
    created = through.objects.bulk_create(
        [through(response_id=r, evidence_id=e) for r, e in sorted(wanted - set(existing))]
    )
    links: dict[int, list[tuple[int, int]]] = {c.response.pk: [] for c in changes}
    for key, link_id in existing.items():
        if key not in gone:
            links[key[0]].append((link_id, key[1]))
    for link in created:
        if link.pk is None:  # a database that does not return the new ids: read them
            return {}
        links[link.response_id].append((link.pk, link.evidence_id))
    return links


@cache
def history_manager() -> Any:
    """`Response.history` as a save uses it (`bulk_history_create`), built once: the
    manager holds no instance, only the model."""
    return Response.history


def history_rows(responses: list[Response], *, actor: User, reason: str, at: Any) -> list[Any]:
    """The answers' history rows ("~", changed), as simple_history's `bulk_history_create`
    writes them; one answer (a save in the browser or the API) as one prepared statement
    (`insert_one`), not an InsertQuery built and compiled on every save."""
    manager = history_manager()
    if len(responses) != 1 or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        rows: list[Any] = manager.bulk_history_create(
            responses,
            update=True,
            default_user=actor,
            default_change_reason=reason,
            default_date=at,
        )
        return rows
    [response] = responses
    model = manager.model
    row = model(
        history_date=getattr(response, "_history_date", at),
        history_user=getattr(response, "_history_user", actor),
        history_change_reason=get_change_reason_from_object(response) or reason,
        history_type="~",
        **{field.attname: getattr(response, field.attname) for field in model.tracked_fields},
    )
    if hasattr(model, "history_relation"):
        row.history_relation_id = response.pk
    insert_one(row)
    return [row]


@cache
def historical_link_model() -> Any:
    """The model of the history rows' copies of an answer's evidence links, looked up once
    (simple_history builds `Response.history`'s manager anew on every access)."""
    return Response.history.model._meta.get_field("historicalresponse_evidence").related_model
