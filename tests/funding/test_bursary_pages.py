"""The bursary pages: national administrators only, every page; rates checked on the form; the
list filtered and paginated at a fixed number of queries; scheduling confirmed then run; and a
bursary scheduled, approved and paid through the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from designations.models import DesignationType
from funding.choices import BursaryState, FundingKind
from funding.models import Bursary, FundingRate, Payment
from funding.services import bursaries as service
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.designations import DesignationFactory

pytestmark = pytest.mark.django_db
THIS_YEAR = service.financial_year_of(timezone.localdate())


@pytest.fixture
def nle():
    return DesignationType.objects.get(code="NLE")


@pytest.fixture
def nss_rate(nle):
    return FundingRate.objects.create(
        kind=FundingKind.NSS_BURSARY, designation_type=nle, year=THIS_YEAR, annual_amount=Decimal("10000")
    )


@pytest.fixture
def bursary(nss_rate, nle, home_school):
    DesignationFactory(designation_type=nle, school=home_school, designated_on=datetime.date(2015, 1, 1))
    service.schedule_bursaries(THIS_YEAR)
    return Bursary.objects.get()


@pytest.fixture
def second_admin(national_body):
    return MembershipFactory(organisation=national_body, role=Role.NATIONAL_ADMINISTRATOR).user


@pytest.fixture
def school_head(home_school):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=home_school)
    return MembershipFactory(organisation=organisation, role=Role.HEADTEACHER).user


@pytest.fixture
def other_school_head(other_school):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=other_school)
    return MembershipFactory(organisation=organisation, role=Role.HEADTEACHER).user


PAGES = [
    ("bursaries:bursary-list", False),
    ("bursaries:schedule", False),
    ("bursaries:rate-list", False),
    ("bursaries:rate-new", False),
    ("bursaries:rate-edit", "rate"),
    ("bursaries:bursary-detail", "bursary"),
    ("bursaries:bursary-approve", "bursary"),
    ("bursaries:bursary-cancel", "bursary"),
    ("bursaries:bursary-pay", "bursary"),
]
PERSONAS = {
    "national_admin": 200,
    "second_admin": 200,
    "la_officer": 403,
    "commissioner": 403,
    "school_head": 403,
    "other_school_head": 403,
}


@pytest.mark.parametrize(("name", "takes"), PAGES)
@pytest.mark.parametrize(("persona", "status"), PERSONAS.items())
def test_only_national_administrators_open_the_bursary_pages(
    client, request, bursary, nss_rate, name, takes, persona, status
):
    args = {"rate": [nss_rate.pk], "bursary": [bursary.pk]}.get(takes, [])
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name, args=args)).status_code == status
    if status == 403 and name != "bursaries:bursary-list":
        assert client.post(reverse(name, args=args), {}).status_code == 403


@pytest.mark.parametrize(("name", "takes"), PAGES)
def test_signed_out_people_are_sent_to_sign_in(client, bursary, nss_rate, name, takes):
    args = {"rate": [nss_rate.pk], "bursary": [bursary.pk]}.get(takes, [])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "sign-in" in response.url or "login" in response.url


def test_a_bursary_that_does_not_exist_is_not_found(client, national_admin):
    client.force_login(national_admin)
    assert client.get(reverse("bursaries:bursary-detail", args=[999999])).status_code == 404


def test_the_rate_form_explains_its_errors(client, national_admin, nle):
    client.force_login(national_admin)
    url = reverse("bursaries:rate-new")
    response = client.post(
        url, {"kind": FundingKind.NLG_GRANT, "designation_type": nle.pk, "year": "1999", "annual_amount": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "schools get the NSS bursary, not the NLG grant" in page
    assert "The year must be between" in page
    assert "The amount a year must be between £1 and £1,000,000" in page
    assert not FundingRate.objects.exists()


def test_one_rate_per_designation_type_and_year(client, national_admin, nss_rate, nle):
    client.force_login(national_admin)
    response = client.post(
        reverse("bursaries:rate-new"),
        {
            "kind": FundingKind.NSS_BURSARY,
            "designation_type": nle.pk,
            "year": THIS_YEAR,
            "annual_amount": "5",
        },
    )
    assert "There is already a rate for NLE" in response.content.decode()
    assert "already exists" not in response.content.decode()
    response = client.post(
        reverse("bursaries:rate-edit", args=[nss_rate.pk]),
        {
            "kind": FundingKind.NSS_BURSARY,
            "designation_type": nle.pk,
            "year": THIS_YEAR,
            "annual_amount": "12000",
        },
    )
    assert response.status_code == 302
    nss_rate.refresh_from_db()
    assert nss_rate.annual_amount == Decimal("12000.00")


def test_the_list_says_when_a_kind_has_no_rate_and_is_empty_at_first(client, national_admin, nss_rate):
    client.force_login(national_admin)
    page = client.get(reverse("bursaries:bursary-list")).content.decode()
    assert "No rate is set" in page and "national leader of governance grant" in page
    assert "There are no bursaries or grants yet" in page


def test_scheduling_is_confirmed_then_runs_once(client, national_admin, nss_rate, nle):
    DesignationFactory(designation_type=nle, designated_on=datetime.date(2015, 1, 1))
    client.force_login(national_admin)
    confirm = client.get(reverse("bursaries:schedule")).content.decode()
    assert (
        "£10,000.00 a year" in confirm and "No rate is set for the national leader of governance" in confirm
    )
    assert not Bursary.objects.exists()
    response = client.post(reverse("bursaries:schedule"), {"year": THIS_YEAR}, follow=True)
    assert "1 new bursary scheduled" in response.content.decode()
    response = client.post(reverse("bursaries:schedule"), {"year": THIS_YEAR}, follow=True)
    assert "0 new bursaries scheduled" in response.content.decode()
    assert Bursary.objects.count() == 1


def test_the_list_filters_by_year_and_state_at_a_fixed_cost(
    client, national_admin, nss_rate, nle, django_assert_max_num_queries
):
    client.force_login(national_admin)
    for _ in range(3):
        DesignationFactory(designation_type=nle, designated_on=datetime.date(2015, 1, 1))
    service.schedule_bursaries(THIS_YEAR)
    url = f"{reverse('bursaries:bursary-list')}?year={THIS_YEAR}&state=scheduled"
    client.get(url)  # warm the task count cache
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(12):
        DesignationFactory(designation_type=nle, designated_on=datetime.date(2015, 1, 1))
    service.schedule_bursaries(THIS_YEAR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "15 bursary or grants" in response.content.decode() or response.context["paginator"].count == 15
    assert list(client.get(f"{reverse('bursaries:bursary-list')}?state=paid").context["bursaries"]) == []
    assert (
        "No bursaries or grants match"
        in client.get(f"{reverse('bursaries:bursary-list')}?state=paid").content.decode()
    )


def test_paying_shows_errors_and_refuses_a_second_payment(client, national_admin, bursary):
    client.force_login(national_admin)
    client.post(reverse("bursaries:bursary-approve", args=[bursary.pk]))
    url = reverse("bursaries:bursary-pay", args=[bursary.pk])
    response = client.post(
        url, {"paid_on_day": "31", "paid_on_month": "2", "paid_on_year": "2026", "reference": ""}
    )
    page = response.content.decode()
    assert "must be a real date" in page and "Enter the payment reference" in page
    today = timezone.localdate()
    good = {
        "paid_on_day": today.day,
        "paid_on_month": today.month,
        "paid_on_year": today.year,
        "reference": "B1",
    }
    assert client.post(url, good).status_code == 302
    again = client.post(url, {**good, "reference": "B2"})
    assert "already paid" in again.content.decode()
    assert Payment.objects.count() == 1


def test_an_administrator_of_the_school_is_told_someone_else_decides(
    client, national_admin, bursary, home_school
):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=home_school)
    MembershipFactory(organisation=organisation, role=Role.HEADTEACHER, user=national_admin)
    client.force_login(national_admin)
    detail = client.get(reverse("bursaries:bursary-detail", args=[bursary.pk])).content.decode()
    assert "another administrator must decide it" in detail
    response = client.post(reverse("bursaries:bursary-approve", args=[bursary.pk]))
    assert "your own school" in response.content.decode()
    bursary.refresh_from_db()
    assert bursary.state == BursaryState.SCHEDULED


def test_cancelling_asks_for_the_reason(client, national_admin, bursary):
    client.force_login(national_admin)
    url = reverse("bursaries:bursary-cancel", args=[bursary.pk])
    assert "Say why the bursary is cancelled" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "The NLE left"})
    bursary.refresh_from_db()
    assert (bursary.state, bursary.cancelled_reason) == (BursaryState.CANCELLED, "The NLE left")


def test_end_to_end_an_nss_bursary_is_scheduled_approved_and_paid(
    client, national_admin, nss_rate, nle, home_school, school_head, django_capture_on_commit_callbacks
):
    DesignationFactory(designation_type=nle, school=home_school, designated_on=datetime.date(2015, 1, 1))
    client.force_login(national_admin)
    client.post(reverse("bursaries:schedule"), {"year": THIS_YEAR})
    bursary = Bursary.objects.get()
    assert bursary.amount == Decimal("10000.00")
    tasks = client.get(reverse("home")).content.decode()
    assert "Approve the bursaries and grants" in tasks
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bursaries:bursary-approve", args=[bursary.pk]))
    assert mail.outbox[-1].to == [school_head.email]
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("bursaries:bursary-pay", args=[bursary.pk]),
            {
                "paid_on_day": today.day,
                "paid_on_month": today.month,
                "paid_on_year": today.year,
                "reference": "BACS 9",
            },
        )
    assert "paid" in mail.outbox[-1].subject and mail.outbox[-1].to == [school_head.email]
    page = client.get(reverse("bursaries:bursary-detail", args=[bursary.pk])).content.decode()
    assert "BACS 9" in page and "£10,000.00" in page and "Paid" in page
    payment = Payment.objects.get()
    assert (payment.payee_school, payment.bursary) == (home_school, bursary)


def test_a_payment_form_posted_twice_is_acted_on_once(client, national_admin, bursary):
    import re

    client.force_login(national_admin)
    client.post(reverse("bursaries:bursary-approve", args=[bursary.pk]))
    url = reverse("bursaries:bursary-pay", args=[bursary.pk])
    token = re.search(r'name="submission_token" value="([^"]+)"', client.get(url).content.decode()).group(1)
    today = timezone.localdate()
    data = {
        "paid_on_day": today.day,
        "paid_on_month": today.month,
        "paid_on_year": today.year,
        "reference": "B1",
        "submission_token": token,
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Payment.objects.count() == 1
