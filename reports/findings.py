"""Findings that follow the data: what each finding rests on, when it turns stale, and what the
findings editor warns about and approval refuses.

A finding's `basis` is {indicator code: answer value} when it was drafted or last revised.
Findings drafted before the basis was recorded get it lazily, from their indicators' answers
in the profile's snapshot (`basis_of`): no data migration is needed, since that snapshot is
exactly what they were drafted from.

Each text records the language it was written in (`text_en_language`, `text_id_language`):
a text whose language is not its field's was copied across and needs translation until a
person writes or confirms it. "und" (undetermined, as in BCP 47) marks a text whose language
nobody recorded, as when a ministry's justification stood in both narratives.

This module writes only flags (stale, basis, carried-over copies); the edits people make go
through reports/finding_services.py.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import Action, audit_record

from .content import answer_label, draft_findings
from .models import Finding, Profile, ProfileSection

LANGUAGES = ("en", "id")
UNDETERMINED = "und"
# Unpublished versions: their findings can still turn stale (a draft is revised; an approved
# version is left to be replaced, but its staff see what changed).
UNPUBLISHED = (Profile.Status.DRAFT, Profile.Status.APPROVED)
# Structural rule: where an answer belongs. Partially belongs to either; n/a to neither.
BELONGS = {
    "yes": Finding.Kind.WELL_DEVELOPED,
    "no": Finding.Kind.FURTHER_DEVELOPMENT,
    "no_info": Finding.Kind.FURTHER_DEVELOPMENT,
}


def language_name(code: str) -> str:
    return {"en": _("English"), "id": _("Bahasa Indonesia")}.get(code, _("another language"))


def snapshot_answers(data: dict[str, Any]) -> dict[str, str]:
    """{indicator code: answer} of a snapshot's data."""
    return {row["code"]: row["answer"] for row in data["indicators"]}


def basis_of(finding: Finding, answers: dict[str, str]) -> dict[str, str]:
    """What the finding rests on: its recorded basis, or (drafted before bases were recorded)
    its indicators' answers in `answers`, the snapshot it was drafted from."""
    if finding.basis:
        return dict(finding.basis)
    return {code: answers.get(code, "") for code in finding.indicators}


def current_values(finding: Finding, answers: dict[str, str]) -> dict[str, str]:
    """The answers the finding rests on as they stand now: its basis, with the changes that
    made it stale."""
    values = basis_of(finding, answers)
    values.update({change["code"]: change["now"] for change in finding.stale_changes or []})
    return values


# --- languages --------------------------------------------------------------------------------


def missing_languages(obj: Finding | ProfileSection) -> list[str]:
    """The languages whose text is empty, when the other one is written.

    A section empty in both languages is not used by the publication (B's drafting leaves
    optional parts so); a finding empty in both cannot be saved."""
    present = [lang for lang in LANGUAGES if getattr(obj, f"text_{lang}").strip()]
    if not present:
        return []
    return [lang for lang in LANGUAGES if lang not in present]


def untranslated(obj: Finding | ProfileSection) -> list[str]:
    """The languages whose (present) text was written in another language.

    A finding drafted before languages were recorded, with the same text in both languages
    and never touched by a person since, was copied one way or the other: both are flagged
    until a person confirms or rewrites one (existing data, without a data migration)."""
    copied = [
        lang
        for lang in LANGUAGES
        if getattr(obj, f"text_{lang}").strip()
        and (getattr(obj, f"text_{lang}_language") or lang) != lang
    ]
    if (
        not copied
        and isinstance(obj, Finding)
        and obj.edited_by_id is None
        and obj.text_en.strip()
        and obj.text_en.strip() == obj.text_id.strip()
    ):
        return list(LANGUAGES)
    return copied


def copied_from(obj: Finding | ProfileSection, lang: str) -> str:
    """The language the text in `lang` was copied from ("und" when nobody knows)."""
    recorded = getattr(obj, f"text_{lang}_language") or lang
    return recorded if recorded != lang else UNDETERMINED


def stale_line(change: dict[str, str]) -> str:
    """ "1.1.4: was Yes, now No", in the active language."""
    return _("%(code)s: was %(was)s, now %(now)s") % {
        "code": change["code"],
        "was": answer_label(change.get("was") or ""),
        "now": answer_label(change.get("now") or ""),
    }


# --- what the editor warns about ---------------------------------------------------------------


def _misplaced(finding: Finding, values: dict[str, str]) -> list[str]:
    lines = []
    for code, answer in sorted(values.items()):
        belongs = BELONGS.get(answer)
        if belongs is None or belongs == finding.kind:
            continue
        if finding.kind == Finding.Kind.WELL_DEVELOPED:
            text = _(
                "Listed under well-developed areas, but %(code)s is answered “%(answer)s”: "
                "No and “no information” belong to areas with potential for further "
                "development."
            )
        else:
            text = _(
                "Listed under areas with potential for further development, but %(code)s is "
                "answered “%(answer)s”: a Yes belongs to well-developed areas."
            )
        lines.append(text % {"code": code, "answer": answer_label(answer)})
    return lines


def finding_warnings(
    finding: Finding, answers: dict[str, str], sourced: set[str]
) -> list[dict[str, str]]:
    """What the editor shows beside a finding: each warning's `code` (for the page's styles
    and tests) and `text` in the active language. `sourced`: the codes whose answer cites
    evidence in the snapshot."""
    warnings = [
        {"code": "against-values", "text": text}
        for text in _misplaced(finding, current_values(finding, answers))
    ]
    codes = set(finding.indicators) | set(basis_of(finding, answers))
    if finding.kind == Finding.Kind.WELL_DEVELOPED and not codes & sourced:
        warnings.append(
            {
                "code": "no-source",
                "text": _(
                    "A well-developed area with no source: none of its indicators cites a "
                    "law, policy or document."
                ),
            }
        )
    for lang in missing_languages(finding):
        warnings.append(
            {
                "code": "missing-language",
                "text": _("The text in %(language)s is missing.")
                % {"language": language_name(lang)},
            }
        )
    for lang in untranslated(finding):
        warnings.append(
            {
                "code": "needs-translation",
                "language": lang,
                "text": _(
                    "The %(language)s text is a copy of a text in %(source)s: translate it, "
                    "or confirm that it is translated."
                )
                % {
                    "language": language_name(lang),
                    "source": language_name(copied_from(finding, lang)),
                },
            }
        )
    return warnings


def sourced_codes(data: dict[str, Any]) -> set[str]:
    """The indicators whose snapshot answer cites evidence of any kind."""
    return {row["code"] for row in data["indicators"] if row.get("evidence")}


# --- what approval refuses ---------------------------------------------------------------------


def _section_names(sections: Iterable[ProfileSection]) -> str:
    names = []
    for s in sections:
        label = str(ProfileSection.Key(s.key).label)
        names.append(f"{label} {s.dimension}" if s.dimension else label)
    return ", ".join(names)


def approval_problems(profile: Profile) -> list[str]:
    """Why the version cannot be approved yet, as far as its texts go (two queries)."""
    findings = list(profile.findings.all())
    sections = list(profile.sections.all())
    problems = []
    stale = [f for f in findings if f.stale]
    if stale:
        codes = sorted({c["code"] for f in stale for c in f.stale_changes or []})
        problems.append(
            ngettext(
                "%(count)s finding rests on answers changed since it was written (%(codes)s): "
                "revise it or confirm that it is still true.",
                "%(count)s findings rest on answers changed since they were written "
                "(%(codes)s): revise each or confirm that it is still true.",
                len(stale),
            )
            % {"count": len(stale), "codes": ", ".join(codes)}
        )
    for check, message in (
        (
            missing_languages,
            lambda n: ngettext(
                "%(count)s finding lacks its text in one language.",
                "%(count)s findings lack their text in one language.",
                n,
            ),
        ),
        (
            untranslated,
            lambda n: ngettext(
                "%(count)s finding still needs translation.",
                "%(count)s findings still need translation.",
                n,
            ),
        ),
    ):
        count = sum(1 for f in findings if check(f))
        if count:
            problems.append(message(count) % {"count": count})
    lacking = [s for s in sections if missing_languages(s)]
    if lacking:
        problems.append(
            _("Sections lacking their text in one language: %(sections)s.")
            % {"sections": _section_names(lacking)}
        )
    copied = [s for s in sections if untranslated(s)]
    if copied:
        problems.append(
            _("Sections that still need translation: %(sections)s.")
            % {"sections": _section_names(copied)}
        )
    return problems


# --- stale findings ----------------------------------------------------------------------------


def stale_findings_problem(profile: Profile) -> str:
    """Why an approved version is not published: findings resting on validated answers that
    changed since it was approved (validation was reopened); empty when there is none."""
    count = profile.findings.filter(stale=True).count()
    if not count:
        return ""
    return ngettext(
        "%(count)s finding of this version rests on validated answers changed since it was "
        "approved: it is not published until the finding is reviewed (the version returns to "
        "draft when the answers are approved again).",
        "%(count)s findings of this version rest on validated answers changed since it was "
        "approved: it is not published until they are reviewed (the version returns to "
        "draft when the answers are approved again).",
        count,
    ) % {"count": count}


def _restate(finding: Finding, code: str, was: str, now: str) -> bool:
    """Record that `code` is now `now` on a finding resting on it; True if the flag changed."""
    changes = [c for c in finding.stale_changes or [] if c["code"] != code]
    if now != was:
        changes.append({"code": code, "was": was, "now": now})
    changes.sort(key=lambda c: c["code"])
    if changes == (finding.stale_changes or []):
        return False
    finding.stale_changes = changes
    finding.stale = bool(changes)
    return True


def restate_all(finding: Finding, answers: dict[str, str]) -> bool:
    """Record each answer the finding rests on (its basis) as it is in `answers`, a newer
    snapshot's; True if its stale flag or changes moved."""
    moved = False
    for code, was in sorted(finding.basis.items()):
        moved = _restate(finding, code, was, answers.get(code, "")) or moved
    return moved


def findings_mark_stale(*, assessment_id: int, code: str, now: str) -> int:
    """An answer changed (a validation decision, a facilitator's edit): the findings of the
    assessment's unpublished versions resting on `code` turn stale, or back to fresh when
    the answer returns to what they rest on. The system's act: audited without a person."""
    # Filtered here, not with JSON lookups: `contains` on a JSON list is PostgreSQL's only,
    # and the zero-setup run (`make run`) is on SQLite. An assessment has a few hundred
    # findings at most.
    candidates = Finding.objects.filter(
        profile__assessment_id=assessment_id, profile__status__in=UNPUBLISHED
    ).select_related("profile")
    findings = [
        f
        for f in candidates
        if code in (f.basis or {}) or (not f.basis and code in (f.indicators or []))
    ]
    changed = 0
    by_profile: dict[int, dict[str, str]] = {}  # a snapshot's answers, read once a version
    for finding in findings:
        answers: dict[str, str] = {}
        if not finding.basis:
            if finding.profile_id not in by_profile:
                by_profile[finding.profile_id] = snapshot_answers(finding.profile.snapshot.data)
            answers = by_profile[finding.profile_id]
        basis = basis_of(finding, answers)
        if code not in basis:
            continue
        finding.basis = basis
        if not _restate(finding, code, basis[code], now):
            continue
        finding.save(update_fields=["basis", "stale", "stale_changes", "updated_at"])
        audit_record(
            action=Action.FINDING_UPDATED,
            obj=finding,
            assessment=assessment_id,
            details={"stale": finding.stale, "stale_changes": finding.stale_changes},
        )
        changed += 1
    return changed


# --- a new version: carried over, not drafted again --------------------------------------------


def _copy(finding: Finding, profile: Profile, old: dict[str, str]) -> Finding:
    basis = basis_of(finding, old)
    return Finding(
        profile=profile,
        dimension=finding.dimension,
        kind=finding.kind,
        indicators=list(finding.indicators),
        text_en=finding.text_en,
        text_id=finding.text_id,
        text_en_language=finding.text_en_language,
        text_id_language=finding.text_id_language,
        basis=basis,
        stale=bool(finding.stale_changes),
        stale_changes=list(finding.stale_changes or []),
        order=finding.order,
        edited_by=finding.edited_by,
    )


def findings_carry_over(*, previous: Profile, profile: Profile) -> list[Finding]:
    """The findings of the new version `profile`: the previous version's, as people left them,
    each turning stale where the new snapshot answers its indicators differently; a new draft
    only for an indicator whose answer changed and that no carried finding rests on."""
    old = snapshot_answers(previous.snapshot.data)
    new = snapshot_answers(profile.snapshot.data)
    carried = [_copy(f, profile, old) for f in previous.findings.all()]
    for finding in carried:
        for code, was in sorted(finding.basis.items()):
            _restate(finding, code, was, new.get(code, ""))
    covered = {code for f in carried for code in f.basis}
    changed = {code for code in new if new[code] != old.get(code)}
    drafted = [
        Finding(profile=profile, **item)
        for item in draft_findings(profile.snapshot)
        if set(item["indicators"]) & changed and not set(item["indicators"]) & covered
    ]
    return Finding.objects.bulk_create([*carried, *drafted])


def sections_carry_over(*, previous: Profile, profile: Profile) -> None:
    """The sections people edited in the previous version replace the new version's drafted
    defaults (call it once those are drafted); those nobody edited stay as drafted."""
    for section in previous.sections.filter(edited_by__isnull=False):
        ProfileSection.objects.update_or_create(
            profile=profile,
            key=section.key,
            dimension=section.dimension,
            defaults={
                "text_en": section.text_en,
                "text_id": section.text_id,
                "text_en_language": section.text_en_language,
                "text_id_language": section.text_id_language,
                "order": section.order,
                "edited_by": section.edited_by,
            },
        )


def _on_answer_changed(sender: Any, *, assessment: Any, code: str, now: str, **kwargs: Any) -> None:
    findings_mark_stale(assessment_id=assessment.pk, code=code, now=now)


def connect() -> None:
    """Called by ReportsConfig.ready: a changed consolidated answer marks findings stale."""
    from assessments.consolidation.services import answer_changed

    answer_changed.connect(_on_answer_changed, dispatch_uid="reports-findings-stale")


def finding_refresh(finding: Finding) -> None:
    """A person revised or confirmed the finding: it rests on the answers as they stand now
    and is no longer stale (the caller saves it)."""
    answers = {} if finding.basis else snapshot_answers(finding.profile.snapshot.data)
    finding.basis = current_values(finding, answers)
    finding.stale = False
    finding.stale_changes = []


def annotate(profile: Profile, items: Iterable[Finding]) -> None:
    """Give each finding what the editor shows: `stale_lines` ("1.1.4: was Yes, now No") and
    `warnings` (finding_warnings), from the profile's snapshot (one query, for its data)."""
    data = profile.snapshot.data
    answers, sourced = snapshot_answers(data), sourced_codes(data)
    for finding in items:
        finding.stale_lines = [stale_line(c) for c in finding.stale_changes or []]  # type: ignore[attr-defined]
        finding.warnings = finding_warnings(finding, answers, sourced)  # type: ignore[attr-defined]
