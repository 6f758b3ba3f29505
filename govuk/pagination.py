"""The GOV.UK pagination component for list pages."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def pagination_context(request: HttpRequest, page: Page) -> dict | None:
    """Links for the GOV.UK pagination component, keeping the rest of the query string."""
    if not page.has_other_pages():
        return None

    def url_for(number: int) -> str:
        query = request.GET.copy()
        query["page"] = number
        return f"?{query.urlencode()}"

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "url": url_for(number), "current": number == page.number})
    return {
        "items": items,
        "previous_url": url_for(page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_for(page.next_page_number()) if page.has_next() else None,
    }


class GovukPaginationMixin:
    """Forgiving pagination (a bad ?page= shows the nearest page) with GOV.UK links."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        context["pagination"] = pagination_context(self.request, page) if page else None
        return context
