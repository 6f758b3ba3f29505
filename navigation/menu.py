"""The navigation model: for one person, the sections of the site and the pages in each.

Each page is offered only where the rule its view applies lets this person in, so no link in the
navigation leads to a refusal. Rules are asked through ``rules.has_perm``, which leaves out
Django's "a superuser may do anything": the navigation fits what a person does in their role, and
a superuser still reaches any other page by its address.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules
from django.urls import reverse

from accounts.choices import Role
from accounts.rules import answer_all
from brokerage.rules import HAS_A_RECENT_HEADSHIP, HAS_PARTNERSHIPS, HOLDS_CURRENT_LLE
from deployments.rules import WORKS_ON_A_DEPLOYMENT
from designations.rules import HOLDS_A_DESIGNATION

# The ``active_nav`` values pages set, by section: the section to highlight on a page whose path
# is under none of the person's navigation pages (e.g. a deployment seen by its leader).
SECTION_KEYS: dict[str, frozenset[str]] = {
    "tasks": frozenset({"tasks", "home"}),
    "schools": frozenset({"schools"}),
    "designations": frozenset(
        {"designations", "pool", "my-designations", "applications", "assess", "cases", "reviews-due"}
    ),
    "support": frozenset(
        {
            "requests", "risk", "dashboard", "money", "deployments", "my-deployments", "claims", "partners",
            "term-dates", "bursaries", "assurance",
        }
    ),
    "admin": frozenset({"imports", "admin", "api-guidance"}),
    "account": frozenset({"you", "people", "api-tokens"}),
}
MAX_TOP_LEVEL_ITEMS = 7  # the sections and "Sign out" together
# What the navigation asks about the person's own work, answered together in one query per page.
PERSONAL_FACTS = (
    HOLDS_A_DESIGNATION, WORKS_ON_A_DEPLOYMENT, HAS_A_RECENT_HEADSHIP, HOLDS_CURRENT_LLE, HAS_PARTNERSHIPS,
)


@dataclass(frozen=True)
class Page:
    text: str
    url: str
    # Other paths that belong to this page, e.g. a list's detail pages; ``exact`` for the home page.
    prefixes: tuple[str, ...] = ()
    exact: bool = False

    def match_length(self, path: str) -> int:
        """How closely ``path`` belongs to this page: the longest matching prefix, 0 for none."""
        if self.exact:
            return len(self.url) if path == self.url else 0
        lengths = (len(prefix) for prefix in (self.url, *self.prefixes) if path.startswith(prefix))
        return max(lengths, default=0)


@dataclass
class Section:
    key: str
    text: str
    pages: list[Page]
    active: bool = False
    active_page: Page | None = None

    @property
    def url(self) -> str:
        return self.pages[0].url

    @property
    def has_sub_navigation(self) -> bool:
        return len(self.pages) > 1


@dataclass
class Navigation:
    sections: list[Section] = field(default_factory=list)

    @property
    def active_section(self) -> Section | None:
        return next((section for section in self.sections if section.active), None)

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def urls(self) -> list[str]:
        return [page.url for section in self.sections for page in section.pages]

    def mark_active(self, path: str, active_nav: str = "") -> None:
        """Highlight the page the path belongs to (the closest), or else the section of ``active_nav``."""
        best, best_length = None, 0
        for section in self.sections:
            for page in section.pages:
                length = page.match_length(path)
                if length > best_length:
                    best, best_length = (section, page), length
        if best is not None:
            best[0].active, best[0].active_page = True, best[1]
            return
        for section in self.sections:
            if active_nav in SECTION_KEYS.get(section.key, ()):
                section.active = True
                return


def _may(user, permission: str) -> bool:
    return rules.has_perm(permission, user)


def _is_member_or_national(user) -> bool:
    """Has somewhere to look from: lists of schools, requests and deployments start from an
    organisation (or from being a national administrator)."""
    return bool(user.active_memberships) or user.is_national_administrator


def _designation_pages(user) -> list[Page]:
    pages = [Page("Directory", reverse("designations:designation-list"))]
    if _may(user, "designations.view_own_designations"):
        pages.append(Page("Your designations", reverse("designations:mine")))
    if _may(user, "designations.view_pool"):
        pages.append(Page("Your pool", reverse("pool:index")))
    pages.append(Page("Applications", reverse("applications:list")))
    if _may(user, "designations.view_assessment_queue"):
        pages.append(Page("Assess", reverse("applications:assess-queue")))
    if _may(user, "designations.manage_lifecycle"):
        pages.append(Page("Cases to decide", reverse("designations-manage:case-list")))
        pages.append(Page("Reviews due", reverse("designations-manage:reviews-due")))
    if _may(user, "designations.manage_rounds"):
        pages.append(Page("Application rounds", reverse("designations:round-list")))
    if _may(user, "designations.manage_types"):
        pages.append(Page("Designation types", reverse("designations:type-list")))
    return pages


def _only_business_manager(user) -> bool:
    """Every membership is as a school business manager: they see their school's claims, not its
    support requests or deployments (whose lists would show them nothing)."""
    memberships = user.active_memberships
    return bool(memberships) and all(m.role == Role.SCHOOL_BUSINESS_MANAGER for m in memberships)


def _support_pages(user) -> list[Page]:
    pages = []
    member_or_national = _is_member_or_national(user) and not _only_business_manager(user)
    if member_or_national:
        pages.append(Page("Support requests", reverse("brokerage:request-list")))
    if _may(user, "brokerage.view_broker_queue"):
        pages.append(Page("Waiting for you", reverse("brokerage:broker-queue")))
    if member_or_national:
        pages.append(Page("Deployments", reverse("deployments:deployment-list")))
    if _may(user, "funding.view_claims"):
        pages.append(Page("Claims", reverse("claims:claim-list")))
    if _may(user, "deployments.view_own_deployments"):
        unavailability = reverse("deployments:unavailability")
        pages.append(Page("Your deployments", reverse("deployments:mine"), prefixes=(unavailability,)))
    if _may(user, "brokerage.assess_risk"):
        pages.append(Page("Risk assessments", reverse("brokerage:risk-list")))
    if _may(user, "oversight.view_dashboard"):
        pages.append(Page("Dashboard", reverse("dashboard:index")))
    if _may(user, "funding.view_finance"):
        pages.append(Page("Money", reverse("finance:money")))
    if _may(user, "brokerage.view_partnerships"):
        partners = reverse("partners:search")  # every partnership page is under it
        pages.append(Page("Professional partners", reverse("partners:mine"), prefixes=(partners,)))
    if _may(user, "schooldays.view_term_dates"):
        pages.append(Page("Term dates", reverse("schooldays:year-list")))
    if _may(user, "funding.manage_bursaries"):
        pages.append(Page("Bursaries", reverse("bursaries:bursary-list")))
    if _may(user, "funding.assure_claims"):
        pages.append(Page("Claims assurance", reverse("assurance:draw-list")))
    return pages


def _admin_pages(user) -> list[Page]:
    pages = []
    if _may(user, "schools.import_data"):
        pages.append(Page("Imports", reverse("schools:import-list")))
    if _may(user, "accounts.manage_api_tokens"):
        pages.append(Page("API guidance", reverse("apiguide:index")))
    if _may(user, "dataprotection.manage_people_data"):
        pages.append(Page("People's data", reverse("dataprotection:people")))
    if user.is_staff:
        pages.append(Page("Django admin", reverse("admin:index")))
    return pages


def _account_pages(user) -> list[Page]:
    you = reverse("accounts:you")
    pages = [Page("Your account", you, prefixes=(reverse("your-data:your-data"),))]
    if _may(user, "accounts.manage_people_somewhere"):
        # An access request's page belongs to "Your organisation", where the requests are listed.
        access_request = reverse("accounts:access-request-detail", args=[1]).removesuffix("1/")
        organisation = reverse("accounts:organisation-chooser")
        pages.append(Page("Your organisation", organisation, prefixes=(access_request,)))
    if _may(user, "webhooks.manage_webhooks_somewhere"):
        pages.append(Page("Webhooks", reverse("webhooks:subscription-list")))
    if _may(user, "accounts.manage_api_tokens_somewhere"):
        pages.append(Page("API tokens", reverse("accounts:api-token-list")))
    return pages


def navigation_for(user) -> Navigation:
    """The sections this person sees, in order, each with the pages they may open."""
    if not getattr(user, "is_authenticated", False):
        return Navigation()
    answer_all(user, PERSONAL_FACTS)
    sections = [Section("tasks", "Tasks", [Page("Tasks", reverse("home"), exact=True)])]
    if _is_member_or_national(user):
        sections.append(Section("schools", "Schools", [Page("Schools", reverse("schools:school-list"))]))
    sections.append(Section("designations", "Designations", _designation_pages(user)))
    for key, text, pages in (
        ("support", "Support", _support_pages(user)),
        ("admin", "Admin", _admin_pages(user)),
        ("account", "Your account", _account_pages(user)),
    ):
        if pages:
            sections.append(Section(key, text, pages))
    return Navigation(sections)
