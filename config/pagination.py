from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """`count` and `results`, 100 a page by default; clients may ask for up to 500."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500
