import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind
from designations.choices import BrokeringRule, CriterionCheck, DesignatingBody, HolderKind, LeadershipRole
from designations.models import ApplicationRound, Criterion, DesignationType, TrainingRequirement
from tests.factories import OrganisationFactory
from tests.factories.designations import (
    ApplicationRoundFactory,
    CriterionFactory,
    CriterionResultFactory,
    DesignationTypeFactory,
    OfstedRuleFactory,
    TrainingRequirementFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NOT_ADMINS = ["la_officer", "teaching_school_lead", "school_leader", "commissioner", "associate", "outsider"]


def management_urls() -> list[str]:
    designation_type = DesignationTypeFactory(code="DLE")
    criterion = CriterionFactory(designation_type=designation_type)
    training = TrainingRequirementFactory(designation_type=designation_type)
    application_round = ApplicationRoundFactory(designation_type=designation_type)
    return [
        reverse("designations:type-create"),
        reverse("designations:type-update", kwargs={"code": "DLE"}),
        reverse("designations:criterion-create", kwargs={"code": "DLE"}),
        reverse("designations:criterion-update", kwargs={"code": "DLE", "pk": criterion.pk}),
        reverse("designations:training-create", kwargs={"code": "DLE"}),
        reverse("designations:training-update", kwargs={"code": "DLE", "pk": training.pk}),
        reverse("designations:round-create"),
        reverse("designations:round-update", kwargs={"pk": application_round.pk}),
        reverse("designations:round-close", kwargs={"pk": application_round.pk}),
    ]


def test_national_administrators_can_open_every_management_page(client, national_admin):
    client.force_login(national_admin)
    for url in management_urls():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_everyone_else_is_refused_the_management_pages(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    # A teaching-school lead may open rounds for their own pool (tests/designations/test_views_rounds_ts.py).
    lead_may_open = {reverse("designations:round-create")} if persona == "teaching_school_lead" else set()
    for url in set(management_urls()) - lead_may_open:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in_from_management_pages(client):
    for url in management_urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("persona", ["national_admin", "outsider"])
def test_everyone_signed_in_sees_a_types_criteria_and_training(client, request, persona):
    criterion = CriterionFactory(
        designation_type=DesignationTypeFactory(code="DLE"), label="Led a good school"
    )
    TrainingRequirementFactory(designation_type=criterion.designation_type, name="DLE induction")
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("designations:type-detail", kwargs={"code": "DLE"})).content.decode()
    assert "Led a good school" in page
    assert "DLE induction" in page
    assert ("Add a criterion" in page) is (persona == "national_admin")


def type_data(**overrides) -> dict:
    return {
        "code": "dle", "name": "Derbyshire leader of education", "description": "A local type",
        "holder_kind": HolderKind.PERSON, "designating_body": DesignatingBody.NATIONAL_BODY,
        "brokering_rule": BrokeringRule.LOCAL_BROKERS, "term_months": "36", "review_interval_months": "12",
        "is_active": "on", **overrides,
    }


def test_an_administrator_adds_a_local_type_without_code(client, national_admin):
    client.force_login(national_admin)
    response = client.post(reverse("designations:type-create"), type_data())
    assert response.status_code == 302
    designation_type = DesignationType.objects.get(code="DLE")
    assert designation_type.term_months == 36
    assert designation_type.is_active
    assert not designation_type.makes_national_support_school


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"code": "SLE"}, "code", "A type with this code already exists"),
        ({"name": ""}, "name", "Enter the type's name"),
        ({"designating_body": ""}, "designating_body", "Select who designates"),
        ({"review_interval_months": "0"}, "review_interval_months", "1 or more"),
    ],
)
def test_type_errors_are_shown_on_the_field(client, national_admin, overrides, field, message):
    client.force_login(national_admin)
    response = client.post(reverse("designations:type-create"), type_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()


def criterion_data(**overrides) -> dict:
    return {"label": "Five years as a headteacher", "kind": CriterionCheck.YEARS_IN_HEADSHIP, "order": "1",
            "min_years": "5", "is_active": "on", **overrides}


def test_an_administrator_adds_a_criterion_with_roles(client, national_admin):
    DesignationTypeFactory(code="DLE")
    client.force_login(national_admin)
    response = client.post(
        reverse("designations:criterion-create", kwargs={"code": "DLE"}),
        criterion_data(kind=CriterionCheck.HOLDS_ROLE, min_years="", roles=[LeadershipRole.HEADTEACHER]),
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get(designation_type__code="DLE")
    assert criterion.roles == [LeadershipRole.HEADTEACHER]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"min_years": ""}, "min_years", "Enter the minimum number of years"),
        ({"kind": CriterionCheck.HOLDS_ROLE, "min_years": ""}, "roles", "Select at least one"),
        ({"kind": CriterionCheck.SCHOOL_OFSTED, "min_years": ""}, "ofsted_rule", "Select the Ofsted rule"),
        ({"kind": CriterionCheck.YEARS_AS_CHAIR_IN_LAST_5, "min_years": "6"}, "min_years", "5 years or"),
        ({"label": ""}, "label", "Enter the criterion"),
    ],
)
def test_criterion_errors_are_shown_on_the_field(client, national_admin, overrides, field, message):
    DesignationTypeFactory(code="DLE")
    client.force_login(national_admin)
    url = reverse("designations:criterion-create", kwargs={"code": "DLE"})
    response = client.post(url, criterion_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Criterion.objects.filter(designation_type__code="DLE").exists()


def test_retiring_a_used_criterion_keeps_it_and_how_past_applications_were_judged(client, national_admin):
    criterion = CriterionFactory(
        designation_type=DesignationTypeFactory(code="DLE"), kind=CriterionCheck.SCHOOL_OFSTED,
        ofsted_rule=OfstedRuleFactory(), label="Good or better",
    )
    result = CriterionResultFactory(criterion=criterion, label="Good or better")
    client.force_login(national_admin)
    url = reverse("designations:criterion-update", kwargs={"code": "DLE", "pk": criterion.pk})
    response = client.post(url, {"label": "Outstanding only", "kind": CriterionCheck.SCHOOL_OFSTED,
                                 "order": "0", "ofsted_rule": criterion.ofsted_rule_id})
    assert response.status_code == 302
    criterion.refresh_from_db()
    result.refresh_from_db()
    assert criterion.is_active is False
    assert result.label == "Good or better"


def test_training_names_are_unique_within_a_type(client, national_admin):
    TrainingRequirementFactory(designation_type=DesignationTypeFactory(code="DLE"), name="Induction")
    client.force_login(national_admin)
    url = reverse("designations:training-create", kwargs={"code": "DLE"})
    response = client.post(url, {"name": "induction", "order": "1"})
    assert "already has training with this name" in response.context["form"].errors["name"][0]
    assert client.post(url, {"name": "Coaching", "order": "1"}).status_code == 302
    assert TrainingRequirement.objects.filter(designation_type__code="DLE").count() == 2


def round_data(designation_type, **overrides) -> dict:
    return {
        "designation_type": designation_type.pk, "name": "Autumn round",
        "opens_on": TODAY.isoformat(), "closes_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        "local_authority": "", "region": "", "teaching_school": "", **overrides,
    }


def test_an_administrator_opens_a_round_scoped_to_a_local_authority(client, national_admin, home_la):
    nle = DesignationType.objects.get(code="NLE")
    client.force_login(national_admin)
    response = client.post(reverse("designations:round-create"), round_data(nle, local_authority=home_la.pk))
    assert response.status_code == 302
    application_round = ApplicationRound.objects.get(name="Autumn round")
    assert application_round.local_authority == home_la
    assert application_round.created_by == national_admin


def test_a_round_for_a_teaching_school_designated_type_names_its_teaching_school(
    client, national_admin, teaching_school_org
):
    sle = DesignationType.objects.get(code="SLE")
    client.force_login(national_admin)
    response = client.post(reverse("designations:round-create"), round_data(sle))
    assert "Select the teaching school" in response.context["form"].errors["teaching_school"][0]
    data = round_data(sle, teaching_school=teaching_school_org.pk)
    response = client.post(reverse("designations:round-create"), data)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_on": (TODAY - datetime.timedelta(days=1)).isoformat()}, "closes_on", "same as or after"),
        ({"opens_on": "31/02/2026"}, "opens_on", "Opens on must be a real date"),
        ({"name": ""}, "name", "Enter a name for the round"),
        ({"region": "East of England", "local_authority": "LA"}, "region", "not both"),
        ({"teaching_school": "TS"}, "teaching_school", "Leave the teaching school empty"),
    ],
)
def test_round_errors_are_shown_on_the_field(
    client, national_admin, home_la, teaching_school_org, overrides, field, message
):
    values = {"LA": home_la.pk, "TS": teaching_school_org.pk}
    overrides = {key: values.get(value, value) for key, value in overrides.items()}
    client.force_login(national_admin)
    nle = DesignationType.objects.get(code="NLE")
    response = client.post(reverse("designations:round-create"), round_data(nle, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ApplicationRound.objects.exists()


def test_closing_a_round_early_stops_it_today(client, national_admin):
    application_round = ApplicationRoundFactory()
    client.force_login(national_admin)
    url = reverse("designations:round-close", kwargs={"pk": application_round.pk})
    assert "Confirm that the round should close today" in client.post(url, {}).content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    application_round.refresh_from_db()
    assert application_round.closed_early_on == TODAY


def test_a_round_that_has_not_opened_cannot_be_closed_early(client, national_admin):
    application_round = ApplicationRoundFactory(
        opens_on=TODAY + datetime.timedelta(days=5), closes_on=TODAY + datetime.timedelta(days=20)
    )
    client.force_login(national_admin)
    url = reverse("designations:round-close", kwargs={"pk": application_round.pk})
    response = client.post(url, {"confirm": "on"})
    assert "This round is not open" in response.content.decode()
    application_round.refresh_from_db()
    assert application_round.closed_early_on is None


def test_open_rounds_are_listed_first(client, outsider):
    ApplicationRoundFactory(name="Old round", opens_on=TODAY - datetime.timedelta(days=90),
                            closes_on=TODAY - datetime.timedelta(days=60))
    ApplicationRoundFactory(name="Current round", opens_on=TODAY - datetime.timedelta(days=100))
    client.force_login(outsider)
    page = client.get(reverse("designations:round-list")).content.decode()
    assert page.index("Current round") < page.index("Old round")


def test_rounds_offer_only_teaching_schools(client, national_admin, teaching_school_org):
    OrganisationFactory(kind=OrganisationKind.SCHOOL, name="Plain school")
    client.force_login(national_admin)
    form = client.get(reverse("designations:round-create")).context["form"]
    assert list(form.fields["teaching_school"].queryset) == [teaching_school_org]


def designations_models() -> list:
    return [
        model for model in apps.get_app_config("designations").get_models()
        if not model.__name__.startswith("Historical")
    ]


def test_every_designations_model_is_in_the_admin_with_search(admin_client):
    DesignationTypeFactory(code="DLE")
    for model in designations_models():
        assert admin.site.is_registered(model), model
        url = reverse(f"admin:designations_{model._meta.model_name}_changelist")
        assert admin_client.get(url, {"q": "DLE"}).status_code == 200, url


def test_the_type_admin_edits_criteria_and_training_inline(admin_client):
    designation_type = DesignationType.objects.get(code="SLE")
    page = admin_client.get(reverse("admin:designations_designationtype_change", args=[designation_type.pk]))
    assert page.status_code == 200
    assert "criteria-TOTAL_FORMS" in page.content.decode()
    assert "training_requirements-TOTAL_FORMS" in page.content.decode()
