"""Support-request pages: who may open each, raising a request through the form, the ranked
candidates with reasons and exclusions, the shortlist, proposing, withdrawing and closing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.choices import PriorityReason, RequestStatus, ShortlistStatus
from brokerage.models import SupportRequest
from deployments.choices import DeploymentState
from deployments.models import Deployment
from designations.choices import DesignationStatus
from designations.models import DesignationType
from schools.choices import Grade
from tests.factories import SchoolFactory, graded_inspection
from tests.factories.brokerage import ShortlistEntryFactory, SupportRequestFactory
from tests.factories.designations import DesignationFactory, SpecialismFactory


@pytest.fixture
def lle(db):
    return DesignationType.objects.get(code="LLE")


@pytest.fixture
def support_request(home_school, home_la_org, lle):
    return SupportRequestFactory(
        school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle]
    )


@pytest.fixture
def candidate(lle, home_school):
    return DesignationFactory(
        designation_type=lle,
        availability_days_per_week=Decimal("2"),
        school=SchoolFactory(
            name="Candidate Primary", easting=home_school.easting + 4000, northing=home_school.northing
        ),
    )


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona, status",
    [
        ("national_admin", 200),
        ("la_officer", 200),
        ("commissioner", 200),
        ("school_leader", 200),
        # The teaching school in the fixtures is home_school itself: its lead acts for the school.
        ("teaching_school_lead", 200),
        ("other_la_officer", 404),
        ("associate", 404),
        ("outsider", 404),
    ],
)
def test_who_sees_a_request(client, request, support_request, persona, status):
    response = signed_in(client, request.getfixturevalue(persona)).get(
        reverse("brokerage:request-detail", args=[support_request.pk])
    )
    assert response.status_code == status


def test_signed_out_people_are_sent_to_sign_in(client, support_request):
    for url in (
        reverse("brokerage:request-list"),
        reverse("brokerage:request-detail", args=[support_request.pk]),
        reverse("brokerage:request-new"),
        reverse("brokerage:risk-list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response.url


@pytest.mark.parametrize(
    "persona, status",
    [
        ("national_admin", 403),
        ("la_officer", 200),
        ("commissioner", 200),
        ("school_leader", 403),
        ("other_la_officer", 200),
        ("teaching_school_lead", 403),
        ("associate", 403),
        ("outsider", 403),
    ],
)
def test_who_may_raise_a_request(client, request, persona, status):
    response = signed_in(client, request.getfixturevalue(persona)).get(reverse("brokerage:request-new"))
    assert response.status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [
        ("la_officer", 200),
        ("teaching_school_lead", 200),
        ("associate", 200),
        ("commissioner", 403),
        ("school_leader", 403),
        ("outsider", 403),
    ],
)
def test_who_has_a_broker_queue(client, request, persona, status):
    response = signed_in(client, request.getfixturevalue(persona)).get(reverse("brokerage:broker-queue"))
    assert response.status_code == status


def test_the_list_shows_only_visible_requests(
    client, commissioner, support_request, other_school, other_la_org
):
    hidden = SupportRequestFactory(
        school=other_school, commissioner=other_la_org, broker=other_la_org, title="Suffolk only"
    )
    body = signed_in(client, commissioner).get(reverse("brokerage:request-list")).content.decode()
    assert support_request.title in body
    assert hidden.title not in body


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_at_any_size(
    client, la_officer, home_school, home_la_org, lle, count, django_assert_max_num_queries
):
    for _ in range(count):
        SupportRequestFactory(
            school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle]
        )
    signed_in(client, la_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("brokerage:request-list"))
    assert response.status_code == 200


def test_the_broker_queue_lists_waiting_requests_with_their_age(client, la_officer, support_request):
    SupportRequest.objects.filter(pk=support_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    body = signed_in(client, la_officer).get(reverse("brokerage:broker-queue")).content.decode()
    assert support_request.title in body
    assert "9 days" in body


def test_choosing_a_school_offers_only_schools_the_user_commissions_for(
    client, commissioner, home_school, other_school
):
    body = signed_in(client, commissioner).get(reverse("brokerage:request-new")).content.decode()
    assert home_school.name in body
    assert other_school.name not in body
    response = client.get(reverse("brokerage:request-new-for-school", args=[other_school.urn]))
    assert response.status_code == 404


def form_data(broker, lle, **overrides):
    data = {
        "commissioner": broker.pk,
        "title": "Reading",
        "needs_description": "Reading results fell.",
        "designation_types": [lle.pk],
        "funded_by": "commissioner",
        "broker": broker.pk,
        "preferred_start_on": "",
        "budget": "5000",
    }
    return {**data, **overrides}


def test_raising_a_request_through_the_form(client, commissioner, home_school, home_la_org, lle):
    url = reverse("brokerage:request-new-for-school", args=[home_school.urn])
    response = signed_in(client, commissioner).post(url, form_data(home_la_org, lle))
    support_request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("brokerage:request-detail", args=[support_request.pk])
    assert support_request.school == home_school and support_request.raised_by == commissioner
    assert support_request.budget == Decimal("5000")


def test_suggested_priority_reasons_are_ticked_with_their_evidence(client, commissioner, home_school):
    graded_inspection(home_school, Grade.INADEQUATE)
    body = (
        signed_in(client, commissioner)
        .get(reverse("brokerage:request-new-for-school", args=[home_school.urn]))
        .content.decode()
    )
    assert f'value="{PriorityReason.OFSTED_CONCERN}"' in body
    assert "Suggested: Inspected on" in body
    tag = body.split(f'value="{PriorityReason.OFSTED_CONCERN}"')[1].split(">")[0]
    assert "checked" in tag


def test_a_type_that_does_not_fit_is_an_error_on_the_field(client, commissioner, home_school, home_la_org):
    nle = DesignationType.objects.get(code="NLE")
    url = reverse("brokerage:request-new-for-school", args=[home_school.urn])
    response = signed_in(client, commissioner).post(url, form_data(home_la_org, nle))
    assert response.status_code == 200
    assert "priority for support" in response.context["form"].errors["designation_types"][0]
    assert not SupportRequest.objects.exists()


def test_a_broker_the_rules_do_not_allow_is_an_error_on_the_broker(
    client, commissioner, home_school, home_la_org
):
    sle = DesignationType.objects.get(code="SLE")
    url = reverse("brokerage:request-new-for-school", args=[home_school.urn])
    response = signed_in(client, commissioner).post(url, form_data(home_la_org, sle))
    assert "cannot broker SLE" in response.context["form"].errors["broker"][0]


def test_missing_fields_are_reported_on_the_fields(client, commissioner, home_school, home_la_org, lle):
    url = reverse("brokerage:request-new-for-school", args=[home_school.urn])
    response = signed_in(client, commissioner).post(
        url, form_data(home_la_org, lle, title="", designation_types=[], funded_by="other", budget="lots")
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["Enter a title"]
    assert errors["designation_types"] == ["Choose at least one kind of system leader"]
    assert errors["funder_name"] == ["Enter the name of the funder"]
    assert "budget" in errors


def test_the_broker_sees_ranked_candidates_with_reasons_and_exclusions(
    client, la_officer, support_request, candidate, lle, home_school
):
    maths = SpecialismFactory(name="Maths", slug="maths")
    support_request.needs.set([maths])
    candidate.specialisms.set([maths])
    suspended = DesignationFactory(designation_type=lle, status=DesignationStatus.SUSPENDED)
    conflicted = DesignationFactory(designation_type=lle, school=home_school)

    body = (
        signed_in(client, la_officer)
        .get(reverse("brokerage:request-detail", args=[support_request.pk]))
        .content.decode()
    )

    assert "1. " in body and str(candidate.holder) in body
    assert "Specialisms match the needs: Maths." in body
    assert "4.0 km from the school." in body
    assert f"Propose {candidate.holder}" in body
    assert "Suspended: the designation is suspended." in body and str(suspended.holder) in body
    assert "Conflict of interest: they work at" in body and str(conflicted.holder) in body


def test_people_who_are_not_the_broker_see_no_candidates(client, commissioner, support_request, candidate):
    body = (
        signed_in(client, commissioner)
        .get(reverse("brokerage:request-detail", args=[support_request.pk]))
        .content.decode()
    )
    assert "Candidates" not in body and str(candidate.holder) not in body


@pytest.mark.parametrize("count", [2, 12])
def test_the_candidates_cost_the_same_queries_at_any_size(
    client, la_officer, support_request, lle, count, django_assert_max_num_queries
):
    for _ in range(count):
        DesignationFactory(designation_type=lle, availability_days_per_week=Decimal("1"))
    signed_in(client, la_officer)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("brokerage:request-detail", args=[support_request.pk]))
    assert len(response.context["matching"].ranked) == count


def test_shortlist_then_propose(client, la_officer, support_request, candidate):
    signed_in(client, la_officer)
    client.post(reverse("brokerage:shortlist-add", args=[support_request.pk, candidate.pk]))
    entry = support_request.shortlist.get()
    client.post(reverse("brokerage:shortlist-entry", args=[support_request.pk, entry.pk, "contacted"]))
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.CONTACTED

    response = client.post(reverse("brokerage:propose", args=[support_request.pk, candidate.pk]))

    deployment = Deployment.objects.get()
    assert response.url == reverse("deployments:deployment-detail", args=[deployment.pk])
    assert deployment.state == DeploymentState.PROPOSED
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.PROPOSED


def test_only_the_broker_shortlists_or_proposes(
    client, commissioner, other_la_officer, support_request, candidate
):
    for user, status in ((commissioner, 403), (other_la_officer, 404)):
        client.force_login(user)
        assert (
            client.post(reverse("brokerage:propose", args=[support_request.pk, candidate.pk])).status_code
            == status
        )
        assert (
            client.post(
                reverse("brokerage:shortlist-add", args=[support_request.pk, candidate.pk])
            ).status_code
            == status
        )
    assert not Deployment.objects.exists()


def test_a_teaching_school_cannot_broker_another_pools_sle(
    client, teaching_school_lead, teaching_school_org, home_school, home_la_org
):
    from accounts.choices import OrganisationKind
    from tests.factories import OrganisationFactory

    sle = DesignationType.objects.get(code="SLE")
    other_pool = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Other TS", school=SchoolFactory()
    )
    theirs = DesignationFactory(
        designation_type=sle, designating_organisation=other_pool, availability_days_per_week=1
    )
    support_request = SupportRequestFactory(
        school=SchoolFactory(local_authority=home_school.local_authority),
        commissioner=home_la_org,
        broker=teaching_school_org,
        designation_types=[sle],
    )
    signed_in(client, teaching_school_lead)
    body = client.get(reverse("brokerage:request-detail", args=[support_request.pk])).content.decode()
    assert str(theirs.holder) not in body
    client.post(reverse("brokerage:propose", args=[support_request.pk, theirs.pk]), follow=True)
    assert not Deployment.objects.exists()


def test_an_excluded_leader_cannot_be_proposed_and_the_reason_is_shown(
    client, la_officer, support_request, lle, home_school
):
    conflicted = DesignationFactory(designation_type=lle, school=home_school, availability_days_per_week=1)
    response = signed_in(client, la_officer).post(
        reverse("brokerage:propose", args=[support_request.pk, conflicted.pk]), follow=True
    )
    assert "Conflict of interest" in response.content.decode()
    assert not Deployment.objects.exists()


def test_withdrawing_asks_for_confirmation_and_a_reason(client, commissioner, la_officer, support_request):
    url = reverse("brokerage:request-withdraw", args=[support_request.pk])
    signed_in(client, la_officer)  # an LA officer of the commissioning LA counts as commissioner too
    signed_in(client, commissioner)
    assert "Are you sure" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Enter the reason"]
    client.post(url, {"reason": "Found support elsewhere."})
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.WITHDRAWN


def test_closing_is_for_the_broker(client, la_officer, school_leader, support_request):
    url = reverse("brokerage:request-close", args=[support_request.pk])
    assert signed_in(client, school_leader).get(url).status_code == 403
    signed_in(client, la_officer).post(url, {"reason": "Nobody is available this term."})
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.CLOSED


def test_shortlist_entries_of_another_request_are_not_found(
    client, la_officer, support_request, home_school, home_la_org
):
    other = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    entry = ShortlistEntryFactory(request=other)
    response = signed_in(client, la_officer).post(
        reverse("brokerage:shortlist-entry", args=[support_request.pk, entry.pk, "declined"])
    )
    assert response.status_code == 404
