"""Support-request pages: who may open each, the lists and their filters, raising a request through
the form, the ranked candidates with reasons and exclusions, the shortlist, proposing, withdrawing
and closing."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from brokerage.choices import Funder, PriorityReason, RequestStatus, ShortlistStatus
from brokerage.models import RequestTransition, SupportRequest
from deployments.choices import DeploymentState
from deployments.models import Deployment
from designations.choices import DesignationStatus
from designations.models import DesignationType
from schools.choices import Grade
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SchoolFactory,
    UserFactory,
    graded_inspection,
)
from tests.factories.brokerage import ShortlistEntryFactory, SupportRequestFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import DesignationFactory

PERSONAS = [
    "national_admin",
    "la_officer",
    "other_la_officer",
    "teaching_school_lead",
    "school_leader",
    "commissioner",
    "associate",
    "outsider",
]


def signed_in(client, user):
    client.force_login(user)
    return client


def page(client, url_name, *args) -> str:
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    return response.content.decode()


# --- who may open what ---------------------------------------------------------------------------


@pytest.fixture
def urls(support_request, candidate, lle_type, home_school):
    """Every support-request page, as (method, url), for the request Norfolk brokers."""
    entry = ShortlistEntryFactory(
        request=support_request, designation=DesignationFactory(designation_type=lle_type)
    )
    pk = support_request.pk
    return {
        "request-list": ("get", reverse("brokerage:request-list")),
        "broker-queue": ("get", reverse("brokerage:broker-queue")),
        "request-new": ("get", reverse("brokerage:request-new")),
        "request-new-for-school": (
            "get",
            reverse("brokerage:request-new-for-school", args=[home_school.urn]),
        ),
        "request-detail": ("get", reverse("brokerage:request-detail", args=[pk])),
        "request-withdraw": ("get", reverse("brokerage:request-withdraw", args=[pk])),
        "request-close": ("get", reverse("brokerage:request-close", args=[pk])),
        "shortlist-add": ("post", reverse("brokerage:shortlist-add", args=[pk, candidate.pk])),
        "propose": ("post", reverse("proposals:propose", args=[pk, candidate.pk])),
        "shortlist-entry": ("post", reverse("brokerage:shortlist-entry", args=[pk, entry.pk, "contacted"])),
    }


# The status each persona gets from each page. The teaching school in the fixtures is home_school
# itself, so its lead acts for the supported school (sees the request, cannot change it).
ALLOWED = {"get": 200, "post": 302}
MATRIX = {
    "request-list": dict.fromkeys(PERSONAS, "ok"),
    "broker-queue": {
        "national_admin": 403, "la_officer": "ok", "other_la_officer": "ok", "teaching_school_lead": "ok",
        "school_leader": 403, "commissioner": 403, "associate": "ok", "outsider": 403,
    },
    "request-new": {
        "national_admin": 403, "la_officer": "ok", "other_la_officer": "ok", "teaching_school_lead": 403,
        "school_leader": 403, "commissioner": "ok", "associate": 403, "outsider": 403,
    },
    "request-new-for-school": {
        "national_admin": 403, "la_officer": "ok", "other_la_officer": 404, "teaching_school_lead": 403,
        "school_leader": 403, "commissioner": "ok", "associate": 403, "outsider": 403,
    },
    "request-detail": {
        "national_admin": "ok", "la_officer": "ok", "other_la_officer": 404, "teaching_school_lead": "ok",
        "school_leader": "ok", "commissioner": "ok", "associate": 404, "outsider": 404,
    },
    "request-withdraw": {
        "national_admin": 403, "la_officer": "ok", "other_la_officer": 404, "teaching_school_lead": 403,
        "school_leader": 403, "commissioner": "ok", "associate": 404, "outsider": 404,
    },
}  # fmt: skip
BROKER_ONLY = {
    "national_admin": 403, "la_officer": "ok", "other_la_officer": 404, "teaching_school_lead": 403,
    "school_leader": 403, "commissioner": 403, "associate": 404, "outsider": 404,
}  # fmt: skip
for _name in ("request-close", "shortlist-add", "propose", "shortlist-entry"):
    MATRIX[_name] = BROKER_ONLY


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(client, request, urls, name, persona):
    method, url = urls[name]
    expected = MATRIX[name][persona]
    response = getattr(signed_in(client, request.getfixturevalue(persona)), method)(url)
    assert response.status_code == (ALLOWED[method] if expected == "ok" else expected)


@pytest.mark.parametrize("name", list(MATRIX))
def test_signed_out_people_are_sent_to_sign_in(client, urls, name):
    method, url = urls[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "sign-in" in response.url
    assert not Deployment.objects.exists()


def test_refused_actions_change_nothing(client, commissioner, other_la_officer, support_request, candidate):
    for user in (commissioner, other_la_officer):
        signed_in(client, user)
        client.post(reverse("proposals:propose", args=[support_request.pk, candidate.pk]))
        client.post(reverse("brokerage:shortlist-add", args=[support_request.pk, candidate.pk]))
        client.post(reverse("brokerage:request-close", args=[support_request.pk]), {"reason": "No."})
    assert not Deployment.objects.exists() and not support_request.shortlist.exists()
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.OPEN


# --- the lists ---------------------------------------------------------------------------------------


def test_the_list_shows_only_visible_requests(
    client, commissioner, support_request, other_school, other_la_org
):
    hidden = SupportRequestFactory(
        school=other_school, commissioner=other_la_org, broker=other_la_org, title="Suffolk only"
    )
    body = page(signed_in(client, commissioner), "brokerage:request-list")
    assert support_request.title in body
    assert hidden.title not in body


def test_the_list_is_newest_first(client, la_officer, home_school, home_la_org):
    older = SupportRequestFactory(school=home_school, commissioner=home_la_org, title="Older request")
    newer = SupportRequestFactory(school=home_school, commissioner=home_la_org, title="Newer request")
    SupportRequest.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    body = page(signed_in(client, la_officer), "brokerage:request-list")
    assert body.index(newer.title) < body.index(older.title)


@pytest.fixture
def two_requests(home_school, home_la, home_la_org, lle_type, sle_type):
    reading = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, title="Reading at Home", designation_types=[lle_type]
    )
    maths = SupportRequestFactory(
        school=SchoolFactory(local_authority=home_la, name="Riverside Academy"),
        commissioner=home_la_org,
        title="Maths at Riverside",
        status=RequestStatus.CLOSED,
        designation_types=[sle_type],
    )
    return reading, maths


@pytest.mark.parametrize(
    "query, shown",
    [
        ("q=riverside", "maths"),
        ("q=Home+Primary", "reading"),
        ("status=closed", "maths"),
        ("status=open", "reading"),
        ("designation_type=SLE", "maths"),
        ("designation_type=LLE", "reading"),
    ],
)
def test_the_list_filters_by_school_status_and_type(client, la_officer, two_requests, query, shown):
    reading, maths = two_requests
    body = signed_in(client, la_officer).get(f"{reverse('brokerage:request-list')}?{query}").content.decode()
    wanted, other = (maths, reading) if shown == "maths" else (reading, maths)
    assert wanted.title in body and other.title not in body


def test_the_school_search_takes_a_urn(client, la_officer, two_requests, home_school):
    reading, maths = two_requests
    body = (
        signed_in(client, la_officer)
        .get(f"{reverse('brokerage:request-list')}?q={home_school.urn}")
        .content.decode()
    )
    assert reading.title in body and maths.title not in body


def test_a_filter_that_matches_nothing_says_so(client, la_officer, two_requests):
    body = (
        signed_in(client, la_officer).get(f"{reverse('brokerage:request-list')}?q=nowhere").content.decode()
    )
    assert "No requests match your filters" in body


def test_the_list_is_paginated(client, la_officer, home_school, home_la_org):
    SupportRequestFactory.create_batch(26, school=home_school, commissioner=home_la_org)
    signed_in(client, la_officer)
    first = client.get(reverse("brokerage:request-list"))
    second = client.get(reverse("brokerage:request-list") + "?page=2")
    assert len(first.context["support_requests"]) == 25 and len(second.context["support_requests"]) == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_at_any_size(
    client, la_officer, home_school, home_la_org, lle_type, count, django_assert_max_num_queries
):
    for _ in range(count):
        SupportRequestFactory(
            school=home_school, commissioner=home_la_org, broker=home_la_org, designation_types=[lle_type]
        )
    signed_in(client, la_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("brokerage:request-list") + "?q=Home&designation_type=LLE")
    assert len(response.context["support_requests"]) == count


def test_the_broker_queue_lists_waiting_requests_oldest_first_with_their_age(
    client, la_officer, support_request, home_school, home_la_org
):
    SupportRequest.objects.filter(pk=support_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=9)
    )
    newer = SupportRequestFactory(school=home_school, commissioner=home_la_org, title="Just raised")
    done = SupportRequestFactory(
        school=home_school, commissioner=home_la_org, title="Already closed", status=RequestStatus.CLOSED
    )
    body = page(signed_in(client, la_officer), "brokerage:broker-queue")
    assert "9 days" in body
    assert body.index(support_request.title) < body.index(newer.title)
    assert done.title not in body


def test_the_broker_queue_shows_only_the_users_own_brokering(
    client, other_la_officer, support_request, other_school, other_la_org
):
    theirs = SupportRequestFactory(school=other_school, commissioner=other_la_org, title="Suffolk reading")
    body = page(signed_in(client, other_la_officer), "brokerage:broker-queue")
    assert theirs.title in body and support_request.title not in body


@pytest.mark.parametrize("count", [2, 20])
def test_the_broker_queue_costs_the_same_at_any_size(
    client, la_officer, home_school, home_la_org, lle_type, count, django_assert_max_num_queries
):
    SupportRequestFactory.create_batch(
        count, school=home_school, commissioner=home_la_org, designation_types=[lle_type]
    )
    signed_in(client, la_officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("brokerage:broker-queue")).status_code == 200


# --- raising a request ---------------------------------------------------------------------------------


def test_choosing_a_school_offers_only_schools_the_user_commissions_for(
    client, commissioner, home_school, other_school
):
    body = page(signed_in(client, commissioner), "brokerage:request-new")
    assert home_school.name in body
    assert other_school.name not in body
    response = client.get(reverse("brokerage:request-new-for-school", args=[other_school.urn]))
    assert response.status_code == 404


def test_choosing_a_school_searches_by_name_or_urn(client, commissioner, home_school, home_la):
    riverside = SchoolFactory(local_authority=home_la, name="Riverside Academy")
    signed_in(client, commissioner)
    by_name = client.get(reverse("brokerage:request-new") + "?q=river").content.decode()
    assert riverside.name in by_name and home_school.name not in by_name
    by_urn = client.get(reverse("brokerage:request-new") + f"?q={home_school.urn}").content.decode()
    assert home_school.name in by_urn and riverside.name not in by_urn
    nothing = client.get(reverse("brokerage:request-new") + "?q=zzz").content.decode()
    assert "No school you can commission for matches" in nothing


def form_data(organisation, designation_type, **overrides):
    """Norfolk (``organisation``) commissions and brokers, unless overridden."""
    data = {
        "commissioner": organisation.pk,
        "title": "Reading",
        "needs_description": "Reading results fell.",
        "designation_types": [designation_type.pk],
        "funded_by": "commissioner",
        "broker": organisation.pk,
        "preferred_start_on_day": "",
        "preferred_start_on_month": "",
        "preferred_start_on_year": "",
        "budget": "5000",
    }
    return {**data, **overrides}


def raise_url(school) -> str:
    return reverse("brokerage:request-new-for-school", args=[school.urn])


def test_raising_an_lle_request_through_the_form(
    client, commissioner, home_school, home_la_org, lle_type, maths
):
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = form_data(
        home_la_org,
        lle_type,
        needs=[maths.pk],
        priority_reasons=[PriorityReason.VULNERABLE],
        preferred_start_on_day=str(start.day),
        preferred_start_on_month=str(start.month),
        preferred_start_on_year=str(start.year),
        funded_by=Funder.OTHER,
        funder_name="Opportunity Area",
    )
    response = signed_in(client, commissioner).post(raise_url(home_school), data)

    support_request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("brokerage:request-detail", args=[support_request.pk])
    assert support_request.school == home_school and support_request.raised_by == commissioner
    assert support_request.commissioner == home_la_org and support_request.broker == home_la_org
    assert list(support_request.designation_types.all()) == [lle_type]
    assert list(support_request.needs.all()) == [maths]
    assert support_request.priority_reasons == [PriorityReason.VULNERABLE]
    assert support_request.preferred_start_on == start
    assert support_request.budget == Decimal("5000")
    assert (support_request.funded_by, support_request.funder_name) == (Funder.OTHER, "Opportunity Area")
    body = client.get(response.url).content.decode()
    assert "Request raised." in body and "Opportunity Area" in body and "Maths" in body


def test_raising_an_sle_request_for_a_teaching_school_to_broker(
    client, commissioner, home_school, home_la_org, teaching_school_org, sle_type
):
    data = form_data(home_la_org, sle_type, broker=teaching_school_org.pk)
    response = signed_in(client, commissioner).post(raise_url(home_school), data)
    assert response.status_code == 302
    assert SupportRequest.objects.get().broker == teaching_school_org


def test_the_only_commissioning_organisation_is_chosen_already(
    client, commissioner, home_school, home_la_org
):
    response = signed_in(client, commissioner).get(raise_url(home_school))
    assert response.context["form"]["commissioner"].value() == home_la_org.pk


def test_suggested_priority_reasons_are_ticked_with_their_evidence(client, commissioner, home_school):
    graded_inspection(home_school, Grade.INADEQUATE)
    body = page(signed_in(client, commissioner), "brokerage:request-new-for-school", home_school.urn)
    assert f'value="{PriorityReason.OFSTED_CONCERN}"' in body
    assert "Suggested: Inspected on" in body
    tag = body.split(f'value="{PriorityReason.OFSTED_CONCERN}"')[1].split(">")[0]
    assert "checked" in tag
    unticked = body.split(f'value="{PriorityReason.VULNERABLE}"')[1].split(">")[0]
    assert "checked" not in unticked


def test_only_types_that_are_brokered_to_people_are_offered(client, commissioner, home_school, home_la_org):
    teaching_school_type = DesignationType.objects.get(code="TS")
    signed_in(client, commissioner)
    offered = client.get(raise_url(home_school)).context["form"].fields["designation_types"].queryset
    assert set(offered.values_list("code", flat=True)) == {"LLE", "NLE", "NLG", "SLE"}
    response = client.post(raise_url(home_school), form_data(home_la_org, teaching_school_type))
    assert "Select a valid choice" in response.context["form"].errors["designation_types"][0]
    assert not SupportRequest.objects.exists()


def test_the_broker_list_offers_organisations_that_may_broker(
    client, commissioner, home_school, home_la_org, teaching_school_org, national_body, school_leader
):
    signed_in(client, commissioner)
    offered = set(client.get(raise_url(home_school)).context["form"].fields["broker"].queryset)
    assert {home_la_org, teaching_school_org, national_body} <= offered
    assert all(o.kind != OrganisationKind.SCHOOL for o in offered)


def test_a_type_that_does_not_fit_is_an_error_on_the_field(client, commissioner, home_school, home_la_org):
    nle = DesignationType.objects.get(code="NLE")
    response = signed_in(client, commissioner).post(raise_url(home_school), form_data(home_la_org, nle))
    assert response.status_code == 200
    assert "priority for support" in response.context["form"].errors["designation_types"][0]
    assert "There is a problem" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_a_broker_the_rules_do_not_allow_for_an_sle_is_an_error_on_the_broker(
    client, commissioner, home_school, home_la_org, sle_type
):
    response = signed_in(client, commissioner).post(raise_url(home_school), form_data(home_la_org, sle_type))
    assert "cannot broker SLE" in response.context["form"].errors["broker"][0]
    assert not SupportRequest.objects.exists()


def test_a_school_outside_the_commissioners_area_is_an_error_on_the_commissioner(
    client, home_la_org, other_school, lle_type
):
    """Someone who commissions for Norfolk and for a Suffolk school cannot have Norfolk commission
    support for that school."""
    user = UserFactory()
    MembershipFactory(user=user, organisation=home_la_org, role=Role.COMMISSIONER)
    suffolk_school = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=other_school.name, school=other_school
    )
    MembershipFactory(user=user, organisation=suffolk_school, role=Role.COMMISSIONER)

    response = signed_in(client, user).post(raise_url(other_school), form_data(home_la_org, lle_type))

    assert (
        "cannot commission support for Other Primary School"
        in response.context["form"].errors["commissioner"][0]
    )
    assert not SupportRequest.objects.exists()


def test_missing_and_bad_fields_are_reported_on_the_fields(
    client, commissioner, home_school, home_la_org, lle_type
):
    response = signed_in(client, commissioner).post(
        raise_url(home_school),
        form_data(home_la_org, lle_type, title="", designation_types=[], funded_by="other", budget="lots"),
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["Enter a title"]
    assert errors["designation_types"] == ["Choose at least one kind of system leader"]
    assert errors["funder_name"] == ["Enter the name of the funder"]
    assert "budget" in errors


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("", "3", "2027", "Preferred start date must include a day"),
        ("31", "2", "2027", "Preferred start date must be a real date"),
        ("1", "3", "27", "Preferred start date must be a real date"),
    ],
)
def test_the_start_date_is_checked(
    client, commissioner, home_school, home_la_org, lle_type, day, month, year, message
):
    data = form_data(
        home_la_org,
        lle_type,
        preferred_start_on_day=day,
        preferred_start_on_month=month,
        preferred_start_on_year=year,
    )
    response = signed_in(client, commissioner).post(raise_url(home_school), data)
    assert response.context["form"].errors["preferred_start_on"] == [message]
    body = response.content.decode()
    assert f'name="preferred_start_on_month" type="text" inputmode="numeric" value="{month}"' in body


# --- the request page and the broker's work ----------------------------------------------------------


def test_the_request_page_summarises_the_request(client, commissioner, support_request, maths):
    support_request.needs.set([maths])
    SupportRequest.objects.filter(pk=support_request.pk).update(priority_reasons=[PriorityReason.NEW_HEAD])
    body = page(signed_in(client, commissioner), "brokerage:request-detail", support_request.pk)
    assert support_request.title in body and "Norfolk County Council" in body
    assert "Local leader of education (LLE)" in body and "Maths" in body
    assert PriorityReason.NEW_HEAD.label in body
    assert "No leader has been proposed yet." in body
    assert "Withdraw the request" in body and "Close without support" not in body


def test_the_broker_sees_ranked_candidates_with_reasons_and_exclusions(
    client, la_officer, support_request, candidate, lle_type, home_school, maths
):
    support_request.needs.set([maths])
    candidate.specialisms.set([maths])
    second = DesignationFactory(designation_type=lle_type, availability_days_per_week=Decimal("1"))
    suspended = DesignationFactory(designation_type=lle_type, status=DesignationStatus.SUSPENDED)
    conflicted = DesignationFactory(designation_type=lle_type, school=home_school)
    untrained = DesignationFactory(designation_type=lle_type, training_completed_on=None)
    busy = DesignationFactory(designation_type=lle_type, availability_days_per_week=Decimal("1"))
    DeploymentFactory(designation=busy, days_per_week=Decimal("1"))

    response = signed_in(client, la_officer).get(
        reverse("brokerage:request-detail", args=[support_request.pk])
    )
    body = response.content.decode()

    assert [c.designation for c in response.context["ranked"]] == [candidate, second]
    assert "1. <a" in body and "2. <a" in body
    assert body.index(str(candidate.holder)) < body.index(str(second.holder))
    assert "Specialisms match the needs: Maths." in body
    assert "4.0 km from the school." in body
    assert "2 of 2 days a week free." in body
    assert "score " in body
    assert f"Propose {candidate.holder}" in body and "Add to shortlist" in body
    assert "Not available" in body
    for excluded, reason in (
        (suspended, "Suspended: the designation is suspended."),
        (conflicted, "Conflict of interest: they work at Home Primary School"),
        (untrained, "Not yet trained: the LLE training is not all recorded."),
        (busy, "Over capacity: no time free between"),
    ):
        assert str(excluded.holder) in body and reason in body
        assert f"Propose {excluded.holder}" not in body


def test_people_who_are_not_the_broker_see_no_candidates(client, commissioner, support_request, candidate):
    body = page(signed_in(client, commissioner), "brokerage:request-detail", support_request.pk)
    assert "Candidates" not in body and str(candidate.holder) not in body


def test_no_candidates_is_said_plainly(client, la_officer, support_request):
    body = page(signed_in(client, la_officer), "brokerage:request-detail", support_request.pk)
    assert "No leader is available for this request at the moment." in body


@pytest.mark.parametrize("count", [2, 12])
def test_the_candidates_cost_the_same_queries_at_any_size(
    client, la_officer, support_request, lle_type, count, django_assert_max_num_queries
):
    for _ in range(count):
        leader = DesignationFactory(designation_type=lle_type, availability_days_per_week=Decimal("1"))
        ShortlistEntryFactory(request=support_request, designation=leader)
        DesignationFactory(designation_type=lle_type, training_completed_on=None)
    signed_in(client, la_officer)
    # 15: one of them reads the schools the broker works at (nobody brokers for their own school).
    with django_assert_max_num_queries(15):
        response = client.get(reverse("brokerage:request-detail", args=[support_request.pk]))
    assert len(response.context["matching"].ranked) == count
    assert len(response.context["matching"].excluded) == count
    assert len(response.context["shortlist"]) == count


def test_shortlist_contact_decline_then_propose(client, la_officer, support_request, candidate, lle_type):
    other = DesignationFactory(designation_type=lle_type, availability_days_per_week=Decimal("1"))
    signed_in(client, la_officer)
    client.post(reverse("brokerage:shortlist-add", args=[support_request.pk, candidate.pk]))
    client.post(reverse("brokerage:shortlist-add", args=[support_request.pk, other.pk]))
    entry, other_entry = support_request.shortlist.order_by("pk")
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.SHORTLISTING

    client.post(reverse("brokerage:shortlist-entry", args=[support_request.pk, entry.pk, "contacted"]))
    client.post(
        reverse("brokerage:shortlist-decline", args=[support_request.pk, other_entry.pk]),
        {"reason": "No time this term."},
    )
    entry.refresh_from_db(), other_entry.refresh_from_db()
    assert (entry.status, other_entry.status) == (ShortlistStatus.CONTACTED, ShortlistStatus.DECLINED)
    body = page(client, "brokerage:request-detail", support_request.pk)
    assert "Contacted" in body and "Declined or unavailable" in body and "Mark contacted" in body

    response = client.post(reverse("proposals:propose", args=[support_request.pk, candidate.pk]))

    deployment = Deployment.objects.get()
    assert response.url == reverse("deployments:deployment-detail", args=[deployment.pk])
    assert (deployment.state, deployment.leader, deployment.broker) == (
        DeploymentState.PROPOSED,
        candidate.holder,
        support_request.broker,
    )
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.PROPOSED
    body = page(client, "brokerage:request-detail", support_request.pk)
    assert reverse("deployments:deployment-detail", args=[deployment.pk]) in body


def test_shortlisting_twice_is_refused_with_a_message(client, la_officer, support_request, candidate):
    signed_in(client, la_officer)
    url = reverse("brokerage:shortlist-add", args=[support_request.pk, candidate.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "is already on the shortlist" in response.content.decode()
    assert support_request.shortlist.count() == 1


def test_a_teaching_school_brokers_only_its_own_pools_sles(
    client, teaching_school_lead, teaching_school_org, home_la, home_la_org, sle_type
):
    other_pool = OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Other TS", school=SchoolFactory()
    )
    other_lead = MembershipFactory(organisation=other_pool, role=Role.TEACHING_SCHOOL_LEAD).user
    ours = DesignationFactory(
        designation_type=sle_type, designating_organisation=teaching_school_org, availability_days_per_week=1
    )
    theirs = DesignationFactory(
        designation_type=sle_type, designating_organisation=other_pool, availability_days_per_week=1
    )
    school = SchoolFactory(local_authority=home_la)
    our_request = SupportRequestFactory(
        school=school, commissioner=home_la_org, broker=teaching_school_org, designation_types=[sle_type]
    )
    their_request = SupportRequestFactory(
        school=school, commissioner=home_la_org, broker=other_pool, designation_types=[sle_type]
    )

    body = page(signed_in(client, other_lead), "brokerage:request-detail", their_request.pk)
    assert str(theirs.holder) in body and str(ours.holder) not in body
    client.post(reverse("proposals:propose", args=[their_request.pk, ours.pk]))

    body = page(signed_in(client, teaching_school_lead), "brokerage:request-detail", our_request.pk)
    assert str(ours.holder) in body and str(theirs.holder) not in body
    response = client.post(reverse("proposals:propose", args=[our_request.pk, theirs.pk]), follow=True)
    assert "cannot broker this SLE" in response.content.decode()
    assert not Deployment.objects.exists()


def test_withdrawing_asks_for_confirmation_and_a_reason(client, commissioner, support_request):
    url = reverse("brokerage:request-withdraw", args=[support_request.pk])
    signed_in(client, commissioner)
    assert "Are you sure you want to withdraw this request?" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Enter the reason"]
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.OPEN

    response = client.post(url, {"reason": "Found support elsewhere."}, follow=True)

    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.WITHDRAWN
    transition = RequestTransition.objects.get()
    assert (transition.actor, transition.reason) == (commissioner, "Found support elsewhere.")
    body = response.content.decode()
    assert "The request has been withdrawn." in body and "Found support elsewhere." in body
    assert "Withdraw the request" not in body
    assert client.get(url).status_code == 200  # the page still opens; the service refuses the change
    response = client.post(url, {"reason": "Again."})
    assert "cannot be moved" in response.content.decode()


def test_closing_without_support_is_for_the_broker(
    client, la_officer, school_leader, support_request, candidate
):
    url = reverse("brokerage:request-close", args=[support_request.pk])
    assert signed_in(client, school_leader).get(url).status_code == 403
    signed_in(client, la_officer)
    assert "Are you sure you want to close this request without support?" in client.get(url).content.decode()
    assert client.post(url, {"reason": " "}).context["form"].errors["reason"] == ["Enter the reason"]

    client.post(url, {"reason": "Nobody is available this term."})

    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.CLOSED
    body = page(client, "brokerage:request-detail", support_request.pk)
    assert "Nobody is available this term." in body and f"Propose {candidate.holder}" not in body


def test_the_shortlist_cannot_change_once_the_request_is_closed(
    client, la_officer, support_request, candidate
):
    entry = ShortlistEntryFactory(request=support_request, designation=candidate)
    SupportRequest.objects.filter(pk=support_request.pk).update(status=RequestStatus.CLOSED)
    response = signed_in(client, la_officer).post(
        reverse("brokerage:shortlist-entry", args=[support_request.pk, entry.pk, "contacted"]), follow=True
    )
    assert "This request is closed without support." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == ShortlistStatus.SHORTLISTED


def test_shortlist_entries_of_another_request_or_unknown_actions_are_not_found(
    client, la_officer, support_request, home_school, home_la_org
):
    other = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    entry = ShortlistEntryFactory(request=other)
    signed_in(client, la_officer)
    response = client.post(
        reverse("brokerage:shortlist-entry", args=[support_request.pk, entry.pk, "declined"])
    )
    assert response.status_code == 404
    own = ShortlistEntryFactory(request=support_request)
    response = client.post(reverse("brokerage:shortlist-entry", args=[support_request.pk, own.pk, "hired"]))
    assert response.status_code == 404


# --- a form posted twice is acted on once ----------------------------------------------------------


def token_of(response) -> str:
    found = re.search(r'name="submission_token" value="([^"]+)"', response.content.decode())
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_a_request_raised_twice_from_one_form_is_raised_once(
    client, commissioner, home_school, home_la_org, lle_type
):
    signed_in(client, commissioner)
    data = form_data(home_la_org, lle_type) | {
        "submission_token": token_of(client.get(raise_url(home_school)))
    }
    first, again = client.post(raise_url(home_school), data), client.post(raise_url(home_school), data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert SupportRequest.objects.filter(school=home_school).count() == 1


def test_the_withdrawal_page_says_the_proposals_end_with_the_request(
    client, commissioner, la_officer, support_request, candidate
):
    signed_in(client, la_officer).post(reverse("proposals:propose", args=[support_request.pk, candidate.pk]))
    body = page(signed_in(client, commissioner), "brokerage:request-withdraw", support_request.pk)
    assert f"{candidate.holder} is proposed for this request. Withdrawing it ends that proposal early" in body


# --- every number, date and text checked ---------------------------------------------------------


def start_on(day: str, month: str, year: str) -> dict:
    return {"preferred_start_on_day": day, "preferred_start_on_month": month, "preferred_start_on_year": year}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (start_on("1", "1", "0001"), "preferred_start_on", "The preferred start date must be between"),
        (start_on("31", "12", "9999"), "preferred_start_on", "The preferred start date must be between"),
        ({"budget": "-0"}, "budget", "The budget must be between £1 and £1,000,000, in pounds and pence"),
        ({"budget": "99999999999"}, "budget", "The budget must be between £1 and £1,000,000"),
        ({"needs_description": "x" * 1_000_000}, "needs_description",
         "What the school needs must be 5,000 characters or fewer"),
    ],
)
def test_the_request_form_refuses_numbers_dates_and_text_out_of_range(
    client, commissioner, home_school, home_la_org, lle_type, overrides, field, message
):
    data = form_data(home_la_org, lle_type, **overrides)
    response = signed_in(client, commissioner).post(raise_url(home_school), data)

    assert response.status_code == 200
    [error] = response.context["form"].errors[field]
    assert error.startswith(message) and "Ensure" not in error
    assert not SupportRequest.objects.exists()


def test_the_request_form_removes_right_to_left_overrides_from_the_title(
    client, commissioner, home_school, home_la_org, lle_type
):
    data = form_data(home_la_org, lle_type, title="Reading \u202etfel\u202c")
    response = signed_in(client, commissioner).post(raise_url(home_school), data)

    assert response.status_code == 302
    assert SupportRequest.objects.get().title == "Reading tfel"
