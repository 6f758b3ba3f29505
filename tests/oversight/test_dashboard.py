"""The local authority dashboard: who may open it, its figures (requests by age, deployments at
risk and why, coverage with its gaps) and the deployments CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.choices import RequestStatus
from brokerage.models import SupportRequest
from deployments.choices import DeploymentState, Rag
from deployments.models import ObjectiveProgress
from deployments.queries import stall_thresholds
from deployments.services import refresh_latest_review
from designations.models import DesignationType
from oversight import dashboard
from schools.choices import Phase
from tests.factories import OrganisationFactory, SchoolFactory
from tests.factories.brokerage import RiskAssessmentFactory, SupportRequestFactory
from tests.factories.deployments import (
    AgreementFactory,
    DeploymentFactory,
    ObjectiveFactory,
    ProgressReviewFactory,
    TimeEntryFactory,
)
from tests.factories.designations import DesignationFactory
from tests.factories.schooldays import in_term

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")
CSV_URL = reverse("dashboard:deployments-csv")
# Session and user, memberships (with their authorities), then the figures: the term dates the
# stall rule counts school weeks over, deployment figures (whose at-risk count the list's pages
# use), the at-risk page, requests by age, schools at risk, coverage; then the
# money this year: the agreed versions with their cost lines (one query), the term dates that
# pro-rate them, and the payments (funding.finance.committed_and_paid).
DASHBOARD_QUERIES = 12  # the navigation's facts come with the user
# Session, user, memberships (with their authorities), and the deployments in one query; then their agreed
# versions and those versions' cost lines (two more, for the money columns), and the term dates
# that count their days (one more per chunk of rows).
CSV_QUERIES = 7


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def raised(days: int, **kwargs) -> SupportRequest:
    request = SupportRequestFactory(**kwargs)
    created = timezone.now() - datetime.timedelta(days=days)
    SupportRequest.objects.filter(pk=request.pk).update(created_at=created)
    return request


def designation_of(code: str, **kwargs):
    return DesignationFactory(designation_type=DesignationType.objects.get(code=code), **kwargs)


def deployment_at(school, commissioner, **kwargs):
    request = SupportRequestFactory(school=school, commissioner=commissioner, broker=commissioner)
    return DeploymentFactory(support_request=request, **{"last_time_logged_on": days_ago(2), **kwargs})


def rate(deployment, reviewed_on, *rags):
    """A review with these ratings, its latest copy refreshed as services.record_review does."""
    review = ProgressReviewFactory(deployment=deployment, reviewed_on=reviewed_on)
    agreement = deployment.agreements.first() or AgreementFactory(deployment=deployment)
    for rag in rags:
        objective = ObjectiveFactory(agreement=agreement)
        ObjectiveProgress.objects.create(review=review, objective=objective, rag=rag, evidence="Seen.")
    refresh_latest_review(deployment)
    return review


def csv_lines(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("national_admin", 200),
        ("la_officer", 200),
        ("other_la_officer", 200),
        ("commissioner", 403),
        ("teaching_school_lead", 403),
        ("school_leader", 403),
        ("associate", 403),
        ("outsider", 403),
    ],
)
@pytest.mark.parametrize("url", [INDEX, CSV_URL])
def test_permission_matrix(client, request, persona, status, url, home_la, other_la):
    client.force_login(request.getfixturevalue(persona))
    la = "" if persona != "national_admin" else "?la=926"
    assert client.get(url + la).status_code == status


@pytest.mark.parametrize("url", [INDEX, CSV_URL])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_la_officer_sees_their_own_authority_and_not_another(client, la_officer, other_la):
    client.force_login(la_officer)
    response = client.get(INDEX)
    assert response.context["authority"].code == "926"
    assert client.get(INDEX + "?la=935").status_code == 404
    assert client.get(CSV_URL + "?la=935").status_code == 404


def test_national_admin_chooses_any_authority(client, national_admin, home_la, other_la):
    client.force_login(national_admin)
    response = client.get(INDEX)
    assert response.context["authority"] is None
    assert "Choose a local authority" in response.content.decode()
    assert [la.code for la in response.context["authorities"]] == ["926", "935"]
    assert client.get(INDEX + "?la=935").context["authority"] == other_la
    assert client.get(INDEX + "?la=999").status_code == 404
    assert client.get(CSV_URL).status_code == 404


# --- (a) open requests by age ------------------------------------------------------------------------------


def test_open_requests_counted_by_age(home_school, home_la_org, other_school, home_la, other_la_org):
    for days in (0, 13):  # under 2 weeks
        raised(days, school=home_school, commissioner=home_la_org)
    for days in (14, 27):  # 2 to 4 weeks
        raised(days, school=home_school, commissioner=home_la_org, status=RequestStatus.SHORTLISTING)
    raised(28, school=home_school, commissioner=home_la_org, status=RequestStatus.PROPOSED)  # 1 to 3 months
    raised(90, school=home_school, commissioner=home_la_org)  # 1 to 3 months
    raised(91, school=home_school, commissioner=home_la_org)  # over 3 months
    # Commissioned by Norfolk for a school elsewhere: counts. Not waiting, or Suffolk's own: do not.
    raised(400, school=other_school, commissioner=home_la_org)
    raised(5, school=home_school, commissioner=home_la_org, status=RequestStatus.AGREED)
    raised(5, school=home_school, commissioner=home_la_org, status=RequestStatus.WITHDRAWN)
    raised(5, school=other_school, commissioner=other_la_org)

    ages = dashboard.open_requests_by_age([home_la.pk], today())

    assert [(bucket["label"], bucket["count"]) for bucket in ages] == [
        ("Under 2 weeks", 2),
        ("2 to 4 weeks", 2),
        ("1 to 3 months", 2),
        ("Over 3 months", 2),
    ]


# --- (b) deployments at risk ------------------------------------------------------------------------------


@pytest.fixture
def risky(home_school, home_la_org):
    """One deployment for each reason, one with all three, one healthy, one paused and quiet."""
    # A stall is four school weeks: every weekday around today is one here, whatever the holidays.
    in_term(home_school.local_authority, days_ago(200), days_ago(-200))
    red = deployment_at(home_school, home_la_org, next_review_on=days_ago(-10))
    rate(red, days_ago(40), Rag.GREEN)
    rate(red, days_ago(5), Rag.RED, Rag.AMBER, Rag.RED)
    recovered = deployment_at(home_school, home_la_org, next_review_on=days_ago(-10))
    rate(recovered, days_ago(40), Rag.RED)
    rate(recovered, days_ago(5), Rag.GREEN)
    overdue = deployment_at(home_school, home_la_org, next_review_on=days_ago(1))
    stalled = deployment_at(home_school, home_la_org, next_review_on=days_ago(-10))
    stalled.last_time_logged_on = days_ago(35)
    stalled.save()
    never_logged = deployment_at(
        home_school,
        home_la_org,
        starts_on=days_ago(60),
        next_review_on=days_ago(-5),
        last_time_logged_on=None,
    )
    all_three = deployment_at(home_school, home_la_org, next_review_on=days_ago(3))
    all_three.last_time_logged_on = days_ago(40)
    all_three.save()
    rate(all_three, days_ago(10), Rag.RED)
    paused_quiet = deployment_at(
        home_school, home_la_org, state=DeploymentState.PAUSED, next_review_on=days_ago(-5)
    )
    paused_quiet.last_time_logged_on = days_ago(60)
    paused_quiet.save()
    return {
        "red": red,
        "recovered": recovered,
        "overdue": overdue,
        "stalled": stalled,
        "never_logged": never_logged,
        "all_three": all_three,
        "paused_quiet": paused_quiet,
    }


def test_at_risk_deployments_and_their_reasons(risky, home_la):
    ids = [home_la.pk]
    reasons = {d.pk: dashboard.risk_reasons(d) for d in dashboard.at_risk_deployments(ids, today())}

    assert reasons[risky["red"].pk] == ["2 red objectives at the latest review"]
    assert reasons[risky["overdue"].pk] == [f"Review overdue: it was due on {days_ago(1):%-d %B %Y}"]
    assert reasons[risky["stalled"].pk] == [f"No time logged since {days_ago(35):%-d %B %Y}"]
    assert reasons[risky["never_logged"].pk] == [f"No time logged since {days_ago(60):%-d %B %Y}"]
    assert len(reasons[risky["all_three"].pk]) == 3
    assert risky["recovered"].pk not in reasons  # red only at an earlier review
    assert risky["paused_quiet"].pk not in reasons  # a paused deployment logs no time
    figures = dashboard.deployment_figures(ids, today())
    assert (figures.live, figures.active, figures.paused, figures.at_risk) == (7, 6, 1, 5)


def test_dashboard_page_lists_at_risk_deployments(client, la_officer, risky):
    client.force_login(la_officer)
    response = client.get(INDEX)
    content = response.content.decode()
    assert response.status_code == 200
    assert "2 red objectives at the latest review" in content
    assert f"Review overdue: it was due on {days_ago(1):%-d %B %Y}" in content
    assert [row["deployment"].pk for row in response.context["at_risk"]].count(risky["all_three"].pk) == 1


def test_the_at_risk_list_is_paged_in_its_order_with_the_reasons(client, la_officer, risky, monkeypatch):
    monkeypatch.setattr("oversight.views.AT_RISK_PER_PAGE", 2)
    listed = list(dashboard.at_risk_deployments([risky["red"].supported_school.local_authority_id], today()))
    assert len(listed) == 5
    client.force_login(la_officer)
    pages = [client.get(INDEX, {"page": number}).context for number in (1, 2, 3)]
    assert [[row["deployment"].pk for row in page["at_risk"]] for page in pages] == [
        [d.pk for d in listed[0:2]],
        [d.pk for d in listed[2:4]],
        [d.pk for d in listed[4:]],
    ]
    assert [row["reasons"] for page in pages for row in page["at_risk"]] == [
        dashboard.risk_reasons(d) for d in listed
    ]
    assert pages[2]["at_risk_page"].has_previous() and not pages[2]["at_risk_page"].has_next()


def test_at_risk_slice_is_the_lists_slice(risky, home_la):
    ids = [home_la.pk]
    listed = [d.pk for d in dashboard.at_risk_deployments(ids, today())]
    thresholds = stall_thresholds(today())
    assert [d.pk for d in dashboard.at_risk_slice(ids, today(), thresholds, 1, 4)] == listed[1:4]
    assert dashboard.at_risk_slice(ids, today(), thresholds, 5, 5) == []


def test_other_authorities_deployments_are_not_counted(risky, other_la):
    assert dashboard.deployment_figures([other_la.pk], today()).live == 0


# --- (c) schools at risk without support -----------------------------------------------------------------


def test_schools_at_risk_without_support(client, la_officer, home_la, home_la_org):
    unsupported = SchoolFactory(local_authority=home_la, name="Unsupported Infant School")
    RiskAssessmentFactory(school=unsupported, effective_leadership=False)
    supported = SchoolFactory(local_authority=home_la, name="Supported Junior School")
    RiskAssessmentFactory(school=supported, likely_good_outcomes=False)
    SupportRequestFactory(school=supported, commissioner=home_la_org)
    fine = SchoolFactory(local_authority=home_la, name="Fine Academy")
    RiskAssessmentFactory(school=fine)

    client.force_login(la_officer)
    content = client.get(INDEX).content.decode()

    assert "Unsupported Infant School" in content
    assert "Supported Junior School" not in content
    assert "Fine Academy" not in content


# --- (d) coverage ------------------------------------------------------------------------------------------


def test_coverage_by_type_phase_and_area_with_gaps(home_la, other_la):
    primary = SchoolFactory(local_authority=home_la, phase=Phase.PRIMARY, town="Norwich")
    secondary = SchoolFactory(local_authority=home_la, phase=Phase.SECONDARY, town="King's Lynn")
    special = SchoolFactory(local_authority=home_la, phase=Phase.NOT_APPLICABLE, town="")
    designation_of("SLE", school=primary)
    designation_of("SLE", school=primary)
    designation_of("SLE", school=secondary)
    designation_of("LLE", school=primary)
    designation_of("NLE", school=secondary)
    designation_of("NLG", school=special)
    designation_of("LLE", school=secondary, status="suspended")  # not active: not counted
    designation_of("LLE", school=SchoolFactory(local_authority=other_la, phase=Phase.SECONDARY))

    result = dashboard.coverage([home_la.pk])

    assert result.by_phase == {
        "SLE": {"Primary": 2, "Secondary": 1, "Other": 0},
        "LLE": {"Primary": 1, "Secondary": 0, "Other": 0},
        "NLE": {"Primary": 0, "Secondary": 1, "Other": 0},
        "NLG": {"Primary": 0, "Secondary": 0, "Other": 1},
    }
    assert "No secondary LLEs" in result.gaps
    assert "No primary NLEs" in result.gaps
    assert "No primary SLEs" not in result.gaps
    assert dict(result.by_area) == {
        "Norwich": {"SLE": 2, "LLE": 1, "NLE": 0, "NLG": 0},
        "King's Lynn": {"SLE": 1, "LLE": 0, "NLE": 1, "NLG": 0},
        "Area not recorded": {"SLE": 0, "LLE": 0, "NLE": 0, "NLG": 1},
    }
    assert result.largest == 2
    bars = {(bar["code"], bar["phase"]): bar for bar in result.bars()}
    assert bars["SLE", "Primary"]["length"] == dashboard.BAR_MAX
    assert bars["SLE", "Secondary"]["length"] == dashboard.BAR_MAX // 2
    assert bars["LLE", "Secondary"]["gap"] is True


def test_coverage_page_has_chart_table_and_gap(client, la_officer, home_la):
    designation_of("SLE", school=SchoolFactory(local_authority=home_la, phase=Phase.PRIMARY))
    client.force_login(la_officer)
    content = client.get(INDEX).content.decode()
    assert "<svg" in content
    assert 'data-cell="SLE-primary">1<' in content
    assert 'data-cell="LLE-secondary"><strong class="govuk-tag govuk-tag--red">0' in content
    assert "No secondary LLEs" in content


def test_dashboard_query_count_is_constant(
    client, la_officer, home_school, home_la_org, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            d = deployment_at(home_school, home_la_org, next_review_on=days_ago(1))
            rate(d, days_ago(3), Rag.RED)
            raised(20, school=home_school, commissioner=home_la_org)
            designation_of("SLE", school=SchoolFactory(local_authority=home_school.local_authority))

    client.force_login(la_officer)
    add(2)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert len(client.get(INDEX).context["at_risk"]) == 2
    add(18)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert len(client.get(INDEX).context["at_risk"]) == 20


# --- (e) the CSV ---------------------------------------------------------------------------------------


def test_csv_has_one_row_per_visible_deployment(client, la_officer, home_school, home_la_org, other_school):
    deployment = deployment_at(home_school, home_la_org, days_agreed=Decimal("26.0"))
    TimeEntryFactory(deployment=deployment, days=Decimal("1.5"))
    TimeEntryFactory(deployment=deployment, days=Decimal("0.5"))
    rate(deployment, days_ago(30), Rag.RED, Rag.RED)
    rate(deployment, days_ago(2), Rag.RED, Rag.AMBER, Rag.GREEN, Rag.GREEN)
    deployment_at(other_school, home_la_org)  # commissioned by Norfolk elsewhere: in
    elsewhere = OrganisationFactory(kind="agency", name="Elsewhere Agency")
    request = SupportRequestFactory(school=home_school, commissioner=elsewhere, broker=elsewhere)
    DeploymentFactory(support_request=request)  # in Norfolk, but the officer cannot see it

    client.force_login(la_officer)
    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = csv_lines(response)
    header, rows = lines[0], lines[1:]
    assert header[:3] == ["Supported school URN", "Supported school", "Leader"]
    assert len(rows) == 2
    row = dict(zip(header, next(r for r in rows if r[0] == str(home_school.urn)), strict=True))
    assert row["Supported school"] == "Home Primary School"
    assert row["Leader"] == deployment.leader.full_name
    assert row["State"] == "Active"
    assert row["Starts on"] == deployment.starts_on.isoformat()
    assert row["Days agreed"] == "26.0"
    assert Decimal(row["Days used"]) == Decimal("2.0")
    assert (row["Red objectives"], row["Amber objectives"], row["Green objectives"]) == ("1", "1", "2")
    assert row["Broker"] == row["Commissioner"] == "Norfolk County Council"


def test_csv_is_safe_from_formula_injection(client, la_officer, home_la, home_la_org):
    school = SchoolFactory(local_authority=home_la, name='=HYPERLINK("http://evil.example","x")')
    deployment = deployment_at(school, home_la_org)
    deployment.leader.full_name = "@SUM(1+1)"
    deployment.leader.save()
    client.force_login(la_officer)
    row = csv_lines(client.get(CSV_URL))[1]
    assert row[1] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[2] == "'@SUM(1+1)"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx"])
def test_safe_cell_quotes_formula_starts(value):
    from spreadsheets import safe_cell

    assert safe_cell(value) == f"'{value}"
    assert safe_cell("plain") == "plain"
    assert safe_cell(None) == ""


def test_csv_query_count_is_constant(client, la_officer, home_school, home_la_org, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            d = deployment_at(home_school, home_la_org)
            TimeEntryFactory(deployment=d)
            rate(d, days_ago(3), Rag.AMBER)

    client.force_login(la_officer)
    add(2)
    with django_assert_num_queries(CSV_QUERIES):
        assert len(csv_lines(client.get(CSV_URL))) == 3
    add(18)
    with django_assert_num_queries(CSV_QUERIES):
        assert len(csv_lines(client.get(CSV_URL))) == 21


def test_csv_has_the_agreed_total_the_budget_and_the_overrun(client, la_officer, home_school, home_la_org):
    from deployments.choices import AgreementStatus, CostKind, TimeBasis
    from deployments.models import AgreementCostLine

    over = deployment_at(home_school, home_la_org)
    over.support_request.budget = Decimal("4000")
    over.support_request.save(update_fields=["budget"])
    AgreementFactory(deployment=over, version=1, status=AgreementStatus.SUPERSEDED, day_rate=Decimal("1"))
    agreed = AgreementFactory(
        deployment=over, version=2, time_basis=TimeBasis.TOTAL_DAYS, days_per_week=None,
        total_days=Decimal("10"),
    )
    AgreementCostLine.objects.create(
        agreement=agreed, kind=CostKind.BACKFILL, days=Decimal("2"), day_rate=Decimal("200")
    )
    deployment_at(SchoolFactory(local_authority=home_school.local_authority, name="Zed School"), home_la_org)

    client.force_login(la_officer)
    header, *rows = csv_lines(client.get(CSV_URL))

    assert header[-3:] == ["Agreed total (£)", "Budget (£)", "Over budget by (£)"]
    by_school = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    costed = by_school[home_school.name]
    assert (costed["Agreed total (£)"], costed["Budget (£)"], costed["Over budget by (£)"]) == (
        "4900.00", "4000.00", "900.00"
    )
    unagreed = by_school["Zed School"]  # nothing agreed yet: no total
    assert (unagreed["Agreed total (£)"], unagreed["Over budget by (£)"]) == ("", "")


# --- (f) money committed and paid this year --------------------------------------------------------------


def test_the_dashboard_shows_the_authoritys_money_committed_and_paid_this_year(
    client, settings, la_officer, home_school, home_la_org
):
    from accounts.choices import OrganisationKind
    from deployments.models import Agreement
    from funding import finance
    from funding.choices import ClaimState
    from funding.models import Payment
    from tests.factories.finance import claims_in_every_state
    from tests.factories.funding import ClaimSetting

    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"
    ours = ClaimSetting.create(
        support_request=SupportRequestFactory(school=home_school, commissioner=home_la_org)
    )
    trust = OrganisationFactory(kind=OrganisationKind.ACADEMY_TRUST)
    theirs = ClaimSetting.create(
        support_request=SupportRequestFactory(school=home_school, commissioner=trust)
    )
    for setting in (ours, theirs):
        claims_in_every_state(setting, states=[ClaimState.PAID, ClaimState.APPROVED])
    year_start, year_end = finance.financial_year_bounds(finance.financial_year_of(today()))
    Agreement.objects.update(starts_on=year_start, ends_on=year_end)
    agreement = Agreement.objects.get(deployment=ours.deployment)
    client.force_login(la_officer)
    page = client.get(INDEX)
    money = page.context["money"]
    assert money.paid == Payment.objects.get(claim__deployment=ours.deployment).amount == Decimal("450.00")
    assert money.committed == agreement.cost_summary(budget=False).total > 0
    html = page.content.decode()
    assert "Money committed this year" in html and "Money paid this year" in html
    assert f"£{money.committed:,.2f}" in html and "£450.00" in html


def test_another_authoritys_money_is_not_on_the_dashboard(
    client, settings, other_la_officer, home_school, home_la_org
):
    from funding.choices import ClaimState
    from tests.factories.finance import claims_in_every_state
    from tests.factories.funding import ClaimSetting

    settings.CLAIM_SECOND_APPROVAL_ABOVE = "100"
    ours = ClaimSetting.create(
        support_request=SupportRequestFactory(school=home_school, commissioner=home_la_org)
    )
    claims_in_every_state(ours, states=[ClaimState.PAID])
    client.force_login(other_la_officer)
    money = client.get(INDEX).context["money"]
    assert (money.committed, money.paid) == (0, 0)


# --- which deployments are the authority's ---------------------------------------------------------------


def test_a_deployment_is_the_authoritys_at_its_school_or_when_it_commissioned_it(
    home_school, home_la, home_la_org, other_school, other_la_org, national_admin
):
    trust = OrganisationFactory(kind="academy_trust", name="Wensum Academy Trust")
    at_its_school = deployment_at(home_school, trust)  # commissioned by a trust: still Norfolk's school
    commissioned_elsewhere = deployment_at(other_school, home_la_org)  # Norfolk's council paid for it
    deployment_at(other_school, other_la_org)  # Suffolk's school, Suffolk's council: not Norfolk's
    deployment_at(other_school, trust)  # Suffolk's school, a trust: not Norfolk's

    live = {d.pk for d in dashboard.live_deployments([home_la.pk], today())}

    assert live == {at_its_school.pk, commissioned_elsewhere.pk}
    exported = {d.pk for d in dashboard.deployments_for_export(national_admin, [home_la.pk])}
    assert exported == live


@pytest.mark.parametrize("size", [1, 12])
def test_dashboard_and_csv_cost_the_same_queries_at_two_sizes(
    client, la_officer, home_la, home_la_org, size, django_assert_max_num_queries
):
    """Deployments at ``size`` schools of the authority, reviewed twice, by the council and by a
    trust (which the officer cannot see in the CSV), and as many by the council elsewhere."""
    trust = OrganisationFactory(kind="academy_trust", name="Wensum Academy Trust")
    for _ in range(size):
        school = SchoolFactory(local_authority=home_la)
        for commissioner in (home_la_org, trust):
            d = deployment_at(school, commissioner, next_review_on=days_ago(1))
            rate(d, days_ago(20), Rag.GREEN)
            rate(d, days_ago(3), Rag.RED, Rag.AMBER)
        deployment_at(SchoolFactory(), home_la_org)
    client.force_login(la_officer)

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(INDEX)
    assert response.context["deployment_figures"].live == 3 * size
    with django_assert_max_num_queries(CSV_QUERIES):
        assert len(csv_lines(client.get(CSV_URL))) == 1 + 2 * size
