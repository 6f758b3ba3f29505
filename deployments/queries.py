"""What each person or partner system may see of deployments. Every list starts here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.choices import OrganisationKind
from brokerage.rules import COMMISSIONER_ROLES, SCHOOL_ROLES, broker_organisations_of
from schooldays.calendar import DAYS_IN_A_SCHOOL_WEEK, SchoolCalendar, calendars_with_own_dates

from .choices import DeploymentState, Party
from .models import AgreementStaff, Deployment, TimeEntry, Variation

DAYS = DecimalField(max_digits=8, decimal_places=2)

# An active deployment with no time logged for this many school weeks has stalled: half term and the
# holidays do not count, so the summer does not stall every deployment.
STALLED_AFTER_SCHOOL_WEEKS = 4
# Longer than four school weeks and the longest holiday among them, so the fourth school week back
# is always found.
STALL_LOOK_BACK = datetime.timedelta(days=120)


def quiet_since() -> Coalesce:
    """The last day time was logged on a deployment, or its start when none has been."""
    return Coalesce("last_time_logged_on", "starts_on")


def _quiet_before(calendar: SchoolCalendar, today: datetime.date) -> datetime.date:
    """The school day four school weeks back from ``today`` (today included when a school day): a
    deployment quiet since before it has gone four school weeks with no time logged."""
    days = calendar.school_days()
    needed = STALLED_AFTER_SCHOOL_WEEKS * DAYS_IN_A_SCHOOL_WEEK
    return days[-needed] if len(days) >= needed else calendar.start


@dataclass(frozen=True)
class StallThresholds:
    """The day a deployment must have been quiet since before to have stalled by a given day: one
    for the national default's term dates and one for each authority with dates of its own."""

    national: datetime.date
    own: dict[int, datetime.date]

    def quiet_before(self, local_authority_id: int | None) -> datetime.date:
        return self.own.get(local_authority_id, self.national)


def stall_thresholds(today: datetime.date) -> StallThresholds:
    """Four school weeks back from ``today`` in each calendar; reads the term dates in one query."""
    calendars = calendars_with_own_dates(today - STALL_LOOK_BACK, today)
    national = calendars.pop(None)
    return StallThresholds(
        _quiet_before(national, today), {pk: _quiet_before(c, today) for pk, c in calendars.items()}
    )


def stalled_on(today: datetime.date, thresholds: StallThresholds | None = None) -> Q:
    """Active and quiet (no time logged since ``quiet_since``) for four school weeks or more, in the
    supported school's authority's term dates; the queryset needs ``quiet_since``."""
    thresholds = thresholds or stall_thresholds(today)
    authority = "supported_school__local_authority_id"
    follows_national = Q()
    if thresholds.own:
        own = sorted(thresholds.own)
        follows_national = Q(**{f"{authority}__isnull": True}) | ~Q(**{f"{authority}__in": own})
    quiet = Q(follows_national, quiet_since__lt=thresholds.national)
    for pk, before in sorted(thresholds.own.items()):
        quiet |= Q(**{authority: pk}, quiet_since__lt=before)
    return Q(state=DeploymentState.ACTIVE) & quiet


def is_stalled(deployment: Deployment, thresholds: StallThresholds) -> bool:
    """``stalled_on`` for a deployment already fetched with ``quiet_since``."""
    quiet = getattr(deployment, "quiet_since", None)
    authority_id = deployment.supported_school.local_authority_id
    return (
        deployment.state == DeploymentState.ACTIVE
        and quiet is not None
        and quiet < thresholds.quiet_before(authority_id)
    )


def _deployments() -> QuerySet[Deployment]:
    return Deployment.objects.select_related(
        "designation__designation_type",
        "leader",
        "leader_school",
        "supported_school",
        "supported_school__local_authority",
        "commissioner",
        "broker",
        "support_request",
    )


def deployment_scope(principal) -> Q | None:
    """None: every deployment. A person sees those their organisation commissioned or brokers,
    those at or from their own school, and their own (as leader or named staff); a partner
    system's token, those its organisation commissioned or brokers."""
    if getattr(principal, "is_api_client", False):
        organisation = principal.organisation
        return Q(commissioner=organisation) | Q(broker=organisation)
    if principal.is_national_administrator:
        return None
    # Named staff through an indexed subquery, not a join: every other condition is a column of
    # the deployment, so the whole rule filters one table and the list needs no IN (SELECT ...).
    named = AgreementStaff.objects.filter(user=principal).values("agreement__deployment_id")
    scope = Q(leader=principal) | Q(pk__in=named)
    for membership in principal.active_memberships:
        organisation = membership.organisation
        if membership.role in COMMISSIONER_ROLES:
            scope |= Q(commissioner=organisation)
        if membership.role in SCHOOL_ROLES and organisation.school_id:
            scope |= Q(supported_school_id=organisation.school_id) | Q(
                leader_school_id=organisation.school_id
            )
    brokers = broker_organisations_of(principal)
    if brokers:
        scope |= Q(broker__in=brokers)
    return scope


def deployments_visible_to(principal) -> QuerySet[Deployment]:
    if not getattr(principal, "is_authenticated", False):
        return Deployment.objects.none()
    scope = deployment_scope(principal)
    deployments = _deployments()
    return deployments if scope is None else deployments.filter(scope)


# --- the people of each party ----------------------------------------------------------------------

SCHOOL_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.TEACHING_SCHOOL}


@dataclass
class PartyPeople:
    """One party to a deployment and the people there who can agree for it (as parties_of decides)."""

    key: str
    label: str
    place: str
    people: list = field(default_factory=list)
    party: str | None = None  # the Party they agree as; None for the leader's own row
    invited: list = field(default_factory=list)  # pending invitations of people who could agree

    @property
    def nobody_can_agree(self) -> bool:
        return self.party is not None and not self.people


def _in_party_organisations(deployment: Deployment, school_ids: set[int]) -> Q:
    """Memberships or invitations in the parties' organisations (the schools' own and the
    commissioner) in a role that could agree for one of them; the caller sorts out which role
    counts where. One lookup of the row's own indexed organisation key: the parties' conditions
    ORed across the join to organisations would make PostgreSQL join every membership first."""
    from accounts.models import Organisation

    organisations = Organisation.objects.filter(
        Q(school_id__in=school_ids, kind__in=sorted(SCHOOL_KINDS)) | Q(pk=deployment.commissioner_id)
    ).values("pk")
    return Q(organisation_id__in=organisations, role__in=sorted(SCHOOL_ROLES | COMMISSIONER_ROLES))


def party_people(deployment: Deployment) -> list[PartyPeople]:
    """Each party (the supported school, the leader's school, the commissioner) with the active
    people who can agree for it and the invitations still pending there, then the leader. Three
    queries, whatever the number of people.

    The leader can agree for their school, so they are listed there as well as on their own row."""
    from accounts.models import Membership

    school_ids = {deployment.supported_school_id, deployment.leader_school_id}
    memberships = (
        Membership.objects.filter(user__is_active=True, organisation__is_active=True)
        .filter(_in_party_organisations(deployment, school_ids))
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )
    by_school: dict[int, dict] = {school_id: {} for school_id in school_ids}
    commissioners: dict = {}
    for membership in memberships:
        organisation = membership.organisation
        if organisation.pk == deployment.commissioner_id and membership.role in COMMISSIONER_ROLES:
            commissioners.setdefault(membership.user_id, membership.user)
        in_school = organisation.school_id in by_school and organisation.kind in SCHOOL_KINDS
        if in_school and membership.role in SCHOOL_ROLES:
            by_school[organisation.school_id].setdefault(membership.user_id, membership.user)
    invited = _pending_invitations_by_party(deployment, school_ids)
    leader = deployment.leader
    leader_school_people = dict(by_school[deployment.leader_school_id])
    if leader.is_active:
        leader_school_people.setdefault(leader.pk, leader)
    return [
        PartyPeople(
            key=Party.SUPPORTED_SCHOOL,
            label=Party.SUPPORTED_SCHOOL.label,
            place=deployment.supported_school.name,
            people=list(by_school[deployment.supported_school_id].values()),
            party=Party.SUPPORTED_SCHOOL,
            invited=invited[Party.SUPPORTED_SCHOOL],
        ),
        PartyPeople(
            key=Party.LEADER_SCHOOL,
            label=Party.LEADER_SCHOOL.label,
            place=deployment.leader_school.name,
            people=list(leader_school_people.values()),
            party=Party.LEADER_SCHOOL,
            invited=invited[Party.LEADER_SCHOOL],
        ),
        PartyPeople(
            key=Party.COMMISSIONER,
            label=Party.COMMISSIONER.label,
            place=deployment.commissioner.name,
            people=list(commissioners.values()),
            party=Party.COMMISSIONER,
            invited=invited[Party.COMMISSIONER],
        ),
        PartyPeople(key="leader", label="The leader", place=deployment.leader_school.name, people=[leader]),
    ]


def _pending_invitations_by_party(deployment: Deployment, school_ids: set[int]) -> dict[str, list]:
    """Pending invitations to the parties' organisations in roles that would let the person agree."""
    from accounts.models import Invitation

    invitations = (
        Invitation.objects.usable()
        .filter(_in_party_organisations(deployment, school_ids))
        .select_related("organisation")
        .order_by("email")
    )
    by_party: dict[str, list] = {Party.SUPPORTED_SCHOOL: [], Party.LEADER_SCHOOL: [], Party.COMMISSIONER: []}
    for invitation in invitations:
        organisation = invitation.organisation
        if organisation.pk == deployment.commissioner_id and invitation.role in COMMISSIONER_ROLES:
            by_party[Party.COMMISSIONER].append(invitation)
        if organisation.kind in SCHOOL_KINDS and invitation.role in SCHOOL_ROLES:
            if organisation.school_id == deployment.supported_school_id:
                by_party[Party.SUPPORTED_SCHOOL].append(invitation)
            if organisation.school_id == deployment.leader_school_id:
                by_party[Party.LEADER_SCHOOL].append(invitation)
    return by_party


def named_staff(agreement) -> list:
    """Staff of the leader's school named on an agreement, with their accounts when they have one."""
    if agreement is None:
        return []
    return list(agreement.staff.select_related("user"))


def with_days(deployments: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Days used and variations, as subqueries (joins would multiply each other's sums)."""
    used = (
        TimeEntry.objects.filter(deployment=OuterRef("pk"))
        .order_by()
        .values("deployment")
        .annotate(total=Sum("days"))
        .values("total")
    )
    extra = (
        Variation.objects.filter(deployment=OuterRef("pk"))
        .order_by()
        .values("deployment")
        .annotate(total=Sum("extra_days"))
        .values("total")
    )
    return deployments.annotate(
        days_used=Coalesce(Subquery(used, output_field=DAYS), Value(Decimal(0)), output_field=DAYS),
        days_extra=Coalesce(Subquery(extra, output_field=DAYS), Value(Decimal(0)), output_field=DAYS),
    )
