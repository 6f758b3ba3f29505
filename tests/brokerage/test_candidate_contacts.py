"""The broker sees each candidate's work email on the candidates list and the shortlist; nobody
else who can open the request page does."""

import pytest
from django.urls import reverse

from tests.factories.brokerage import ShortlistEntryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona, status, sees",
    [
        ("la_officer", 200, True),
        ("commissioner", 200, False),
        ("school_leader", 200, False),
        ("teaching_school_lead", 200, False),
        ("national_admin", 200, False),
        ("other_la_officer", 404, False),
        ("outsider", 404, False),
    ],
)
def test_only_the_broker_sees_candidates_contacts(
    client, request, support_request, candidate, persona, status, sees
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("brokerage:request-detail", args=[support_request.pk]))
    assert response.status_code == status
    assert (f'href="mailto:{candidate.holder.email}"' in response.content.decode()) is sees


def test_the_shortlist_shows_each_leaders_contact(client, la_officer, support_request, candidate):
    ShortlistEntryFactory(request=support_request, designation=candidate)
    client.force_login(la_officer)
    response = client.get(reverse("brokerage:request-detail", args=[support_request.pk]))
    shortlist = response.content.decode().split('id="shortlist"')[1].split('id="candidates"')[0]
    assert f'href="mailto:{candidate.holder.email}"' in shortlist
