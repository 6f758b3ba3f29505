"""Retention: each rule removes what is past its period and nothing else (a record just inside it
stays); a dry run changes nothing; a second run finds nothing; queries grow with batches, not rows;
the command reports what it did; the periods are data."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from accounts.models import AccessRequest, Invitation, Membership, User
from dataprotection.choices import RetentionKind
from dataprotection.models import RetentionRule, RetentionRun
from dataprotection.retention import apply_retention
from deployments.choices import DeploymentState
from deployments.models import Deployment, TimeEntry, Unavailability
from designations.choices import ApplicationState, DesignationStatus
from designations.models import Application, EvidenceFile, RefereeRequest
from designations.services.lifecycle import add_months
from funding.models import Claim, Payment
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory, UserFactory
from tests.factories.deployments import UnavailabilityFactory
from tests.factories.designations import (
    ApplicationFactory,
    DesignationFactory,
    EvidenceFileFactory,
    RefereeRequestFactory,
)
from tests.factories.finance import move_to
from tests.factories.funding import ClaimSetting, make_claim

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _second_approvals(settings):
    """move_to pays a claim through two approvals: a day's claim (£450) must need the second."""
    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"


def months_ago(months: int, *, days: int = 0) -> datetime.datetime:
    """``months`` calendar months ago, and ``days`` more (negative: fewer)."""
    now = timezone.localtime()
    return datetime.datetime.combine(add_months(now.date(), -months), now.timetz()) - days * DAY


def _application(decided_at, state=ApplicationState.REJECTED):
    application = ApplicationFactory(state=state, statement="Private statement", referee_name="Robin Ref")
    Application.objects.filter(pk=application.pk).update(decided_at=decided_at)
    evidence = EvidenceFileFactory(application=application)
    RefereeRequestFactory(application=application, evidence="Private reference")
    return application, evidence


def test_unsuccessful_applications_go_with_their_evidence_and_references_after_two_years(
    django_capture_on_commit_callbacks,
):
    old, old_evidence = _application(months_ago(24, days=1))
    withdrawn, _ = _application(months_ago(24, days=1), state=ApplicationState.WITHDRAWN)
    recent, recent_evidence = _application(months_ago(24, days=-1))
    designated, _ = _application(months_ago(60), state=ApplicationState.DESIGNATED)
    stored = old_evidence.file.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention()

    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, designated.pk}
    assert not EvidenceFile.objects.filter(application_id=old.pk).exists()
    assert not RefereeRequest.objects.filter(application_id__in=[old.pk, withdrawn.pk]).exists()
    assert not default_storage.exists(stored)
    assert default_storage.exists(recent_evidence.file.name)
    history = Application.history.filter(id=old.pk)
    assert history.exists(), "the history stays"
    assert set(history.values_list("statement", "referee_name")) == {("", "")}
    assert Application.history.filter(id=recent.pk, statement="Private statement").exists()
    assert run.report[RetentionKind.UNSUCCESSFUL_APPLICATIONS]["count"] == 2


def test_accounts_unused_for_three_years_are_anonymised():
    unused = UserFactory(full_name="Una Used", email="una@example.org", phone="01632 960 002",
                         last_login=months_ago(36, days=1))
    MembershipFactory(user=unused)
    UnavailabilityFactory(leader=unused)
    recent = UserFactory(last_login=months_ago(36, days=-1))
    never = UserFactory(last_login=None, date_joined=months_ago(37))
    designated = UserFactory(last_login=months_ago(48))
    DesignationFactory(holder=designated)
    superuser = UserFactory(last_login=months_ago(48), is_superuser=True)

    run = apply_retention()

    unused.refresh_from_db()
    assert unused.full_name == f"Former user {unused.pk}"
    assert unused.email.endswith("@anonymised.invalid") and unused.phone == ""
    assert not unused.is_active and not unused.has_usable_password()
    assert not Membership.objects.filter(user=unused).exists()
    assert not Unavailability.objects.filter(leader=unused).exists()
    assert not User.history.filter(id=unused.pk, email="una@example.org").exists()
    assert not User.history.filter(id=unused.pk, full_name="Una Used").exists()
    assert User.objects.get(pk=never.pk).email.endswith("@anonymised.invalid")
    for kept in (recent, designated, superuser):
        assert not User.objects.get(pk=kept.pk).email.endswith("@anonymised.invalid")
    assert set(run.report[RetentionKind.UNUSED_ACCOUNTS]["ids"]) == {unused.pk, never.pk}


def _ended_deployment(ended_at):
    setting = ClaimSetting.create()
    setting.log()
    claim = move_to(setting, make_claim(setting), "paid")
    Deployment.objects.filter(pk=setting.deployment.pk).update(
        state=DeploymentState.COMPLETED, ends_on=timezone.localdate(ended_at), state_changed_at=ended_at
    )
    return setting.deployment, claim


def test_deployments_and_their_money_go_seven_years_after_they_end(django_capture_on_commit_callbacks):
    old, old_claim = _ended_deployment(months_ago(84, days=1))
    recent, recent_claim = _ended_deployment(months_ago(84, days=-1))
    leader = old.leader

    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention()

    assert not Deployment.objects.filter(pk=old.pk).exists()
    assert not Claim.objects.filter(pk=old_claim.pk).exists()
    assert not Payment.objects.filter(claim_id=old_claim.pk).exists()
    assert not TimeEntry.objects.filter(deployment_id=old.pk).exists()
    assert Deployment.objects.filter(pk=recent.pk).exists()
    assert Payment.objects.filter(claim=recent_claim).exists()
    assert User.objects.filter(pk=leader.pk).exists()
    assert Deployment.history.filter(id=old.pk).exists()
    assert run.report[RetentionKind.ENDED_DEPLOYMENTS]["ids"] == [old.pk]


def test_a_deployment_still_under_way_is_kept_however_old():
    deployment, _ = _ended_deployment(months_ago(100))
    Deployment.objects.filter(pk=deployment.pk).update(state=DeploymentState.ACTIVE)
    apply_retention()
    assert Deployment.objects.filter(pk=deployment.pk).exists()


def _access_request(decided_at):
    request = AccessRequest.objects.create(
        full_name="Asha Asker", email="asha@example.org", organisation_kind=OrganisationKind.SCHOOL,
        school=SchoolFactory(), role=Role.SCHOOL_LEADER, reason="I lead maths",
    )
    AccessRequest.objects.filter(pk=request.pk).update(decided_at=decided_at)
    return request


def _invitation(expires_at):
    return Invitation.objects.create(
        email=f"invitee{expires_at.timestamp():.0f}@example.org", organisation=OrganisationFactory(),
        role=Role.LA_OFFICER, sent_at=expires_at - 14 * DAY, expires_at=expires_at,
    )


def test_access_requests_invitations_and_unavailability_go_after_their_periods():
    old_request = _access_request(months_ago(6, days=1))
    recent_request = _access_request(months_ago(6, days=-1))
    old_invitation = _invitation(months_ago(6, days=1))
    recent_invitation = _invitation(months_ago(6, days=-1))
    UnavailabilityFactory(starts_on=timezone.localdate(months_ago(14)),
                          ends_on=timezone.localdate(months_ago(12, days=1)))
    recent_absence = UnavailabilityFactory(starts_on=timezone.localdate(months_ago(14)),
                                           ends_on=timezone.localdate(months_ago(12, days=-1)))

    apply_retention()

    assert list(AccessRequest.objects.values_list("pk", flat=True)) == [recent_request.pk]
    assert set(AccessRequest.history.filter(id=old_request.pk).values_list("email", "reason")) == {
        ("removed@anonymised.invalid", "")
    }
    assert list(Invitation.objects.values_list("pk", flat=True)) == [recent_invitation.pk]
    assert not Invitation.history.filter(id=old_invitation.pk, email__startswith="invitee").exists()
    assert list(Unavailability.objects.values_list("pk", flat=True)) == [recent_absence.pk]


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nothing():
    old, _ = _application(months_ago(30))
    unused = UserFactory(last_login=months_ago(40))

    dry = apply_retention(dry_run=True)
    assert Application.objects.filter(pk=old.pk).exists()
    assert User.objects.get(pk=unused.pk).email == unused.email
    assert dry.dry_run and dry.report[RetentionKind.UNSUCCESSFUL_APPLICATIONS]["ids"] == [old.pk]

    first = apply_retention()
    second = apply_retention()
    assert first.report[RetentionKind.UNSUCCESSFUL_APPLICATIONS]["ids"] == [old.pk]
    assert all(outcome["count"] == 0 for outcome in second.report.values())
    assert RetentionRun.objects.count() == 3


def _queries_to_remove(count: int, batch_size: int) -> int:
    for _ in range(count):
        _application(months_ago(30))
        UserFactory(last_login=months_ago(40))
        _access_request(months_ago(7))
    with CaptureQueriesContext(connection) as queries:
        apply_retention(batch_size=batch_size)
    return len(queries)


def test_queries_grow_with_batches_not_records():
    few = _queries_to_remove(2, batch_size=50)
    many = _queries_to_remove(6, batch_size=50)
    assert few == many


def test_batches_of_one_remove_everything_too():
    for _ in range(3):
        _application(months_ago(30))
    run = apply_retention(batch_size=1)
    assert run.report[RetentionKind.UNSUCCESSFUL_APPLICATIONS]["count"] == 3
    assert not Application.objects.exists()


def test_a_longer_period_set_in_the_admin_keeps_more():
    RetentionRule.objects.filter(kind=RetentionKind.UNSUCCESSFUL_APPLICATIONS).update(months=48)
    old, _ = _application(months_ago(30))
    apply_retention()
    assert Application.objects.filter(pk=old.pk).exists()


def test_the_command_lists_what_it_would_do_and_changes_nothing(capsys):
    old, _ = _application(months_ago(30))
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would remove 1: Unsuccessful applications, their evidence and references" in out
    assert str(old.pk) in out and "nothing changed" in out
    assert Application.objects.filter(pk=old.pk).exists()
    call_command("apply_retention")
    assert "Removed 1: Unsuccessful applications" in capsys.readouterr().out
    assert not Application.objects.filter(pk=old.pk).exists()


def test_the_daily_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dataprotection.apply_retention" in tasks


def test_the_daily_task_applies_retention(eager_celery):
    from dataprotection.tasks import apply_retention_daily

    old, _ = _application(months_ago(30))
    report = apply_retention_daily.delay().get()
    assert report[RetentionKind.UNSUCCESSFUL_APPLICATIONS]["ids"] == [old.pk]


def test_a_current_designation_holder_is_never_anonymised():
    holder = UserFactory(last_login=months_ago(50))
    DesignationFactory(holder=holder, status=DesignationStatus.ACTIVE)
    apply_retention()
    assert User.objects.get(pk=holder.pk).is_active
