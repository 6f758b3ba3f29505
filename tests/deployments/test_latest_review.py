"""The copy of a deployment's latest progress review kept on the deployment (its date and how many
objectives it rated red, amber and green): right after the first review, a later one, a back-dated
one, a correction of an older one's date and a deletion, and when backfilled in bulk."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from deployments import services
from deployments.choices import Rag
from deployments.models import Deployment, ProgressReview
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import agreed_deployment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def deployment(home_school, home_la_org):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    return agreed_deployment(
        objectives=3, support_request=request, days_agreed=Decimal("10.0"), starts_on=days_ago(90)
    )


@pytest.fixture
def review(deployment, la_officer):
    """Records a review rating the three objectives in order."""

    def record(reviewed_on: datetime.date, *rags: str) -> ProgressReview:
        objectives = services.current_objectives(deployment)
        ratings = [
            services.Rating(o.pk, rag, "Seen in lessons.") for o, rag in zip(objectives, rags, strict=True)
        ]
        return services.record_review(deployment, actor=la_officer, reviewed_on=reviewed_on, ratings=ratings)

    return record


def latest(deployment: Deployment) -> tuple:
    d = Deployment.objects.get(pk=deployment.pk)
    return (d.latest_review_on, d.latest_red, d.latest_amber, d.latest_green)


def test_a_deployment_never_reviewed_has_no_latest_review(deployment):
    assert latest(deployment) == (None, 0, 0, 0)


def test_the_first_review_is_copied_onto_the_deployment(deployment, review):
    review(days_ago(20), Rag.RED, Rag.RED, Rag.GREEN)

    assert latest(deployment) == (days_ago(20), 2, 0, 1)
    assert (deployment.latest_red, deployment.latest_green) == (2, 1)  # the caller's copy too


def test_a_later_review_replaces_the_copy(deployment, review):
    review(days_ago(20), Rag.RED, Rag.RED, Rag.GREEN)
    review(days_ago(5), Rag.AMBER, Rag.GREEN, Rag.GREEN)

    assert latest(deployment) == (days_ago(5), 0, 1, 2)


def test_a_back_dated_review_recorded_afterwards_does_not_replace_the_latest(deployment, review):
    review(days_ago(5), Rag.GREEN, Rag.GREEN, Rag.GREEN)
    review(days_ago(30), Rag.RED, Rag.RED, Rag.RED)

    assert latest(deployment) == (days_ago(5), 0, 0, 3)


def test_of_two_reviews_on_one_day_the_later_recorded_is_the_latest(deployment, review):
    review(days_ago(5), Rag.RED, Rag.GREEN, Rag.GREEN)
    review(days_ago(5), Rag.AMBER, Rag.AMBER, Rag.GREEN)

    assert latest(deployment) == (days_ago(5), 0, 2, 1)


def test_correcting_an_older_reviews_date_in_the_admin_makes_it_the_latest(
    admin_client, deployment, review, la_officer
):
    older = review(days_ago(30), Rag.RED, Rag.RED, Rag.RED)
    review(days_ago(10), Rag.GREEN, Rag.GREEN, Rag.GREEN)
    url = reverse("admin:deployments_progressreview_change", args=[older.pk])

    response = admin_client.post(
        url,
        {
            "deployment": deployment.pk,
            "reviewed_on": days_ago(2).isoformat(),
            "summary": "",
            "next_review_on": "",
            "reviewed_by": la_officer.pk,
        },
    )

    assert response.status_code == 302
    assert latest(deployment) == (days_ago(2), 3, 0, 0)


def test_deleting_the_latest_review_in_the_admin_falls_back_to_the_one_before(
    admin_client, deployment, review
):
    review(days_ago(30), Rag.RED, Rag.AMBER, Rag.GREEN)
    newest = review(days_ago(10), Rag.GREEN, Rag.GREEN, Rag.GREEN)

    url = reverse("admin:deployments_progressreview_delete", args=[newest.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert latest(deployment) == (days_ago(30), 1, 1, 1)


def test_deleting_every_review_with_the_admin_action_clears_the_copy(admin_client, deployment, review):
    reviews = [
        review(days_ago(30), Rag.RED, Rag.RED, Rag.RED),
        review(days_ago(10), Rag.RED, Rag.RED, Rag.AMBER),
    ]

    admin_client.post(
        reverse("admin:deployments_progressreview_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in reviews], "post": "yes"},
    )

    assert not ProgressReview.objects.exists()
    assert latest(deployment) == (None, 0, 0, 0)


def test_refreshing_in_bulk_gives_what_recording_gives(deployment, review, home_school, home_la_org):
    review(days_ago(30), Rag.GREEN, Rag.GREEN, Rag.GREEN)
    review(days_ago(10), Rag.RED, Rag.AMBER, Rag.AMBER)
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    unreviewed = agreed_deployment(support_request=request)
    expected = {deployment.pk: latest(deployment), unreviewed.pk: latest(unreviewed)}
    Deployment.objects.update(latest_review_on=days_ago(400), latest_red=9, latest_amber=9, latest_green=9)

    assert services.refresh_latest_reviews(Deployment.objects.all()) == 2

    assert {d.pk: latest(d) for d in (deployment, unreviewed)} == expected


def test_the_migration_backfills_the_latest_review_of_existing_data(deployment, review):
    review(days_ago(30), Rag.GREEN, Rag.GREEN, Rag.GREEN)
    review(days_ago(10), Rag.RED, Rag.GREEN, Rag.AMBER)
    Deployment.objects.update(latest_review_on=None, latest_red=0, latest_amber=0, latest_green=0)
    migration = importlib.import_module("deployments.migrations.0006_latest_review_on_deployment")

    migration.copy_latest_reviews(apps, schema_editor=None)

    assert latest(deployment) == (days_ago(10), 1, 1, 1)
