from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable, ValuesIterable
from rest_framework.pagination import PageNumberPagination

# The name of the page query's extra column (taken off the rows before they are returned).
TOTAL = "pagination_total"


class PortalPagination(PageNumberPagination):
    """`count` and `results`, 100 a page by default; clients may ask for up to 500."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class WindowCountPaginator(Paginator):
    """Django's paginator, with the count read by the page's own query.

    Django counts first (a `COUNT(*)` of the whole queryset, joins and all), then reads the
    page. Here the page's query carries `COUNT(*) OVER ()`, the number of rows before its
    LIMIT, which PostgreSQL has at hand anyway to sort them: one query instead of two, the
    same count. A page past the end has no row, and so no count: it is refused as Django
    refuses it (EmptyPage), since no row at its offset means fewer rows than the pages
    before it hold. When the count is needed first (`?page=last`), for querysets whose
    count a window would get wrong (DISTINCT, UNION, GROUP BY) and for rows other than
    models and dicts, Django's own way.
    """

    def page(self, number: Any) -> Page:
        object_list = self.object_list
        if (
            "count" in self.__dict__
            or not isinstance(object_list, QuerySet)
            or object_list._iterable_class not in (ModelIterable, ValuesIterable)
            or object_list.query.is_sliced
            or object_list.query.distinct
            or object_list.query.combinator
            or object_list.query.group_by is not None
            or self.orphans
            or not self.allow_empty_first_page
        ):
            return super().page(number)
        number = self._positive_number(number)
        bottom = (number - 1) * self.per_page
        page = object_list.annotate(**{TOTAL: Window(Count("*"))})
        rows = list(page[bottom : bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        self.__dict__["count"] = _take_total(rows[0]) if rows else 0
        for row in rows[1:]:
            _take_total(row)
        return Page(rows, number, self)

    def _positive_number(self, number: Any) -> int:
        """`validate_number` without the upper bound (which needs the count)."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


def _take_total(row: Any) -> int:
    """The row's count column, taken off it (a `.values()` dict or a model instance)."""
    if isinstance(row, dict):
        return int(row.pop(TOTAL))
    total = getattr(row, TOTAL)
    delattr(row, TOTAL)
    return int(total)


class WindowCountPagination(PortalPagination):
    """PortalPagination reading a page and the count in one query (WindowCountPaginator)."""

    django_paginator_class = WindowCountPaginator
