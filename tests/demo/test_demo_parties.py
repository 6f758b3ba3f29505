"""Every party of every demo flow signs in with the demo password and can do its part.

Seeded once for the module (like the crawl), inside a transaction rolled back afterwards; each
test is a savepoint inside it, so one test's agreeing does not leak into the next."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.demo import DEMO_PASSWORD, INVITED_EMAIL, REQUESTER_EMAIL
from accounts.models import AccessRequest, Invitation, Membership, Organisation, User
from brokerage.models import SupportRequest
from brokerage.partnerships import SearchFilters, is_new_head, search
from demo.dataset import SIGN_INS
from deployments.choices import AgreementStatus, DeploymentState, Party
from deployments.models import Deployment
from deployments.rules import parties_of
from designations.models import Designation, LeadershipPost
from funding import services as funding_services
from funding.choices import ClaimLineKind, ClaimState
from funding.demo import SCHOOL_BUSINESS_MANAGER, SECOND_APPROVER
from funding.models import Claim, Payment
from schools import demo as schools_demo

SCHOOLS_PER_AREA_IN_TESTS = 24
PENDING = "Early reading and phonics"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(schools_demo, "SCHOOLS_PER_AREA", SCHOOLS_PER_AREA_IN_TESTS)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            output = StringIO()
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("seed_demo", stdout=output)
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _pending() -> Deployment:
    return Deployment.objects.get(support_request__title=PENDING)


@pytest.mark.django_db
@pytest.mark.parametrize("sign_in", SIGN_INS, ids=lambda u: u.email)
def test_every_named_user_signs_in_with_the_demo_password_in_their_role(seeded, sign_in):
    user = User.objects.get(email=sign_in.email)

    assert user.is_active and user.check_password(DEMO_PASSWORD)
    assert user.memberships.filter(role=sign_in.role, organisation__is_active=True).exists()
    assert sign_in.email in seeded and sign_in.try_this in seeded


@pytest.mark.django_db
def test_the_pending_agreement_names_the_demo_parties(seeded):
    deployment = _pending()
    agreement = deployment.agreements.order_by("-version").first()

    assert agreement.status == AgreementStatus.AWAITING_AGREEMENT
    assert deployment.leader.email == "leader@norfolk.demo"
    expected = {
        "head@norfolk.demo": {Party.SUPPORTED_SCHOOL},
        "leader@norfolk.demo": {Party.LEADER_SCHOOL},
        "leader.head@norfolk.demo": {Party.LEADER_SCHOOL},
        "commissioner@norfolk.demo": {Party.COMMISSIONER},
        "supported.head@norfolk.demo": set(),
    }
    for email, parties in expected.items():
        assert parties_of(User.objects.get(email=email), deployment) == parties, email


@pytest.mark.django_db
@pytest.mark.parametrize("for_leader_school", ["leader@norfolk.demo", "leader.head@norfolk.demo"])
def test_signing_in_as_each_party_in_turn_agrees_the_pending_agreement(seeded, client, for_leader_school):
    deployment = _pending()
    agreement = deployment.agreements.order_by("-version").first()
    url = reverse("deployments:agreement-agree", kwargs={"pk": deployment.pk, "version": agreement.version})

    turns = [
        ("head@norfolk.demo", Party.SUPPORTED_SCHOOL),
        (for_leader_school, Party.LEADER_SCHOOL),
        ("commissioner@norfolk.demo", Party.COMMISSIONER),
    ]
    for email, party in turns:
        client.force_login(User.objects.get(email=email))
        tasks = client.get(reverse("home")).content.decode()
        assert f"/deployments/{deployment.pk}/" in tasks, f"{email} has no task for the agreement"
        response = client.post(url, {"party": party})
        assert response.status_code == 302, (email, response.content.decode()[:500])

    agreement.refresh_from_db()
    deployment.refresh_from_db()
    assert agreement.status == AgreementStatus.AGREED
    assert deployment.state == DeploymentState.AGREED  # starts in two weeks


@pytest.mark.django_db
def test_the_supported_head_leads_a_school_with_an_active_deployment(seeded, client):
    head = User.objects.get(email="supported.head@norfolk.demo")
    school = head.memberships.get(role=Role.HEADTEACHER).organisation.school
    deployment = Deployment.objects.get(supported_school=school, state=DeploymentState.ACTIVE)

    assert parties_of(head, deployment) == {Party.SUPPORTED_SCHOOL}
    client.force_login(head)
    page = client.get(reverse("deployments:deployment-detail", kwargs={"pk": deployment.pk}))
    assert page.status_code == 200


@pytest.mark.django_db
def test_the_new_head_finds_an_lle_offering_partnership_near_them(seeded, client):
    head = User.objects.get(email="new.head@suffolk.demo")
    post = LeadershipPost.objects.get(person=head)

    assert is_new_head(head, timezone.localdate()) == post
    assert head.memberships.filter(role=Role.HEADTEACHER, organisation__school=post.school).exists()
    nearest = search(post.school, SearchFilters()).first()
    assert nearest is not None and nearest.distance_squared <= 30_000**2  # within 30 km

    client.force_login(head)
    response = client.get(reverse("partners:search"))
    assert response.status_code == 200
    assert nearest.holder.full_name in response.content.decode()


@pytest.mark.django_db
def test_the_suffolk_officer_is_an_officer_of_suffolk_who_cannot_see_norfolks_deployments(seeded):
    membership = Membership.objects.get(user__email="la.officer@suffolk.demo")

    assert membership.role == Role.LA_OFFICER
    assert membership.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
    assert membership.organisation.local_authority.code == "935"
    officer = User.objects.get(pk=membership.user_id)
    assert not officer.has_perm("deployments.view_deployment", _pending())
    assert parties_of(officer, _pending()) == set()


@pytest.mark.django_db
def test_the_norfolk_officer_sees_the_pending_invitation_on_the_schools_people_page(seeded, client):
    invitation = Invitation.objects.pending().get(email=INVITED_EMAIL)
    assert invitation.organisation.school.local_authority.code == "926"
    assert invitation.organisation.school.type_name == "Community school"

    client.force_login(User.objects.get(email="la.officer@norfolk.demo"))
    response = client.get(reverse("accounts:organisation", kwargs={"pk": invitation.organisation_id}))

    assert response.status_code == 200
    assert INVITED_EMAIL in response.content.decode()


@pytest.mark.django_db
def test_the_access_request_awaits_the_demo_head_on_their_tasks(seeded, client):
    access_request = AccessRequest.objects.get(email=REQUESTER_EMAIL)
    head = User.objects.get(email="head@norfolk.demo")
    assert list(access_request.routed_to.all()) == [head]

    client.force_login(head)
    page = client.get(reverse("home")).content.decode()

    assert access_request.full_name in page
    assert reverse("accounts:access-request-detail", kwargs={"pk": access_request.pk}) in page


def _counts() -> dict[str, int]:
    models = (User, Membership, Organisation, Invitation, AccessRequest, Designation, LeadershipPost,
              SupportRequest, Deployment, Claim, Payment)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seeding_again_creates_no_people_invitations_or_work(seeded):
    before = _counts()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("seed_demo", stdout=StringIO())

    assert _counts() == before
    assert _pending().leader.email == "leader@norfolk.demo"


@pytest.mark.django_db
def test_the_demo_has_claims_in_every_state_with_their_history(seeded):
    states = set(Claim.objects.values_list("state", flat=True))

    assert states == set(ClaimState.values)
    for claim in Claim.objects.all():
        assert claim.events.first().action == "submitted", claim
        assert claim.events.last().to_state == claim.state, claim
    paid = Claim.objects.get(state=ClaimState.PAID)
    assert paid.payment.payee_school == paid.claiming_school and paid.payment.amount == paid.total


@pytest.mark.django_db
def test_the_backfill_claim_carries_its_invoice_and_awaits_the_second_approver(seeded, client):
    claim = Claim.objects.get(state=ClaimState.AWAITING_SECOND_APPROVAL)
    backfill = claim.lines.get(kind=ClaimLineKind.BACKFILL)
    assert backfill.has_evidence and backfill.evidence_content_type == "application/pdf"
    assert claim.total > funding_services.second_approval_above()
    assert [a.approver.email for a in claim.approvals.all()] == ["commissioner@norfolk.demo"]

    approver = User.objects.get(email=SECOND_APPROVER.email)
    assert approver.has_perm("funding.decide_claim", claim)
    funding_services.approve(claim, actor=approver)

    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED


@pytest.mark.django_db
def test_the_school_business_manager_sees_the_claims_of_their_school(seeded):
    sbm = User.objects.get(email=SCHOOL_BUSINESS_MANAGER.email)
    school = sbm.memberships.get(role=Role.SCHOOL_BUSINESS_MANAGER).organisation.school

    visible = funding_services.claims_visible_to(sbm)

    assert set(visible) == set(Claim.objects.filter(claiming_school=school))
    assert {c.state for c in visible} == {
        ClaimState.WITHDRAWN, ClaimState.SUBMITTED, ClaimState.INFORMATION_REQUESTED
    }
    asked = visible.get(state=ClaimState.INFORMATION_REQUESTED)
    assert sbm.has_perm("funding.answer_claim", asked)
    assert all(sbm.has_perm("funding.view_claim", claim) for claim in visible)
