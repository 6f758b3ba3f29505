"""Deliveries to a local receiver: signed per Standard Webhooks, retried on the schedule after
failures, the subscription turned off (and its administrators emailed) after persistent failure,
test events, SSRF and https-only refusals, and only events the organisation may see."""

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook
from werkzeug import Response

from accounts.choices import Role
from changefeed import services as changefeed
from changefeed.choices import EventType
from deployments.choices import DeploymentState, StateReason
from deployments.services import transition
from tests.factories import MembershipFactory, UserFactory
from webhooks import services
from webhooks.choices import DeliveryStatus
from webhooks.models import Delivery
from webhooks.tasks import send_due_deliveries

pytestmark = pytest.mark.django_db

TYPES = [EventType.DEPLOYMENT_STATE_CHANGED, EventType.DEPLOYMENT_CREATED]


@pytest.fixture
def subscription(httpserver, home_la_org):
    return services.create_subscription(
        organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=TYPES
    )


def pause(deployment):
    transition(deployment, DeploymentState.PAUSED, reason=StateReason.OTHER, check_permission=False)


def test_an_event_arrives_signed_per_standard_webhooks(httpserver, subscription, home_deployment, publish):
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("ok")
    pause(home_deployment)
    publish()
    httpserver.check_assertions()
    request, _ = httpserver.log[0]
    payload = Webhook(subscription.secret).verify(request.get_data(as_text=True), dict(request.headers))
    assert payload["type"] == "deployment.state_changed"
    assert payload["data"]["api_version"] == "v1"
    assert payload["data"]["resource"] == {"kind": "deployment", "id": home_deployment.pk}
    assert payload["data"]["details"]["to_state"] == "paused"
    assert request.headers["webhook-id"] == f"evt_{payload['data']['id']}"
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        DeliveryStatus.SUCCEEDED,
        1,
        200,
    )


def test_a_signature_made_with_another_secret_does_not_verify(
    httpserver, subscription, home_deployment, publish
):
    from standardwebhooks.webhooks import WebhookVerificationError

    httpserver.expect_oneshot_request("/hook").respond_with_data("ok")
    pause(home_deployment)
    publish()
    request, _ = httpserver.log[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(services.Subscription().secret).verify(request.get_data(as_text=True), dict(request.headers))


def test_a_failed_delivery_is_retried_on_the_schedule_until_it_succeeds(
    httpserver, subscription, home_deployment, publish
):
    answers = iter([500, 502, 200])
    httpserver.expect_request("/hook").respond_with_handler(
        lambda request: Response("", status=next(answers))
    )
    pause(home_deployment)
    publish()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at == delivery.last_attempt_at + services.RETRY_SCHEDULE[0]
    assert send_due_deliveries.apply().get() == 0  # not due yet

    def retry_when_due():
        delivery.refresh_from_db()
        return services.attempt(delivery.pk, now=delivery.next_attempt_at)

    assert retry_when_due() == "pending"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 502)
    assert delivery.next_attempt_at - delivery.last_attempt_at == services.RETRY_SCHEDULE[1]
    assert retry_when_due() == "succeeded"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code, delivery.next_attempt_at) == (3, 200, None)
    ids = {request.headers["webhook-id"] for request, _ in httpserver.log}
    assert len(ids) == 1  # the same message each time, so the receiver can drop repeats


def test_the_schedule_spans_about_a_day():
    assert (
        datetime.timedelta(hours=24)
        <= sum(services.RETRY_SCHEDULE, datetime.timedelta())
        <= datetime.timedelta(hours=36)
    )


def test_the_periodic_task_sends_due_deliveries(httpserver, subscription, home_deployment, publish):
    httpserver.expect_request("/hook").respond_with_data("no", status=500)
    pause(home_deployment)
    publish()
    Delivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert send_due_deliveries.apply().get() == 1
    assert Delivery.objects.get().attempts == 2


def _fail_for_good(delivery_id):
    while (status := Delivery.objects.get(pk=delivery_id)).status == DeliveryStatus.PENDING:
        services.attempt(delivery_id, now=status.next_attempt_at)


def test_persistent_failure_turns_the_subscription_off_and_emails_its_administrators(
    httpserver,
    subscription,
    home_la_org,
    la_officer,
    home_deployment,
    publish,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 2
    MembershipFactory(
        user=UserFactory(email="commissioner-only@example.org"),
        organisation=home_la_org,
        role=Role.COMMISSIONER,
    )
    httpserver.expect_request("/hook").respond_with_data("down", status=503)
    for _ in range(2):
        pause(home_deployment) if home_deployment.state == "active" else transition(
            home_deployment, DeploymentState.ACTIVE, check_permission=False
        )
        publish()
        home_deployment.refresh_from_db()
    first, second = Delivery.objects.order_by("pk")
    _fail_for_good(first.pk)
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.consecutive_failures == 1
    with django_capture_on_commit_callbacks(execute=True):
        _fail_for_good(second.pk)
    first.refresh_from_db()
    assert (first.status, first.attempts) == (DeliveryStatus.FAILED, services.MAX_ATTEMPTS)
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_at is not None
    assert "failed every attempt" in subscription.disabled_reason
    assert len(mail.outbox) == 1
    assert la_officer.email in mail.outbox[0].to
    assert "commissioner-only@example.org" not in mail.outbox[0].to  # not an administrator
    assert "turned off" in mail.outbox[0].subject
    # Off: nothing more is sent, whatever happens.
    pause(home_deployment) if home_deployment.state == "active" else None
    assert services.attempt(second.pk) is None


def test_a_success_resets_the_count_of_failures(httpserver, subscription, home_deployment, publish):
    subscription.consecutive_failures = 2
    subscription.save()
    httpserver.expect_request("/hook").respond_with_data("ok")
    pause(home_deployment)
    publish()
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_a_test_event_is_sent_once_and_signed(httpserver, subscription):
    httpserver.expect_oneshot_request("/hook").respond_with_data("ok")
    delivery = services.create_test_delivery(subscription)
    assert services.attempt(delivery.pk) == DeliveryStatus.SUCCEEDED
    request, _ = httpserver.log[0]
    payload = Webhook(subscription.secret).verify(request.get_data(as_text=True), dict(request.headers))
    assert payload["type"] == "webhook.test"


def test_a_failed_test_event_is_not_retried_and_does_not_count_towards_turning_off(httpserver, subscription):
    httpserver.expect_request("/hook").respond_with_data("no", status=500)
    delivery = services.create_test_delivery(subscription)
    assert services.attempt(delivery.pk) == DeliveryStatus.FAILED
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_a_redirect_is_not_followed(httpserver, subscription):
    httpserver.expect_request("/hook").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/"}
    )
    delivery = services.create_test_delivery(subscription)
    assert services.attempt(delivery.pk) == DeliveryStatus.FAILED
    assert len(httpserver.log) == 1
    assert Delivery.objects.get().last_status_code == 302


def test_a_receiver_that_does_not_answer_in_time_is_a_failure(httpserver, subscription, settings):
    import time

    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.2
    httpserver.expect_request("/hook").respond_with_handler(
        lambda request: time.sleep(0.6) or Response("late")
    )
    delivery = services.create_test_delivery(subscription)
    assert services.attempt(delivery.pk) == DeliveryStatus.FAILED
    assert "No answer within" in Delivery.objects.get().last_error
    time.sleep(0.6)  # the receiver finishes answering, so the next test's log starts empty


# --- visibility -----------------------------------------------------------------------------------


def test_an_event_the_organisation_may_not_see_is_not_delivered(
    httpserver, subscription, other_deployment, home_deployment, publish
):
    httpserver.expect_request("/hook").respond_with_data("ok")
    pause(other_deployment)
    publish()
    assert not Delivery.objects.exists()
    assert httpserver.log == []
    pause(home_deployment)
    publish()
    assert Delivery.objects.count() == 1


def test_only_the_types_subscribed_to_are_delivered(httpserver, home_la_org, home_deployment, publish):
    httpserver.expect_request("/hook").respond_with_data("ok")
    services.create_subscription(
        organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=[EventType.REVIEW_RECORDED]
    )
    pause(home_deployment)
    publish()
    assert not Delivery.objects.exists()


def test_an_event_is_delivered_once_however_often_it_is_fanned_out(httpserver, subscription, home_deployment):
    httpserver.expect_request("/hook").respond_with_data("ok")
    pause(home_deployment)
    event_ids = changefeed.publish_pending()
    services.create_deliveries(event_ids)
    assert Delivery.objects.count() == 1
    assert len(httpserver.log) == 1


# --- where webhooks may be sent -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.10/hook",
        "https://172.16.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "https://100.64.0.1/hook",
    ],
)
def test_private_and_local_addresses_are_refused(settings, home_la_org, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    with pytest.raises(ValidationError) as refusal:
        services.create_subscription(organisation=home_la_org, url=url, event_types=TYPES)
    assert "url" in refusal.value.message_dict


def test_a_host_that_resolves_to_a_private_address_is_refused(settings, home_la_org, monkeypatch):
    import socket

    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))],
    )
    with pytest.raises(ValidationError):
        services.create_subscription(
            organisation=home_la_org, url="https://rebound.example.org/", event_types=TYPES
        )


def test_a_public_host_is_accepted(settings, home_la_org, monkeypatch):
    import socket

    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443))],
    )
    subscription = services.create_subscription(
        organisation=home_la_org, url="https://partner.example.org/hook", event_types=TYPES
    )
    assert subscription.secret.startswith("whsec_")


def test_the_address_is_checked_again_when_sending(httpserver, subscription, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False  # the receiver is on 127.0.0.1
    delivery = services.create_test_delivery(subscription)
    assert services.attempt(delivery.pk) == DeliveryStatus.FAILED
    assert httpserver.log == []
    assert "public address" in Delivery.objects.get().last_error


def test_the_request_goes_to_the_address_checked_not_to_a_name_resolved_again(
    httpserver, home_la_org, monkeypatch
):
    """DNS rebinding: the name answers the checked address once, then somewhere else. The send
    must connect to what was checked, naming the host in the Host header."""
    import socket

    real_getaddrinfo = socket.getaddrinfo
    answers = iter(["127.0.0.1"])

    def rebinding(host, port, *args, **kwargs):
        if host != "receiver.example.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        address = next(answers, "10.9.9.9")  # second and later lookups point inward
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    subscription = services.create_subscription(
        organisation=home_la_org,
        url=f"http://receiver.example.test:{httpserver.port}/hook",
        event_types=TYPES,
    )
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    assert services.attempt(services.create_test_delivery(subscription).pk) == DeliveryStatus.SUCCEEDED
    (request, _response), = httpserver.log
    assert request.headers["Host"] == f"receiver.example.test:{httpserver.port}"


def test_http_is_refused_unless_allowed(settings, home_la_org):
    settings.WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(ValidationError) as refusal:
        services.create_subscription(
            organisation=home_la_org, url="http://partner.example.org/", event_types=TYPES
        )
    assert "https://" in refusal.value.message_dict["url"][0]


@pytest.mark.parametrize("types", [[], ["deployment.exploded"], "deployment.created"])
def test_event_types_must_be_known(home_la_org, httpserver, types):
    with pytest.raises(ValidationError) as refusal:
        services.create_subscription(
            organisation=home_la_org, url=httpserver.url_for("/hook"), event_types=types
        )
    assert "event_types" in refusal.value.message_dict


def test_the_payload_holds_no_personal_data(httpserver, subscription, home_deployment, publish):
    httpserver.expect_request("/hook").respond_with_data("ok")
    pause(home_deployment)
    publish()
    request, _ = httpserver.log[0]
    body = request.get_data(as_text=True)
    leader = home_deployment.leader
    assert leader.email not in body and leader.full_name not in body
    assert json.loads(body)["data"]["details"]["reason"] == StateReason.OTHER
