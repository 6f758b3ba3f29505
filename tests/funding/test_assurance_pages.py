"""The assurance pages: national administrators' pages refuse everyone else; the school's evidence
page is its head's and business manager's only; errors are shown on the forms; and a paid claim
is sampled, given evidence, failed, clawed back by a second administrator and repaid, through
the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import OrganisationKind, Role
from funding.choices import ClawbackState, SampleState
from funding.models import Clawback, Sample
from funding.services import assurance
from tests.factories.accounts import MembershipFactory, OrganisationFactory
from tests.factories.funding import ClaimSetting, evidence_file

from .test_assurance import paid_claims

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def setting() -> ClaimSetting:
    return ClaimSetting.create()


@pytest.fixture
def people(setting) -> dict:
    national = setting.administrator.memberships.get().organisation
    claiming_org = setting.head.memberships.get().organisation
    elsewhere = OrganisationFactory(kind=OrganisationKind.SCHOOL)
    return {
        "national_admin": setting.administrator,
        "second_admin": MembershipFactory(organisation=national, role=Role.NATIONAL_ADMINISTRATOR).user,
        "la_officer": setting.second_commissioner,
        "commissioner": setting.commissioner,
        "head": setting.head,
        "business_manager": setting.business_manager,
        "claiming_school_leader": MembershipFactory(organisation=claiming_org, role=Role.SCHOOL_LEADER).user,
        "supported_head": setting.supported_head,
        "other_school_head": MembershipFactory(organisation=elsewhere, role=Role.HEADTEACHER).user,
    }


@pytest.fixture
def failed(setting) -> Sample:
    """A sample given evidence and failed: its clawback awaits a second administrator."""
    paid_claims(setting, 1)
    draw = assurance.draw_sample(
        actor=setting.administrator, rate=100, seed=3, paid_from=TODAY(), paid_to=TODAY()
    )
    sample = draw.samples.get()
    assurance.give_sample_evidence(sample, actor=setting.head, file=evidence_file())
    assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="No notes")
    return sample


ADMIN_PAGES = [
    ("assurance:draw-list", None),
    ("assurance:draw-new", None),
    ("assurance:draw-detail", "draw"),
    ("assurance:sample-detail", "sample"),
    ("assurance:clawback-list", None),
    ("assurance:clawback-approve", "clawback"),
    ("assurance:clawback-complete", "clawback"),
]
ADMIN_PAGE_STATUS = {
    "national_admin": 200,
    "second_admin": 200,
    "la_officer": 403,
    "commissioner": 403,
    "head": 403,
    "business_manager": 403,
    "supported_head": 403,
    "other_school_head": 403,
}


def _args(failed: Sample, takes: str | None) -> list[int]:
    return {"draw": [failed.draw_id], "sample": [failed.pk], "clawback": [failed.clawback.pk]}.get(takes, [])


@pytest.mark.parametrize(("name", "takes"), ADMIN_PAGES)
@pytest.mark.parametrize(("persona", "status"), ADMIN_PAGE_STATUS.items())
def test_only_national_administrators_open_the_assurance_pages(
    client, people, failed, name, takes, persona, status
):
    client.force_login(people[persona])
    url = reverse(name, args=_args(failed, takes))
    assert client.get(url).status_code == status
    if status == 403:
        assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize(("name", "takes"), [*ADMIN_PAGES, ("assurance:sample-evidence", "sample")])
def test_signed_out_people_are_sent_to_sign_in(client, failed, name, takes):
    assert client.get(reverse(name, args=_args(failed, takes))).status_code == 302


EVIDENCE_PAGE_STATUS = {
    "head": 200,
    "business_manager": 200,
    "claiming_school_leader": 403,  # sees the school's claims, does not claim for it
    "national_admin": 403,
    "second_admin": 403,
    "la_officer": 404,
    "commissioner": 404,
    "supported_head": 404,
    "other_school_head": 404,
}


@pytest.mark.parametrize(("persona", "status"), EVIDENCE_PAGE_STATUS.items())
def test_the_evidence_page_is_the_claiming_schools(client, people, failed, persona, status):
    client.force_login(people[persona])
    assert client.get(reverse("assurance:sample-evidence", args=[failed.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national_admin", 200),
        ("head", 200),
        ("business_manager", 200),
        ("claiming_school_leader", 404),
        ("commissioner", 404),
        ("other_school_head", 404),
    ],
)
def test_the_evidence_file_is_for_administrators_and_the_claiming_school(
    client, people, failed, persona, status
):
    client.force_login(people[persona])
    assert client.get(reverse("assurance:sample-evidence-file", args=[failed.pk])).status_code == status


def test_a_missing_sample_is_not_found(client, people):
    client.force_login(people["national_admin"])
    assert client.get(reverse("assurance:sample-detail", args=[99999])).status_code == 404
    client.force_login(people["head"])
    assert client.get(reverse("assurance:sample-evidence", args=[99999])).status_code == 404


def test_the_draw_form_offers_a_seed_and_explains_its_errors(client, people):
    client.force_login(people["national_admin"])
    page = client.get(reverse("assurance:draw-new"))
    assert isinstance(page.context["form"].initial["seed"], int)
    response = client.post(
        reverse("assurance:draw-new"),
        {
            "rate": "0",
            "seed": "x",
            "paid_from_day": "2",
            "paid_from_month": "1",
            "paid_from_year": "2026",
            "paid_to_day": "1",
            "paid_to_month": "1",
            "paid_to_year": "2026",
        },
    )
    text = response.content.decode()
    assert "There is a problem" in text
    assert "The share to sample, in percent, must be between 1 and 100" in text
    assert "The seed must be a whole number" in text
    assert "The last date must be on or after the first" in text


def test_drawing_with_nothing_paid_says_so(client, people):
    client.force_login(people["national_admin"])
    today = TODAY()
    response = client.post(
        reverse("assurance:draw-new"),
        {
            "rate": "10",
            "seed": "5",
            "paid_from_day": today.day,
            "paid_from_month": today.month,
            "paid_from_year": today.year,
            "paid_to_day": today.day,
            "paid_to_month": today.month,
            "paid_to_year": today.year,
        },
    )
    assert "No paid claims in this period" in response.content.decode()


def test_the_outcome_form_needs_a_reason_to_fail(client, people, setting):
    paid_claims(setting, 1)
    sample = assurance.draw_sample(
        actor=setting.administrator, rate=100, seed=3, paid_from=TODAY(), paid_to=TODAY()
    ).samples.get()
    client.force_login(people["national_admin"])
    url = reverse("assurance:sample-detail", args=[sample.pk])
    assert "Select whether the sample passed or failed" in client.post(url, {}).content.decode()
    assert "Say why the sample failed" in client.post(url, {"outcome": "failed", "note": ""}).content.decode()
    response = client.post(url, {"outcome": "passed", "note": ""})
    assert "evidence requested, so it cannot be passed" in response.content.decode()


def test_the_opener_is_told_a_second_administrator_must_approve(client, people, failed):
    client.force_login(people["national_admin"])
    page = client.get(reverse("assurance:clawback-approve", args=[failed.clawback.pk])).content.decode()
    assert "a second administrator must approve it" in page
    response = client.post(reverse("assurance:clawback-approve", args=[failed.clawback.pk]))
    assert "a second administrator must approve it" in response.content.decode()
    assert Clawback.objects.get().state == ClawbackState.AWAITING_APPROVAL


def test_the_evidence_form_refuses_a_bad_file(client, people, setting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    paid_claims(setting, 1)
    sample = assurance.draw_sample(
        actor=setting.administrator, rate=100, seed=3, paid_from=TODAY(), paid_to=TODAY()
    ).samples.get()
    client.force_login(people["head"])
    url = reverse("assurance:sample-evidence", args=[sample.pk])
    assert "Select the file of evidence" in client.post(url, {"note": "x"}).content.decode()
    bad = SimpleUploadedFile("notes.exe", b"MZ\x90", content_type="application/octet-stream")
    assert "The selected file must be a" in client.post(url, {"file": bad}).content.decode()


def test_the_list_pages_cost_a_fixed_number_of_queries(
    client, people, setting, django_assert_max_num_queries
):
    client.force_login(people["national_admin"])
    paid_claims(setting, 2)
    assurance.draw_sample(actor=setting.administrator, rate=100, seed=3, paid_from=TODAY(), paid_to=TODAY())
    for sample in Sample.objects.all():
        assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="No")
    urls = [reverse("assurance:draw-list"), reverse("assurance:clawback-list")]
    draw_url = reverse("assurance:draw-detail", args=[Sample.objects.first().draw_id])
    counts = {}
    for url in [*urls, draw_url]:
        client.get(url)
        with django_assert_max_num_queries(20) as queries:
            client.get(url)
        counts[url] = len(queries.captured_queries)
    paid_claims(setting, 3)
    more = assurance.draw_sample(
        actor=setting.administrator, rate=100, seed=4, paid_from=TODAY(), paid_to=TODAY()
    )
    for sample in more.samples.all():
        assurance.record_sample_outcome(sample, actor=setting.administrator, passed=False, note="No")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
    with django_assert_max_num_queries(counts[draw_url]):
        client.get(reverse("assurance:draw-detail", args=[more.pk]))


def test_end_to_end_a_paid_claim_is_sampled_failed_clawed_back_and_repaid(
    client, people, setting, django_capture_on_commit_callbacks
):
    paid_claims(setting, 1)
    admin, second, head = people["national_admin"], people["second_admin"], people["head"]
    today = TODAY()
    start = today - datetime.timedelta(days=7)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assurance:draw-new"),
            {
                "rate": "10",
                "seed": "2024",
                "paid_from_day": start.day,
                "paid_from_month": start.month,
                "paid_from_year": start.year,
                "paid_to_day": today.day,
                "paid_to_month": today.month,
                "paid_to_year": today.year,
            },
        )
    sample = Sample.objects.get()
    assert response.url == reverse("assurance:draw-detail", args=[sample.draw_id])
    evidence_email = mail.outbox[-1]
    assert reverse("assurance:sample-evidence", args=[sample.pk]) in evidence_email.body

    client.force_login(head)
    assert "Give the evidence for a sampled claim" in client.get(reverse("home")).content.decode()
    client.post(
        reverse("assurance:sample-evidence", args=[sample.pk]),
        {"file": evidence_file(), "note": "Our timesheet"},
    )
    sample.refresh_from_db()
    assert sample.state == SampleState.EVIDENCE_RECEIVED

    client.force_login(admin)
    page = client.get(reverse("assurance:sample-detail", args=[sample.pk])).content.decode()
    assert "invoice.pdf" in page and "Our timesheet" in page
    client.post(
        reverse("assurance:sample-detail", args=[sample.pk]),
        {"outcome": "failed", "note": "The timesheet does not match the visits", "clawback_amount": "100.00"},
    )
    clawback = Clawback.objects.get()
    assert (clawback.state, clawback.opened_by) == (ClawbackState.AWAITING_APPROVAL, admin)
    assert "Approve the clawback" not in client.get(reverse("home")).content.decode()

    client.force_login(second)
    assert "Approve the clawback (second administrator)" in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assurance:clawback-approve", args=[clawback.pk]))
    assert "Repayment requested: £100.00" in mail.outbox[-1].subject
    assert set(mail.outbox[-1].to) == {setting.head.email, setting.business_manager.email}

    client.force_login(head)
    page = client.get(reverse("assurance:sample-evidence", args=[sample.pk])).content.decode()
    assert "Repay £100.00" in page

    client.force_login(admin)
    client.post(
        reverse("assurance:clawback-complete", args=[clawback.pk]), {"repayment_reference": "REPAY-7"}
    )
    clawback.refresh_from_db()
    assert (clawback.state, clawback.approved_by, clawback.repayment_reference) == (
        ClawbackState.COMPLETE,
        second,
        "REPAY-7",
    )


def test_a_draw_posted_twice_is_drawn_once(client, people, setting):
    import re

    from funding.models import SampleDraw

    paid_claims(setting, 2)
    client.force_login(people["national_admin"])
    url = reverse("assurance:draw-new")
    token = re.search(r'name="submission_token" value="([^"]+)"', client.get(url).content.decode()).group(1)
    today = TODAY()
    data = {
        "rate": "50",
        "seed": "8",
        "paid_from_day": today.day,
        "paid_from_month": today.month,
        "paid_from_year": today.year,
        "paid_to_day": today.day,
        "paid_to_month": today.month,
        "paid_to_year": today.year,
        "submission_token": token,
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert SampleDraw.objects.count() == 1 and Sample.objects.count() == 1
