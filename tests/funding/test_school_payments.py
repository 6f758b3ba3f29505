"""A school's own payments (claims and bursaries), with their remittance advice: its head and
business manager see the payments to their school only; nobody else has the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.choices import OrganisationKind, Role
from funding.choices import ClaimState
from funding.models import Payment
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory
from tests.factories.finance import claims_in_every_state

pytestmark = pytest.mark.django_db
PAYMENTS = reverse("finance:school-payments")


@pytest.fixture(autouse=True)
def _two_approvals_above_100(settings):
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"


@pytest.fixture
def other_school_head(db):
    organisation = OrganisationFactory(kind=OrganisationKind.SCHOOL, school=SchoolFactory())
    return MembershipFactory(organisation=organisation, role=Role.HEADTEACHER).user


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("head", 200),
        ("business_manager", 200),
        ("supported_head", 200),  # their own school's payments: none here
        ("other_school_head", 200),
        ("commissioner", 403),
        ("second_commissioner", 403),
        ("other_la_officer", 403),
        ("leader", 403),
        ("broker", 403),
        ("administrator", 403),
        ("anonymous", 302),
    ],
)
def test_only_a_schools_head_or_business_manager_has_the_page(client, request, personas, persona, status):
    user = request.getfixturevalue(persona) if persona == "other_school_head" else personas[persona]
    if user is not None:
        client.force_login(user)
    assert client.get(PAYMENTS).status_code == status


def test_the_school_sees_its_payments_and_no_other_schools(client, setting, other_school_head):
    claims = claims_in_every_state(setting, states=[ClaimState.PAID])
    payment = Payment.objects.get(claim=claims[ClaimState.PAID])
    remittance = reverse("finance:remittance", args=[payment.pk])
    client.force_login(setting.business_manager)
    page = client.get(PAYMENTS).content.decode()
    assert remittance in page and payment.reference in page and claims[ClaimState.PAID].reference in page
    for person in (setting.supported_head, other_school_head):
        client.force_login(person)
        page = client.get(PAYMENTS).content.decode()
        assert remittance not in page and "No payments yet" in page


@pytest.mark.parametrize(
    ("persona", "linked"), [("head", True), ("business_manager", True), ("commissioner", False)]
)
def test_the_claims_list_links_to_it_for_those_who_have_it(client, personas, persona, linked):
    client.force_login(personas[persona])
    assert (PAYMENTS in client.get(reverse("claims:claim-list")).content.decode()) == linked


def test_the_page_costs_the_same_queries_for_one_payment_or_many(client, setting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    claims_in_every_state(setting, states=[ClaimState.PAID] * 4)
    client.force_login(setting.head)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAYMENTS).status_code == 200
        return len(captured)

    many = queries()
    Payment.objects.exclude(pk=Payment.objects.order_by("pk").first().pk).delete()
    assert queries() == many
