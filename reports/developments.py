"""The drafted "developments since the last assessment" of a follow-up round, per dimension,
in English and in Bahasa Indonesia (reports/sections.py drafts it; people edit it).

Drawn from data: the indicators whose consolidated answer changed since the round this one
follows up (the earlier answers read through the framework versions' code mapping, as the
change table does: a renamed indicator keeps its answer, each part of a split one gets the
earlier answer, and the earlier code is named), and the items of the earlier round's action
plan completed in between (status completed, first recorded so in its history before this
round's snapshot was approved). A sentence says so where nothing changed. The texts are pairs, like
reports/texts.py: the draft is written in both languages whatever the reader's language.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from assessments.models import Assessment
from indicators.models import IndicatorMapping
from indicators.selectors import mapped_answers

from .actionplan.models import ActionItem
from .models import Profile
from .texts import TEXTS
from .wording import Pair, pick

LANGUAGES = ("en", "id")
ANSWERS: dict[str, Pair] = {
    "yes": {"en": "Yes", "id": "Ya"},
    "partial": {"en": "Partially", "id": "Sebagian"},
    "no": {"en": "No", "id": "Tidak"},
    "na": {"en": "Not applicable", "id": "Tidak berlaku"},
    "no_info": {"en": "No information", "id": "Tidak ada informasi"},
    "": {"en": "no answer", "id": "tanpa jawaban"},
}
RANK = {"no": 0, "partial": 1, "yes": 2}
MOVES: dict[str, Pair] = {
    "new": {"en": "a new measure", "id": "kebijakan baru"},
    "strengthened": {"en": "strengthened", "id": "diperkuat"},
    "weakened": {"en": "weakened", "id": "melemah"},
    "changed": {"en": "changed", "id": "berubah"},
}
PHRASES: dict[str, Pair] = {
    "changed": {
        "en": "Since the previous round (%(year)s), the answers to these indicators of the "
        "dimension changed:",
        "id": "Sejak putaran sebelumnya (%(year)s), jawaban atas indikator berikut dalam "
        "dimensi ini berubah:",
    },
    "unchanged": {
        "en": "No answer to an indicator of this dimension changed since the previous round "
        "(%(year)s).",
        "id": "Tidak ada jawaban atas indikator dalam dimensi ini yang berubah sejak putaran "
        "sebelumnya (%(year)s).",
    },
    "renamed": {
        "en": "%(old)s in the previous round, renamed",
        "id": "%(old)s pada putaran sebelumnya, berganti kode",
    },
    "split": {
        "en": "part of %(old)s in the previous round, split",
        "id": "bagian dari %(old)s pada putaran sebelumnya, dipecah",
    },
    "merged": {
        "en": "%(old)s in the previous round, merged",
        "id": "%(old)s pada putaran sebelumnya, digabung",
    },
    "row": {
        "en": "- %(code)s%(was)s: %(before)s → %(after)s, %(move)s.",
        "id": "- %(code)s%(was)s: %(before)s → %(after)s, %(move)s.",
    },
    "completed": {
        "en": "Actions of the previous round's action plan completed since then:",
        "id": "Aksi dalam rencana aksi putaran sebelumnya yang telah selesai sejak itu:",
    },
    "none_completed": {
        "en": "No action of the previous round's action plan in this dimension was completed "
        "in between.",
        "id": "Tidak ada aksi dalam rencana aksi putaran sebelumnya pada dimensi ini yang "
        "selesai di antara kedua putaran.",
    },
}


@dataclass(frozen=True)
class Moved:
    """One indicator whose answer changed: its code now, the earlier code(s) and how the
    code moved (same, renamed, split, merged), the answers before and after."""

    dimension: int
    code: str
    old_codes: tuple[str, ...]
    relation: str
    before: str
    after: str

    def move(self) -> str:
        if self.before == "no" and self.after in ("partial", "yes"):
            return "new"
        if self.before in RANK and self.after in RANK:
            return "strengthened" if RANK[self.after] > RANK[self.before] else "weakened"
        return "changed"

    def line(self, language: str) -> str:
        was = ""
        if self.relation in ("renamed", "split", "merged"):
            old = ", ".join(self.old_codes)
            was = f" ({pick(PHRASES[self.relation], language) % {'old': old}})"
        answer = {k: pick(v, language) for k, v in ANSWERS.items()}
        return pick(PHRASES["row"], language) % {
            "code": self.code,
            "was": was,
            "before": answer.get(self.before, self.before),
            "after": answer.get(self.after, self.after),
            "move": pick(MOVES[self.move()], language),
        }


def _code_sources(from_version: str, to_version: str) -> dict[str, tuple[list[str], str]]:
    """New code → (earlier codes, relation), from the versions' mapping (one query)."""
    sources: dict[str, tuple[list[str], str]] = {}
    if from_version == to_version:
        return sources
    rows = IndicatorMapping.objects.filter(
        from_version__code=from_version, to_version__code=to_version
    ).values_list("from_code", "to_code", "relation")
    for from_code, to_code, relation in rows:
        if from_code and to_code:
            codes, _relation = sources.setdefault(to_code, ([], relation))
            codes.append(from_code)
    return sources


def changed_answers(profile: Profile) -> list[Moved]:
    """The indicators of `profile`'s snapshot whose answer differs from the previous round's
    (through the code mapping); indicators the previous round did not have are left out."""
    assessment: Assessment = profile.assessment
    previous = assessment.previous
    snapshot = previous.snapshots.order_by("-number").first() if previous else None
    if previous is None or snapshot is None:
        return []
    framework = profile.snapshot.data["assessment"]["framework"]
    from_version = snapshot.data["assessment"].get("framework") or previous.framework.code
    earlier = {r["code"]: r["answer"] for r in snapshot.data["indicators"]}
    before = mapped_answers(earlier, from_version, framework)
    sources = _code_sources(from_version, framework)
    moved = []
    for row in profile.snapshot.data["indicators"]:
        code, after = row["code"], row["answer"]
        if code not in before or before[code] == after:
            continue
        old_codes, relation = sources.get(code, ([code], "same"))
        if relation == "renamed" and old_codes == [code]:
            relation = "same"
        moved.append(
            Moved(int(row["dimension"]), code, tuple(old_codes), relation, before[code], after)
        )
    return moved


def completed_actions(profile: Profile) -> list[ActionItem]:
    """The previous round's action-plan items completed before this round's snapshot."""
    previous_id = profile.assessment.previous_id
    if previous_id is None:
        return []
    # When each was first recorded completed (its history), compared with the snapshot.
    completed_on = (
        ActionItem.history.model.objects.filter(
            id=OuterRef("pk"), status=ActionItem.Status.COMPLETED
        )
        .order_by("history_date")
        .values("history_date")[:1]
    )
    items = ActionItem.objects.filter(
        plan__assessment_id=previous_id, status=ActionItem.Status.COMPLETED
    ).annotate(completed_on=Subquery(completed_on))
    items = items.filter(completed_on__lte=profile.snapshot.created_at)
    return list(items.order_by("dimension", "target_date", "pk"))


def _text(
    dimension: int, moved: list[Moved], done: list[ActionItem], year: Any, language: str
) -> str:
    mine = [m for m in moved if m.dimension == dimension]
    parts = []
    if mine:
        lines = [pick(PHRASES["changed"], language) % {"year": year}]
        lines += [m.line(language) for m in mine]
        parts.append("\n".join(lines))
    else:
        parts.append(pick(PHRASES["unchanged"], language) % {"year": year})
    items = [i for i in done if i.dimension == dimension]
    if items:
        lines = [pick(PHRASES["completed"], language)]
        lines += [f"- {i.title(language)}" for i in items]
        parts.append("\n".join(lines))
    else:
        parts.append(pick(PHRASES["none_completed"], language))
    parts.append(pick(TEXTS["developments"], language))
    return "\n\n".join(parts)


def developments_texts(profile: Profile, dimensions: list[int]) -> dict[int, dict[str, str]]:
    """Dimension number → {"en": text, "id": text} of the drafted developments section."""
    moved = changed_answers(profile)
    done = completed_actions(profile)
    previous = profile.assessment.previous
    year = previous.year if previous else ""
    return {
        number: {lang: _text(number, moved, done, year, lang) for lang in LANGUAGES}
        for number in dimensions
    }
