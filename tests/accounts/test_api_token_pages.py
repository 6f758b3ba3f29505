"""The API tokens pages: who may list, create, open and revoke (a matrix), the key shown once and
only its digest stored, the expiry's range from the model, revoking idempotently and at once,
the audit history, the security emails and the list's fixed number of queries."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.choices import OrganisationKind, Role
from accounts.models import ApiToken, hash_token_key
from submissions.models import Submission
from submissions.services import FIELD_NAME

from ..factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("accounts:api-token-list")
CREATE_URL = reverse("accounts:api-token-create")
SCHOOLS_API = reverse("schools-api:school-list")


def _member(organisation, role, email):
    return MembershipFactory(user=UserFactory(email=email), organisation=organisation, role=role).user


@pytest.fixture
def school_org(home_school):
    return OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=home_school.name, school=home_school,
        local_authority=home_school.local_authority, email="office@home.example.org",
    )


@pytest.fixture
def headteacher(school_org):
    """Manages the school's people: its administrator."""
    return _member(school_org, Role.HEADTEACHER, "head@home.example.org")


@pytest.fixture
def staff_member(school_org):
    return _member(school_org, Role.SCHOOL_LEADER, "leader@home.example.org")


@pytest.fixture
def other_head(other_school):
    other_org = OrganisationFactory(
        kind=OrganisationKind.SCHOOL, name=other_school.name, school=other_school,
        local_authority=other_school.local_authority,
    )
    return _member(other_org, Role.HEADTEACHER, "head@other.example.org")


@pytest.fixture
def token(school_org, headteacher):
    issued, _ = services.issue_api_token(organisation=school_org, name="MIS sync", actor=headteacher)
    mail.outbox.clear()
    return issued


def detail_url(token) -> str:
    return reverse("accounts:api-token-detail", args=[token.pk])


def revoke_url(token) -> str:
    return reverse("accounts:api-token-revoke", args=[token.pk])


def form_token(response) -> str:
    return re.search(rf'name="{FIELD_NAME}" value="([^"]+)"', response.content.decode()).group(1)


def shown_key(response) -> str:
    return re.search(r'id="api-token-key" type="text" value="([^"]+)"', response.content.decode()).group(1)


def api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(SCHOOLS_API).status_code


def create(client, organisation, name="MIS sync", expires=None, **extra):
    page = client.get(CREATE_URL)
    data = {"organisation": organisation.pk, "name": name, FIELD_NAME: form_token(page), **extra}
    if expires is not None:
        day, month, year = expires
        data.update(expires_on_day=day, expires_on_month=month, expires_on_year=year)
    return client.post(CREATE_URL, data)


# --- who may do what -------------------------------------------------------------------------

MATRIX = [
    ("national_admin", True),
    ("headteacher", True),  # the school's own administrator
    ("other_head", False),  # another school's administrator
    ("staff_member", False),  # an ordinary member of the school
    ("la_officer", False),  # manages the maintained school's people, but not its tokens
]


@pytest.mark.parametrize("persona, may", MATRIX)
def test_who_may_open_a_token_and_see_it_listed(client, request, persona, may, token):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(detail_url(token)).status_code == (200 if may else 403)
    listed = client.get(LIST_URL)
    if may:
        assert "MIS sync" in listed.content.decode()
    else:
        assert listed.status_code == 403 or "MIS sync" not in listed.content.decode()


@pytest.mark.parametrize("persona, may", MATRIX)
def test_who_may_revoke_a_token(client, request, persona, may, token):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(revoke_url(token)).status_code == (200 if may else 403)
    response = client.post(revoke_url(token))

    token.refresh_from_db()
    assert response.status_code == (302 if may else 403)
    assert (token.revoked_at is not None) is may


@pytest.mark.parametrize(
    "persona, may",
    [("headteacher", True), ("other_head", False), ("staff_member", False), ("la_officer", False),
     ("national_admin", False)],  # a national administrator creates for their own body only
)
def test_who_may_create_a_token_for_the_school(client, request, persona, may, school_org, headteacher):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(CREATE_URL)
    if page.status_code == 403:
        assert not may
        assert client.post(CREATE_URL, {"organisation": school_org.pk, "name": "Sync"}).status_code == 403
    else:
        response = create(client, school_org)
        assert (response.status_code, "Copy the key now" in response.content.decode()) == (200, may)
    assert ApiToken.objects.filter(organisation=school_org).exists() is may


@pytest.mark.parametrize("persona", ["staff_member", "commissioner", "outsider", "associate"])
def test_people_who_administer_nothing_are_refused_the_list_and_the_form(
    client, request, persona, school_org
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(CREATE_URL).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, token):
    for url in (LIST_URL, CREATE_URL, detail_url(token), revoke_url(token)):
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response["Location"], url
    assert client.post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.is_active


def test_an_la_officer_manages_their_own_authoritys_tokens(client, la_officer, home_la_org):
    client.force_login(la_officer)
    page = client.get(CREATE_URL).content.decode()
    assert f'type="hidden" name="organisation" value="{home_la_org.pk}"' in page
    assert "At most two years ahead" in page

    response = create(client, home_la_org, name="LA MIS")

    token = ApiToken.objects.get()
    assert (token.organisation, token.created_by) == (home_la_org, la_officer)
    assert "LA MIS" in client.get(LIST_URL).content.decode()
    assert response.status_code == 200


def test_someone_who_administers_two_organisations_chooses_which(
    client, headteacher, home_la_org, school_org
):
    MembershipFactory(user=headteacher, organisation=home_la_org, role=Role.LA_OFFICER)
    client.force_login(headteacher)

    page = client.get(CREATE_URL).content.decode()
    assert "Which organisation is the token for?" in page
    assert school_org.name in page and home_la_org.name in page
    create(client, home_la_org, name="For the LA")
    assert ApiToken.objects.get().organisation == home_la_org


def test_an_organisation_one_does_not_administer_cannot_be_chosen(client, headteacher, home_la_org):
    client.force_login(headteacher)

    response = create(client, home_la_org)

    assert "Choose the organisation the token is for" in response.content.decode()
    assert not ApiToken.objects.exists()


# --- the key, shown once ---------------------------------------------------------------------


def test_the_key_is_shown_once_and_only_its_digest_is_stored(client, headteacher, school_org):
    client.force_login(headteacher)

    response = create(client, school_org)

    key = shown_key(response)
    token = ApiToken.objects.get()
    assert token.key_digest == hash_token_key(key) and token.prefix == key[:8]
    assert "no-store" in response["Cache-Control"]
    assert key not in str(dict(client.session.items()))
    assert all(key not in s.result_url for s in Submission.objects.all())
    assert key not in client.get(detail_url(token)).content.decode()
    assert key not in client.get(LIST_URL).content.decode()
    assert api_status(key) == 200


def test_sending_the_form_again_makes_no_second_token_and_shows_no_key(client, headteacher, school_org):
    client.force_login(headteacher)
    data = {"organisation": school_org.pk, "name": "Sync", FIELD_NAME: form_token(client.get(CREATE_URL))}
    first = client.post(CREATE_URL, data)

    again = client.post(CREATE_URL, data)

    token = ApiToken.objects.get()
    assert again.status_code == 302 and again["Location"] == detail_url(token)
    page = client.get(again["Location"]).content.decode()
    assert "created only once" in page and shown_key(first) not in page


# --- the expiry ------------------------------------------------------------------------------


def _date(offset_days: int) -> tuple[str, str, str]:
    day = timezone.localdate() + datetime.timedelta(days=offset_days)
    return str(day.day), str(day.month), str(day.year)


@pytest.mark.parametrize(
    "expires, message",
    [
        (_date(-1), "The expiry date must be in the future and at most two years ahead"),
        (_date(0), "The expiry date must be in the future and at most two years ahead"),
        (_date(732), "The expiry date must be in the future and at most two years ahead"),
        (("31", "2", "2027"), "Expiry date (optional) must be a real date"),
        (("1", "13", "2027"), "Expiry date (optional) must be a real date"),
        (("", "3", "2027"), "Expiry date (optional) must include a day"),
        (("1", "3", "27x"), "Expiry date (optional) must be a real date"),
    ],
    ids=["yesterday", "today", "beyond two years", "31 February", "month 13", "no day", "not a year"],
)
def test_an_expiry_out_of_range_or_malformed_is_an_error_on_the_field(
    client, headteacher, school_org, expires, message
):
    client.force_login(headteacher)

    response = create(client, school_org, expires=expires)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert 'href="#id_expires_on_day"' in page
    assert "Error" in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert not ApiToken.objects.exists()


def test_the_longest_expiry_is_accepted_and_starts_that_day(client, headteacher, school_org):
    client.force_login(headteacher)

    response = create(client, school_org, expires=_date(731))

    token = ApiToken.objects.get()
    last_day = timezone.localdate() + datetime.timedelta(days=731)
    assert timezone.localtime(token.expires_at) == timezone.make_aware(
        datetime.datetime.combine(last_day, datetime.time.min)
    )
    assert response.status_code == 200


def test_a_blank_name_is_an_error(client, headteacher, school_org):
    client.force_login(headteacher)

    response = create(client, school_org, name="   ")

    assert "Enter a name for the token" in response.content.decode()
    assert not ApiToken.objects.exists()


# --- revoking --------------------------------------------------------------------------------


def test_a_double_click_revokes_once_and_emails_once(
    client, headteacher, token, django_capture_on_commit_callbacks
):
    client.force_login(headteacher)
    data = {FIELD_NAME: form_token(client.get(revoke_url(token)))}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(revoke_url(token), data)
        token.refresh_from_db()
        revoked_at = token.revoked_at
        again = client.post(revoke_url(token), data)
        other_form = client.post(revoke_url(token), {FIELD_NAME: "x" * 43})

    token.refresh_from_db()
    assert first.status_code == again.status_code == other_form.status_code == 302
    assert token.revoked_at == revoked_at
    assert len(mail.outbox) == 1
    assert "already revoked" in client.get(other_form["Location"]).content.decode()


def test_a_revoked_token_is_refused_by_the_api_at_once(client, headteacher, school_org):
    client.force_login(headteacher)
    key = shown_key(create(client, school_org))
    token = ApiToken.objects.get()
    assert api_status(key) == 200

    client.post(revoke_url(token))

    assert api_status(key) == 401


def test_the_revoke_page_of_a_revoked_token_says_so(client, headteacher, token):
    services.revoke_api_token(token, actor=headteacher)
    client.force_login(headteacher)

    response = client.get(revoke_url(token), follow=True)

    assert "was already revoked" in response.content.decode()


# --- audit and emails ------------------------------------------------------------------------


def test_the_history_names_who_created_and_who_revoked(client, headteacher, national_admin, school_org):
    client.force_login(headteacher)
    create(client, school_org)
    token = ApiToken.objects.get()
    client.force_login(national_admin)
    client.post(revoke_url(token))

    records = list(token.history.order_by("history_date"))
    assert [(r.history_type, r.history_user) for r in records] == [("+", headteacher), ("~", national_admin)]
    page = client.get(detail_url(token)).content.decode()
    history = page[page.index("<h2 class=\"govuk-heading-m\">History</h2>"):]
    assert re.search(r"Created</td>\s*<td[^>]*>" + re.escape(str(headteacher)), history)
    assert re.search(r"Revoked</td>\s*<td[^>]*>" + re.escape(str(national_admin)), history)


def test_a_token_made_by_a_command_is_recorded_without_a_person(client, national_admin, school_org):
    token, _ = services.issue_api_token(organisation=school_org, name="Ops")
    client.force_login(national_admin)

    page = client.get(detail_url(token)).content.decode()

    assert token.history.get().history_user is None
    assert "A command run on the service's servers" in page


def test_the_administrators_are_told_who_created_and_who_revoked(
    client, headteacher, staff_member, national_admin, school_org, django_capture_on_commit_callbacks
):
    client.force_login(headteacher)
    with django_capture_on_commit_callbacks(execute=True):
        key = shown_key(create(client, school_org))
    created = mail.outbox[-1]
    assert set(created.to) == {"head@home.example.org", "office@home.example.org"}
    assert headteacher.full_name in created.body and "MIS sync" in created.body
    assert key not in created.body and key not in created.alternatives[0][0]

    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(revoke_url(ApiToken.objects.get()))
    revoked = mail.outbox[-1]
    assert "revoked" in revoked.subject and national_admin.email in revoked.body
    assert staff_member.email not in revoked.to


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_each_tokens_details_and_status(client, headteacher, school_org):
    active, _ = services.issue_api_token(organisation=school_org, name="Active one", actor=headteacher)
    revoked, _ = services.issue_api_token(organisation=school_org, name="Revoked one")
    services.revoke_api_token(revoked)
    expiring, _ = services.issue_api_token(
        organisation=school_org, name="Expired one",
        expires_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    ApiToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(headteacher)

    page = client.get(LIST_URL).content.decode()

    assert active.prefix in page and str(headteacher) in page
    for tag in ("Active", "Revoked", "Expired"):
        assert f'">{tag}</strong>' in page
    assert "<th scope=\"col\" class=\"govuk-table__header\">Organisation</th>" not in page
    revoked_only = client.get(LIST_URL, {"status": "revoked"}).content.decode()
    assert "Revoked one" in revoked_only and "Active one" not in revoked_only


def test_an_empty_list_says_how_to_start(client, headteacher):
    client.force_login(headteacher)

    page = client.get(LIST_URL).content.decode()

    assert "There are no API tokens yet" in page and "Create an API token" in page


def test_national_administrators_see_every_organisation_and_filter_by_one(
    client, national_admin, school_org, home_la_org
):
    services.issue_api_token(organisation=school_org, name="School sync")
    services.issue_api_token(organisation=home_la_org, name="LA sync")
    client.force_login(national_admin)

    everything = client.get(LIST_URL).content.decode()
    filtered = client.get(LIST_URL, {"organisation": home_la_org.pk}).content.decode()

    assert "School sync" in everything and "LA sync" in everything and home_la_org.name in everything
    assert "LA sync" in filtered and "School sync" not in filtered


def test_the_list_is_paginated(client, headteacher, school_org):
    for number in range(26):
        services.issue_api_token(organisation=school_org, name=f"Token {number:02d}")
    client.force_login(headteacher)

    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL, {"page": 2}).content.decode()

    assert "showing 1 to 25" in first and "Token 25" in first and "Token 00" not in first
    assert "Token 00" in second


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST_URL).status_code == 200
    return len(queries)


LIST_QUERIES = 9


@pytest.mark.parametrize("persona", ["national_admin", "headteacher"])
def test_the_list_costs_the_same_queries_for_few_or_many_tokens(
    client, request, persona, school_org, home_la_org, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    services.issue_api_token(organisation=school_org, name="One", actor=user)
    _list_queries(client)  # the first page of a session also reads the task counts into the cache
    few = _list_queries(client)
    for number in range(12):
        # A creator each: the page names who created every token.
        ApiToken.issue(
            organisation=school_org if number % 2 else home_la_org, name=f"T{number}",
            created_by=UserFactory(),
        )
    with django_assert_max_num_queries(LIST_QUERIES):
        many = _list_queries(client)
    assert few == many


def test_the_people_page_links_to_the_tokens_for_their_administrators_only(
    client, headteacher, la_officer, school_org
):
    people = reverse("accounts:organisation", args=[school_org.pk])
    link = f"{LIST_URL}?organisation={school_org.pk}"
    client.force_login(headteacher)
    assert link in client.get(people).content.decode()
    client.force_login(la_officer)  # manages the school's people, not its tokens
    assert link not in client.get(people).content.decode()
