"""The entry page's navigation through up to 98 indicators: an outline of dimensions and
sub-areas with completion marks, filters, "next unanswered" and one dimension at a time.

Everything here works on the rows the page has already read (entry_rows.entry_page): no
query of its own. The choices travel in the query string, so the page works without
JavaScript and a filtered view can be bookmarked or shared:

- `?dimension=N` shows dimension N only (any other value: every dimension);
- `?show=` one of FILTERS: `unanswered` (no answer given and confirmed, and no "nothing to
  add": what submission would leave blank), `queried` and `returned` (the answer's review
  state), `changed` (see `changed_by_others`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assessments.collection.entry_rows import EntryGroup, EntryPage, EntryRow
from assessments.collection.selectors import has_content
from assessments.models import Response

FILTERS: dict[str, Promise] = {
    "all": _("All"),
    "unanswered": _("Unanswered"),
    "queried": _("Queried"),
    "returned": _("Returned"),
    "changed": _("Changed by others since your last save"),
}


def is_unanswered(row: EntryRow) -> bool:
    return not has_content(row.answer, row.nothing_to_add, row.confirmed)


def changed_by_others(rows: list[EntryRow], user_id: int | None) -> set[int]:
    """The answers last changed by someone else after the viewer's own latest change.

    The viewer's latest change is the newest `updated_at` among the page's answers they
    were the last to change; if they are the last editor of none, every answer another
    person changed counts. Read from the rows, so no history query: an answer the viewer
    changed and a colleague changed after them counts, since the colleague is now its
    last editor.
    """
    mine = [row.updated_at for row in rows if row.updated_by_id == user_id]
    since = max(mine) if mine else None
    return {
        row.pk
        for row in rows
        if row.updated_by_id not in (None, user_id) and (since is None or row.updated_at > since)
    }


@dataclass
class SubAreaMark:
    code: str
    name: str
    url: str  # its dimension, unfiltered, at its first answer
    done: int = 0
    total: int = 0


@dataclass
class DimensionMark:
    number: int
    name: str
    url: str = ""
    current: bool = False
    done: int = 0
    total: int = 0
    subareas: list[SubAreaMark] = field(default_factory=list)


@dataclass
class FilterLink:
    key: str
    label: Promise
    count: int
    url: str
    current: bool


@dataclass
class EntryNav:
    dimensions: list[DimensionMark]
    filters: list[FilterLink]
    groups: list[EntryGroup]  # what the page shows: the chosen dimension, filtered
    dimension: int | None  # the chosen dimension's number; None: every dimension
    show: str
    all_url: str  # every dimension, same filter
    next_unanswered: EntryRow | None = None
    next_url: str = ""
    hidden: int = 0  # answers of the shown dimensions that the filter leaves out

    @property
    def filter_label(self) -> Promise:
        return FILTERS[self.show]


def _query(dimension: int | None, show: str) -> str:
    params = {"dimension": dimension, "show": show if show != "all" else None}
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"?{query}" if query else "?"


def _outline(page: EntryPage, chosen: int | None, show: str) -> list[DimensionMark]:
    marks = []
    for group in page.groups:
        number = int(group.dimension.number)
        mark = DimensionMark(
            number=number,
            name=group.dimension.tr("name"),
            url=_query(number, show),
            current=number == chosen,
        )
        subareas: dict[str, SubAreaMark] = {}
        for row in group.responses:
            done = not is_unanswered(row)
            code = row.indicator.subarea_code
            sub = subareas.get(code)
            if sub is None:
                url = f"{_query(number, 'all')}#response-{row.pk}"
                sub = subareas[code] = SubAreaMark(code, row.indicator.subarea_name, url)
            sub.total += 1
            sub.done += done
            mark.total += 1
            mark.done += done
        mark.subareas = list(subareas.values())
        marks.append(mark)
    return marks


def entry_nav(page: EntryPage, params: Mapping[str, str], user_id: int | None) -> EntryNav:
    """The navigation of one entry page for its query string, and the groups to show."""
    numbers = [int(g.dimension.number) for g in page.groups]
    raw = params.get("dimension", "")
    chosen = int(raw) if raw.isdigit() and int(raw) in numbers else None
    show = params.get("show", "all")
    show = show if show in FILTERS else "all"
    rows = [row for group in page.groups for row in group.responses]
    changed = changed_by_others(rows, user_id)
    tests: dict[str, Callable[[EntryRow], bool]] = {
        "all": lambda row: True,
        "unanswered": is_unanswered,
        "queried": lambda row: row.review_state == Response.ReviewState.QUERIED,
        "returned": lambda row: row.review_state == Response.ReviewState.RETURNED,
        "changed": lambda row: row.pk in changed,
    }
    in_view = [g for g in page.groups if chosen is None or int(g.dimension.number) == chosen]
    keep = tests[show]
    groups = []
    hidden = 0
    for group in in_view:
        shown = [row for row in group.responses if keep(row)]
        hidden += len(group.responses) - len(shown)
        if shown:
            groups.append(EntryGroup(group.dimension, shown))
    filters = [
        FilterLink(
            key,
            label,
            sum(1 for g in in_view for row in g.responses if tests[key](row)),
            _query(chosen, key),
            key == show,
        )
        for key, label in FILTERS.items()
    ]
    nav = EntryNav(
        dimensions=_outline(page, chosen, show),
        filters=filters,
        groups=groups,
        dimension=chosen,
        show=show,
        all_url=_query(None, show),
        hidden=hidden,
    )
    _set_next_unanswered(nav, page, chosen, show)
    return nav


def _set_next_unanswered(nav: EntryNav, page: EntryPage, chosen: int | None, show: str) -> None:
    """The first unanswered indicator in the shown dimension or, when it has none, in the
    dimensions after it (then from the first): the link opens its dimension at it."""
    groups = page.groups
    start = next((i for i, g in enumerate(groups) if int(g.dimension.number) == chosen), 0)
    for group in groups[start:] + groups[:start]:
        row = next((r for r in group.responses if is_unanswered(r)), None)
        if row is not None:
            # Its own dimension: on a phone the page shows one dimension at a time.
            number = int(group.dimension.number)
            query = _query(number, show if show in ("all", "unanswered") else "all")
            nav.next_unanswered = row
            nav.next_url = f"{query}#response-{row.pk}"
            return
