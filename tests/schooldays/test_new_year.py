"""Adding a school year from the Term dates page: national administrators only; the year checked
(a whole number in range, not one that exists already); then its national term periods added on
its page."""

import datetime

import pytest
from django.urls import reverse

from schooldays import services
from schooldays.errors import SchoolDaysError
from schooldays.models import SchoolYear, TermPeriod

pytestmark = pytest.mark.django_db
NEW = reverse("schooldays:year-create")
FREE_YEAR = 2090  # no seed reaches it


def signed_in(client, request, name: str):
    if name != "signed_out":
        client.force_login(request.getfixturevalue(name))
    return client


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("national_admin", 200),
        ("la_officer", 403),
        ("other_la_officer", 403),
        ("teaching_school_lead", 403),
        ("headteacher", 403),
        ("commissioner", 403),
        ("signed_out", 302),
    ],
)
def test_only_national_administrators_may_add_a_school_year(client, request, name, status):
    signed_in(client, request, name)
    assert client.get(NEW).status_code == status
    assert client.post(NEW, {"starts_in": FREE_YEAR}).status_code == {200: 302}.get(status, status)
    assert SchoolYear.objects.filter(starts_in=FREE_YEAR).exists() == (name == "national_admin")


@pytest.mark.parametrize(("name", "linked"), [("national_admin", True), ("la_officer", False)])
def test_the_term_dates_page_links_to_it_for_administrators_only(client, request, name, linked):
    signed_in(client, request, name)
    assert (NEW in client.get(reverse("schooldays:year-list")).content.decode()) == linked


def test_the_form_offers_the_year_after_the_latest(client, national_admin):
    latest = SchoolYear.objects.order_by("-starts_in").first().starts_in
    client.force_login(national_admin)
    assert client.get(NEW).context["form"].initial["starts_in"] == latest + 1


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Enter the year the school year starts in"),
        ("next", "The year must be a whole number, like 2027"),
        ("1999", "The school year must start in 2000 or later"),
        ("2101", "The school year must start in 2100 or earlier"),
        ("2026", "The 2026 to 2027 school year already exists"),
    ],
)
def test_a_bad_year_is_refused_on_its_field(client, national_admin, year_2026, value, error):
    client.force_login(national_admin)
    before = SchoolYear.objects.count()
    response = client.post(NEW, {"starts_in": value})
    assert response.status_code == 200
    assert response.context["form"].errors["starts_in"] == [error]
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    assert SchoolYear.objects.count() == before


def test_an_administrator_adds_a_year_then_its_national_term_periods(client, national_admin):
    client.force_login(national_admin)
    response = client.post(NEW, {"starts_in": FREE_YEAR}, follow=True)
    school_year = SchoolYear.objects.get(starts_in=FREE_YEAR)
    assert response.redirect_chain[-1][0] == reverse("schooldays:year", args=[FREE_YEAR])
    page = response.content.decode()
    assert "The 2090 to 2091 school year (1 September 2090 to 31 August 2091) has been added" in page
    add_period = reverse("schooldays:national-period-create", args=[FREE_YEAR])
    assert add_period in page
    response = client.post(
        add_period,
        {
            "name": "Autumn 1",
            "starts_on_day": 4,
            "starts_on_month": 9,
            "starts_on_year": 2090,
            "ends_on_day": 20,
            "ends_on_month": 10,
            "ends_on_year": 2090,
        },
    )
    assert response.status_code == 302
    period = TermPeriod.objects.of_calendar(school_year, None).get()
    assert (period.starts_on, period.ends_on) == (datetime.date(2090, 9, 4), datetime.date(2090, 10, 20))
    assert "2090 to 2091" in client.get(reverse("schooldays:year-list")).content.decode()


def test_the_service_refuses_a_year_that_exists(year_2026):
    with pytest.raises(SchoolDaysError, match="already exists") as refused:
        services.add_school_year(2026)
    assert refused.value.field == "starts_in"
