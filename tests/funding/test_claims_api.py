"""The claims API: which token (or person) sees, claims and changes which claim, refused with 401,
403, 404, 400 (on the field at fault) or 409 (with the state); amounts as decimal strings; no
person's email; the list's queries do not grow with its claims."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import OrganisationKind
from accounts.models import Organisation, User
from funding import services
from funding.choices import ClaimAction, ClaimState
from funding.models import ClaimApproval, Payment
from tests.apiclients import client_for, client_with_token, error_fields, error_messages, errors_by_field
from tests.factories import ApiTokenFactory, OrganisationFactory
from tests.factories.funding import ClaimSetting, evidence_file, make_claim

pytestmark = pytest.mark.django_db

LIST_URL = reverse("funding-api:claim-list")
TODAY = timezone.localdate
PARTIES = [
    "commissioner",
    "claiming_school",
    "supported_school",
    "other_la",
    "national_body",
    "revoked",
    "none",
]


def detail_url(claim) -> str:
    return reverse("funding-api:claim-detail", args=[claim.pk])


def action_url(claim, name: str) -> str:
    return reverse(f"funding-api:claim-{name}", args=[claim.pk])


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setting() -> ClaimSetting:
    setting = ClaimSetting.create()
    setting.log_days(2)
    return setting


def organisation_of(setting: ClaimSetting, party: str) -> Organisation:
    deployment = setting.deployment
    school_org = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    return {
        "commissioner": lambda: deployment.commissioner,
        "claiming_school": lambda: school_org.get(school=deployment.leader_school),
        "supported_school": lambda: school_org.get(school=deployment.supported_school),
        "other_la": lambda: OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY),
        "national_body": lambda: setting.administrator.memberships.get().organisation,
    }[party]()


def client_of(setting: ClaimSetting, party: str) -> APIClient:
    if party == "none":
        return APIClient()
    if party == "revoked":
        token, key = ApiTokenFactory.create(setting.deployment.commissioner)
        token.revoke()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client
    return client_with_token(organisation_of(setting, party))


def claim_body(setting: ClaimSetting, **overrides) -> dict:
    start, end = setting.period()
    return {"deployment": setting.deployment.pk, "period_start": start, "period_end": end} | overrides


def errors(response, status: int = 400) -> dict:
    """The body; for a 400, its messages by field."""
    assert response.status_code == status, response.json()
    return errors_by_field(response) if status == 400 else response.json()


# --- reading --------------------------------------------------------------------------------------

READ_OUTCOMES = {
    "commissioner": 200,
    "claiming_school": 200,
    "supported_school": 404,
    "other_la": 404,
    "national_body": 404,
    "revoked": 401,
    "none": 401,
}


@pytest.mark.parametrize("party", PARTIES)
def test_a_token_lists_the_claims_it_funds_or_is_paid_for(setting, party):
    claim = make_claim(setting)
    response = client_of(setting, party).get(LIST_URL)
    if READ_OUTCOMES[party] == 401:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    assert listed == ({claim.pk} if READ_OUTCOMES[party] == 200 else set())


@pytest.mark.parametrize("party", PARTIES)
def test_a_token_retrieves_only_a_claim_it_funds_or_is_paid_for(setting, party):
    claim = make_claim(setting)
    assert client_of(setting, party).get(detail_url(claim)).status_code == READ_OUTCOMES[party]


def test_a_claim_shows_its_lines_history_and_payment_with_amounts_as_strings(setting):
    claim = services.approve(make_claim(setting, note="Two coaching days"), actor=setting.commissioner)
    services.pay(claim, actor=setting.commissioner, paid_on=TODAY(), reference="BACS-1")
    body = client_of(setting, "claiming_school").get(detail_url(claim)).json()
    assert body["reference"] == claim.reference
    assert body["deployment"] == setting.deployment.pk
    assert body["claiming_school"] == {
        "urn": setting.deployment.leader_school.urn,
        "name": setting.deployment.leader_school.name,
    }
    assert body["commissioner"]["id"] == setting.deployment.commissioner_id
    assert (body["state"], body["days"], body["total"], body["note"]) == (
        "paid",
        2.0,
        "900.00",
        "Two coaching days",
    )
    assert body["lines"] == [
        {
            "kind": "leader_days",
            "description": "Days delivered",
            "days": 2.0,
            "day_rate": "450.00",
            "amount": "900.00",
            "has_evidence": False,
        }
    ]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in body["events"]] == [
        ("submitted", "", "submitted"),
        ("approved", "submitted", "approved"),
        ("paid", "approved", "paid"),
    ]
    assert body["payment"] == {"paid_on": TODAY().isoformat(), "reference": "BACS-1", "amount": "900.00"}
    assert body["approvals"] == 1


def test_an_unpaid_claim_has_no_payment(setting):
    claim = make_claim(setting)
    assert client_of(setting, "commissioner").get(detail_url(claim)).json()["payment"] is None


def test_no_persons_email_is_in_a_response(setting):
    claim = services.request_information(make_claim(setting), actor=setting.commissioner, note="Which days?")
    responses = [
        client_of(setting, "commissioner").get(LIST_URL),
        client_of(setting, "claiming_school").get(detail_url(claim)),
        client_for(setting.supported_head).get(LIST_URL),
    ]
    emails = set(User.objects.values_list("email", flat=True))
    for response in responses:
        text = response.content.decode()
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)
        assert not any(email in text for email in emails)


def test_the_list_filters_by_state_deployment_and_period(setting):
    first_day, second_day = (
        entry.worked_on for entry in setting.deployment.time_entries.order_by("worked_on")
    )
    first = make_claim(setting, period_start=first_day, period_end=first_day)
    second = make_claim(setting, period_start=second_day, period_end=second_day)
    services.approve(second, actor=setting.commissioner)
    client = client_of(setting, "commissioner")

    def listed(**query) -> set[int]:
        response = client.get(LIST_URL, query)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert listed(state="approved") == {second.pk}
    assert listed(state=["approved", "submitted"]) == {first.pk, second.pk}
    assert listed(deployment=setting.deployment.pk) == {first.pk, second.pk}
    assert listed(deployment=setting.deployment.pk + 1000) == set()
    assert listed(period_from=second_day) == {second.pk}
    assert listed(period_to=first_day) == {first.pk}
    assert listed(changed_since=(timezone.now() + datetime.timedelta(hours=1)).isoformat()) == set()
    assert listed(submitted_since=(timezone.now() - datetime.timedelta(hours=1)).isoformat()) == {
        first.pk,
        second.pk,
    }
    assert client.get(LIST_URL, {"state": "lost"}).status_code == 400
    assert client.get(LIST_URL, {"deployment": ["1", "2"]}).status_code == 400


def test_the_list_is_paginated(setting):
    for entry in setting.deployment.time_entries.all():
        make_claim(setting, period_start=entry.worked_on, period_end=entry.worked_on)
    body = client_of(setting, "commissioner").get(LIST_URL, {"page_size": 1}).json()
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"]


def claims_on_separate_days(count: int) -> ClaimSetting:
    setting = ClaimSetting.create()
    for entry in setting.log_days(count):
        claim = make_claim(setting, period_start=entry.worked_on, period_end=entry.worked_on)
        services.request_information(claim, actor=setting.commissioner, note="Which days?")
    return setting


@pytest.mark.parametrize("count", [1, 4])
def test_the_lists_queries_do_not_grow_with_its_claims(count, django_assert_max_num_queries):
    setting = claims_on_separate_days(count)
    client = client_of(setting, "commissioner")
    client.get(LIST_URL)  # the token's last use is recorded once
    with django_assert_max_num_queries(5):
        response = client.get(LIST_URL)
    assert response.json()["count"] == count


def test_the_lists_queries_are_the_same_for_one_and_many_claims():
    counts = []
    for count in (1, 4):
        client = client_of(claims_on_separate_days(count), "commissioner")
        client.get(LIST_URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL).json()["count"] == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- claiming -------------------------------------------------------------------------------------

CREATE_OUTCOMES = {
    "commissioner": 403,
    "claiming_school": 201,
    "supported_school": 400,  # a school's token, but not paid by this deployment
    "other_la": 403,
    "national_body": 403,
    "revoked": 401,
    "none": 401,
}


@pytest.mark.parametrize("party", PARTIES)
def test_only_the_claiming_schools_token_claims(setting, party):
    response = client_of(setting, party).post(LIST_URL, claim_body(setting), format="json")
    assert response.status_code == CREATE_OUTCOMES[party], response.json()
    if response.status_code == 400:
        assert "deployment" in error_fields(response)


def test_a_tokens_claim_is_recorded_without_a_person(setting):
    response = client_of(setting, "claiming_school").post(
        LIST_URL, claim_body(setting, note="Two days"), format="json"
    )
    body = errors(response, 201)
    assert (body["state"], body["days"], body["total"]) == ("submitted", 2.0, "900.00")
    assert response["Location"] == f"http://testserver{LIST_URL}{body['id']}/"
    claim = setting.deployment.claims.get()
    assert claim.submitted_by is None
    event = claim.events.get()
    assert (event.actor, event.api_organisation) == (None, organisation_of(setting, "claiming_school"))
    assert body["events"][0]["api_organisation"]["id"] == event.api_organisation_id


def test_a_signed_in_business_manager_claims_through_the_api(setting):
    response = client_for(setting.business_manager).post(LIST_URL, claim_body(setting), format="json")
    errors(response, 201)
    assert setting.deployment.claims.get().submitted_by == setting.business_manager
    refused = client_for(setting.commissioner).post(LIST_URL, claim_body(setting), format="json")
    assert refused.status_code == 403


YEARS_AGO = 5 * 366


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"period_start": lambda s: TODAY() - datetime.timedelta(days=YEARS_AGO)},
            "period_start",
            "no earlier",
        ),
        (
            {"period_end": lambda s: s.deployment.starts_on - datetime.timedelta(days=1)},
            "period_end",
            "on or after",
        ),
        ({"period_end": lambda s: TODAY() + datetime.timedelta(days=1)}, "period_end", "in the future"),
        ({"period_start": lambda s: "31/02/2026"}, "period_start", "format"),
        ({"deployment": lambda s: None}, "deployment", "null"),
        ({"deployment": lambda s: 10**9}, "deployment", "pays your school"),
        ({"note": lambda s: "x" * 2001}, "note", "2000"),
        ({"costs": lambda s: [{"cost_line": s.cost_line().pk, "days": "1"}]}, "costs", "upload the invoice"),
        ({"costs": lambda s: [{"cost_line": 10**9, "days": "1"}]}, "costs", "Choose a cost"),
        ({"costs": lambda s: [{"cost_line": "one", "days": "1"}]}, "costs.0.cost_line", "valid integer"),
    ],
)
def test_bad_claims_are_400s_on_the_field_at_fault(setting, overrides, field, message):
    body = claim_body(setting, **{name: value(setting) for name, value in overrides.items()})
    response = client_of(setting, "claiming_school").post(LIST_URL, body, format="json")
    refused = errors(response)
    assert field in refused, refused
    assert message in str(refused[field])
    assert not setting.deployment.claims.exists()


def cost_claim(setting: ClaimSetting, days: str = "2", evidence=None, **line) -> dict:
    """A multipart claim of the leader's days and days of backfill with their evidence."""
    line = setting.cost_line(kind="backfill", description="Maths cover", days=Decimal("5"), **line)
    return claim_body(setting) | {
        "costs[0]cost_line": line.pk,
        "costs[0]days": days,
        "costs[0]evidence": evidence or evidence_file(),
    }


def test_a_cost_is_claimed_with_its_evidence_as_multipart(setting):
    client = client_of(setting, "claiming_school")
    body = errors(client.post(LIST_URL, cost_claim(setting), format="multipart"), 201)
    assert body["total"] == "1300.00"
    assert body["lines"][1] == {
        "kind": "backfill",
        "description": "Maths cover",
        "days": 2.0,
        "day_rate": "200.00",
        "amount": "400.00",
        "has_evidence": True,
    }
    line = setting.deployment.claims.get().lines.get(kind="backfill")
    assert (line.evidence_name, line.evidence_content_type) == ("invoice.pdf", "application/pdf")


@pytest.mark.parametrize(
    ("days", "evidence", "message"),
    [
        ("-2", None, "between 0.5 and 500"),
        ("0.3", None, "in half days"),
        ("6", None, "reimburses 5 days"),
        (
            "2",
            SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 a program", content_type="application/pdf"),
            "pdf",
        ),
    ],
)
def test_a_bad_cost_is_a_400_on_the_costs(setting, days, evidence, message):
    response = client_of(setting, "claiming_school").post(
        LIST_URL, cost_claim(setting, days=days, evidence=evidence), format="multipart"
    )
    refused = errors(response)
    assert message in refused["costs"][0], refused
    assert not setting.deployment.claims.exists()


def test_a_period_with_no_unclaimed_time_is_a_400(setting):
    make_claim(setting)
    refused = errors(client_of(setting, "claiming_school").post(LIST_URL, claim_body(setting), format="json"))
    assert "no unclaimed time" in refused["period_start"][0]


def test_more_days_than_agreed_is_a_400(setting):
    type(setting.deployment).objects.filter(pk=setting.deployment.pk).update(days_agreed=Decimal("1"))
    refused = errors(client_of(setting, "claiming_school").post(LIST_URL, claim_body(setting), format="json"))
    assert "more than the 1 agreed" in refused["period_end"][0]


# --- changing a claim -----------------------------------------------------------------------------

ACTIONS = {
    # name: (who may, state it needs, body, state after)
    "approve": ("commissioner", ClaimState.SUBMITTED, {}, ClaimState.APPROVED),
    "request-information": (
        "commissioner",
        ClaimState.SUBMITTED,
        {"note": "Which days?"},
        ClaimState.INFORMATION_REQUESTED,
    ),
    "reject": ("commissioner", ClaimState.SUBMITTED, {"reason": "Wrong period"}, ClaimState.REJECTED),
    "pay": ("commissioner", ClaimState.APPROVED, {"reference": "BACS-1"}, ClaimState.PAID),
    "give-information": (
        "claiming_school",
        ClaimState.INFORMATION_REQUESTED,
        {"note": "Tuesdays in term"},
        ClaimState.SUBMITTED,
    ),
    "withdraw": ("claiming_school", ClaimState.SUBMITTED, {}, ClaimState.WITHDRAWN),
}


def claim_in(setting: ClaimSetting, state: str):
    claim = make_claim(setting)
    if state == ClaimState.APPROVED:
        claim = services.approve(claim, actor=setting.commissioner)
    elif state == ClaimState.INFORMATION_REQUESTED:
        claim = services.request_information(claim, actor=setting.commissioner, note="Which days?")
    return claim


def body_for(name: str) -> dict:
    body = dict(ACTIONS[name][2])
    if name == "pay":
        body["paid_on"] = TODAY().isoformat()
    return body


def expected_status(name: str, party: str) -> int:
    if party in {"revoked", "none"}:
        return 401
    if READ_OUTCOMES[party] == 404:
        return 404
    return 200 if party == ACTIONS[name][0] else 403


@pytest.mark.parametrize("party", PARTIES)
@pytest.mark.parametrize("name", ACTIONS)
def test_each_change_is_only_for_the_right_organisations_token(setting, name, party):
    who, needs, _, after = ACTIONS[name]
    claim = claim_in(setting, needs)
    response = client_of(setting, party).post(action_url(claim, name), body_for(name), format="json")
    assert response.status_code == expected_status(name, party), response.json()
    claim.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["state"] == after == claim.state
        assert claim.events.last().api_organisation == organisation_of(setting, who)
        assert claim.events.last().actor is None
    else:
        assert claim.state == needs


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("approve", ClaimState.INFORMATION_REQUESTED),
        ("request-information", ClaimState.APPROVED),
        ("reject", ClaimState.APPROVED),
        ("pay", ClaimState.SUBMITTED),
        ("give-information", ClaimState.SUBMITTED),
        ("withdraw", ClaimState.APPROVED),
    ],
)
def test_a_change_the_state_does_not_allow_is_a_409_with_the_state(setting, name, state):
    claim = claim_in(setting, state)
    who = ACTIONS[name][0]
    response = client_of(setting, who).post(action_url(claim, name), body_for(name), format="json")
    body = errors(response, 409)
    assert body["state"] == state
    assert "cannot be" in body["detail"]


def test_a_claim_is_paid_once_through_the_api(setting):
    claim = claim_in(setting, ClaimState.APPROVED)
    client = client_of(setting, "commissioner")
    assert client.post(action_url(claim, "pay"), body_for("pay"), format="json").status_code == 200
    again = errors(client.post(action_url(claim, "pay"), body_for("pay"), format="json"), 409)
    assert (again["state"], "already paid" in again["detail"]) == ("paid", True)
    payment = Payment.objects.get()
    assert (payment.recorded_by, payment.amount) == (None, Decimal("900.00"))


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [
        ("request-information", {"note": " "}, "note"),
        ("request-information", {}, "note"),
        ("reject", {"reason": ""}, "reason"),
        ("pay", {"paid_on": "tomorrow", "reference": "R"}, "paid_on"),
        ("pay", {"paid_on": lambda: TODAY() + datetime.timedelta(days=1), "reference": "R"}, "paid_on"),
        ("pay", {"paid_on": lambda: TODAY() - datetime.timedelta(days=3 * 366), "reference": "R"}, "paid_on"),
        ("pay", {"paid_on": lambda: TODAY(), "reference": " "}, "reference"),
        ("pay", {"paid_on": lambda: TODAY(), "reference": "R" * 61}, "reference"),
    ],
)
def test_bad_decisions_are_400s_on_the_field_at_fault(setting, name, body, field):
    claim = claim_in(setting, ACTIONS[name][1])
    body = {key: value() if callable(value) else value for key, value in body.items()}
    response = client_of(setting, "commissioner").post(action_url(claim, name), body, format="json")
    assert field in errors(response)
    claim.refresh_from_db()
    assert claim.state == ACTIONS[name][1]


def test_giving_information_needs_the_information(setting):
    claim = claim_in(setting, ClaimState.INFORMATION_REQUESTED)
    response = client_of(setting, "claiming_school").post(action_url(claim, "give-information"), {"note": ""})
    assert "note" in errors(response)


@pytest.mark.parametrize(
    ("name", "party", "state", "body", "message"),
    [
        ("reject", "commissioner", ClaimState.SUBMITTED, {"reason": " \n"},
         "Give the reason for rejecting the claim."),
        ("request-information", "commissioner", ClaimState.SUBMITTED, {"note": ""},
         "Say what information you need."),
        ("give-information", "claiming_school", ClaimState.INFORMATION_REQUESTED, {"note": "  "},
         "Give the information the commissioner asked for."),
        ("pay", "commissioner", ClaimState.APPROVED, {"paid_on": lambda: TODAY(), "reference": ""},
         "Enter the payment reference."),
    ],
)
def test_text_a_decision_needs_is_refused_blank_in_the_domains_words(
    setting, name, party, state, body, message
):
    """The schema declares this text as required and more than spaces; the refusal says what to give."""
    claim = claim_in(setting, state)
    body = {key: value() if callable(value) else value for key, value in body.items()}
    response = client_of(setting, party).post(action_url(claim, name), body, format="json")
    assert response.status_code == 400
    assert error_messages(response) == [message]
    claim.refresh_from_db()
    assert claim.state == state


# --- nobody decides their own case ----------------------------------------------------------------


def test_a_token_of_a_school_that_commissions_its_own_support_never_decides_its_claim(setting):
    claim = make_claim(setting)
    school = organisation_of(setting, "claiming_school")
    type(claim).objects.filter(pk=claim.pk).update(commissioner=school)
    client = client_of(setting, "claiming_school")
    assert client.get(detail_url(claim)).status_code == 200
    for name in ("approve", "request-information", "reject"):
        response = client.post(action_url(claim, name), body_for(name), format="json")
        assert response.status_code == 403, name
        assert "your own school" in response.json()["detail"]
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


def test_a_commissioners_token_approves_a_claim_its_school_submitted(setting):
    """The submitter (the school's token) and the approver (the commissioner's) are two principals."""
    errors(client_of(setting, "claiming_school").post(LIST_URL, claim_body(setting), format="json"), 201)
    claim = setting.deployment.claims.get()
    response = client_of(setting, "commissioner").post(action_url(claim, "approve"), {}, format="json")
    assert errors(response, 200)["state"] == "approved"
    approval = ClaimApproval.objects.get()
    assert (approval.approver, approval.api_organisation) == (None, setting.deployment.commissioner)


def test_above_the_amount_only_people_approve(setting, settings):
    """A token is no person, and whoever runs it could approve again in the service: claims that
    need two people's approvals are approved in the service."""
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "800"
    claim = make_claim(setting)
    refused = client_of(setting, "commissioner").post(action_url(claim, "approve"), {}, format="json")
    assert refused.status_code == 403
    assert "need the approval of two people" in refused.json()["detail"]
    first = client_for(setting.commissioner).post(action_url(claim, "approve"), {}, format="json")
    assert errors(first, 200)["state"] == "awaiting_second_approval"
    again = client_of(setting, "commissioner").post(action_url(claim, "approve"), {}, format="json")
    assert again.status_code == 403
    second = client_for(setting.second_commissioner).post(action_url(claim, "approve"), {}, format="json")
    assert (errors(second, 200)["state"], second.json()["approvals"]) == ("approved", 2)
    claim.refresh_from_db()
    assert [e.action for e in claim.events.all()][-2:] == [ClaimAction.FIRST_APPROVAL, ClaimAction.APPROVED]
    assert not ClaimApproval.objects.filter(api_organisation__isnull=False).exists()


def test_at_or_below_the_amount_a_token_approves_once(setting, settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "900"
    claim = make_claim(setting)
    client = client_of(setting, "commissioner")
    assert errors(client.post(action_url(claim, "approve"), {}, format="json"), 200)["state"] == "approved"
    assert errors(client.post(action_url(claim, "approve"), {}, format="json"), 409)["state"] == "approved"
    assert ClaimApproval.objects.filter(claim=claim).count() == 1


def test_a_signed_in_submitter_who_is_also_a_commissioner_may_not_approve(setting):
    setting.business_manager.memberships.create(
        organisation=setting.deployment.commissioner, role="commissioner"
    )
    claim = make_claim(setting)
    response = client_for(setting.business_manager).post(action_url(claim, "approve"), {}, format="json")
    assert response.status_code == 403
    assert "You submitted this claim" in response.json()["detail"]


# --- signed-in people -----------------------------------------------------------------------------


def test_signed_in_people_see_claims_as_funding_view_claim_allows(setting):
    claim = make_claim(setting)
    assert client_for(setting.supported_head).get(detail_url(claim)).status_code == 200
    assert client_for(setting.administrator).get(detail_url(claim)).status_code == 200
    outsider = ClaimSetting.create().head
    assert client_for(outsider).get(detail_url(claim)).status_code == 404
    refused = client_for(setting.supported_head).post(action_url(claim, "approve"), {}, format="json")
    assert refused.status_code == 403
    withdraw = client_for(setting.supported_head).post(action_url(claim, "withdraw"), {}, format="json")
    assert withdraw.status_code == 403


def test_a_signed_in_commissioner_decides_and_is_recorded(setting):
    claim = make_claim(setting)
    response = client_for(setting.commissioner).post(action_url(claim, "approve"), {}, format="json")
    assert errors(response, 200)["state"] == "approved"
    assert claim.events.last().actor == setting.commissioner
    assert claim.events.last().api_organisation is None
