"""``updated_at`` moves when a resource changes through its service, including changes written with
``QuerySet.update``/``bulk_update`` (which Django's ``auto_now`` skips) and changes to the child
rows the API shows with it; and a GIAS import moves it only for the schools that really changed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from brokerage import services as brokerage_services
from deployments import services as deployment_services
from deployments.choices import DeploymentState, StateReason
from deployments.models import DeploymentTransition
from designations.choices import DesignationStatus
from designations.models import Specialism
from designations.services import applications as application_services
from designations.services import lifecycle
from funding import services as funding_services
from schools.importers.inspections import refresh_latest_inspections
from schools.models import School
from schools.services import import_file
from tests.factories import SchoolFactory, graded_inspection
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import TimeEntryFactory, agreed_deployment
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    CriterionFactory,
    DesignationFactory,
    DesignationTypeFactory,
)
from tests.factories.funding import ClaimSetting, make_claim
from tests.factories.schooldays import latest_school_day

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
GIAS = Path(__file__).resolve().parent.parent / "fixtures" / "gias" / "edubase_sample_2018_header.csv"
TODAY = timezone.localdate()


def long_ago(*objects) -> None:
    for obj in objects:
        type(obj).objects.filter(pk=obj.pk).update(updated_at=LONG_AGO)


def was_updated(obj) -> bool:
    obj.refresh_from_db(fields=["updated_at"])
    return obj.updated_at > LONG_AGO


def test_a_new_row_is_created_and_updated_now():
    before = timezone.now()
    school = SchoolFactory()
    assert before <= school.created_at <= school.updated_at <= timezone.now()


def test_a_partial_save_writes_updated_at_too():
    designation_type = DesignationTypeFactory()
    long_ago(designation_type)
    designation_type.name = "Specialist leader of governance"
    designation_type.save(update_fields=["name"])
    assert was_updated(designation_type)


def test_closing_a_round_early_updates_it():
    application_round = ApplicationRoundFactory()
    long_ago(application_round)
    application_round.closed_early_on = TODAY
    application_round.save(update_fields=["closed_early_on"])  # as the close-early page does
    assert was_updated(application_round)


# --- schools: the importers' bulk writes ----------------------------------------------------------


def test_a_gias_import_updates_only_the_schools_that_changed():
    import_file("gias", GIAS)
    School.objects.update(updated_at=LONG_AGO)
    changed = School.objects.order_by("urn").first()
    School.objects.filter(pk=changed.pk).update(name="A name the file will put right")
    import_file("gias", GIAS)
    updated = set(School.objects.filter(updated_at__gt=LONG_AGO).values_list("urn", flat=True))
    assert updated == {changed.urn}


def test_a_school_whose_latest_inspection_changes_is_updated():
    school, untouched = SchoolFactory(), SchoolFactory()
    graded_inspection(school, "good")
    School.objects.filter(pk=school.pk).update(latest_inspection=None)  # as before an import's refresh
    long_ago(school, untouched)
    refresh_latest_inspections([school.urn, untouched.urn])
    assert was_updated(school)
    assert not was_updated(untouched)


# --- designations and applications ----------------------------------------------------------------


def test_suspending_a_designation_updates_it(national_admin):
    designation = DesignationFactory()
    long_ago(designation)
    lifecycle.suspend(designation, actor=national_admin, reason="Under review.")
    designation.refresh_from_db()
    assert designation.status == DesignationStatus.SUSPENDED
    assert was_updated(designation)


def test_changing_only_a_drafts_specialisms_updates_the_application():
    application = ApplicationFactory()
    long_ago(application)
    specialism = Specialism.objects.first() or Specialism.objects.create(slug="maths", name="Maths")
    application_services.update_draft(application, actor=application.applicant, specialisms=[specialism])
    assert was_updated(application)


def test_rejudging_an_application_whose_results_change_updates_it():
    application = ApplicationFactory()
    CriterionFactory(designation_type=application.designation_type)
    application_services.eligibility.evaluate(application)
    long_ago(application)
    application.criterion_results.update(outcome="", explanation="")  # stale: the next judgement differs
    application_services.eligibility.evaluate(application)
    assert was_updated(application)


def test_rejudging_an_application_that_judges_the_same_leaves_it_alone():
    application = ApplicationFactory()
    CriterionFactory(designation_type=application.designation_type)
    application_services.eligibility.evaluate(application)
    long_ago(application)
    application_services.eligibility.evaluate(application)
    assert not was_updated(application)


# --- support requests, deployments and their state changes ----------------------------------------


def test_withdrawing_a_support_request_updates_it(commissioner, home_school, home_la_org):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    long_ago(request)
    brokerage_services.withdraw(request, actor=commissioner, reason="The school found its own support.")
    assert was_updated(request)


@pytest.fixture
def deployment(home_school, home_la_org):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    earlier = latest_school_day(home_school.local_authority_id, today=TODAY)
    return agreed_deployment(
        support_request=request, days_agreed=Decimal("10.0"), starts_on=earlier - datetime.timedelta(days=60)
    )


def test_pausing_a_deployment_updates_it_and_its_state_change_is_timestamped(deployment):
    long_ago(deployment)
    deployment_services.transition(
        deployment, DeploymentState.PAUSED, reason=StateReason.LEADER_UNAVAILABLE, check_permission=False
    )
    assert was_updated(deployment)
    change = DeploymentTransition.objects.get(deployment=deployment, to_state=DeploymentState.PAUSED)
    assert abs(change.updated_at - change.created_at) < datetime.timedelta(seconds=1)
    assert abs(change.updated_at - change.at) < datetime.timedelta(seconds=1)


def test_logging_time_on_an_earlier_day_updates_the_deployment(deployment, home_school):
    later = latest_school_day(home_school.local_authority_id, today=TODAY)
    earlier = latest_school_day(home_school.local_authority_id, today=later - datetime.timedelta(days=1))
    TimeEntryFactory(deployment=deployment, days=Decimal("1"), worked_on=later)
    deployment.last_time_logged_on = later
    deployment.save(update_fields=["last_time_logged_on"])
    long_ago(deployment)
    deployment_services.log_time(
        deployment, actor=deployment.leader, worked_on=earlier, days=Decimal("0.5"), today=TODAY
    )
    assert was_updated(deployment)


def test_recording_a_variation_updates_the_deployment(deployment, la_officer):
    long_ago(deployment)
    deployment_services.record_variation(deployment, actor=la_officer, extra_days=Decimal("2"), reason="More")
    assert was_updated(deployment)


def test_refreshing_the_latest_review_with_an_update_moves_updated_at(deployment):
    long_ago(deployment)
    deployment_services.work.refresh_latest_review(deployment)  # a QuerySet.update
    assert was_updated(deployment)


# --- claims -------------------------------------------------------------------------------------


def test_each_claim_decision_updates_it():
    setting = ClaimSetting.create()
    setting.log_days(1)
    claim = make_claim(setting)
    long_ago(claim)
    funding_services.request_information(claim, actor=setting.commissioner, note="Which days?")
    assert was_updated(claim)
    long_ago(claim)
    funding_services.give_information(claim, actor=setting.head, note="The first week.")
    assert was_updated(claim)
