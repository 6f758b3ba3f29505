"""Who may see and do what with claims, payments, bursaries and their assurance.

- The **claiming school** (the school the agreement pays: its head or school business manager)
  claims, answers requests for information, withdraws, and gives evidence when sampled.
- The **commissioner** (the funder: its commissioners and LA officers) approves, asks for
  information, rejects and pays; never someone of the claiming school, nor the leader, nor whoever
  submitted the claim: nobody decides on their own claim.
- **Both schools**, the commissioner, the broker and national administrators see a claim's state
  and history; evidence only the claiming school, the commissioner and national administrators.
- **National administrators** approve bursaries, sample paid claims and open clawbacks; a second
  administrator approves a clawback.
"""

from __future__ import annotations

import rules

from accounts.choices import SCHOOL_FINANCE_ROLES, Role
from accounts.choices import OrganisationKind as Kind
from accounts.principals import is_api_client
from accounts.rules import is_national_administrator
from brokerage.rules import (
    COMMISSIONER_ROLES,
    SCHOOL_ROLES,
    broker_organisations_of,
    commissioning_organisations_of,
    is_member,
)
from deployments.rules import is_deployment_broker, is_deployment_commissioner

SCHOOL_KINDS = {Kind.SCHOOL, Kind.TEACHING_SCHOOL}
# Who sees a school's claims: everyone who acts for it, and its school business manager.
SCHOOL_VIEW_ROLES = {*SCHOOL_ROLES, Role.SCHOOL_BUSINESS_MANAGER}


def _acts_for_school(user, school_id: int | None, roles) -> bool:
    if school_id is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.organisation.school_id == school_id and m.role in roles and m.organisation.kind in SCHOOL_KINDS
        for m in getattr(user, "active_memberships", [])
    )


def claims_for_school(user, school_id: int | None) -> bool:
    """The head or school business manager of the school: they claim and are paid for it."""
    return _acts_for_school(user, school_id, SCHOOL_FINANCE_ROLES)


def sees_school(user, school_id: int | None) -> bool:
    return _acts_for_school(user, school_id, SCHOOL_VIEW_ROLES)


def claiming_school_id(deployment) -> int | None:
    """The school a deployment's claims are paid to: the current agreed version's payee."""
    from deployments.services import current_agreement

    agreement = current_agreement(deployment)
    return agreement.payee_school_id if agreement else None


def token_school_id(client) -> int | None:
    """The school a partner system's token acts for, if its organisation is a school."""
    organisation = client.organisation
    return organisation.school_id if organisation.kind in SCHOOL_KINDS else None


@rules.predicate
def may_claim_for(user, deployment) -> bool:
    """Acts for the school the deployment's agreement pays (head or business manager, or the
    school's API token)."""
    if deployment is None:
        return False
    if is_api_client(user):
        school_id = token_school_id(user)
        return school_id is not None and school_id == claiming_school_id(deployment)
    return claims_for_school(user, claiming_school_id(deployment))


@rules.predicate
def is_of_claiming_school(user, claim) -> bool:
    if claim is None:
        return False
    if is_api_client(user):
        return token_school_id(user) is not None and token_school_id(user) == claim.claiming_school_id
    return claims_for_school(user, claim.claiming_school_id)


@rules.predicate
def is_claim_commissioner(user, claim) -> bool:
    if claim is None:
        return False
    if is_api_client(user):
        return user.organisation.pk == claim.commissioner_id
    return is_member(user, claim.commissioner_id, COMMISSIONER_ROLES)


@rules.predicate
def sees_claim_as_school(user, claim) -> bool:
    """Of the claiming school or the supported school, in any school role."""
    if claim is None:
        return False
    deployment = claim.deployment
    return any(
        sees_school(user, school_id)
        for school_id in (
            claim.claiming_school_id,
            deployment.leader_school_id,
            deployment.supported_school_id,
        )
    )


@rules.predicate
def is_claim_broker(user, claim) -> bool:
    return claim is not None and is_deployment_broker(user, claim.deployment)


@rules.predicate
def sees_deployment_claims(user, deployment) -> bool:
    """Who sees a deployment's claims: as for each of its claims (``funding.view_claim``)."""
    if deployment is None or not getattr(user, "is_authenticated", False):
        return False
    if is_national_administrator(user) or is_deployment_commissioner(user, deployment):
        return True
    if is_deployment_broker(user, deployment):
        return True
    schools = {deployment.leader_school_id, deployment.supported_school_id, claiming_school_id(deployment)}
    return any(sees_school(user, school_id) for school_id in schools)


@rules.predicate
def sees_claims_somewhere(user) -> bool:
    """Has a role that sees some school's claims: a commissioner or LA officer, a school's head,
    leaders or business manager, a broker, a national administrator. Roles only, no query: the
    navigation asks it on every page."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_national_administrator(user) or broker_organisations_of(user):
        return True
    return any(
        m.role in COMMISSIONER_ROLES or (m.role in SCHOOL_VIEW_ROLES and m.organisation.kind in SCHOOL_KINDS)
        for m in getattr(user, "active_memberships", [])
    )


def own_claim_refusal(user, claim) -> str:
    """Why this person may not decide the claim, or "" when nothing stands in the way."""
    if claim is None or not getattr(user, "is_authenticated", False):
        return ""
    if is_api_client(user):
        # A token acts for its organisation: a school's token never decides its own school's claim,
        # even when that school is also the commissioner.
        school_id = token_school_id(user)
        own = {claim.claiming_school_id, claim.deployment.leader_school_id}
        if school_id is not None and school_id in own:
            return "This claim is from your own school, so someone else must decide it."
        return ""
    if claim.submitted_by_id == user.pk:
        return "You submitted this claim, so someone else must decide it."
    if claim.deployment.leader_id == user.pk:
        return "This claim is for your own work, so someone else must decide it."
    if sees_school(user, claim.claiming_school_id):
        return "This claim is from your own school, so someone else must decide it."
    return ""


@rules.predicate
def is_own_claim(user, claim) -> bool:
    return bool(own_claim_refusal(user, claim))


def decide_refusal(user, claim) -> str:
    """The reason to give someone refused a commissioner's decision on the claim."""
    if not (is_claim_commissioner(user, claim) or is_national_administrator(user)):
        return "Only the commissioner who funds this support can decide its claims."
    return own_claim_refusal(user, claim)


def api_sees_claim(client, claim) -> bool:
    """A token sees the claims of its organisation as commissioner or as the claiming school."""
    organisation = client.organisation
    return organisation.pk == claim.commissioner_id or (
        organisation.kind in SCHOOL_KINDS and organisation.school_id == claim.claiming_school_id
    )


def sees_evidence(principal, claim) -> bool:
    if is_api_client(principal):
        return api_sees_claim(principal, claim)
    return bool(
        is_national_administrator(principal)
        or is_claim_commissioner(principal, claim)
        or is_of_claiming_school(principal, claim)
    )


can_view_claim = is_national_administrator | is_claim_commissioner | sees_claim_as_school | is_claim_broker
rules.add_perm("funding.view_claim", can_view_claim)
rules.add_perm("funding.claim", may_claim_for)
rules.add_perm("funding.view_deployment_claims", sees_deployment_claims)
rules.add_perm("funding.view_claims", sees_claims_somewhere)
rules.add_perm("funding.withdraw_claim", is_of_claiming_school)
rules.add_perm("funding.answer_claim", is_of_claiming_school)
# The funder decides and pays; a national administrator may act for it. Never on one's own claim.
may_decide = (is_claim_commissioner | is_national_administrator) & ~is_own_claim
rules.add_perm("funding.decide_claim", may_decide)
rules.add_perm("funding.pay_claim", may_decide)
rules.add_perm(
    "funding.view_evidence", is_national_administrator | is_claim_commissioner | is_of_claiming_school
)
# Bursaries, grants and the assurance of paid claims are the national body's.
rules.add_perm("funding.manage_bursaries", is_national_administrator)
rules.add_perm("funding.assure_claims", is_national_administrator)


# --- finance: the money pages, exports and remittance advice ---------------------------------------


@rules.predicate
def commissions_somewhere(user) -> bool:
    """A commissioner or LA officer of an organisation that commissions support: they see its money."""
    return bool(commissioning_organisations_of(user))


@rules.predicate
def is_payer(user, payment) -> bool:
    """Of the commissioner whose claim the payment pays (a bursary's payer is the national body)."""
    return payment is not None and payment.claim_id is not None and is_member(
        user, payment.claim.commissioner_id, COMMISSIONER_ROLES
    )


@rules.predicate
def is_payee(user, payment) -> bool:
    """The head or school business manager of the school paid."""
    return payment is not None and claims_for_school(user, payment.payee_school_id)


def paid_school_ids(user) -> frozenset[int]:
    """The schools the person is head or business manager of: the schools they are paid for."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(
        m.organisation.school_id
        for m in getattr(user, "active_memberships", [])
        if m.role in SCHOOL_FINANCE_ROLES and m.organisation.kind in SCHOOL_KINDS and m.organisation.school_id
    )


@rules.predicate
def is_paid_somewhere(user) -> bool:
    return bool(paid_school_ids(user))


rules.add_perm("funding.view_finance", is_national_administrator | commissions_somewhere)
rules.add_perm("funding.view_school_payments", is_paid_somewhere)
rules.add_perm("funding.view_payment", is_national_administrator | is_payer | is_payee)
