"""An NLE's school is a national support school for as long as the NLE's designation lasts."""

import datetime

import pytest
from django.utils import timezone

from designations.choices import ApplicationState, DesignationStatus
from designations.models import NationalSupportSchool
from designations.services.lifecycle import de_designate, designate, lapse, reinstate, suspend
from tests.factories.designations import ApplicationFactory, ApplicationRoundFactory


def designate_from_approved(designation_type, applicant, school, actor, on=None):
    application = ApplicationFactory(
        applicant=applicant,
        school=school,
        round=ApplicationRoundFactory(designation_type=designation_type),
        state=ApplicationState.APPROVED_PENDING_TRAINING,
    )
    return designate(application, actor=actor, on=on)


@pytest.fixture
def nle_designation(national_admin, nle_type, headteacher, outstanding_home_school):
    return designate_from_approved(
        nle_type, headteacher, outstanding_home_school, national_admin, on=datetime.date(2026, 9, 1)
    )


def test_designating_an_nle_makes_their_school_a_national_support_school(
    nle_designation, outstanding_home_school
):
    [period] = NationalSupportSchool.objects.all()
    assert (period.school, period.designation) == (outstanding_home_school, nle_designation)
    assert (period.started_on, period.ended_on) == (datetime.date(2026, 9, 1), None)


def test_an_lle_designation_makes_no_national_support_school(
    national_admin, lle_type, headteacher, outstanding_home_school
):
    designate_from_approved(lle_type, headteacher, outstanding_home_school, national_admin)
    assert not NationalSupportSchool.objects.exists()


@pytest.mark.parametrize(
    "end",
    [
        lambda designation, actor: de_designate(designation, actor=actor, reason="Left headship."),
        lambda designation, actor: lapse(designation, actor=actor, reason="Left headship"),
    ],
    ids=["de-designation", "lapse"],
)
def test_ending_the_nle_designation_ends_the_national_support_school_and_keeps_its_record(
    nle_designation, national_admin, end
):
    end(nle_designation, national_admin)

    [period] = NationalSupportSchool.objects.all()
    assert period.ended_on == timezone.localdate()
    assert period.started_on == datetime.date(2026, 9, 1)
    assert period.history.count() == 2


def test_suspension_leaves_the_national_support_school_in_place(nle_designation, national_admin):
    suspend(nle_designation, actor=national_admin, reason="Investigation.")
    reinstate(nle_designation, actor=national_admin)
    assert NationalSupportSchool.objects.get().ended_on is None


def test_a_new_designation_after_de_designation_opens_a_new_period(
    nle_designation, national_admin, nle_type, headteacher, outstanding_home_school
):
    de_designate(nle_designation, actor=national_admin, reason="Left headship.")
    again = designate_from_approved(nle_type, headteacher, outstanding_home_school, national_admin)

    periods = NationalSupportSchool.objects.order_by("pk")
    assert [(p.designation, p.ended_on) for p in periods] == [
        (nle_designation, timezone.localdate()),
        (again, None),
    ]
    assert again.status == DesignationStatus.ACTIVE
