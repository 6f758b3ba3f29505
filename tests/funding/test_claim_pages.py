"""The claims pages: who may open each page and take each action (a permission matrix), the claim
form's errors, the evidence download, the list's filters and query count, and the whole flow from
a claim to its payment through the pages, as each party."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.choices import ClaimAction, ClaimState
from funding.models import Claim, Payment
from tests.factories.funding import evidence_file, make_claim

pytestmark = pytest.mark.django_db
PERSONAS = [
    "commissioner",
    "second_commissioner",
    "other_la_officer",
    "head",
    "business_manager",
    "leader",
    "supported_head",
    "broker",
    "administrator",
    "anonymous",
]


def status_for(client, user, address: str, method: str = "get") -> int:
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(address)
    if response.status_code == 302 and user is None:
        assert "/accounts/" in response.url
    return response.status_code


def date_fields(name: str, day: datetime.date | None) -> dict:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def matrix(*statuses: int) -> list[tuple[str, int]]:
    return list(zip(PERSONAS, statuses, strict=True))


@pytest.fixture
def claim(setting) -> Claim:
    setting.log_days(2)
    return make_claim(setting)


# --- the permission matrix -----------------------------------------------------------------------

#                 comm 2nd  oLA  head sbm  ldr  supp brkr admn anon
VIEW = matrix(200, 200, 404, 200, 200, 404, 200, 200, 200, 302)


@pytest.mark.parametrize("persona, expected", VIEW)
def test_who_may_see_a_deployments_claims(client, setting, personas, claim, persona, expected):
    address = reverse("claims:deployment", args=[setting.deployment.pk])
    assert status_for(client, personas[persona], address) == expected


@pytest.mark.parametrize("persona, expected", VIEW)
def test_who_may_see_a_claim(client, personas, claim, persona, expected):
    assert status_for(client, personas[persona], reverse("claims:claim-detail", args=[claim.pk])) == expected


@pytest.mark.parametrize("persona, expected", matrix(200, 200, 200, 200, 200, 200, 200, 200, 200, 302))
def test_everyone_signed_in_may_open_the_list_of_what_they_may_see(
    client, personas, claim, persona, expected
):
    user = personas[persona]
    assert status_for(client, user, reverse("claims:claim-list")) == expected
    if expected == 200:
        shown = claim.reference in client.get(reverse("claims:claim-list")).content.decode()
        assert shown == (VIEW[PERSONAS.index(persona)][1] == 200)


@pytest.mark.parametrize("persona, expected", matrix(403, 403, 404, 200, 200, 404, 403, 403, 403, 302))
def test_only_the_paid_schools_head_or_business_manager_may_claim(
    client, setting, personas, persona, expected
):
    address = reverse("claims:claim-new", args=[setting.deployment.pk])
    assert status_for(client, personas[persona], address) == expected


@pytest.mark.parametrize("persona, expected", matrix(200, 200, 404, 200, 200, 404, 404, 404, 200, 302))
def test_who_may_download_evidence(client, setting, personas, persona, expected):
    line = setting.cost_line(kind="backfill", description="Maths cover")
    setting.log_days(1)
    claim = make_claim(setting, costs=[services.CostClaim(line.pk, Decimal("1"), evidence_file())])
    evidenced = claim.lines.get(kind="backfill")
    address = reverse("claims:claim-evidence", args=[claim.pk, evidenced.pk])
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(address)
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith('attachment; filename="invoice.pdf"')


DECIDE = matrix(200, 200, 404, 403, 403, 404, 403, 403, 200, 302)
ANSWER = matrix(403, 403, 404, 200, 200, 404, 403, 403, 403, 302)


@pytest.mark.parametrize("action", ["approve", "request-information", "reject"])
@pytest.mark.parametrize("persona, expected", DECIDE)
def test_only_the_commissioner_or_an_administrator_may_decide(
    client, personas, claim, action, persona, expected
):
    address = reverse("claims:claim-action", args=[claim.pk, action])
    assert status_for(client, personas[persona], address) == expected


@pytest.mark.parametrize("persona, expected", DECIDE)
def test_only_the_commissioner_or_an_administrator_may_record_payment(
    client, setting, personas, claim, persona, expected
):
    services.approve(claim, actor=setting.commissioner)
    address = reverse("claims:claim-action", args=[claim.pk, "pay"])
    assert status_for(client, personas[persona], address) == expected


@pytest.mark.parametrize("persona, expected", ANSWER)
def test_only_the_claiming_school_may_answer(client, setting, personas, claim, persona, expected):
    services.request_information(claim, actor=setting.commissioner, note="Which days?")
    address = reverse("claims:claim-action", args=[claim.pk, "give-information"])
    assert status_for(client, personas[persona], address) == expected


@pytest.mark.parametrize("persona, expected", ANSWER)
def test_only_the_claiming_school_may_withdraw(client, personas, claim, persona, expected):
    address = reverse("claims:claim-action", args=[claim.pk, "withdraw"])
    assert status_for(client, personas[persona], address) == expected


@pytest.mark.parametrize("persona", ["head", "business_manager", "supported_head", "broker"])
def test_a_refused_decision_is_not_acted_on(client, personas, claim, persona):
    client.force_login(personas[persona])
    response = client.post(reverse("claims:claim-action", args=[claim.pk, "approve"]))
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


def test_a_commissioner_who_submitted_the_claim_is_told_why_they_may_not_decide(client, setting):
    setting.business_manager.memberships.create(
        organisation=setting.deployment.commissioner, role="commissioner"
    )
    setting.log_days(1)
    claim = make_claim(setting, by=setting.business_manager)
    client.force_login(setting.business_manager)
    page = client.get(reverse("claims:claim-detail", args=[claim.pk])).content.decode()
    assert "someone else must decide it" in page
    assert reverse("claims:claim-action", args=[claim.pk, "approve"]) not in page
    response = client.get(reverse("claims:claim-action", args=[claim.pk, "approve"]))
    assert response.status_code == 403
    assert "You submitted this claim, so someone else must decide it." in response.content.decode()


def test_the_claim_page_offers_only_the_actions_each_person_may_take(client, setting, claim):
    def offered(user) -> set[str]:
        client.force_login(user)
        page = client.get(reverse("claims:claim-detail", args=[claim.pk])).content.decode()
        slugs = ["approve", "request-information", "reject", "pay", "give-information", "withdraw"]
        return {s for s in slugs if reverse("claims:claim-action", args=[claim.pk, s]) in page}

    assert offered(setting.commissioner) == {"approve", "request-information", "reject"}
    assert offered(setting.head) == {"withdraw"}
    assert offered(setting.supported_head) == set()


def test_unknown_actions_are_not_found(client, setting, claim):
    client.force_login(setting.commissioner)
    assert client.get(reverse("claims:claim-action", args=[claim.pk, "explode"])).status_code == 404


# --- the claim form ------------------------------------------------------------------------------


def new_claim(setting) -> str:
    return reverse("claims:claim-new", args=[setting.deployment.pk])


def period_page(client, setting, start, end) -> str:
    client.force_login(setting.head)
    response = client.get(
        new_claim(setting), {**date_fields("period_start", start), **date_fields("period_end", end)}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_period_says_what_to_enter(client, setting):
    page = period_page(client, setting, None, None)
    assert "Enter the start of the period" in page
    assert "Enter the end of the period" in page


def test_the_end_must_not_be_before_the_start(client, setting):
    today = timezone.localdate()
    page = period_page(client, setting, today, today - datetime.timedelta(days=3))
    assert "The end of the period must be on or after its start" in page


def test_the_period_cannot_end_in_the_future(client, setting):
    today = timezone.localdate()
    page = period_page(
        client, setting, today - datetime.timedelta(days=3), today + datetime.timedelta(days=2)
    )
    assert "must be today or in the past" in page


def test_a_period_with_no_time_logged_says_so(client, setting):
    start, end = setting.period()
    assert "There is no unclaimed time logged in this period" in period_page(client, setting, start, end)


def test_a_period_past_the_days_agreed_says_so(client, setting):
    setting.log_days(3)
    type(setting.deployment).objects.filter(pk=setting.deployment.pk).update(days_agreed=Decimal("2"))
    start, end = setting.period()
    assert "more than the 2 agreed" in period_page(client, setting, start, end)


def test_the_period_step_shows_what_the_claim_comes_to(client, setting):
    setting.log_days(2)
    start, end = setting.period()
    page = period_page(client, setting, start, end)
    assert "Check your claim" in page
    assert "£900.00" in page
    assert "Submit the claim" in page


def post_claim(client, setting, **data):
    start, end = setting.period()
    client.force_login(setting.head)
    payload = {"period_start": start.isoformat(), "period_end": end.isoformat(), "confirm": "on", **data}
    return client.post(new_claim(setting), payload)


def test_backfill_without_evidence_is_refused_on_its_evidence_field(client, setting):
    line = setting.cost_line(kind="backfill", description="Maths cover")
    setting.log_days(1)
    response = post_claim(client, setting, **{f"cost_{line.pk}": "2"})
    assert response.status_code == 200
    assert (
        "Maths cover: upload the invoice or timesheet for this cost."
        in response.context["form"].errors[f"cost_{line.pk}_evidence"]
    )
    assert not Claim.objects.exists()


def test_too_many_days_of_a_cost_are_refused_on_its_field(client, setting):
    line = setting.cost_line(kind="backfill", description="Maths cover", days=Decimal("2"))
    setting.log_days(1)
    response = post_claim(
        client, setting, **{f"cost_{line.pk}": "3", f"cost_{line.pk}_evidence": evidence_file()}
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors[f"cost_{line.pk}"]
    assert "you can claim 2 more" in error


def test_a_bad_evidence_file_is_refused_on_its_field(client, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = setting.cost_line(kind="backfill", description="Maths cover")
    setting.log_days(1)
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = post_claim(client, setting, **{f"cost_{line.pk}": "1", f"cost_{line.pk}_evidence": bad})
    assert response.status_code == 200
    assert response.context["form"].errors[f"cost_{line.pk}_evidence"]
    assert not Claim.objects.exists()


def test_the_claimant_must_confirm(client, setting):
    setting.log_days(1)
    response = post_claim(client, setting, confirm="")
    assert "Confirm the time and costs claimed were delivered" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_with_backfill_and_evidence_is_made_and_shown(client, setting, mailoutbox):
    line = setting.cost_line(kind="backfill", description="Maths cover")
    setting.log_days(2)
    response = post_claim(
        client,
        setting,
        note="Two coaching days",
        **{f"cost_{line.pk}": "1.5", f"cost_{line.pk}_evidence": evidence_file()},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:claim-detail", args=[claim.pk])
    assert claim.total == Decimal("1200.00")
    page = client.get(response.url).content.decode()
    assert f"Claim {claim.reference} is submitted" in page
    assert "£1,200.00" in page
    assert "invoice.pdf" in page


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_by_state(client, setting, claim):
    client.force_login(setting.commissioner)
    assert (
        claim.reference in client.get(reverse("claims:claim-list"), {"state": "submitted"}).content.decode()
    )
    page = client.get(reverse("claims:claim-list"), {"state": "paid"}).content.decode()
    assert claim.reference not in page
    assert "No claims match your filters" in page


def test_the_list_has_an_empty_state(client, setting):
    client.force_login(setting.commissioner)
    assert "There are no claims to show" in client.get(reverse("claims:claim-list")).content.decode()


# Session, user with the navigation's facts about their own work, memberships (3); the claims
# counted and the page of them, with their school, deployment, leader and type (2).
LIST_QUERIES = 5


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_costs_a_fixed_number_of_queries(client, setting, count, django_assert_num_queries):
    for entry in setting.log_days(count):
        make_claim(setting, period_start=entry.worked_on, period_end=entry.worked_on)
    client.force_login(setting.commissioner)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("claims:claim-list"))
    assert len(response.context["claims"]) == count


@pytest.mark.parametrize("persona", ["business_manager", "head"])
def test_the_list_links_the_claiming_school_to_its_deployments(client, setting, persona):
    """A business manager does not see the deployments pages: the claims list is where they find
    the deployment to claim for (one more query, for those who claim for a school)."""
    client.force_login(getattr(setting, persona))
    response = client.get(reverse("claims:claim-list"))
    assert list(response.context["claimable"]) == [setting.deployment]
    address = reverse("claims:deployment", args=[setting.deployment.pk])
    assert f'href="{address}"' in response.content.decode()


@pytest.mark.parametrize("persona", ["commissioner", "supported_head", "administrator"])
def test_the_list_offers_no_deployment_to_those_who_do_not_claim_for_it(client, setting, persona):
    client.force_login(getattr(setting, persona))
    assert client.get(reverse("claims:claim-list")).context["claimable"] == []


# --- the whole flow ------------------------------------------------------------------------------


def test_a_claim_from_the_head_to_its_payment_through_the_pages(client, setting, settings, mailoutbox):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "800"
    line = setting.cost_line(kind="backfill", description="Maths cover")
    setting.log_days(2)
    start, end = setting.period()

    # The head signs in, finds the deployment's claims and works the claim out.
    client.force_login(setting.head)
    deployment_page = client.get(reverse("deployments:deployment-detail", args=[setting.deployment.pk]))
    assert reverse("claims:deployment", args=[setting.deployment.pk]) in deployment_page.content.decode()
    claims_page = client.get(reverse("claims:deployment", args=[setting.deployment.pk])).content.decode()
    assert "Make a claim" in claims_page
    response = post_claim(
        client, setting, **{f"cost_{line.pk}": "1", f"cost_{line.pk}_evidence": evidence_file()}
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert claim.total == Decimal("1100.00")

    # The commissioner asks for more information.
    client.force_login(setting.commissioner)
    action = lambda slug: reverse("claims:claim-action", args=[claim.pk, slug])  # noqa: E731
    assert client.post(action("request-information"), {"note": ""}).status_code == 200
    assert client.post(action("request-information"), {"note": "Which weeks?"}).status_code == 302

    # The business manager answers, with a replacement invoice.
    client.force_login(setting.business_manager)
    backfill = claim.lines.get(kind="backfill")
    answer = {
        "note": "The weeks of 3 and 10 November",
        f"line_{backfill.pk}_evidence": evidence_file("new.pdf"),
    }
    assert client.post(action("give-information"), answer).status_code == 302
    backfill.refresh_from_db()
    assert backfill.evidence_name == "new.pdf"

    # Over the threshold: the commissioner approves, then the second commissioner.
    client.force_login(setting.commissioner)
    assert "needs a second approval" in client.get(action("approve")).content.decode()
    assert client.post(action("approve")).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.AWAITING_SECOND_APPROVAL
    response = client.post(action("approve"))
    assert "already approved" in response.content.decode()
    client.force_login(setting.second_commissioner)
    assert client.post(action("approve")).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED

    # The commissioner records the payment.
    client.force_login(setting.commissioner)
    today = timezone.localdate()
    assert client.post(action("pay"), {**date_fields("paid_on", today), "reference": ""}).status_code == 200
    assert (
        client.post(action("pay"), {**date_fields("paid_on", today), "reference": "BACS-77"}).status_code
        == 302
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.PAID
    assert Payment.objects.get().reference == "BACS-77"

    # Both schools see the history and the payment.
    for user in (setting.head, setting.supported_head):
        client.force_login(user)
        page = client.get(reverse("claims:claim-detail", args=[claim.pk])).content.decode()
        for label in (
            ClaimAction.SUBMITTED.label,
            "Which weeks?",
            "Approved (first of two approvals)",
            "BACS-77",
        ):
            assert label in page
    assert [e.action for e in claim.events.all()] == [
        ClaimAction.SUBMITTED,
        ClaimAction.INFORMATION_REQUESTED,
        ClaimAction.INFORMATION_GIVEN,
        ClaimAction.FIRST_APPROVAL,
        ClaimAction.APPROVED,
        ClaimAction.PAID,
    ]


def test_rejecting_needs_a_reason_on_the_page(client, setting, claim):
    client.force_login(setting.commissioner)
    address = reverse("claims:claim-action", args=[claim.pk, "reject"])
    assert "Give the reason for rejecting the claim" in client.post(address, {"reason": ""}).content.decode()
    assert client.post(address, {"reason": "Wrong period"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.REJECTED


def test_the_school_withdraws_and_may_claim_the_time_again(client, setting, claim):
    client.force_login(setting.head)
    assert client.post(reverse("claims:claim-action", args=[claim.pk, "withdraw"])).status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.WITHDRAWN
    start, end = setting.period()
    assert "Check your claim" in period_page(client, setting, start, end)


def test_a_change_the_state_no_longer_allows_is_shown_as_an_error(client, setting, claim):
    services.withdraw(claim, actor=setting.head)
    client.force_login(setting.commissioner)
    response = client.post(reverse("claims:claim-action", args=[claim.pk, "approve"]))
    assert response.status_code == 200
    assert "This claim is withdrawn, so it cannot be approved." in response.content.decode()


def test_the_deployments_claims_show_its_days_and_link_to_the_deployment_only_for_those_who_see_it(
    client, setting, claim
):
    address = reverse("claims:deployment", args=[setting.deployment.pk])
    deployment_page = reverse("deployments:deployment-detail", args=[setting.deployment.pk])
    client.force_login(setting.head)
    page = client.get(address).content.decode()
    assert deployment_page in page
    assert "Days claimed" in page
    assert claim.reference in page
    client.force_login(setting.business_manager)
    page = client.get(address).content.decode()
    assert deployment_page not in page
    assert "Make a claim" in page
    client.force_login(setting.commissioner)
    assert "Make a claim" not in client.get(address).content.decode()


@pytest.mark.parametrize(
    "persona, linked",
    [("commissioner", True), ("head", True), ("supported_head", True), ("broker", True), ("leader", False)],
)
def test_the_deployment_page_links_to_its_claims_for_those_who_see_them(
    client, setting, personas, persona, linked
):
    client.force_login(personas[persona])
    page = client.get(reverse("deployments:deployment-detail", args=[setting.deployment.pk])).content.decode()
    assert (reverse("claims:deployment", args=[setting.deployment.pk]) in page) == linked
