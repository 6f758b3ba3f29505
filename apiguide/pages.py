"""The guidance pages that are prose, in the order of the side navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str

    @property
    def template(self) -> str:
        return f"apiguide/guides/{self.slug}.html"

    @property
    def url(self) -> str:
        if self.slug == "getting-started":
            return reverse("apiguide:index")
        return reverse("apiguide:guide", args=[self.slug])


GUIDES: dict[str, Guide] = {
    guide.slug: guide
    for guide in (
        Guide("getting-started", "Getting started"),
        Guide("authentication", "Authentication"),
        Guide("keeping-in-sync", "Keeping data in sync"),
        Guide("webhooks", "Webhooks"),
        Guide("pagination", "Pagination"),
        Guide("errors", "Errors"),
        Guide("rate-limits", "Rate limits"),
        Guide("idempotency", "Idempotency keys"),
        Guide("conditional-requests", "Conditional requests"),
        Guide("sandbox", "The partner sandbox"),
    )
}
