"""The migrations that added created_at and updated_at fill them from what the rows already knew
(their history, state changes, submissions), each model in one UPDATE."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from deployments.models import Deployment, DeploymentTransition
from designations.models import Designation
from funding.models import Claim
from schools.models import School
from tests.factories import SchoolFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import DesignationFactory
from tests.factories.funding import ClaimSetting, make_claim

pytestmark = pytest.mark.django_db

MIGRATED = datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC)
FIRST = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
LAST = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)


def backfill(module: str) -> None:
    importlib.import_module(module).backfill(apps, None)


def as_just_migrated(model) -> None:
    model.objects.update(created_at=MIGRATED, updated_at=MIGRATED)


def test_schools_take_their_first_and_last_history_dates():
    school, unrecorded = SchoolFactory(), SchoolFactory()
    school.history.update(history_date=FIRST)
    school.name = "Renamed"
    school.save()
    school.history.filter(history_date__gt=FIRST).update(history_date=LAST)
    unrecorded.history.all().delete()
    as_just_migrated(School)
    backfill("schools.migrations.0006_sync_timestamps")
    school.refresh_from_db()
    unrecorded.refresh_from_db()
    assert (school.created_at, school.updated_at) == (FIRST, LAST)
    assert (unrecorded.created_at, unrecorded.updated_at) == (MIGRATED, MIGRATED)


def test_designations_take_their_history_dates():
    designation = DesignationFactory()
    designation.history.update(history_date=FIRST)
    as_just_migrated(Designation)
    backfill("designations.migrations.0009_sync_timestamps")
    designation.refresh_from_db()
    assert (designation.created_at, designation.updated_at) == (FIRST, FIRST)


def test_deployments_and_their_state_changes_take_when_they_changed():
    deployment = DeploymentFactory()
    change = DeploymentTransition.objects.create(
        deployment=deployment, from_state="proposed", to_state="agreed"
    )
    DeploymentTransition.objects.filter(pk=change.pk).update(at=FIRST)
    deployment.history.update(history_date=FIRST)
    Deployment.objects.filter(pk=deployment.pk).update(state_changed_at=LAST)
    as_just_migrated(Deployment)
    as_just_migrated(DeploymentTransition)
    backfill("deployments.migrations.0008_sync_timestamps")
    deployment.refresh_from_db()
    change.refresh_from_db()
    assert deployment.updated_at == LAST
    assert (change.created_at, change.updated_at) == (FIRST, FIRST)


def test_claims_take_their_submission_and_latest_change():
    setting = ClaimSetting.create()
    setting.log_days(1)
    claim = make_claim(setting)
    Claim.objects.filter(pk=claim.pk).update(submitted_at=FIRST, state_changed_at=FIRST)
    claim.events.update(at=LAST)
    as_just_migrated(Claim)
    backfill("funding.migrations.0004_sync_timestamps")
    claim.refresh_from_db()
    assert (claim.created_at, claim.updated_at) == (FIRST, LAST)
