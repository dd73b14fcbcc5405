"""The answer blocks of the entry page, rendered in Python.

An entry page holds up to 98 of these forms. Rendered with the template language each
block cost about 4 ms (thousands of variable lookups and gettext calls per page), and with
format_html still about 1 ms; plain string building with one escape function brings the
page within reach of its target. The rule that keeps this safe: every value that comes
from the database or the user goes through `e()`; only literals and the fragments built
here are trusted. Strings are translated once per page, not once per block.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.collection.entry_review import ReviewNotes
from assessments.collection.entry_rows import EntryEvidence, EntryRow
from assessments.collection.html import _url_pattern, e
from assessments.models import Evidence, Response, evidence_label

NOTHING = "nothing"  # the answer radio that says "nothing to add" (collection.views)


@dataclass(frozen=True)
class _Tables:
    """What every block of a language shares: labels (escaped), URL patterns."""

    save_url: str
    evidence_url: str
    history_url: str
    file_url: str
    confirm_url: str
    t: dict[str, str]
    states: dict[str, str]
    answers: dict[str, str]
    kinds: dict[str, str]
    instruments: dict[str, str]


@lru_cache(maxsize=32)
def _tables(language: str | None, script_prefix: str) -> _Tables:
    """The labels and URL patterns, once per process for each language (and URL prefix):
    building them was a tenth of an autosave's time. Nothing in them is the request's."""
    labels = {
        "lead": _("Lead"),
        "contributor": _("Contributor"),
        "history": _("History"),
        "guidance": _("Guidance"),
        "answer": _("Answer"),
        "coverage": _("Coverage"),
        "all": _("All migrants, whatever their status"),
        "regular": _("Regular migrants only"),
        "not_stated": _("Not stated"),
        "justification": _("Justification"),
        "evidence": _("Evidence"),
        "no_evidence": _("No evidence yet."),
        "save": _("Save"),
        "add_evidence": _("Add evidence"),
        "current": _("Current saved version"),
        "yours": _("Your text (not saved)"),
        "merge": _("Your text is kept in the form below. Merge the two and save again."),
        "nothing": _("Nothing to add"),
        "confirm": _("Confirm"),
    }
    return _Tables(
        save_url=_url_pattern("response_save"),
        evidence_url=_url_pattern("response_evidence"),
        history_url=_url_pattern("response_history"),
        file_url=_url_pattern("evidence_file"),
        confirm_url=_url_pattern("response_confirm"),
        t={k: e(v) for k, v in labels.items()},
        states={value: e(label) for value, label in Response.State.choices},
        answers={value: e(label) for value, label in Response.Answer.choices},
        kinds={value: e(label) for value, label in Evidence.Kind.choices},
        instruments={value: str(label) for value, label in Evidence.InstrumentType.choices},
    )


class ResponseBlocks:
    """Renders answer blocks for one request: labels, URLs and the CSRF token are computed once."""

    def __init__(self, request: Any):
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(get_token(request))}">'
        )
        tables = _tables(get_language(), get_script_prefix())
        self.save_url = tables.save_url
        self.evidence_url = tables.evidence_url
        self.history_url = tables.history_url
        self.file_url = tables.file_url
        self.confirm_url = tables.confirm_url
        self.t = tables.t
        self.states = tables.states
        self.answers = tables.answers
        self.kinds = tables.kinds
        self.instruments = tables.instruments
        self._changed: dict[tuple[int | None, datetime.datetime], str] = {}
        self.review = ReviewNotes(self.csrf)

    def _changed_line(self, row: EntryRow) -> str:
        """ "Last changed by …, 21 Nov 2026 09:30 · ", formatted once per editor and minute."""
        if row.updated_by_id is None:
            return ""
        when = localtime(row.updated_at).replace(second=0, microsecond=0)
        key = (row.updated_by_id, when)
        if key not in self._changed:
            text = _("Last changed by %(who)s, %(when)s") % {
                "who": "\0",
                "when": date_format(when, "j M Y H:i"),
            }
            self._changed[key] = e(text).replace("\0", e(row.updated_by_name)) + " · "
        return self._changed[key]

    def render(
        self,
        response: EntryRow,
        *,
        editable: bool,
        conflict: dict[str, str] | None = None,
        conflict_message: str = "",
        errors: dict[str, list[str]] | None = None,
        error_message: str = "",
        evidence_errors: dict[str, list[str]] | None = None,
        saved: bool = False,
        review: bool = False,
        resubmit_to: str = "",
    ) -> SafeString:
        """One answer block, top to bottom: heading and meta line, review notes, the
        carried-forward note, guidance, conflict and errors, the form, the evidence slot.
        Kept as one sequence (over 60 lines) so the block's order reads in one place."""
        t = self.t
        pk = response.pk
        indicator = response.indicator
        question = indicator.question
        guidance = indicator.guidance
        role = t["lead"] if response.role == "lead" else t["contributor"]
        changed = self._changed_line(response)
        out = [
            f'<article class="response" id="response-{pk}">'
            f'<h3><span class="code">{e(indicator.code)}</span>{e(question)}</h3>'
            f'<p class="meta"><span class="badge">{role}</span> '
            f'<span class="badge">{self.states.get(response.state, e(response.state))}</span> '
            f"{self.review.tag(response) if review else ''}"
            f'{changed}<a href="{self.history_url.format(pk)}">{t["history"]}</a>'
            f"{self.review.thread_link(response) if review else ''}</p>"
        ]
        if review:  # the entry page's blocks: the thread's latest comments, the resubmit button
            out.append(self.review.notes(response, resubmit_to=resubmit_to))
        if response.carried_from and not response.confirmed:
            out.append(self._carried(response, editable=editable))
        if guidance:
            out.append(
                f'<details class="guidance"><summary>{t["guidance"]}</summary>'
                f"<p>{e(guidance)}</p></details>"
            )
        if conflict_message:
            out.append(self._conflict(response, conflict, conflict_message))
        if error_message:
            out.append(f'<p class="message message-error" role="alert">{e(error_message)}</p>')
        out.append(
            self._form(
                response, editable=editable, conflict=conflict, errors=errors or {}, saved=saved
            )
        )
        if evidence_errors:
            items = "".join(
                f"<li>{e(' '.join(map(str, v)))}</li>" for v in evidence_errors.values()
            )
            out.append(f'<ul class="errorlist" role="alert">{items}</ul>')
        if editable:
            url = self.evidence_url.format(pk)
            out.append(
                f'<p class="add-evidence"><a href="{url}" hx-get="{url}" '
                f'hx-target="#evidence-slot-{pk}" hx-swap="innerHTML">{t["add_evidence"]}</a></p>'
                f'<div id="evidence-slot-{pk}"></div>'
            )
        out.append("</article>")
        return mark_safe("".join(out))  # noqa: S308 - every value above went through e()

    def _conflict(self, response: EntryRow, conflict: dict[str, str] | None, message: str) -> str:
        t = self.t
        saved_by = ""
        if response.updated_by_id:
            saved_by = e(_("Saved by %(who)s") % {"who": "\0"}).replace(
                "\0", e(response.updated_by_name)
            )
            saved_by = f'<p class="meta">{saved_by}</p>'
        yours = ""
        if conflict:
            yours = (
                f"<div><h4>{t['yours']}</h4>"
                f"<p>{t['answer']}: {self.answers.get(conflict.get('answer', ''), '—')}</p>"
                f'<p class="pre">{e(conflict.get("justification") or "—")}</p></div>'
            )
        return (
            f'<div class="conflict" role="alert"><p><strong>{e(message)}</strong></p>'
            f'<div class="conflict-columns"><div><h4>{t["current"]}</h4>'
            f"<p>{t['answer']}: {self.answers.get(response.answer, '—')}</p>"
            f'<p class="pre">{e(response.justification or "—")}</p>{saved_by}</div>{yours}</div>'
            f"<p>{t['merge']}</p></div>"
        )

    def _form(
        self,
        response: EntryRow,
        *,
        editable: bool,
        conflict: dict[str, str] | None,
        errors: dict[str, list[str]],
        saved: bool,
    ) -> str:
        t = self.t
        pk = response.pk
        indicator = response.indicator
        disabled = "" if editable else " disabled"
        answer = conflict.get("answer", "") if conflict else response.answer
        justification = conflict.get("justification", "") if conflict else response.justification
        url = self.save_url.format(pk)
        htmx = (
            # The Save button too: a plain POST beside an autosave still in flight would
            # race it with the same version (a 409, shown as a bare block without the page).
            f' hx-post="{url}"'
            f' hx-trigger="submit, change, input changed delay:1500ms from:find textarea"'
            f' hx-target="#response-{pk}" hx-swap="outerHTML"'
            if editable
            else ""
        )
        values = ["yes", "partial", "no"] + (["na"] if indicator.allows_not_applicable else [])
        radios = "".join(
            f'<label class="choice"><input type="radio" name="answer" value="{v}" id="answer-{pk}-{v}"'
            f"{' checked' if answer == v else ''}> {self.answers[v]}</label>"
            for v in values
        )
        if response.role != "lead":  # a contributor may say so explicitly; a lead must answer
            nothing = response.nothing_to_add and not answer
            radios += (
                f'<label class="choice"><input type="radio" name="answer" value="{NOTHING}" '
                f'id="answer-{pk}-nothing"{" checked" if nothing else ""}> {t["nothing"]}</label>'
            )
        if errors.get("nothing_to_add"):
            radios += f'<p class="errorlist">{e(" ".join(map(str, errors["nothing_to_add"])))}</p>'

        if errors.get("answer"):
            radios += f'<p class="errorlist">{e(" ".join(map(str, errors["answer"])))}</p>'
        coverage = self._coverage(response, disabled) if indicator.has_coverage else ""
        evidence = self._evidence_choices(response)
        actions = self._actions(response, saved) if editable else ""
        return (
            f'<form method="post" action="{url}" class="response-form"{htmx}>{self.csrf}'
            f'<input type="hidden" name="version" value="{response.version}">'
            '<input type="hidden" name="evidence_present" value="1">'
            f"<fieldset{disabled}><legend>{t['answer']}</legend>{radios}</fieldset>{coverage}"
            f'<div class="field"><label for="justification-{pk}">{t["justification"]}</label>'
            f'<textarea id="justification-{pk}" name="justification" rows="4"'
            f"{'' if editable else ' readonly'}>{e(justification)}</textarea></div>"
            f'<fieldset class="evidence-list"{disabled}><legend>{t["evidence"]}</legend>{evidence}</fieldset>'
            f"{actions}</form>"
        )

    def _carried(self, response: EntryRow, *, editable: bool) -> str:
        """ "Carried forward from … — check and confirm", with the Confirm button."""
        year, round_ = response.carried_from or (0, 0)
        note = e(
            _(
                "Carried forward from the %(year)s assessment, round %(round)s — check and "
                "confirm. Until it is confirmed or saved, this answer counts as blank and is "
                "not submitted."
            )
            % {"year": year, "round": round_}
        )
        button = ""
        if editable:
            url = self.confirm_url.format(response.pk)
            button = (
                f'<form method="post" action="{url}" class="confirm-carried" hx-post="{url}" '
                f'hx-target="#response-{response.pk}" hx-swap="outerHTML">{self.csrf}'
                f'<input type="hidden" name="version" value="{response.version}">'
                f'<button type="submit">{self.t["confirm"]}</button></form>'
            )
        return f'<div class="carried-note alert alert-info" role="note"><p>{note}</p>{button}</div>'

    def _coverage(self, response: EntryRow, disabled: str) -> str:
        t = self.t
        options = (("all", t["all"]), ("regular", t["regular"]), ("", t["not_stated"]))
        radios = "".join(
            f'<label class="choice"><input type="radio" name="coverage" value="{v}" '
            f'id="coverage-{response.pk}-{v or "none"}"'
            f"{' checked' if response.coverage == v else ''}> {label}</label>"
            for v, label in options
        )
        return f"<fieldset{disabled}><legend>{t['coverage']}</legend>{radios}</fieldset>"

    def _evidence_choices(self, response: EntryRow) -> str:
        if not response.evidence:
            return f'<p class="meta">{self.t["no_evidence"]}</p>'
        return "".join(
            f'<label class="choice"><input type="checkbox" name="evidence" value="{item.pk}" '
            f'id="ev-{response.pk}-{item.pk}" checked> {self._evidence_label(item)}</label>'
            for item in response.evidence
        )

    def _actions(self, response: EntryRow, saved: bool) -> str:
        status = ""
        if saved:
            when = date_format(localtime(response.updated_at), "H:i")
            status = e(_("Saved at %(when)s") % {"when": when})
        return (
            f'<p class="form-actions"><button type="submit">{self.t["save"]}</button>'
            f'<span class="save-status" role="status">{status}</span></p>'
        )

    def _evidence_label(self, item: EntryEvidence) -> str:
        label = e(evidence_label(item, self.instruments))
        if item.url:
            return f'<a href="{e(item.url)}" rel="noopener noreferrer">{label}</a>'
        if item.file:  # its download view, which asks the permissions first
            kind = self.kinds.get(item.kind, e(item.kind))
            return f'<a href="{self.file_url.format(item.pk)}">{label}</a> ({kind})'
        return label
