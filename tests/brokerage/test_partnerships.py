"""Professional partnerships: who is a new head, searching LLEs who offer it, requesting one
(20-30 hours, an email to the LLE), accepting or declining, logging coaching up to the hours
agreed, completing, and an LLE opting in or out. Pages refuse with 403/404 or explain."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from brokerage import partnerships
from brokerage.choices import PartnershipStatus
from brokerage.errors import BrokerageError
from brokerage.models import CoachingSession, ProfessionalPartnership
from deployments.choices import DeploymentState
from designations.choices import DesignationStatus, LeadershipRole
from designations.models import DesignationType, Specialism
from schools.choices import Phase
from tests.factories import SchoolFactory, UserFactory
from tests.factories.brokerage import CoachingSessionFactory, ProfessionalPartnershipFactory
from tests.factories.deployments import DeploymentFactory
from tests.factories.designations import DesignationFactory, LeadershipPostFactory

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def make_lle(school=None, offers=True, **kwargs):
    return DesignationFactory(
        designation_type=DesignationType.objects.get(code="LLE"),
        school=school or SchoolFactory(),
        offers_professional_partnership=offers,
        availability_days_per_week=Decimal("1.0"),
        **kwargs,
    )


@pytest.fixture
def new_head(home_school):
    """Head of home_school for a year, their first headship (a deputy before)."""
    head = UserFactory(full_name="Nina Newhead", email="nina@example.org")
    LeadershipPostFactory(
        person=head,
        school=home_school,
        role=LeadershipRole.DEPUTY_HEADTEACHER,
        started_on=days_ago(2000),
        ended_on=days_ago(366),
    )
    LeadershipPostFactory(person=head, school=home_school, started_on=days_ago(365))
    return head


@pytest.fixture
def lle(home_school):
    """An LLE at a school 5 km from home_school, offering partnership."""
    school = SchoolFactory(
        name="Partner Primary", easting=home_school.easting + 3000, northing=home_school.northing + 4000
    )
    return make_lle(school=school, holder=UserFactory(full_name="Lee Partner", email="lee@example.org"))


@pytest.fixture
def requested(new_head, lle, home_school):
    return ProfessionalPartnershipFactory(
        new_head=new_head,
        school=home_school,
        partner=lle,
        status=PartnershipStatus.REQUESTED,
        hours_agreed=20,
    )


@pytest.fixture
def active(requested):
    requested.status = PartnershipStatus.ACTIVE
    requested.save()
    return requested


# --- who is a new head ---------------------------------------------------------------------------


def test_is_new_head(new_head):
    assert partnerships.is_new_head(new_head, today()).role == LeadershipRole.HEADTEACHER


@pytest.mark.parametrize(
    ("posts", "is_new"),
    [
        ([(LeadershipRole.HEADTEACHER, 100, None)], True),
        ([(LeadershipRole.EXECUTIVE_HEADTEACHER, 700, None)], True),
        ([(LeadershipRole.HEADTEACHER, 800, None)], False),  # over two years
        ([(LeadershipRole.HEADTEACHER, 100, 10)], False),  # no longer head
        ([(LeadershipRole.HEADTEACHER, 2000, 400), (LeadershipRole.HEADTEACHER, 100, None)], False),
        ([(LeadershipRole.DEPUTY_HEADTEACHER, 100, None)], False),
        ([], False),
    ],
)
def test_is_new_head_cases(posts, is_new):
    person = UserFactory()
    for role, started, ended in posts:
        LeadershipPostFactory(
            person=person,
            role=role,
            started_on=days_ago(started),
            ended_on=days_ago(ended) if ended else None,
        )
    assert (partnerships.is_new_head(person, today()) is not None) is is_new


# --- search --------------------------------------------------------------------------------------------


def test_search_finds_offering_deployable_lles_by_phase_specialism_and_distance(home_school, lle):
    maths = Specialism.objects.create(name="Maths leadership", slug="maths-leadership")
    lle.specialisms.add(maths)
    far = make_lle(school=SchoolFactory(easting=home_school.easting + 60000, northing=home_school.northing))
    secondary = make_lle(
        school=SchoolFactory(
            phase=Phase.SECONDARY, easting=home_school.easting, northing=home_school.northing + 20000
        )
    )
    make_lle(offers=False)
    make_lle(training_completed_on=None)  # not trained
    make_lle(status=DesignationStatus.SUSPENDED)
    DesignationFactory(
        designation_type=DesignationType.objects.get(code="SLE"), offers_professional_partnership=True
    )

    def found(**filters):
        return [d.pk for d in partnerships.search(home_school, partnerships.SearchFilters(**filters))]

    assert set(found()) == {lle.pk, far.pk, secondary.pk}
    assert found()[0] == lle.pk  # nearest first
    assert found(phase=Phase.SECONDARY) == [secondary.pk]
    assert found(specialism_id=maths.pk) == [lle.pk]
    assert found(within_km=10) == [lle.pk]
    assert found(within_km=25) == [lle.pk, secondary.pk]
    assert found(within_km=100) == [lle.pk, secondary.pk, far.pk]


def test_search_shows_distance_and_capacity(client, new_head, lle):
    DeploymentFactory(designation=lle, state=DeploymentState.ACTIVE, days_per_week=Decimal("0.5"))
    client.force_login(new_head)
    response = client.get(reverse("partners:search"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Lee Partner" in content
    assert "5.0 km" in content
    assert "0.5 days a week free" in content


def test_search_query_count_is_constant(client, new_head, home_school, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            designation = make_lle()
            designation.specialisms.add(Specialism.objects.get_or_create(name="Maths", slug="maths")[0])

    client.force_login(new_head)
    add(2)
    with django_assert_num_queries(SEARCH_QUERIES):
        client.get(reverse("partners:search"))
    add(18)
    with django_assert_num_queries(SEARCH_QUERIES):
        assert len(client.get(reverse("partners:search")).context["partners"]) == 20


# Session, user, the new head's posts, count and page of partners, their specialisms, the head's
# live partnership, memberships for the navigation, the filter's specialisms.
SEARCH_QUERIES = 9  # the navigation's facts come with the user


# --- permissions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["la_officer", "school_leader", "national_admin", "outsider"])
@pytest.mark.parametrize("name", ["partners:search", "partners:request"])
def test_not_a_new_head_gets_an_explanation(client, request, persona, name, lle):
    client.force_login(request.getfixturevalue(persona))
    kwargs = {"designation_pk": lle.pk} if name == "partners:request" else {}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 403
    assert "Professional partners are for new headteachers" in response.content.decode()


def test_experienced_head_is_not_a_new_head(client, home_school):
    veteran = UserFactory()
    LeadershipPostFactory(person=veteran, school=home_school, started_on=days_ago(3000))
    client.force_login(veteran)
    assert client.get(reverse("partners:search")).status_code == 403


@pytest.mark.parametrize(
    "name", ["partners:search", "partners:mine", "partners:offer", "partners:detail", "partners:complete"]
)
def test_anonymous_is_sent_to_sign_in(client, name, active):
    kwargs = {"pk": active.pk} if name in {"partners:detail", "partners:complete"} else {}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


@pytest.mark.parametrize(
    ("persona", "detail", "log", "complete", "accept"),
    [
        ("new_head", 200, 200, 200, 403),
        ("lle_holder", 200, 200, 200, 200),
        ("national_admin", 200, 403, 403, 403),
        ("la_officer", 404, 404, 404, 404),
        ("outsider", 404, 404, 404, 404),
    ],
)
def test_partnership_page_matrix(client, request, requested, persona, detail, log, complete, accept):
    user = requested.partner.holder if persona == "lle_holder" else request.getfixturevalue(persona)
    client.force_login(user)
    pk = requested.pk
    assert client.get(reverse("partners:detail", kwargs={"pk": pk})).status_code == detail
    assert (
        client.get(reverse("partners:respond", kwargs={"pk": pk, "action": "accept"})).status_code == accept
    )
    requested.status = PartnershipStatus.ACTIVE
    requested.save()
    assert client.get(reverse("partners:log-session", kwargs={"pk": pk})).status_code == log
    assert client.get(reverse("partners:complete", kwargs={"pk": pk})).status_code == complete


def test_request_for_an_lle_not_offering_is_404(client, new_head):
    client.force_login(new_head)
    not_offering = make_lle(offers=False)
    assert (
        client.get(reverse("partners:request", kwargs={"designation_pk": not_offering.pk})).status_code == 404
    )


def test_unknown_answer_is_404(client, requested):
    client.force_login(requested.partner.holder)
    url = reverse("partners:respond", kwargs={"pk": requested.pk, "action": "maybe"})
    assert client.get(url).status_code == 404


# --- the flow ----------------------------------------------------------------------------------------


def test_full_flow(client, new_head, lle, home_school, django_capture_on_commit_callbacks):
    client.force_login(new_head)
    url = reverse("partners:request", kwargs={"designation_pk": lle.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"hours": "24", "message": "Building my senior team."})
    partnership = ProfessionalPartnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", kwargs={"pk": partnership.pk})
    assert (partnership.status, partnership.hours_agreed, partnership.school) == (
        PartnershipStatus.REQUESTED,
        Decimal(24),
        home_school,
    )
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["lee@example.org"]
    assert "Nina Newhead asks you to be their professional partner" in email.subject
    assert "Building my senior team." in email.body
    assert f"/partners/{partnership.pk}/" in email.body

    client.force_login(lle.holder)
    mine = client.get(reverse("partners:mine")).content.decode()
    assert "Nina Newhead" in mine and "Accept" in mine
    response = client.post(reverse("partners:respond", kwargs={"pk": partnership.pk, "action": "accept"}))
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.ACTIVE and partnership.responded_at

    session_url = reverse("partners:log-session", kwargs={"pk": partnership.pk})
    for hours in ("12", "8"):
        response = client.post(
            session_url, {"held_on": today().isoformat(), "hours": hours, "notes": "Budgets."}
        )
        assert response.status_code == 302
    client.force_login(new_head)
    response = client.post(session_url, {"held_on": today().isoformat(), "hours": "4.5"})
    assert response.status_code == 200
    assert "only 4 of the 24 hours agreed are left" in response.content.decode()
    response = client.post(session_url, {"held_on": today().isoformat(), "hours": "4"})
    assert response.status_code == 302
    detail = client.get(reverse("partners:detail", kwargs={"pk": partnership.pk})).content.decode()
    assert "24 of 24 hours" in detail
    assert "Log a coaching session" not in detail

    response = client.post(reverse("partners:complete", kwargs={"pk": partnership.pk}))
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.status, partnership.completed_on) == (PartnershipStatus.COMPLETED, today())
    assert CoachingSession.objects.filter(partnership=partnership).count() == 3


@pytest.mark.parametrize(("hours", "ok"), [("19.5", False), ("20", True), ("30", True), ("30.5", False)])
def test_hours_must_be_20_to_30(client, new_head, lle, hours, ok):
    client.force_login(new_head)
    response = client.post(
        reverse("partners:request", kwargs={"designation_pk": lle.pk}), {"hours": hours, "message": "Help"}
    )
    assert (response.status_code == 302) is ok
    assert ProfessionalPartnership.objects.exists() is ok
    if not ok:
        assert "govuk-error-message" in response.content.decode()


def test_service_refuses_hours_outside_20_to_30(new_head, lle):
    with pytest.raises(BrokerageError) as refusal:
        partnerships.request_partnership(
            new_head=new_head, designation=lle, hours=Decimal(31), message="", today=today()
        )
    assert refusal.value.field == "hours"


def test_one_live_partnership_at_a_time(client, new_head, requested):
    client.force_login(new_head)
    other = make_lle()
    response = client.post(
        reverse("partners:request", kwargs={"designation_pk": other.pk}), {"hours": "20", "message": "Again"}
    )
    assert response.status_code == 200
    assert "already have a professional partnership" in response.content.decode()
    assert ProfessionalPartnership.objects.count() == 1


def test_decline_after_confirmation(client, requested):
    client.force_login(requested.partner.holder)
    url = reverse("partners:respond", kwargs={"pk": requested.pk, "action": "decline"})
    page = client.get(url)
    assert "Decline this request for coaching?" in page.content.decode()
    requested.refresh_from_db()
    assert requested.status == PartnershipStatus.REQUESTED
    client.post(url)
    requested.refresh_from_db()
    assert requested.status == PartnershipStatus.DECLINED


def test_answering_twice_is_refused_on_the_page(client, active):
    client.force_login(active.partner.holder)
    response = client.post(reverse("partners:respond", kwargs={"pk": active.pk, "action": "decline"}))
    assert response.status_code == 200
    assert "already been answered" in response.content.decode()
    active.refresh_from_db()
    assert active.status == PartnershipStatus.ACTIVE


def test_new_head_cannot_accept_their_own_request(client, new_head, requested):
    client.force_login(new_head)
    response = client.post(reverse("partners:respond", kwargs={"pk": requested.pk, "action": "accept"}))
    assert response.status_code == 403
    requested.refresh_from_db()
    assert requested.status == PartnershipStatus.REQUESTED


def test_hours_cap_in_the_service(active, new_head):
    CoachingSessionFactory(partnership=active, hours=Decimal("19.75"))
    with pytest.raises(BrokerageError) as refusal:
        partnerships.log_session(active, actor=new_head, held_on=today(), hours=Decimal("0.5"))
    assert refusal.value.field == "hours"
    partnerships.log_session(active, actor=new_head, held_on=today(), hours=Decimal("0.25"))
    assert partnerships.hours_used(active) == Decimal(20)


def test_no_coaching_logged_before_acceptance_or_in_the_future(requested, new_head):
    with pytest.raises(BrokerageError, match="under way"):
        partnerships.log_session(requested, actor=new_head, held_on=today(), hours=Decimal(1))
    requested.status = PartnershipStatus.ACTIVE
    requested.save()
    with pytest.raises(BrokerageError) as refusal:
        partnerships.log_session(
            requested, actor=new_head, held_on=today() + datetime.timedelta(days=1), hours=Decimal(1)
        )
    assert refusal.value.field == "held_on"


def test_mine_lists_own_partnerships_only(client, new_head, requested):
    ProfessionalPartnershipFactory(status=PartnershipStatus.COMPLETED)  # someone else's
    client.force_login(new_head)
    response = client.get(reverse("partners:mine"))
    assert [p.pk for p in response.context["partnerships"]] == [requested.pk]


def test_mine_query_count_is_constant(client, lle, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            partnership = ProfessionalPartnershipFactory(partner=lle, status=PartnershipStatus.REQUESTED)
            CoachingSessionFactory(partnership=partnership)

    client.force_login(lle.holder)
    add(2)
    with django_assert_num_queries(MINE_QUERIES):
        client.get(reverse("partners:mine"))
    add(18)
    with django_assert_num_queries(MINE_QUERIES):
        assert len(client.get(reverse("partners:mine")).context["partnerships"]) == 20


# Session, user, count and page, the new-head and LLE checks, memberships (nav); a rule that says no
# asks Django's model permissions nothing (accounts.backends).
MINE_QUERIES = 7  # the navigation's facts come with the user


def test_mine_empty_state(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("partners:mine"))
    assert response.status_code == 200
    assert "You have no professional partnerships yet." in response.content.decode()


# --- offering ----------------------------------------------------------------------------------------


def test_lle_opts_in_and_out(client, home_school):
    lle = make_lle(offers=False)
    client.force_login(lle.holder)
    assert client.get(reverse("partners:offer")).status_code == 200
    assert client.post(reverse("partners:offer"), {"offers": "yes"}).status_code == 302
    lle.refresh_from_db()
    assert lle.offers_professional_partnership is True
    client.post(reverse("partners:offer"), {"offers": "no"})
    lle.refresh_from_db()
    assert lle.offers_professional_partnership is False


def test_offer_needs_a_choice(client):
    lle = make_lle(offers=False)
    client.force_login(lle.holder)
    response = client.post(reverse("partners:offer"), {})
    assert response.status_code == 200
    assert "Choose yes or no" in response.content.decode()


@pytest.mark.parametrize("persona", ["new_head", "teaching_school_lead", "national_admin", "outsider"])
def test_non_lles_cannot_offer(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("partners:offer"))
    assert response.status_code == 403
    assert "Only LLEs offer professional partnership" in response.content.decode()


def test_an_sle_cannot_offer(client):
    sle = DesignationFactory(designation_type=DesignationType.objects.get(code="SLE"))
    client.force_login(sle.holder)
    assert client.post(reverse("partners:offer"), {"offers": "yes"}).status_code == 403
    sle.refresh_from_db()
    assert sle.offers_professional_partnership is False


def test_request_form_shows_for_a_new_head(client, new_head, lle):
    client.force_login(new_head)
    response = client.get(reverse("partners:request", kwargs={"designation_pk": lle.pk}))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ask Lee Partner to be your partner" in content
    assert 'name="hours"' in content and 'value="20"' in content


@pytest.mark.parametrize("accept, word", [(True, "accepted"), (False, "declined")])
def test_the_new_head_is_told_the_answer(requested, lle, accept, word, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partnerships.respond(requested, actor=lle.holder, accept=accept)
    message = mail.outbox[-1]
    assert message.to == ["nina@example.org"]
    assert message.subject == f"Lee Partner has {word} your request for a professional partner"
    assert reverse("partners:detail", args=[requested.pk]) in message.body
