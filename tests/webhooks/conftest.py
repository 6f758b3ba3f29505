"""Webhook tests send to a local receiver (pytest-httpserver), so http and loopback are allowed
unless a test says otherwise; Celery runs in-process."""

import pytest

from changefeed import services as changefeed
from tests.factories.brokerage import SupportRequestFactory
from tests.factories.deployments import agreed_deployment


@pytest.fixture(autouse=True)
def _local_receiver_allowed(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture(autouse=True)
def _eager(eager_celery):
    return eager_celery


@pytest.fixture
def home_deployment(home_school, home_la_org):
    request = SupportRequestFactory(school=home_school, commissioner=home_la_org, broker=home_la_org)
    return agreed_deployment(support_request=request)


@pytest.fixture
def other_deployment(other_school, other_la_org):
    request = SupportRequestFactory(school=other_school, commissioner=other_la_org, broker=other_la_org)
    return agreed_deployment(support_request=request)


@pytest.fixture
def publish():
    """Number what was recorded (the test's transaction never commits) and deliver it."""
    return changefeed.publish_pending
