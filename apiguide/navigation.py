"""The side navigation of the guidance: its sections, and which page is the current one."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .pages import GUIDES
from .resources import RESOURCES


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class NavigationSection:
    heading: str
    links: list[Link]


def side_navigation(path: str) -> list[NavigationSection]:
    def links(pairs) -> list[Link]:
        return [Link(text, url, current=url == path) for text, url in pairs]

    return [
        NavigationSection("Using the API", links((g.title, g.url) for g in GUIDES.values())),
        NavigationSection("Resources", links(
            [("All resources", reverse("apiguide:resource-list"))]
            + [(r.title, r.url) for r in RESOURCES.values()]
        )),
        NavigationSection("Changes", links((
            ("Changelog", reverse("apiguide:changelog")),
            ("Versioning and deprecation", reverse("apiguide:versioning")),
        ))),
    ]
