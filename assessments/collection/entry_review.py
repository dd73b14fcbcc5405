"""The review part of an answer block on the entry page: its review state, a link to its
thread, the thread's latest comments and, for a queried or returned answer, the button
that sends it back for review.

Built like the rest of the block (rendering.py): plain strings, every value that comes
from the database or the user through `e()`, labels translated once per page.
"""

from functools import lru_cache

from django.urls import get_script_prefix
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.collection.entry_rows import EntryComment, EntryRow
from assessments.collection.html import _url_pattern, e
from assessments.models import Response, ResponseComment

RS = Response.ReviewState
NEEDS_ANSWER = (RS.QUERIED, RS.RETURNED)


@lru_cache(maxsize=32)
def _tables(
    language: str | None, script_prefix: str
) -> tuple[dict[str, str], dict[str, str], dict[str, str], str, str]:
    """Review tags, comment kinds, labels and URL patterns, once per language and prefix."""
    tags = {
        RS.QUERIED.value: e(RS.QUERIED.label),
        RS.RETURNED.value: e(RS.RETURNED.label),
        RS.ACCEPTED.value: e(RS.ACCEPTED.label),
        "awaiting": e(_("Awaiting review")),
    }
    kinds = {value: e(label) for value, label in ResponseComment.Kind.choices}
    t = {
        "comments": e(_("Comments")),
        "latest": e(_("Latest comments")),
        "all": e(_("All comments")),
        "resubmit": e(_("Resubmit for review")),
    }
    return tags, kinds, t, _url_pattern("response_thread"), _url_pattern("response_resubmit")


def review_tag(state: str, review_state: str) -> str:
    """The review state a focal point reads on an answer: queried, returned, accepted,
    awaiting review; "" for an answer not sent for review yet."""
    if review_state in (RS.QUERIED, RS.RETURNED, RS.ACCEPTED):
        return review_state
    if state == Response.State.SUBMITTED:
        return "awaiting"
    return ""


class ReviewNotes:
    """What one page's answer blocks show of their review."""

    def __init__(self, csrf: str):
        self.csrf = csrf
        self.tags, self.kinds, self.t, self.thread_url, self.resubmit_url = _tables(
            get_language(), get_script_prefix()
        )

    def tag(self, row: EntryRow) -> str:
        """The review state badge, for the block's meta line ("" when there is none)."""
        key = review_tag(row.state, row.review_state)
        if not key:
            return ""
        return f'<span class="badge review-{key}">{self.tags[key]}</span> '

    def thread_link(self, row: EntryRow) -> str:
        """The link to the thread ("· Comments (2)"), after the History link."""
        count = f" ({row.comment_count})" if row.comment_count else ""
        url = self.thread_url.format(row.pk)
        return f' · <a href="{url}">{self.t["comments"]}{count}</a>'

    def notes(self, row: EntryRow, *, resubmit_to: str) -> str:
        """The latest comments, and the resubmit button when `resubmit_to` (the entry page's
        URL, to come back to) is given and the answer is queried or returned."""
        out = []
        if row.comments:
            items = "".join(self._comment(c) for c in row.comments)
            more = ""
            if row.comment_count > len(row.comments):
                url = self.thread_url.format(row.pk)
                more = (
                    f'<p class="meta"><a href="{url}">{self.t["all"]} ({row.comment_count})</a></p>'
                )
            out.append(
                f'<ol class="thread thread-latest" aria-label="{self.t["latest"]}">{items}</ol>{more}'
            )
        if resubmit_to and row.review_state in NEEDS_ANSWER:
            out.append(
                f'<form method="post" action="{self.resubmit_url.format(row.pk)}" class="resubmit">'
                f'{self.csrf}<input type="hidden" name="next" value="{e(resubmit_to)}#response-{row.pk}">'
                f'<button type="submit">{self.t["resubmit"]}</button></form>'
            )
        if not out:
            return ""
        return f'<div class="review-notes">{"".join(out)}</div>'

    def _comment(self, comment: EntryComment) -> str:
        kind = comment.kind
        badge = (
            ""
            if kind == "comment"
            else f' · <span class="badge">{self.kinds.get(kind, e(kind))}</span>'
        )
        when = date_format(localtime(comment.created_at), "j M Y H:i")
        body = f'<p class="pre">{e(comment.body)}</p>' if comment.body else ""
        return (
            f'<li class="comment comment-{e(kind)}"><p class="meta"><strong>{e(comment.author_name)}</strong>'
            f" · {e(when)}{badge}</p>{body}</li>"
        )
