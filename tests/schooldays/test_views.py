"""The term-date pages: who may open each, the officer's and the administrator's flows, the
confirmations, the messages and the number of queries each page makes."""

import datetime

import pytest
from django.urls import reverse

from navigation.menu import navigation_for
from schooldays.models import TermPeriod

pytestmark = pytest.mark.django_db
D = datetime.date
PERSONAS = [
    "national_admin", "la_officer", "other_la_officer", "teaching_school_lead", "headteacher", "signed_out",
]


def date_data(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def period_data(name: str, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    return {"name": name, **date_data("starts_on", starts_on), **date_data("ends_on", ends_on)}


def signed_in(client, request, name: str):
    if name != "signed_out":
        client.force_login(request.getfixturevalue(name))
    return client


def status_for(response) -> int | str:
    if response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]:
        return "sign in"
    return response.status_code


# The pages every persona may or may not open ("sign in": sent to sign in first).
PAGES = ("list", "year", "norfolk", "national_add", "norfolk_add")
OPEN = {
    name: dict(zip(PAGES, statuses, strict=True))
    for name, statuses in {
        "national_admin": (200, 200, 200, 200, 200),
        "la_officer": (200, 200, 200, 403, 200),
        "other_la_officer": (200, 200, 403, 403, 403),
        "teaching_school_lead": (403, 403, 403, 403, 403),
        "headteacher": (403, 403, 403, 403, 403),
        "signed_out": ("sign in",) * 5,
    }.items()
}


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_open_each_page(client, request, name, home_la, year_2026):
    signed_in(client, request, name)
    urls = {
        "list": reverse("schooldays:year-list"),
        "year": reverse("schooldays:year", args=[2026]),
        "norfolk": reverse("schooldays:authority", args=[2026, home_la.code]),
        "national_add": reverse("schooldays:national-period-create", args=[2026]),
        "norfolk_add": reverse("schooldays:period-create", args=[2026, home_la.code]),
    }
    assert {page: status_for(client.get(url)) for page, url in urls.items()} == OPEN[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_change_or_delete_a_period(client, request, name, own_period, national_period):
    signed_in(client, request, name)
    may_change_norfolk = name in {"national_admin", "la_officer"}
    for period, allowed in ((own_period, may_change_norfolk), (national_period, name == "national_admin")):
        for route in ("schooldays:period-update", "schooldays:period-delete"):
            expected = 200 if allowed else ("sign in" if name == "signed_out" else 403)
            assert status_for(client.get(reverse(route, args=[period.pk]))) == expected


@pytest.mark.parametrize("name", ["other_la_officer", "teaching_school_lead", "headteacher"])
def test_refused_people_cannot_post_either(client, request, name, home_la, year_2026, own_period):
    signed_in(client, request, name)
    assert client.post(reverse("schooldays:override", args=[2026, home_la.code])).status_code == 403
    assert client.post(reverse("schooldays:revert", args=[2026, home_la.code])).status_code == 403
    assert client.post(reverse("schooldays:period-delete", args=[own_period.pk])).status_code == 403
    assert TermPeriod.objects.filter(pk=own_period.pk).exists()


def test_an_unknown_year_or_authority_is_not_found(client, national_admin, year_2026):
    client.force_login(national_admin)
    assert client.get(reverse("schooldays:year", args=[2040])).status_code == 404
    assert client.get(reverse("schooldays:authority", args=[2026, "999"])).status_code == 404


def test_the_list_shows_the_seeded_school_years(client, la_officer, django_assert_max_num_queries):
    client.force_login(la_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("schooldays:year-list"))
    content = response.content.decode()
    for name in ("2025 to 2026", "2026 to 2027", "2027 to 2028"):
        assert name in content
    assert "6 term periods" in content


def test_the_list_says_when_there_are_no_school_years(client, la_officer):
    TermPeriod.objects.all().delete()
    from schooldays.models import SchoolYear

    SchoolYear.objects.all().delete()
    client.force_login(la_officer)
    assert "There are no school years yet." in client.get(reverse("schooldays:year-list")).content.decode()


def test_an_officer_sees_the_national_default_and_their_authority(
    client, la_officer, home_la, year_2026, django_assert_max_num_queries
):
    client.force_login(la_officer)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("schooldays:year", args=[2026]))
    content = response.content.decode()
    assert "National default" in content and "Thursday 3 September 2026" in content
    assert "Norfolk</a>: the national default" in content
    assert "Add a period to the national default" not in content
    assert reverse("schooldays:period-update", args=[1]).removesuffix("1/edit/") not in content


def test_a_national_administrator_sees_the_authorities_with_their_own_dates(
    client, national_admin, own_period, other_la, django_assert_max_num_queries
):
    client.force_login(national_admin)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("schooldays:year", args=[2026]))
    content = response.content.decode()
    assert "Add a period to the national default" in content
    assert "Local authorities with their own term dates" in content
    assert f'href="{reverse("schooldays:authority", args=[2026, "926"])}">Norfolk</a>' in content
    response = client.get(reverse("schooldays:choose-authority", args=[2026]), {"authority": other_la.code})
    assert response["Location"] == reverse("schooldays:authority", args=[2026, other_la.code])


def test_an_officer_sets_their_own_dates_from_a_copy_of_the_national_default(
    client, la_officer, home_la, year_2026, django_assert_max_num_queries
):
    client.force_login(la_officer)
    page = client.get(reverse("schooldays:authority", args=[2026, home_la.code])).content.decode()
    assert "Norfolk follows the national default this year." in page
    override = reverse("schooldays:override", args=[2026, home_la.code])
    confirm = client.get(override).content.decode()
    assert "The 6 periods of the national default will be copied" in confirm
    assert not TermPeriod.objects.of_calendar(year_2026, home_la).exists()  # nothing until confirmed

    response = client.post(override, follow=True)
    assert "Norfolk now has its own term dates for 2026 to 2027, copied from the national default." in (
        response.content.decode()
    )
    assert TermPeriod.objects.of_calendar(year_2026, home_la).count() == 6

    autumn = TermPeriod.objects.of_calendar(year_2026, home_la).get(name="Autumn 1")
    edit = reverse("schooldays:period-update", args=[autumn.pk])
    with django_assert_max_num_queries(8):
        assert client.get(edit).status_code == 200
    response = client.post(edit, period_data("Autumn 1", D(2026, 9, 3), D(2026, 10, 16)), follow=True)
    assert "Autumn 1 (3 September 2026 to 16 October 2026) has been changed." in response.content.decode()
    autumn.refresh_from_db()
    assert autumn.ends_on == D(2026, 10, 16)
    assert TermPeriod.objects.of_calendar(year_2026, None).get(name="Autumn 1").ends_on == D(2026, 10, 23)


def test_an_officer_adds_a_period_and_sees_why_it_is_refused(client, la_officer, home_la, own_period):
    client.force_login(la_officer)
    add = reverse("schooldays:period-create", args=[2026, home_la.code])
    response = client.post(add, period_data("Autumn 2", D(2026, 10, 12), D(2026, 12, 18)))
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "The dates overlap Autumn 1 (3 September 2026 to 16 October 2026)" in content

    response = client.post(add, period_data("Autumn 2", D(2026, 11, 2), D(2026, 12, 18)), follow=True)
    assert "Autumn 2 (2 November 2026 to 18 December 2026) has been added." in response.content.decode()
    assert TermPeriod.objects.of_calendar(own_period.school_year, home_la).count() == 2


def test_deleting_a_period_asks_first_and_warns_about_the_last_one(client, la_officer, home_la, own_period):
    client.force_login(la_officer)
    delete = reverse("schooldays:period-delete", args=[own_period.pk])
    confirm = client.get(delete).content.decode()
    assert "Delete Autumn 1?" in confirm
    assert "follows the national default again" in confirm
    response = client.post(delete, follow=True)
    assert "Autumn 1 has been deleted." in response.content.decode()
    assert "Norfolk follows the national default this year." in response.content.decode()
    assert not TermPeriod.objects.filter(pk=own_period.pk).exists()


def test_an_officer_goes_back_to_the_national_default(client, la_officer, home_la, own_period):
    client.force_login(la_officer)
    revert = reverse("schooldays:revert", args=[2026, home_la.code])
    assert "will be deleted" in client.get(revert).content.decode()
    response = client.post(revert, follow=True)
    message = "Norfolk follows the national default term dates for 2026 to 2027 again."
    assert message in response.content.decode()
    assert not TermPeriod.objects.of_calendar(own_period.school_year, home_la).exists()


def test_setting_own_dates_twice_says_they_exist(client, la_officer, home_la, own_period):
    client.force_login(la_officer)
    response = client.post(reverse("schooldays:override", args=[2026, home_la.code]), follow=True)
    assert "Norfolk already has its own term dates for 2026 to 2027" in response.content.decode()
    assert TermPeriod.objects.of_calendar(own_period.school_year, home_la).count() == 1


def test_a_national_administrator_changes_the_national_default(client, national_admin, national_period):
    client.force_login(national_admin)
    edit = reverse("schooldays:period-update", args=[national_period.pk])
    response = client.post(edit, period_data("Autumn 1", D(2026, 9, 2), D(2026, 10, 23)))
    assert response["Location"] == reverse("schooldays:year", args=[2026])
    national_period.refresh_from_db()
    assert national_period.starts_on == D(2026, 9, 2)


def test_a_period_outside_the_year_is_refused_on_the_page(client, national_admin, year_2026):
    client.force_login(national_admin)
    add = reverse("schooldays:national-period-create", args=[2026])
    response = client.post(add, period_data("Summer 3", D(2027, 8, 30), D(2027, 9, 3)))
    assert (
        "The last day must be in the 2026 to 2027 school year (1 September 2026 to 31 August 2027)"
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("name", "offered"),
    [("national_admin", True), ("la_officer", True), ("teaching_school_lead", False), ("headteacher", False)],
)
def test_the_navigation_offers_term_dates_to_officers_and_administrators(request, name, offered):
    urls = navigation_for(request.getfixturevalue(name)).urls()
    assert (reverse("schooldays:year-list") in urls) is offered


def test_a_refused_change_keeps_the_periods_saved_name_in_the_heading(client, la_officer, own_period):
    client.force_login(la_officer)
    edit = reverse("schooldays:period-update", args=[own_period.pk])
    response = client.post(edit, period_data("Renamed", D(2026, 10, 9), D(2026, 10, 2)))
    content = response.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Change Autumn 1</h1>" in content
    assert "The last day must be the same as or after the first day" in content
    own_period.refresh_from_db()
    assert own_period.name == "Autumn 1"


def test_with_no_national_default_to_copy_an_officer_adds_the_first_period(client, la_officer, home_la):
    from schooldays.models import SchoolYear

    SchoolYear.objects.create(starts_in=2030)
    client.force_login(la_officer)
    override = reverse("schooldays:override", args=[2030, home_la.code])
    assert "so you will add Norfolk's periods yourself" in client.get(override).content.decode()
    response = client.post(override)
    assert response["Location"] == reverse("schooldays:period-create", args=[2030, home_la.code])
