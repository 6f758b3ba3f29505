"""The count in the navigation, and the cost of the tasks page: a fixed number of queries whatever
the number of tasks, pinned at two sizes."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.choices import AccessRequestState, OrganisationKind, Role
from accounts.models import AccessRequest
from brokerage.choices import PartnershipStatus, RequestStatus
from deployments.choices import AgreementStatus, DeploymentState
from designations.choices import ApplicationState
from designations.models import DesignationType
from tests.factories import MembershipFactory, OrganisationFactory, SchoolFactory
from tests.factories.accounts import DEFAULT_PASSWORD
from tests.factories.brokerage import ProfessionalPartnershipFactory, SupportRequestFactory
from tests.factories.deployments import AgreementFactory, DeploymentFactory, ObjectiveFactory
from tests.factories.designations import (
    ApplicationFactory,
    ApplicationRoundFactory,
    DeDesignationCaseFactory,
    DesignationFactory,
    RefereeRequestFactory,
    ReviewFactory,
)
from tests.factories.schooldays import in_term
from worklist.providers import FACTS as FACTS_ASKED
from worklist.providers import PROVIDERS, task_count_for, tasks_for

from .conftest import quiet_deployment, task_kinds

BADGE = '<span class="app-count-badge">{n}<span class="govuk-visually-hidden"> task{s}</span></span>'


def badge(n: int) -> str:
    return BADGE.format(n=n, s="" if n == 1 else "s")


# --- the navigation's count ----------------------------------------------------------------------


def test_the_navigation_shows_tasks_first_with_their_number(client, la_officer, home_request):
    SupportRequestFactory.create_batch(2, school=home_request.school, commissioner=home_request.commissioner)
    client.force_login(la_officer)

    page = client.get(reverse("deployments:deployment-list")).content.decode()

    navigation = page[page.index('id="navigation"'):]
    assert navigation.index(">Tasks") < navigation.index(">Schools<")
    assert f'href="{reverse("home")}">Tasks {badge(3)}</a>' in page


def test_the_navigation_shows_no_number_when_there_is_nothing_to_do(client, la_officer):
    client.force_login(la_officer)

    page = client.get(reverse("deployments:deployment-list")).content.decode()

    assert ">Tasks</a>" in page
    assert "app-count-badge" not in page


def test_the_tasks_item_is_current_on_the_tasks_page(client, la_officer):
    client.force_login(la_officer)

    page = client.get(reverse("home")).content.decode()

    current = (
        f'<a class="govuk-service-navigation__link" href="{reverse("home")}" aria-current="true">'
        '<strong class="govuk-service-navigation__active-fallback">Tasks'
    )
    assert current in page
    assert 'govuk-service-navigation__item--active">' in page[: page.index(current)]


def test_doing_a_task_updates_the_count_on_the_very_next_page(client, la_officer, home_request):
    client.force_login(la_officer)
    assert badge(1) in client.get(reverse("deployments:deployment-list")).content.decode()

    response = client.post(
        reverse("brokerage:request-close", args=[home_request.pk]), {"reason": "Support found elsewhere."}
    )

    assert response.status_code == 302
    page = client.get(reverse("deployments:deployment-list")).content.decode()
    assert "app-count-badge" not in page


def test_a_task_someone_else_makes_shows_in_the_count_once_the_cached_count_expires(
    client, la_officer, home_request
):
    client.force_login(la_officer)
    SupportRequestFactory(school=home_request.school, commissioner=home_request.commissioner)

    # Counted at sign-in, the number may lag others' actions for up to a minute...
    assert badge(1) in client.get(reverse("deployments:deployment-list")).content.decode()
    cache.clear()  # ...as when the minute has passed
    assert badge(2) in client.get(reverse("deployments:deployment-list")).content.decode()


def test_visiting_the_tasks_page_refreshes_the_count(client, la_officer, home_request):
    client.force_login(la_officer)
    SupportRequestFactory(school=home_request.school, commissioner=home_request.commissioner)

    page = client.get(reverse("home")).content.decode()

    assert badge(2) in page
    assert badge(2) in client.get(reverse("deployments:deployment-list")).content.decode()


def test_a_cached_count_costs_no_queries(client, la_officer, home_request, django_assert_num_queries):
    client.force_login(la_officer)  # counts them

    with django_assert_num_queries(0):
        assert task_count_for(la_officer) == 1


def test_signed_out_visitors_have_no_count(rf):
    from django.contrib.auth.models import AnonymousUser

    assert task_count_for(AnonymousUser()) is None
    assert tasks_for(AnonymousUser()) == []


# --- a fixed number of queries -------------------------------------------------------------------


@pytest.fixture
def busy(la_officer, teaching_school_org):
    """The LA officer (who brokers for Norfolk and agrees as its commissioner) also leads the
    teaching school, holds an LLE, applies for designations and is asked to be a partner."""
    MembershipFactory(user=la_officer, organisation=teaching_school_org, role=Role.TEACHING_SCHOOL_LEAD)
    return la_officer


def make_tasks(n: int, user, home_school, home_la_org, teaching_school_org) -> None:
    """n tasks of every kind for ``user``."""
    today = timezone.localdate()
    lle = DesignationType.objects.get(code="LLE")
    sle = DesignationType.objects.get(code="SLE")
    own = DesignationFactory(holder=user, designation_type=lle)
    sle_round = ApplicationRoundFactory(designation_type=sle, teaching_school=teaching_school_org)

    def request(status=RequestStatus.AGREED):
        return SupportRequestFactory(school=home_school, commissioner=home_la_org, status=status)

    for _ in range(n):
        request(RequestStatus.OPEN)  # to broker
        awaiting = DeploymentFactory(support_request=request(), state=DeploymentState.PROPOSED)
        ObjectiveFactory(agreement=AgreementFactory(
            deployment=awaiting, status=AgreementStatus.AWAITING_AGREEMENT, agreed_at=None
        ))
        sent_back = AgreementFactory(
            deployment=DeploymentFactory(support_request=request(), state=DeploymentState.PROPOSED),
            status=AgreementStatus.AWAITING_AGREEMENT, agreed_at=None,
        )
        sent_back.status = AgreementStatus.DRAFT
        sent_back.save()
        DeploymentFactory(support_request=request(), state=DeploymentState.PROPOSED)  # to draft
        review = quiet_deployment(request(), DesignationFactory(designation_type=lle))
        review.next_review_on = today - datetime.timedelta(days=2)
        review.save(update_fields=["next_review_on"])
        quiet_deployment(
            request(), DesignationFactory(designation_type=lle),
            state=DeploymentState.AWAITING_FINAL_EVALUATION,
        )
        stalled = quiet_deployment(request(), own)
        # Six school weeks: every weekday around today is a school day here, whatever the holidays.
        in_term(
            stalled.supported_school.local_authority,
            today - datetime.timedelta(days=200),
            today + datetime.timedelta(days=200),
        )
        stalled.last_time_logged_on = today - datetime.timedelta(weeks=6)
        stalled.save(update_fields=["last_time_logged_on"])
        ApplicationFactory(
            # From another school than the teaching school's: nobody assesses their own school's.
            round=sle_round, school=SchoolFactory(), state=ApplicationState.SUBMITTED,
            submitted_at=timezone.now(),
        )
        RefereeRequestFactory(application=ApplicationFactory(
            applicant=user,
            round=ApplicationRoundFactory(designation_type=sle, teaching_school=teaching_school_org),
            school=home_school, state=ApplicationState.AWAITING_REFEREE, submitted_at=timezone.now(),
        ))
        pooled = DesignationFactory(designation_type=sle, designating_organisation=teaching_school_org)
        DeDesignationCaseFactory(designation=pooled)
        ReviewFactory(designation=pooled, due_on=today + datetime.timedelta(days=5))
        ProfessionalPartnershipFactory(partner=own, status=PartnershipStatus.REQUESTED)
        elsewhere = OrganisationFactory(kind=OrganisationKind.NATIONAL_BODY)
        account_services.invite(
            email=user.email, organisation=elsewhere, role=Role.ASSOCIATE, invited_by=None
        )
        asking = AccessRequest.objects.create(
            full_name="Asha Asker", email=f"asker{elsewhere.pk}@example.org",
            organisation_kind=OrganisationKind.SCHOOL, school=home_school, role=Role.SCHOOL_LEADER,
            reason="I lead reading.", state=AccessRequestState.AWAITING_DECISION, confirmed_at=timezone.now(),
        )
        asking.routed_to.add(user)
        claim_tasks(request)


def claim_tasks(request) -> None:
    """A claim to decide and an approved claim to pay, for the commissioner."""
    from deployments.models import Deployment
    from funding import services as funding_services
    from tests.factories.funding import ClaimSetting, make_claim

    far = timezone.localdate() + datetime.timedelta(days=100)
    for approve in (False, True):
        setting = ClaimSetting.create(support_request=request())
        Deployment.objects.filter(pk=setting.deployment.pk).update(next_review_on=far)
        setting.log_days(1)
        claim = make_claim(setting)
        if approve:
            funding_services.approve(claim, actor=setting.commissioner)


# Session, the user with what the providers and the navigation ask about the person's own work,
# memberships (3); agreements to agree, change or send (1); requests to
# broker (1); deployments to draft, review, evaluate or log time on (1) and the term dates the
# stalled deployments' rule counts school weeks over (1); claims to decide and pay (1; claims to
# answer read nothing for someone who is no school's head or business manager); the schools the
# person works at, so that their own cases are left out of what they assess and decide (1);
# applications to assess (1); references awaited (1); cases to decide (1); designation reviews due
# (1); partnership requests (1); invitations (1); access requests (1).
HOME_QUERIES = 16


@pytest.mark.parametrize("n", [1, 10])
def test_the_tasks_page_costs_the_same_queries_whatever_the_number_of_tasks(
    client, busy, home_school, home_la_org, teaching_school_org, n, django_assert_num_queries
):
    make_tasks(n, busy, home_school, home_la_org, teaching_school_org)
    client.force_login(busy)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))

    kinds = task_kinds(client, busy)
    expected = {
        "find-leader", "agree-agreement", "agreement-changes", "draft-agreement", "progress-review",
        "final-evaluation", "log-time", "assess-application", "reference-awaited", "decide-case",
        "designation-review", "partnership-request", "answer-invitation", "answer-access-request",
        "decide-claim", "pay-claim",
    }
    assert set(kinds) == expected
    assert {kind: kinds.count(kind) for kind in expected} == dict.fromkeys(expected, n)
    assert badge(len(kinds)) in response.content.decode()
    assert len(PROVIDERS) == 15  # funding.worklist_assurance adds three, tested in tests/funding


def test_signing_in_counts_the_tasks_for_the_pages_that_follow(client, la_officer, home_request):
    response = client.post(
        reverse("accounts:sign-in"), {"username": la_officer.email, "password": DEFAULT_PASSWORD}
    )

    assert response.url == reverse("home")
    assert cache.get(f"worklist:task-count:{la_officer.pk}") == 1
    assert badge(1) in client.get(reverse("deployments:deployment-list")).content.decode()


# --- what cannot apply costs nothing -------------------------------------------------------------


def _fresh(user):
    """The person as a new request loads them: with their memberships, nothing yet known about their
    own work."""
    from accounts.models import User

    person = User.objects.get(pk=user.pk)
    person.active_memberships  # noqa: B018 -- loaded, as for every signed-in request
    return person


def test_a_person_with_no_role_and_no_work_of_their_own_costs_one_query_for_every_provider_but_one(
    db, django_assert_num_queries
):
    from accounts.rules import answer_all
    from tests.factories import UserFactory
    from worklist.providers import FACTS

    nobody = _fresh(UserFactory())
    today = timezone.localdate()

    with django_assert_num_queries(1):  # the facts about their own work, all at once
        answer_all(nobody, FACTS)
    for provider in PROVIDERS:
        # Invitations are found by email address, whoever the person is.
        expected = 1 if provider.__name__ == "invitations_to_answer" else 0
        with django_assert_num_queries(expected):
            assert provider(nobody, today) == [], provider.__name__


def test_a_broker_with_no_work_of_their_own_costs_no_query_for_a_leaders_or_applicants_tasks(
    la_officer, home_request, django_assert_num_queries
):
    from accounts.rules import answer_all
    from brokerage.worklist import partnership_requests
    from designations.worklist import applications_to_assess, references_awaited
    from worklist.providers import FACTS

    broker = _fresh(la_officer)
    answer_all(broker, FACTS)
    today = timezone.localdate()

    with django_assert_num_queries(0):
        assert partnership_requests(broker, today) == []
        assert references_awaited(broker, today) == []
        assert applications_to_assess(broker, today) == []  # leads no teaching school


def test_the_facts_the_providers_ask_include_the_navigations_so_a_page_asks_once():
    from navigation.menu import PERSONAL_FACTS
    from worklist.providers import FACTS

    assert set(PERSONAL_FACTS) <= set(FACTS)


def test_the_tasks_page_asks_about_the_persons_own_work_once_for_itself_and_the_navigation(
    client, la_officer, home_request
):
    """Once, with the person as the request loads them: no query of its own on the tasks page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(la_officer)

    with CaptureQueriesContext(connection) as context:
        client.get(reverse("home"))

    asked = [query["sql"] for query in context.captured_queries]
    facts = [sql for sql in asked if "fact_works_on_a_deployment_0" in sql]
    assert len(facts) == 1
    assert all(f"fact_{fact.key}_0" in facts[0] for fact in FACTS_ASKED)
    assert '"accounts_user"."password"' in facts[0]  # the query that loads the person


def test_a_count_after_the_persons_own_action_asks_about_their_work_afresh(
    reference_awaited, applicant
):
    from worklist.providers import refresh_count

    person = _fresh(applicant)
    person._rule_answers = {"has_applied": False}  # as asked earlier in the request, before applying

    assert refresh_count(person) == 1
    assert "has_applied" not in person._rule_answers  # nor kept for the rest of the request


# --- links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewname", "args"),
    [
        ("brokerage:request-detail", [7]),
        ("deployments:agreement-version", [12, 3]),
        ("designations-manage:review-record", [5, 98765]),
        ("claims:claim-detail", [1]),
    ],
)
def test_a_link_pattern_reversed_once_gives_each_rows_link_as_reverse_does(viewname, args):
    from accounts.worklist import url_for_each

    assert url_for_each(viewname, arity=len(args))(*args) == reverse(viewname, args=args)
