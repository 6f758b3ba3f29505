"""The navigation for each role: at most seven top-level items, grouped, every one of them (and
every page of its section) answering 200 to that role."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from navigation.menu import MAX_TOP_LEVEL_ITEMS, navigation_for

pytestmark = pytest.mark.django_db

DESIGNATIONS_FOR_EVERYONE = ["Directory", "Applications"]
SUPPORT_FOR_MEMBERS = ["Support requests", "Deployments", "Claims"]
# persona: {section: [its pages]}
EXPECTED = {
    "national_admin": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": [
            "Directory", "Applications", "Assess", "Cases to decide", "Reviews due", "Application rounds",
            "Designation types",
        ],
        "Support": [
            "Support requests", "Deployments", "Claims", "Dashboard", "Money", "Professional partners",
            "Term dates", "Bursaries", "Claims assurance",
        ],
        "Admin": ["Imports", "API guidance", "People's data"],
        "Your account": ["Your account", "Your organisation", "Webhooks", "API tokens"],
    },
    "superuser_admin": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": [
            "Directory", "Applications", "Assess", "Cases to decide", "Reviews due", "Application rounds",
            "Designation types",
        ],
        "Support": [
            "Support requests", "Deployments", "Claims", "Dashboard", "Money", "Professional partners",
            "Term dates", "Bursaries", "Claims assurance",
        ],
        "Admin": ["Imports", "API guidance", "People's data", "Django admin"],
        "Your account": ["Your account", "Your organisation", "Webhooks", "API tokens"],
    },
    "la_officer": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Support": [
            "Support requests", "Waiting for you", "Deployments", "Claims", "Risk assessments",
            "Dashboard", "Money", "Term dates",
        ],
        "Your account": ["Your account", "Your organisation", "Webhooks", "API tokens"],
    },
    "teaching_school_lead": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": [
            "Directory", "Your pool", "Applications", "Assess", "Cases to decide", "Reviews due",
            "Application rounds",
        ],
        "Support": ["Support requests", "Waiting for you", "Deployments", "Claims"],
        "Your account": ["Your account", "Your organisation", "Webhooks", "API tokens"],
    },
    "commissioner": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Support": [*SUPPORT_FOR_MEMBERS, "Money"],
        "Your account": ["Your account"],
    },
    "school_leader": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Support": SUPPORT_FOR_MEMBERS,
        "Your account": ["Your account"],
    },
    "associate": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Support": ["Support requests", "Waiting for you", "Deployments", "Claims"],
        "Your account": ["Your account"],
    },
    "leader": {
        "Tasks": ["Tasks"],
        "Designations": ["Directory", "Your designations", "Applications"],
        "Support": ["Your deployments", "Professional partners"],
        "Your account": ["Your account"],
    },
    "new_head": {
        "Tasks": ["Tasks"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Support": ["Professional partners"],
        "Your account": ["Your account"],
    },
    "school_business_manager": {
        "Tasks": ["Tasks"],
        "Schools": ["Schools"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Support": ["Claims"],
        "Your account": ["Your account"],
    },
    "outsider": {
        "Tasks": ["Tasks"],
        "Designations": DESIGNATIONS_FOR_EVERYONE,
        "Your account": ["Your account"],
    },
}


class _ServiceNavigation(HTMLParser):
    """The top-level items of the service navigation: their links, and whether sign-out is last."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.items: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "ul" and attributes.get("id") == "navigation":
            self.depth = 1
        elif self.depth and tag == "ul":
            self.depth += 1
        elif self.depth == 1 and tag == "li":
            self.items.append("")
        elif self.depth == 1 and tag == "a":
            self.hrefs.append(attributes["href"])
            self.items[-1] = attributes["href"]
        elif self.depth == 1 and tag == "form":
            self.items[-1] = "sign-out"

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "ul":
            self.depth -= 1


def service_navigation(html: str) -> _ServiceNavigation:
    parser = _ServiceNavigation()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_role_sees_its_sections_and_their_pages(request, persona):
    user = request.getfixturevalue(persona)
    nav = navigation_for(user)

    shown = {section.text: [page.text for page in section.pages] for section in nav.sections}
    assert shown == EXPECTED[persona]


@pytest.mark.parametrize("persona", EXPECTED)
def test_at_most_seven_top_level_items(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    parsed = service_navigation(client.get(reverse("schools:school-list")).content.decode())

    assert parsed.items[-1] == "sign-out"
    assert len(parsed.items) <= MAX_TOP_LEVEL_ITEMS
    assert len(parsed.items) == len(EXPECTED[persona]) + 1


@pytest.mark.parametrize("persona", EXPECTED)
def test_no_navigation_link_leads_to_a_refusal(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    parsed = service_navigation(client.get(reverse("schools:school-list")).content.decode())
    addresses = set(parsed.hrefs) | set(navigation_for(user).urls())

    statuses = {address: client.get(address, follow=True).status_code for address in addresses}

    assert statuses == dict.fromkeys(addresses, 200)


def test_the_menu_offers_the_api_guidance_to_people_who_manage_api_tokens(national_admin, la_officer):
    guidance = reverse("apiguide:index")

    assert guidance in navigation_for(national_admin).urls()
    assert guidance not in navigation_for(la_officer).urls()


def test_no_menu_links_swagger_ui_which_the_guidance_links_as_a_developer_tool(client, national_admin):
    client.force_login(national_admin)

    assert reverse("api-docs") not in client.get(reverse("schools:import-list")).content.decode()


def test_the_section_of_the_page_is_highlighted_and_its_pages_listed(client, teaching_school_lead):
    client.force_login(teaching_school_lead)
    html = client.get(reverse("designations-manage:case-list")).content.decode()

    active = html.split('govuk-service-navigation__item--active">', 1)[1].split("</li>", 1)[0]
    assert "Designations" in active
    sub_navigation = html.split('class="app-sub-navigation', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("pool:index")}"' in sub_navigation
    assert f'href="{reverse("designations-manage:case-list")}" aria-current="page"' in sub_navigation


def test_a_page_outside_the_persons_navigation_pages_highlights_its_section(
    client, leader, leader_deployment
):
    client.force_login(leader)
    html = client.get(reverse("deployments:deployment-detail", args=[leader_deployment.pk])).content.decode()

    active = html.split('govuk-service-navigation__item--active">', 1)[1].split("</li>", 1)[0]
    assert "Support" in active


def test_the_task_count_is_shown_on_tasks_only_when_there_are_tasks():
    from django.template import Context, Template

    template = Template(
        '{% include "govuk/components/service_navigation_item.html" with href="/" text="Tasks" '
        "active=False count=task_count %}"
    )
    assert "app-count-badge" in template.render(Context({"task_count": 3}))
    assert ">3<" in template.render(Context({"task_count": 3}))
    assert "app-count-badge" not in template.render(Context({"task_count": 0}))
