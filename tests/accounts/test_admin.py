import pytest
from django.urls import reverse

from accounts.choices import Role
from accounts.models import ApiToken, Membership, Organisation, User, hash_token_key

from ..factories import ApiTokenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root@example.org", "a-long-admin-password", full_name="Root")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    ("model", "search"),
    [(User, "officer"), (Organisation, "Norfolk"), (Membership, "norfolk"), (ApiToken, "sync")],
)
def test_changelist_with_search_finds_the_matching_rows(admin_client, la_officer, home_la_org, model, search):
    ApiTokenFactory.create(home_la_org, name="MIS sync")
    url = reverse(f"admin:accounts_{model._meta.model_name}_changelist")

    response = admin_client.get(url, {"q": search})

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", [User, Organisation, Membership, ApiToken])
def test_add_page_loads(admin_client, model):
    response = admin_client.get(reverse(f"admin:accounts_{model._meta.model_name}_add"))

    assert response.status_code == 200


def test_user_changelist_filters_by_role(admin_client, la_officer, national_admin):
    response = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"memberships__role": Role.LA_OFFICER}
    )

    assert list(response.context["cl"].result_list) == [la_officer]


def test_user_change_page_shows_memberships_inline(admin_client, la_officer):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[la_officer.pk]))

    assert response.status_code == 200
    assert b"Norfolk County Council" in response.content


def test_organisation_change_page_lists_its_members(admin_client, la_officer, home_la_org):
    response = admin_client.get(reverse("admin:accounts_organisation_change", args=[home_la_org.pk]))

    assert response.status_code == 200
    assert la_officer.full_name.encode() in response.content


def test_history_page_of_a_user_loads(admin_client, la_officer):
    response = admin_client.get(reverse("admin:accounts_user_history", args=[la_officer.pk]))

    assert response.status_code == 200


def test_adding_a_user_by_email(admin_client):
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "email": "new.person@example.org",
        "full_name": "New Person",
        "usable_password": "true",
        "password1": "a-sufficiently-long-password",
        "password2": "a-sufficiently-long-password",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    })

    assert response.status_code == 302
    assert User.objects.get(email="new.person@example.org").check_password("a-sufficiently-long-password")


def test_creating_a_token_shows_its_key_once_and_stores_its_digest(admin_client, superuser, home_la_org):
    response = admin_client.post(
        reverse("admin:accounts_apitoken_add"),
        {"organisation": home_la_org.pk, "name": "Partner sync"},
        follow=True,
    )

    token = ApiToken.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key_message = next(m for m in shown if "will not be shown again" in m)
    key = key_message.split(" is ", 1)[1].split(" ")[0]
    assert token.key_digest == hash_token_key(key)
    assert (token.organisation, token.name, token.created_by) == (home_la_org, "Partner sync", superuser)

    change_page = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert key.encode() not in change_page.content


def test_token_changelist_shows_prefix_organisation_and_dates(admin_client, home_la_org):
    token, _ = ApiTokenFactory.create(home_la_org)

    response = admin_client.get(reverse("admin:accounts_apitoken_changelist"))

    assert token.prefix.encode() in response.content
    assert b"Norfolk County Council" in response.content
    for column in (b"Last used at", b"Revoked at", b"Created at"):
        assert column in response.content


def test_revoke_selected_tokens_action(admin_client, home_la_org):
    first, _ = ApiTokenFactory.create(home_la_org)
    second, _ = ApiTokenFactory.create(home_la_org)
    kept, _ = ApiTokenFactory.create(home_la_org)

    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert set(ApiToken.objects.filter(revoked_at__isnull=False)) == {first, second}
    assert ApiToken.objects.get(pk=kept.pk).is_active


def test_people_who_are_not_staff_are_sent_to_the_admin_sign_in(client, la_officer):
    client.force_login(la_officer)

    response = client.get(reverse("admin:accounts_apitoken_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model_name", ["invitation", "accessrequest"])
def test_invitations_and_access_requests_are_in_the_admin(admin_client, la_officer, home_la_org, model_name):
    from accounts import services

    invitation = services.invite(
        email="new@example.org", organisation=home_la_org, role=Role.COMMISSIONER, invited_by=la_officer
    )
    changelist = reverse(f"admin:accounts_{model_name}_changelist")
    assert admin_client.get(changelist, {"q": "new"}).status_code == 200
    change = reverse("admin:accounts_invitation_change", args=[invitation.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse(f"admin:accounts_{model_name}_add")).status_code == 200
