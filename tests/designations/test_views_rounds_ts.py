"""A teaching-school lead opens, edits and closes recruitment rounds only for their own pool."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind
from designations.models import ApplicationRound, DesignationType
from tests.factories import OrganisationFactory
from tests.factories.designations import ApplicationRoundFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def round_data(designation_type, teaching_school, **overrides) -> dict:
    return {
        "designation_type": designation_type.pk, "name": "Pool round",
        "opens_on": TODAY.isoformat(), "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "local_authority": "", "region": "", "teaching_school": teaching_school.pk if teaching_school else "",
        **overrides,
    }


@pytest.fixture
def other_teaching_school(other_school):
    return OrganisationFactory(
        kind=OrganisationKind.TEACHING_SCHOOL, name="Other Teaching School", school=other_school,
        local_authority=other_school.local_authority,
    )


def sle_round(teaching_school) -> ApplicationRound:
    return ApplicationRoundFactory(
        designation_type=DesignationType.objects.get(code="SLE"), teaching_school=teaching_school
    )


def test_a_lead_opens_an_sle_round_for_their_own_teaching_school(
    client, teaching_school_lead, teaching_school_org
):
    client.force_login(teaching_school_lead)
    sle = DesignationType.objects.get(code="SLE")
    response = client.post(reverse("designations:round-create"), round_data(sle, teaching_school_org))
    assert response.status_code == 302
    assert ApplicationRound.objects.get(name="Pool round").teaching_school == teaching_school_org


def test_a_lead_cannot_open_a_round_for_another_teaching_school(
    client, teaching_school_lead, other_teaching_school
):
    client.force_login(teaching_school_lead)
    sle = DesignationType.objects.get(code="SLE")
    response = client.post(reverse("designations:round-create"), round_data(sle, other_teaching_school))
    assert response.status_code == 200
    assert "teaching_school" in response.context["form"].errors
    assert not ApplicationRound.objects.filter(name="Pool round").exists()


def test_a_lead_cannot_open_an_lle_round(client, teaching_school_lead):
    client.force_login(teaching_school_lead)
    lle = DesignationType.objects.get(code="LLE")
    response = client.post(reverse("designations:round-create"), round_data(lle, None))
    assert response.status_code == 200
    assert "designation_type" in response.context["form"].errors
    assert not ApplicationRound.objects.filter(name="Pool round").exists()


def test_the_form_offers_a_lead_only_their_teaching_school_and_its_types(
    client, teaching_school_lead, teaching_school_org, other_teaching_school
):
    client.force_login(teaching_school_lead)
    form = client.get(reverse("designations:round-create")).context["form"]
    assert list(form.fields["teaching_school"].queryset) == [teaching_school_org]
    assert {t.code for t in form.fields["designation_type"].queryset} == {"SLE"}


def test_a_lead_edits_and_closes_their_own_round(client, teaching_school_lead, teaching_school_org):
    application_round = sle_round(teaching_school_org)
    client.force_login(teaching_school_lead)
    edit = client.post(
        reverse("designations:round-update", args=[application_round.pk]),
        round_data(application_round.designation_type, teaching_school_org, name="Renamed"),
    )
    assert edit.status_code == 302
    close = client.post(reverse("designations:round-close", args=[application_round.pk]), {"confirm": "yes"})
    assert close.status_code == 302
    application_round.refresh_from_db()
    assert application_round.name == "Renamed"
    assert application_round.closed_early_on == TODAY


@pytest.mark.parametrize("url_name", ["designations:round-update", "designations:round-close"])
def test_a_lead_cannot_touch_another_teaching_schools_round(
    client, teaching_school_lead, other_teaching_school, url_name
):
    application_round = sle_round(other_teaching_school)
    client.force_login(teaching_school_lead)
    assert client.get(reverse(url_name, args=[application_round.pk])).status_code == 403
    assert client.post(reverse(url_name, args=[application_round.pk]), {}).status_code == 403


def test_a_national_administrator_edits_any_teaching_schools_round(
    client, national_admin, other_teaching_school
):
    application_round = sle_round(other_teaching_school)
    client.force_login(national_admin)
    assert client.get(reverse("designations:round-update", args=[application_round.pk])).status_code == 200
    assert client.get(reverse("designations:round-close", args=[application_round.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["la_officer", "school_leader", "commissioner", "outsider"])
def test_others_cannot_manage_rounds(client, request, persona, teaching_school_org):
    application_round = sle_round(teaching_school_org)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("designations:round-create")).status_code == 403
    assert client.get(reverse("designations:round-update", args=[application_round.pk])).status_code == 403
    assert client.get(reverse("designations:round-close", args=[application_round.pk])).status_code == 403


def test_the_round_list_offers_a_lead_changes_only_to_their_own_rounds(
    client, teaching_school_lead, teaching_school_org, other_teaching_school
):
    own, other = sle_round(teaching_school_org), sle_round(other_teaching_school)
    client.force_login(teaching_school_lead)
    page = client.get(reverse("designations:round-list")).content.decode()
    assert reverse("designations:round-update", args=[own.pk]) in page
    assert reverse("designations:round-update", args=[other.pk]) not in page


def test_a_round_entirely_in_the_past_is_refused(client, teaching_school_lead, teaching_school_org):
    client.force_login(teaching_school_lead)
    sle = DesignationType.objects.get(code="SLE")
    data = round_data(
        sle, teaching_school_org,
        opens_on=(TODAY - datetime.timedelta(days=60)).isoformat(),
        closes_on=(TODAY - datetime.timedelta(days=30)).isoformat(),
    )
    response = client.post(reverse("designations:round-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["closes_on"] == ["The close date must be today or in the future"]
    assert not ApplicationRound.objects.exists()


def test_overlapping_rounds_for_one_teaching_school_are_refused(
    client, teaching_school_lead, teaching_school_org
):
    existing = sle_round(teaching_school_org)
    client.force_login(teaching_school_lead)
    sle = DesignationType.objects.get(code="SLE")
    response = client.post(reverse("designations:round-create"), round_data(sle, teaching_school_org))
    assert response.status_code == 200
    [message] = response.context["form"].errors["opens_on"]
    assert message.startswith(f"{existing.name} already recruits to this pool from")
    assert ApplicationRound.objects.count() == 1


def test_a_round_in_the_region_narnia_is_refused(client, national_admin):
    client.force_login(national_admin)
    nle = DesignationType.objects.get(code="NLE")
    response = client.post(reverse("designations:round-create"), round_data(nle, None, region="Narnia"))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not ApplicationRound.objects.exists()


def test_the_round_dates_are_asked_with_the_gov_uk_date_input(client, national_admin):
    client.force_login(national_admin)
    page = client.get(reverse("designations:round-create")).content.decode()
    assert 'name="opens_on_day"' in page and 'name="closes_on_year"' in page
