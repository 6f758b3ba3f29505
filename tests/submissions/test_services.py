"""The one-time form token: claimed once, by its first poster, and cleared after two days."""

import datetime
import io

import pytest
from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from submissions import services
from submissions.models import Submission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def posted(user, token: str):
    request = RequestFactory().post("/form/", {services.FIELD_NAME: token})
    request.user = user
    request.session, request._messages = {}, _Messages()
    return request


class _Messages(list):
    def add(self, level, message, extra_tags=""):
        self.append(message)


def test_the_first_post_acts_and_a_repeat_is_sent_to_its_result():
    user, token, done = UserFactory(), services.new_token(), []

    def perform():
        done.append(1)
        return redirect(f"/result/{len(done)}/")

    first = services.submit_once(posted(user, token), perform)
    again = services.submit_once(posted(user, token), perform)
    assert done == [1]
    assert first["Location"] == again["Location"] == "/result/1/"
    assert Submission.objects.get().result_url == "/result/1/"


def test_a_post_shown_again_with_errors_gives_up_its_token():
    user, token = UserFactory(), services.new_token()
    services.submit_once(posted(user, token), lambda: HttpResponse("errors", status=200))
    assert not Submission.objects.exists()
    assert services.submit_once(posted(user, token), lambda: redirect("/done/"))["Location"] == "/done/"


def test_someone_elses_token_is_refused():
    token = services.new_token()
    services.submit_once(posted(UserFactory(), token), lambda: redirect("/done/"))
    with pytest.raises(SuspiciousOperation):
        services.submit_once(posted(UserFactory(), token), lambda: redirect("/other/"))


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "not a token with spaces" * 2])
def test_a_post_without_a_well_formed_token_is_acted_on_without_a_claim(token):
    done = []
    services.submit_once(posted(UserFactory(), token), lambda: done.append(1) or redirect("/done/"))
    assert done == [1]
    assert not Submission.objects.exists()


def test_the_tag_renders_a_new_hidden_token_each_time():
    template = Template("{% load submissions %}{% submission_token %}|{% submission_token %}")
    first, second = template.render(Context()).split("|")
    assert 'type="hidden" name="submission_token"' in first
    assert first != second


def test_tokens_older_than_two_days_are_cleared_by_the_command():
    now = timezone.now()
    old = Submission.objects.create(token="a" * 43, created_at=now - datetime.timedelta(days=2, minutes=1))
    recent = Submission.objects.create(token="b" * 43, created_at=now - datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("clear_old_submissions", stdout=out)
    assert out.getvalue().strip() == "deleted: 1"
    assert list(Submission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Submission.objects.filter(pk=old.pk).exists()


def test_the_clearing_task_is_scheduled_daily(settings):
    from submissions.tasks import clear_old_submissions

    schedule = settings.CELERY_BEAT_SCHEDULE["submissions-clear-old-submissions"]
    assert schedule["task"] == clear_old_submissions.name == "submissions.clear_old_submissions"
    assert clear_old_submissions.apply().get() == {"deleted": 0}
