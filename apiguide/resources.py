"""One guidance page per resource of the API (config.api.API_RESOURCES): what it is, who sees what
of it, and worked examples. The operations and their parameters are read from the OpenAPI schema,
and the examples from apiguide/examples/<resource>.json (a test checks each against the schema)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.urls import reverse

from .schema import operations_under

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


@dataclass(frozen=True)
class Example:
    title: str
    method: str
    path: str
    # The schema's path template and status the example answers, to check it against the schema.
    operation: str
    status: int
    response: dict | list | None
    request: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @property
    def request_json(self) -> str:
        return json.dumps(self.request, indent=2, ensure_ascii=False) if self.request is not None else ""

    @property
    def response_json(self) -> str:
        return json.dumps(self.response, indent=2, ensure_ascii=False) if self.response is not None else ""


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    path: str
    summary: str
    visibility: str
    notes: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse("apiguide:resource-detail", args=[self.name])

    @cached_property
    def examples(self) -> list[Example]:
        data = json.loads((EXAMPLES_DIR / f"{self.name}.json").read_text(encoding="utf-8"))
        return [Example(**example) for example in data]

    @property
    def operations(self) -> list:
        return operations_under(self.path)


RESOURCES: dict[str, Resource] = {
    resource.name: resource
    for resource in (
        Resource(
            "me", "Me", "/api/v1/me/",
            "Who the caller is and what it may do: for a token, its name, prefix, expiry and "
            "organisation, with the organisation's kind, whether it may commission support and for "
            "which schools, and whether it brokers and which designation types.",
            "Every token sees its own organisation; a signed-in person sees each of their organisations.",
            ("Call it first with a new token: it proves the token works and tells you what to expect of "
             "the other resources.",),
        ),
        Resource(
            "organisations", "Organisations", "/api/v1/organisations/",
            "Every active organisation – local authorities, teaching schools, trusts, dioceses, "
            "schools and national bodies – to find a broker's or commissioner's id.",
            "Every token sees every active organisation: its name, kind, local authority and the "
            "school, trust or diocese it stands for. Never its people or their emails.",
        ),
        Resource(
            "schools", "Schools", "/api/v1/schools/",
            "Schools by URN, with their phase, type, pupils, trust, inspections and links, from Get "
            "Information About Schools and Ofsted.",
            "A local authority's token sees its schools; a teaching school's its own school and its "
            "alliance partners, whom it may commission for; a national body's every school.",
            ("Closed establishments are left out unless you give include_closed=true or a status.",),
        ),
        Resource(
            "designation-types", "Designation types", "/api/v1/designation-types/",
            "The kinds of system leader (SLE, LLE, NLE, NLG) with their criteria and training, by code.",
            "Every token sees every type.",
        ),
        Resource(
            "rounds", "Application rounds", "/api/v1/rounds/",
            "The rounds in which people apply for a designation, with their dates.",
            "Every token sees every round; open=true lists those open now.",
        ),
        Resource(
            "designations", "Designations", "/api/v1/designations/",
            "The directory of designated system leaders.",
            "A token sees a leader's name, school, type, specialisms, status, designation date and "
            "availability, and nothing else about them.",
        ),
        Resource(
            "applications", "Applications", "/api/v1/applications/",
            "Applications for a designation, with how each criterion was judged and the history of "
            "their states.",
            "For signed-in people only: an organisation's token sees none (its list is empty).",
            ("The state changes (submit, withdraw, start-assessment, approve, reject, designate) are "
             "made by people in the service or with their session.",),
        ),
        Resource(
            "support-requests", "Support requests", "/api/v1/support-requests/",
            "A school's need for support by a system leader: raised by a commissioner, brokered by a "
            "local authority, teaching school or national body, with ranked candidates.",
            "A token sees the requests its organisation commissioned or brokers; only the broker sees "
            "the candidates.",
            ("A school that already has a waiting request for a designation type is refused a second "
             "with 409 on designation_types, naming the first.",
             "Send an Idempotency-Key with every POST, so that a retry never raises a request twice."),
        ),
        Resource(
            "deployments", "Deployments", "/api/v1/deployments/",
            "A system leader's support of a school under an agreement: its state, dates, days used and "
            "allowed, objectives and their latest ratings.",
            "A token sees the deployments its organisation commissioned, brokers or is a party to; "
            "financial terms only for the commissioner and the broker.",
            ("The broker's changes of state are POST .../pause/, resume/, end-early/ and finish/; a "
             "change the current state does not allow is a 409 with the state.",),
        ),
        Resource(
            "deployment-transitions", "Deployment transitions", "/api/v1/deployment-transitions/",
            "Every change of state of the deployments you may see, oldest first.",
            "The same deployments as the deployments list.",
            ("Deprecated: use the change feed (events), which also has each proposal. This feed works "
             "until 31 December 2027 and its answers carry Deprecation and Sunset headers.",),
        ),
        Resource(
            "claims", "Claims", "/api/v1/claims/",
            "A school's claim for the days and costs of a deployment, with its lines, history and "
            "payment. Amounts are decimal strings in pounds.",
            "A token sees the claims its organisation funds as commissioner and those its school is "
            "paid for.",
            ("Costs with evidence are sent as multipart/form-data: costs[0]cost_line, costs[0]days, "
             "costs[0]evidence.",
             "A token approves only claims up to the second-approval amount; above it, two people "
             "approve in the service."),
        ),
        Resource(
            "events", "Events (the change feed)", "/api/v1/events/",
            "Every creation and change of state of the resources you may see, in the order the "
            "changes committed, numbered by a cursor.",
            "An event is visible exactly when its resource is in your own list of that resource.",
            ("Start at since=0 and pass next_since each time: you miss nothing and see nothing twice.",),
        ),
        Resource(
            "webhooks", "Webhook subscriptions", "/api/v1/webhooks/",
            "Your organisation's webhook subscriptions: the URLs its events are sent to, signed per "
            "Standard Webhooks, and each one's delivery log.",
            "A token manages its own organisation's subscriptions.",
            ("The signing secret (whsec_…) is in the answer to POST and to GET of one subscription.",),
        ),
    )
}
