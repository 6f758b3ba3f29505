"""The designations part of the demo data shows designations working, and building it twice
changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import seed_accounts_demo
from accounts.models import User
from designations.choices import AUTOMATIC_CHECKS, CriterionOutcome
from designations.demo import seed_designations_demo
from designations.models import ApplicationRound, DeDesignationCase, Designation, LeadershipPost
from designations.queries import open_rounds_for
from designations.services import preview
from schools.demo import seed_schools_demo

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Designation.objects.count(),
        Designation.history.count(),
        LeadershipPost.objects.count(),
        ApplicationRound.objects.count(),
        DeDesignationCase.objects.count(),
    )


def test_demo_designations_are_repeatable_and_let_the_demo_head_apply(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_outcodes", verbosity=0, stdout=StringIO())
    seed_accounts_demo(seed_schools_demo())
    seed_designations_demo()
    first = _counts()
    seed_designations_demo()
    assert _counts() == first
    assert first[0] >= 20

    head = User.objects.get(email="head@norfolk.demo")
    lle_round = next(
        r for r in open_rounds_for(head, timezone.localdate()) if r.designation_type.code == "LLE"
    )
    judged = preview(head, head.posts.get().school, lle_round.designation_type)
    automatic = [j for j in judged if j.kind in AUTOMATIC_CHECKS]
    assert automatic and all(j.outcome == CriterionOutcome.MET for j in automatic)

    pool = Designation.objects.filter(
        designation_type__code="SLE", designating_organisation__kind="teaching_school"
    )
    assert pool.count() == 10
    assert DeDesignationCase.objects.filter(status="open").count() == 1
