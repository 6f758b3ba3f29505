"""generate_national: a deterministic synthetic England at a tiny scale, the benchmark contract's
principals, the refusal of a database that holds schools, and the pages the benchmark times
rendering on the data it makes."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.choices import Role
from accounts.models import Membership, User
from brokerage.choices import WAITING_REQUEST_STATUSES
from brokerage.models import SupportRequest
from deployments.choices import LIVE_STATES, DeploymentState
from deployments.models import Agreement, Deployment, ProgressReview, TimeEntry
from designations.models import Designation
from funding.choices import ClaimAction, ClaimState
from funding.models import Claim
from funding.services.claims import second_approval_above
from schools.models import LocalAuthority, School

TINY = "0.002"
PRINCIPALS = {
    "national.admin@bench.invalid": Role.NATIONAL_ADMINISTRATOR,
    "la.officer@bench.invalid": Role.LA_OFFICER,
    "broker@bench.invalid": Role.LA_OFFICER,
    "head@bench.invalid": Role.HEADTEACHER,
    "leader@bench.invalid": Role.HEADTEACHER,
    "commissioner@bench.invalid": Role.COMMISSIONER,
}


class _Rollback(Exception):
    def __init__(self, result):
        self.result = result


def _generate(seed: int = 7, scale: str = TINY) -> str:
    output = StringIO()
    call_command("generate_national", "--seed", str(seed), "--scale", scale, stdout=output)
    return output.getvalue()


def _digest() -> str:
    """What the data says, without primary keys or the times rows were written."""
    rows = [
        *School.objects.order_by("urn").values_list(
            "urn",
            "name",
            "phase",
            "status",
            "type_code",
            "local_authority__code",
            "trust__code",
            "diocese__code",
            "easting",
            "northing",
            "latest_inspection__start_date",
        ),
        *User.objects.order_by("email").values_list("email", "full_name"),
        *Designation.objects.order_by(
            "designation_type__code", "school", "holder__email", "designated_on"
        ).values_list(
            "designation_type__code",
            "school",
            "holder__email",
            "status",
            "designated_on",
            "availability_days_per_week",
        ),
        *Deployment.objects.order_by("leader__email", "starts_on").values_list(
            "leader__email",
            "supported_school",
            "state",
            "starts_on",
            "ends_on",
            "days_agreed",
            "broker__name",
        ),
        *TimeEntry.objects.order_by("person__email", "worked_on").values_list(
            "person__email", "worked_on", "days"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _generated_then_rolled_back(seed: int, scale: str = TINY) -> tuple[str, dict[str, int]]:
    try:
        with transaction.atomic():
            _generate(seed, scale)
            raise _Rollback(
                (
                    _digest(),
                    {
                        "schools": School.objects.count(),
                        "designations": Designation.objects.count(),
                        "deployments": Deployment.objects.count(),
                        "time entries": TimeEntry.objects.count(),
                    },
                )
            )
    except _Rollback as rollback:
        return rollback.result


@pytest.fixture
def generated(db):
    return _generate()


def test_the_same_seed_and_scale_give_the_same_rows_and_counts_grow_with_the_scale(db):
    first, small = _generated_then_rolled_back(7)
    again, _ = _generated_then_rolled_back(7)
    _, larger = _generated_then_rolled_back(7, "0.004")
    assert first == again
    assert LocalAuthority.objects.count() == 0
    for name, count in small.items():
        assert larger[name] > count * 1.5, name


def test_england_has_152_authorities_the_contract_principals_and_a_second_run_is_refused(generated):
    assert LocalAuthority.objects.count() == 152
    assert LocalAuthority.objects.values("region").distinct().count() == 9
    assert School.objects.open().count() == 48
    assert School.objects.exclude(pk__in=School.objects.open()).count() == 52
    assert "total" in generated
    with pytest.raises(CommandError, match="empty database.*migrate"):
        _generate()
    _principals_exist_with_their_roles_and_no_usable_password()


def _principals_exist_with_their_roles_and_no_usable_password() -> None:
    for email, role in PRINCIPALS.items():
        user = User.objects.get(email=email)
        assert not user.has_usable_password()
        assert Membership.objects.filter(user=user, role=role).exists(), email
    # The busiest authority: the one with most open establishments.
    busiest = max(
        LocalAuthority.objects.all(),
        key=lambda la: (School.objects.open().filter(local_authority=la).count(), -int(la.code)),
    )
    officer = Membership.objects.get(user__email="la.officer@bench.invalid")
    assert officer.organisation.local_authority == busiest
    broker = Membership.objects.get(user__email="broker@bench.invalid").organisation
    assert SupportRequest.objects.filter(broker=broker, status__in=WAITING_REQUEST_STATUSES).exists()
    leader = User.objects.get(email="leader@bench.invalid")
    assert Designation.objects.filter(holder=leader, designation_type__code="NLE", status="active").exists()
    live = Deployment.objects.filter(leader=leader, state=DeploymentState.ACTIVE).get()
    assert live.time_entries.exists() and live.reviews.exists()
    assert live.supported_school.local_authority == busiest
    head = Membership.objects.get(user__email="head@bench.invalid", role=Role.HEADTEACHER)
    assert head.organisation.school == live.supported_school


def _states_agree_with_their_records() -> None:
    for deployment in Deployment.objects.exclude(state=DeploymentState.PROPOSED):
        agreement = deployment.agreements.get()
        assert agreement.status == "agreed" and agreement.signoffs.count() == 3
    assert not Deployment.objects.filter(
        state=DeploymentState.COMPLETED, final_evaluation__isnull=True
    ).exists()
    assert (
        not Deployment.objects.exclude(state=DeploymentState.COMPLETED)
        .filter(final_evaluation__isnull=False)
        .exists()
    )
    assert not TimeEntry.objects.filter(
        deployment__state__in=[DeploymentState.AGREED, DeploymentState.PROPOSED]
    ).exists()
    assert (
        not Agreement.objects.filter(status="awaiting_agreement")
        .exclude(deployment__state="proposed")
        .exists()
    )
    for leader in User.objects.filter(deployments_led__isnull=False).distinct():
        assert leader.deployments_led.filter(state__in=LIVE_STATES).count() <= 1
    assert ProgressReview.objects.filter(progress__isnull=False).exists()
    _claims_were_decided_as_the_funding_service_decides()
    for deployment in Deployment.objects.filter(reviews__isnull=False).distinct()[:20]:
        latest = deployment.reviews.order_by("-reviewed_on", "-pk").first()
        assert deployment.latest_review_on == latest.reviewed_on
        assert deployment.latest_red == latest.progress.filter(rag="red").count()


def _claims_were_decided_as_the_funding_service_decides() -> None:
    """Above the second-approval amount a decided claim has two approvals by two people, the first
    moving it to awaiting the second; up to it, one."""
    decided = Claim.objects.filter(state__in=[ClaimState.APPROVED, ClaimState.PAID])
    assert decided.exists()
    for claim in decided.prefetch_related("approvals", "events"):
        approvers = {a.approver_id for a in claim.approvals.all()}
        actions = [e.action for e in sorted(claim.events.all(), key=lambda e: (e.at, e.pk))]
        if claim.total > second_approval_above():
            assert len(approvers) == claim.approvals.count() == 2, claim.reference
            assert actions[:3] == [ClaimAction.SUBMITTED, ClaimAction.FIRST_APPROVAL, ClaimAction.APPROVED]
        else:
            assert len(approvers) == claim.approvals.count() == 1, claim.reference
            assert actions[:2] == [ClaimAction.SUBMITTED, ClaimAction.APPROVED]


PAGES = [
    ("national.admin@bench.invalid", "/schools/"),
    ("la.officer@bench.invalid", "/schools/"),
    ("la.officer@bench.invalid", "/support/dashboard/"),
    ("leader@bench.invalid", "deployment"),
    ("head@bench.invalid", "deployment"),
    ("broker@bench.invalid", "deployment"),
    ("broker@bench.invalid", "request"),
]


def _url(user, page: str) -> str:
    if page == "deployment":
        deployment = Deployment.objects.get(
            leader__email="leader@bench.invalid", state=DeploymentState.ACTIVE
        )
        return f"/deployments/{deployment.pk}/"
    if page == "request":
        broker = Membership.objects.get(user=user).organisation
        waiting = SupportRequest.objects.filter(broker=broker, status__in=WAITING_REQUEST_STATUSES)
        return f"/support/requests/{waiting.order_by('-created_at').first().pk}/"
    return page


def test_the_generated_data_is_consistent_and_renders_the_benchmarked_pages_for_the_principals(
    generated, client
):
    """One generation for several checks: making the data is the slow part."""
    _states_agree_with_their_records()
    for email, page in PAGES:
        user = User.objects.get(email=email)
        client.force_login(user)
        url = _url(user, page)
        response = client.get(url)
        assert response.status_code == 200, (email, url)


def _rows_without_keys_or_write_times(model, now) -> list[tuple]:
    """Every row's own values: no primary or foreign keys (sequences differ between two runs), and
    times within the hour of ``now`` (the times rows were written, not the history's) as "now"."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key or f.is_relation)]

    def value(v):
        if isinstance(v, datetime.datetime) and abs(v - now) < datetime.timedelta(hours=1):
            return "now"
        return v

    rows = model.objects.values_list(*(f.attname for f in fields))
    return sorted((tuple(value(v) for v in row) for row in rows), key=repr)


GENERATED_MODELS = [
    "schools.Inspection", "schools.Judgement", "schools.School", "accounts.User",
    "accounts.Organisation", "accounts.Membership", "brokerage.SupportRequest",
    "brokerage.ShortlistEntry", "deployments.Deployment", "deployments.Agreement",
    "deployments.Signoff", "deployments.Objective", "deployments.TimeEntry",
    "deployments.ProgressReview", "deployments.ObjectiveProgress", "deployments.FinalEvaluation",
    "deployments.ObjectiveOutcomeRecord", "designations.Designation", "funding.Claim",
    "funding.ClaimLine", "funding.ClaimedTime", "funding.ClaimApproval", "funding.ClaimEvent",
    "funding.Payment",
]  # (FundingNotice's key names its deployment's id, which differs between runs: it is counted)


def _everything(seed: int) -> tuple[str, dict[str, list[tuple]]]:
    from django.apps import apps
    from django.utils import timezone

    try:
        with transaction.atomic():
            _generate(seed)
            now = timezone.now()
            raise _Rollback(
                (
                    _digest(),
                    {
                        **{
                            label: _rows_without_keys_or_write_times(apps.get_model(label), now)
                            for label in GENERATED_MODELS
                        },
                        "funding.FundingNotice": [(apps.get_model("funding.FundingNotice").objects.count(),)],
                    },
                )
            )
    except _Rollback as rollback:
        return rollback.result


@pytest.mark.postgres
def test_on_postgresql_copy_writes_the_rows_bulk_create_writes(db, monkeypatch):
    """COPY (PostgreSQL) and bulk_create (the path every other database takes) give the same rows."""
    from demo.national import copying

    copied_digest, copied = _everything(7)
    monkeypatch.setattr(copying, "can_copy", lambda model: False)
    created_digest, created = _everything(7)
    assert copied_digest == created_digest
    for label, rows in created.items():
        assert len(copied[label]) == len(rows), label
        assert copied[label] == rows, label
    assert created["funding.ClaimEvent"] and created["deployments.ObjectiveProgress"]
