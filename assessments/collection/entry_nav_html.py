"""The entry page's navigation and progress list, rendered in Python.

Both repeat the same few elements per dimension and sub-area: an outline with two
numbers and a sentence each, a selector, filters, a progress bar per dimension. Through
the template language that was a third of the page's rendering (hundreds of variable
lookups, each number localized, a `blocktranslate` per mark). Built here as the answer
blocks are (rendering.py), with the same rule: every value goes through `e()`; only
literals and the translations of the catalog are trusted. Strings are formatted as the
template tags did: `{% translate %}` escaped, a `blocktranslate`'s message as it is with
its values escaped, numbers through `localize` (tests/assessments/collection/
test_entry_nav_html.py compares the output with the templates it replaces, in English and
Indonesian).
"""

from collections.abc import Callable

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.collection.entry_nav import EntryNav
from assessments.collection.html import e
from assessments.collection.selectors import DimensionProgress

CURRENT = ' aria-current="true"'


def _numbers() -> Callable[[int], str]:
    """`localize` of a count, as a template prints it, computed once per value and page."""
    seen: dict[int, str] = {}

    def number(value: int) -> str:
        if value not in seen:
            seen[value] = e(localize(value))
        return seen[value]

    return number


def _answered(n: Callable[[int], str], answered: int, assigned: int) -> str:
    """ "3 of 9 answered" (`blocktranslate`: the message as it is, its values escaped)."""
    return _("%(answered)s of %(assigned)s answered") % {
        "answered": n(answered),
        "assigned": n(assigned),
    }


def _mark(n: Callable[[int], str], done: int, total: int) -> str:
    """A completion mark: "3/9" to the eye, "3 of 9 answered" to a screen reader."""
    complete = " is-complete" if done == total else ""
    return (
        f'<span class="entry-mark{complete}"><span aria-hidden="true">{n(done)}/{n(total)}</span>'
        f'<span class="visually-hidden">{_answered(n, done, total)}</span></span>'
    )


def nav_html(nav: EntryNav) -> SafeString:
    """The navigation beside the answers: the dimension selector (a GET form, so it works
    without JavaScript), "next unanswered", the filters and the outline with its marks."""
    n = _numbers()
    show = nav.show
    options = "".join(
        f'<option value="{n(d.number)}"{" selected" if d.current else ""}>'
        f"{n(d.number)}. {e(d.name)} ({n(d.done)}/{n(d.total)})</option>"
        for d in nav.dimensions
    )
    hidden_show = f'<input type="hidden" name="show" value="{e(show)}">' if show != "all" else ""
    if nav.next_unanswered is not None:
        code = e(nav.next_unanswered.indicator.code)
        label = _("Next unanswered: %(code)s") % {"code": code}
        next_link = f'<a href="{e(nav.next_url)}" class="btn btn-primary btn-sm">{label}</a>'
    else:
        done = e(_("Every indicator has an answer or nothing to add."))
        next_link = f'<span class="entry-all-done">{done}</span>'
    filters = "".join(
        f'<li><a href="{e(f.url)}"{CURRENT if f.current else ""}>'
        f'{e(f.label)} <span class="badge">{n(f.count)}</span></a></li>\n'
        for f in nav.filters
    )
    outline = []
    for d in nav.dimensions:
        subareas = "".join(
            f'<li><a href="{e(s.url)}">{e(s.code)} {e(s.name)}</a> {_mark(n, s.done, s.total)}'
            "</li>\n"
            for s in d.subareas
        )
        outline.append(
            f'<li>\n<a href="{e(d.url)}"{CURRENT if d.current else ""}>'
            f"{n(d.number)}. {e(d.name)}</a>\n{_mark(n, d.done, d.total)}\n"
            f"<ul>\n{subareas}</ul>\n</li>\n"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped by e()
        '<nav class="entry-nav" aria-labelledby="entry-nav-heading">\n'
        f'<h2 id="entry-nav-heading" class="entry-nav-heading">{e(_("Indicators"))}</h2>\n'
        '<form method="get" class="entry-dimension-form">\n'
        f'<label for="entry-dimension" class="form-label">{e(_("Dimension"))}</label>\n'
        '<div class="entry-dimension-row">\n'
        '<select id="entry-dimension" name="dimension" class="form-select">\n'
        f'<option value="">{e(_("All dimensions"))}</option>\n{options}\n</select>\n'
        f"{hidden_show}\n"
        f'<button type="submit" class="btn btn-outline-primary">{e(_("Show"))}</button>\n'
        "</div>\n</form>\n"
        f'<p class="entry-next">\n{next_link}\n</p>\n'
        f'<h3 class="entry-nav-subheading" id="entry-filter-heading">{e(_("Filter"))}</h3>\n'
        f'<ul class="entry-filters" aria-labelledby="entry-filter-heading">\n{filters}</ul>\n'
        f'<ol class="entry-outline">\n{"".join(outline)}</ol>\n'
        "</nav>\n"
    )


def progress_html(progress: list[DimensionProgress]) -> SafeString:
    """The progress list: a bar per dimension, with what is answered in words."""
    n = _numbers()
    items = []
    for p in progress:
        number = n(p.dimension.number)
        extra = ""
        if p.nothing_to_add:
            count = p.nothing_to_add
            text = ngettext("%(counter)s nothing to add", "%(counter)s nothing to add", count)
            extra = " · " + text % {"counter": n(count)}
        items.append(
            f'<li>\n<label for="progress-{number}">{number}. {e(p.dimension.tr("name"))}</label>\n'
            f'<progress id="progress-{number}" max="{n(p.assigned)}" value="{n(p.done)}">'
            f"{n(p.percent)}%</progress>\n"
            f'<span class="meta">{_answered(n, p.answered, p.assigned)}{extra}</span>\n</li>\n'
        )
    return mark_safe(  # noqa: S308 - every value above is escaped by e()
        f'<ul class="progress-list">\n{"".join(items)}</ul>'
    )
