"""WindowCountPaginator (config/pagination.py) reads a page and the count in one query: it
must give what Django's Paginator gives from two, page by page, and refuse the same pages."""

from typing import Any

import pytest
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from config.pagination import TOTAL, WindowCountPaginator
from indicators.models import Dimension, Indicator
from ministries.models import Institution

pytestmark = pytest.mark.django_db


def _page(paginator: Paginator, number: Any) -> tuple[int, list[Any], bool, bool] | str:
    try:
        page = paginator.page(number)
    except InvalidPage as exc:
        return type(exc).__name__
    return paginator.count, list(page), page.has_next(), page.has_previous()


@pytest.mark.parametrize("values", [True, False])
@pytest.mark.parametrize("per_page", [1, 7, 500])
def test_every_page_is_djangos(values: bool, per_page: int) -> None:
    queryset = Institution.objects.order_by("acronym")
    rows = queryset.values("pk", "acronym") if values else queryset
    total = queryset.count()
    assert total > 7
    numbers: list[object] = [1, 2, "3", total // per_page, total // per_page + 1, 0, -1, "x"]
    for number in [*numbers, total // per_page + 2, 1.0, 1.5, None]:
        ours = _page(WindowCountPaginator(rows, per_page), number)
        assert ours == _page(Paginator(rows, per_page), number), number
        if not isinstance(ours, str):
            assert all(TOTAL not in (r if values else vars(r)) for r in ours[1])


def test_an_empty_list_has_an_empty_first_page() -> None:
    rows = Institution.objects.filter(acronym="NOPE").order_by("pk").values("pk")
    assert _page(WindowCountPaginator(rows, 10), 1) == (0, [], False, False)
    assert _page(WindowCountPaginator(rows, 10), 2) == "EmptyPage"


def test_one_query_a_page_and_djangos_way_where_a_window_would_miscount() -> None:
    queryset = Institution.objects.order_by("acronym")
    with CaptureQueriesContext(connection) as queries:
        WindowCountPaginator(queryset, 5).page(2)
    assert len(queries) == 1
    # A dimension once per indicator before DISTINCT: a window would count the indicators.
    distinct = Dimension.objects.filter(indicators__isnull=False).distinct().order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        ours = _page(WindowCountPaginator(distinct, 5), 1)
    assert len(queries) == 2  # the count, then the page
    assert ours == _page(Paginator(distinct, 5), 1)
    assert isinstance(ours, tuple) and ours[0] < Indicator.objects.count()


def test_tuples_and_groups_are_paginated_djangos_way() -> None:
    querysets: list[Any] = [
        Institution.objects.order_by("pk").values_list("acronym", flat=True),
        Indicator.objects.values("dimension_id").annotate(n=Count("pk")).order_by("dimension_id"),
    ]
    for rows in querysets:
        with CaptureQueriesContext(connection) as queries:
            ours = _page(WindowCountPaginator(rows, 3), 2)
        assert len(queries) == 2
        assert ours == _page(Paginator(rows, 3), 2)
