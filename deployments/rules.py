"""Who may see and do what on a deployment."""

from __future__ import annotations

import rules

from accounts.principals import is_api_client
from accounts.rules import UserFact, is_national_administrator, remembered
from brokerage.rules import (
    COMMISSIONER_ROLES,
    broker_organisations_of,
    is_member,
    school_organisations_of,
)
from designations.rules import holds_a_designation, own_brokering_refusal

from .choices import Party


@rules.predicate
def is_deployment_broker(user, deployment) -> bool:
    return deployment is not None and any(o.pk == deployment.broker_id for o in broker_organisations_of(user))


def own_deployment_refusal(user, deployment) -> str:
    """Why this person may not broker the deployment (it is of themselves, or for their own school),
    or "" when nothing stands in the way."""
    if deployment is None:
        return ""
    return own_brokering_refusal(user, deployment.supported_school_id, deployment.leader_id)


@rules.predicate
def is_own_deployment(user, deployment) -> bool:
    return bool(own_deployment_refusal(user, deployment))


def refusal_for(user, deployment, message: str) -> str:
    """The reason to give someone refused a broker's action: that it is their own case, when they
    broker the deployment, otherwise the general message."""
    if is_deployment_broker(user, deployment):
        return own_deployment_refusal(user, deployment) or message
    return message


@rules.predicate
def is_deployment_commissioner(user, deployment) -> bool:
    return deployment is not None and is_member(user, deployment.commissioner_id, COMMISSIONER_ROLES)


@rules.predicate
def is_of_supported_school(user, deployment) -> bool:
    return deployment is not None and bool(school_organisations_of(user, deployment.supported_school_id))


@rules.predicate
def is_of_leader_school(user, deployment) -> bool:
    return deployment is not None and bool(school_organisations_of(user, deployment.leader_school_id))


@rules.predicate
def is_deployment_leader(user, deployment) -> bool:
    return deployment is not None and user.is_authenticated and deployment.leader_id == user.pk


@rules.predicate
def is_named_staff(user, deployment) -> bool:
    """Named as staff of the leader's school on the deployment's current agreement."""
    if deployment is None or not user.is_authenticated:
        return False
    from .models import AgreementStaff

    # Several permissions on one page ask it (seeing contacts, logging time): answered once a request.
    named = AgreementStaff.objects.filter(agreement__deployment=deployment, user=user)
    return remembered(user, f"named_staff:{deployment.pk}", named.exists)


def parties_of(user, deployment) -> set[str]:
    """The parties to the agreement this user may agree for."""
    parties = set()
    if is_of_supported_school(user, deployment):
        parties.add(Party.SUPPORTED_SCHOOL)
    if is_of_leader_school(user, deployment) or is_deployment_leader(user, deployment):
        parties.add(Party.LEADER_SCHOOL)
    if is_deployment_commissioner(user, deployment):
        parties.add(Party.COMMISSIONER)
    return parties


@rules.predicate
def is_party(user, deployment) -> bool:
    return bool(parties_of(user, deployment))


def sees_money(principal, deployment) -> bool:
    """The commissioner, the broker and national administrators see the financial terms everywhere,
    and a version's overrun of the request's budget (the schools see an agreement's costs on the
    agreement they agree, never the budget)."""
    if is_api_client(principal):
        return principal.organisation.pk in {deployment.commissioner_id, deployment.broker_id}
    return bool(
        getattr(principal, "is_national_administrator", False)
        or is_deployment_broker(principal, deployment)
        or is_deployment_commissioner(principal, deployment)
    )


def recordable_parties(user, deployment) -> list[str]:
    """The parties this user may record an outside agreement for: none without the permission,
    and never one they act for (they agree for it themselves)."""
    if not user.has_perm("deployments.record_outside_agreement", deployment):
        return []
    own = parties_of(user, deployment)
    return [party for party in Party.values if party not in own]


can_view = (
    is_national_administrator
    | is_deployment_broker
    | is_deployment_commissioner
    | is_of_supported_school
    | is_of_leader_school
    | is_deployment_leader
    | is_named_staff
)
rules.add_perm("deployments.view_deployment", can_view)
# The named contacts of every party. Only the parties, the leader and named staff, the broker and
# national administrators see a deployment at all, and each of them needs to reach the others.
rules.add_perm("deployments.view_contacts", can_view)
# Nobody brokers a deployment of themselves or for their own school: another broker must.
independent_broker = is_deployment_broker & ~is_own_deployment
rules.add_perm("deployments.manage_deployment", independent_broker)
# Recording, on a party's behalf, an agreement it gave outside the service: the broker or a national
# administrator, never someone who works on the deployment (the leader or named staff, even if they
# also broker it). Nor for a party they act for themselves: see recordable_parties.
can_record_outside_agreement = (is_national_administrator | is_deployment_broker) & ~(
    is_deployment_leader | is_named_staff
)
rules.add_perm("deployments.record_outside_agreement", can_record_outside_agreement)
# Inviting someone who can agree for a party that has nobody yet: the same people, for the same reason.
rules.add_perm("deployments.invite_party", can_record_outside_agreement)
# The copy of an agreement given outside the service: the broker, administrators and the parties.
rules.add_perm("deployments.view_recorded_copy", is_national_administrator | is_deployment_broker | is_party)
rules.add_perm("deployments.agree", is_party)
rules.add_perm("deployments.log_time", is_deployment_leader | is_named_staff)
rules.add_perm("deployments.record_variation", independent_broker)
rules.add_perm("deployments.review", independent_broker)


# A leader's own pages: the deployments they lead or are named on, and their unavailability.
def _deployments_led(person):
    from .models import Deployment

    return Deployment.objects.filter(leader=person)


def _named_on_agreements(person):
    from .models import AgreementStaff

    return AgreementStaff.objects.filter(user=person)


# Leads a deployment, or is named as staff on one of its agreements.
WORKS_ON_A_DEPLOYMENT = UserFact("works_on_a_deployment", _deployments_led, _named_on_agreements)
works_on_a_deployment = rules.predicate(WORKS_ON_A_DEPLOYMENT, name="works_on_a_deployment")


rules.add_perm("deployments.record_unavailability", holds_a_designation)
rules.add_perm("deployments.view_own_deployments", works_on_a_deployment | holds_a_designation)
