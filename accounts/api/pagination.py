from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # Bounded so that no request can ask the database for an unbounded page.
    max_page_size = 200
