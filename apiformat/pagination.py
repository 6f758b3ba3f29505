from __future__ import annotations

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from paging import KeysFirstPaginator

from .filters import reject_repeated_parameters


class StandardPagination(PageNumberPagination):
    """Page-number pagination; ``?page_size=`` above the maximum is served at the maximum. A page
    reads its keys first, then its rows (``paging``)."""

    django_paginator_class = KeysFirstPaginator

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page: 50 unless given; anything above 200 is served as 200."
    # Bounded so that no request can ask the database for an unbounded page.
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        reject_repeated_parameters(request, {self.page_query_param, self.page_size_query_param})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as invalid:
            # Counted again only on this error path, to say where the pages end.
            last = self.django_paginator_class(queryset, self.get_page_size(request)).num_pages
            number = request.query_params.get(self.page_query_param, "")
            message = f"There is no page {number}: give a page number from 1 to {last}."
            raise NotFound({self.page_query_param: [message]}, code="invalid_page") from invalid

    def get_page_size(self, request) -> int:
        requested = request.query_params.get(self.page_size_query_param)
        if requested is None:
            return self.page_size
        if not (requested.isascii() and requested.isdigit()) or int(requested) < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number of at least 1."]})
        return min(int(requested), self.max_page_size)

    def get_page_number(self, request, paginator):
        # An empty ?page= is a malformed page (404 like ?page=abc), not a silent first page.
        if request.query_params.get(self.page_query_param) == "":
            return ""
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters
