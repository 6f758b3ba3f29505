"""Benchmark data for brokerage: designated leaders across England and their deployments, written
in bulk (no history), as years of use would leave them."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.choices import OrganisationKind
from accounts.models import Organisation
from brokerage.models import SupportRequest
from deployments.choices import DeploymentState
from deployments.models import Deployment
from designations.models import Designation, DesignationType, Specialism
from schools.models import School

BATCH_SIZE = 2000
STATES = [DeploymentState.ACTIVE, DeploymentState.ACTIVE, DeploymentState.COMPLETED, DeploymentState.PAUSED]


def generate_leaders(count: int) -> list[Designation]:
    """``count`` active, trained LLEs at random schools, each with two specialisms."""
    rng = random.Random("syslead-bench-leaders")  # noqa: S311 - benchmark data, not security
    User = get_user_model()
    today = timezone.localdate()
    lle = DesignationType.objects.get(code="LLE")
    national, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.NATIONAL_BODY, name="Bench designating body"
    )
    schools = list(School.objects.values_list("pk", flat=True))
    users = User.objects.bulk_create(
        [User(email=f"leader{n}@bench.invalid", full_name=f"Leader {n}") for n in range(count)],
        batch_size=BATCH_SIZE,
    )
    designations = Designation.objects.bulk_create(
        [
            Designation(
                holder=user,
                school_id=rng.choice(schools),
                designation_type=lle,
                designating_organisation=national,
                designated_on=today - datetime.timedelta(days=400),
                training_completed_on=today - datetime.timedelta(days=300),
                availability_days_per_week=Decimal(rng.choice(["0.5", "1.0", "1.5", "2.0"])),
            )
            for user in users
        ],
        batch_size=BATCH_SIZE,
    )
    specialisms = list(Specialism.objects.values_list("pk", flat=True))
    through = Designation.specialisms.through
    through.objects.bulk_create(
        [
            through(designation_id=d.pk, specialism_id=s)
            for d in designations
            for s in rng.sample(specialisms, 2)
        ],
        batch_size=BATCH_SIZE,
    )
    return designations


def generate_deployments(designations: list[Designation], count: int, commissioner: Organisation) -> int:
    """``count`` deployments of these leaders for random schools, a request each."""
    rng = random.Random("syslead-bench-deployments")  # noqa: S311
    today = timezone.localdate()
    schools = list(
        School.objects.filter(local_authority=commissioner.local_authority).values_list("pk", flat=True)
    )
    requests = SupportRequest.objects.bulk_create(
        [
            SupportRequest(
                school_id=rng.choice(schools),
                commissioner=commissioner,
                broker=commissioner,
                title=f"Request {n}",
                needs_description="Benchmark request.",
            )
            for n in range(count)
        ],
        batch_size=BATCH_SIZE,
    )
    deployments = []
    for request in requests:
        designation = rng.choice(designations)
        starts_on = today - datetime.timedelta(days=rng.randint(0, 500))
        deployments.append(
            Deployment(
                support_request=request,
                designation=designation,
                leader_id=designation.holder_id,
                leader_school_id=designation.school_id,
                supported_school_id=request.school_id,
                commissioner=commissioner,
                broker=commissioner,
                state=rng.choice(STATES),
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=rng.randint(60, 700)),
                days_per_week=Decimal("0.5"),
                days_agreed=Decimal("20"),
                next_review_on=today + datetime.timedelta(days=rng.randint(-30, 60)),
            )
        )
    Deployment.objects.bulk_create(deployments, batch_size=BATCH_SIZE)
    return len(deployments)
