"""What an agreement costs: the leader's days at the day rate (or the fixed sum), staff days, and
backfill or supply cover at their own rates; the total on the agreement, the deployment page and
the printout; a total over the request's budget shown to the broker and the commissioner (not the
schools), and accepted explicitly by the commissioner before agreeing: on the page, in the
service, and when an agreement given outside the service is recorded."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deployments import services
from deployments.choices import AgreementMethod, AgreementStatus, CostKind, Party, RateBasis, TimeBasis
from deployments.errors import DeploymentError
from deployments.models import Agreement, AgreementCostLine, Signoff
from tests.factories.deployments import AgreementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OVER = "£2,000.00 over the £6,000.00 budget"


def text(response) -> str:
    return html.unescape(response.content.decode())


def cost(agreement, kind, days, rate, description="") -> AgreementCostLine:
    return AgreementCostLine.objects.create(
        agreement=agreement, kind=kind, days=Decimal(days), day_rate=Decimal(rate), description=description
    )


@pytest.fixture
def waiting(proposed_deployment):
    """Version 1 with the parties: 10 days at £450 plus 10 days' backfill at £200 and 5 days'
    supply cover at £300 (£8,000 in all) against a £6,000 budget."""
    request = proposed_deployment.support_request
    request.budget = Decimal("6000")
    request.save(update_fields=["budget"])
    starts_on = TODAY + datetime.timedelta(days=14)
    agreement = AgreementFactory(
        deployment=proposed_deployment,
        status=AgreementStatus.AWAITING_AGREEMENT,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=180),
        time_basis=TimeBasis.TOTAL_DAYS,
        days_per_week=None,
        total_days=Decimal("10"),
        agreed_at=None,
        sent_at=timezone.now(),
    )
    ObjectiveFactory(agreement=agreement)
    cost(agreement, CostKind.BACKFILL, "10", "200", "Maths classes")
    cost(agreement, CostKind.SUPPLY_COVER, "5", "300")
    return agreement


def agree_url(agreement) -> str:
    return reverse("deployments:agreement-agree", args=[agreement.deployment_id, agreement.version])


def version_url(agreement) -> str:
    return reverse("deployments:agreement-version", args=[agreement.deployment_id, agreement.version])


# --- the sums -------------------------------------------------------------------------------------


def test_a_day_rate_agreement_totals_its_days_and_each_cost_line(waiting):
    costs = waiting.cost_summary()

    amounts = [(line.kind, line.days, line.day_rate, line.amount) for line in costs.lines]
    assert amounts == [
        ("leader_days", Decimal("10"), Decimal("450.00"), Decimal("4500.00")),
        (CostKind.BACKFILL, Decimal("10.0"), Decimal("200.00"), Decimal("2000.00")),
        (CostKind.SUPPLY_COVER, Decimal("5.0"), Decimal("300.00"), Decimal("1500.00")),
    ]
    assert costs.total == Decimal("8000.00")
    assert costs.budget == Decimal("6000.00")
    assert costs.overrun == Decimal("2000.00")
    assert costs.overrun_text == OVER


def test_a_fixed_sum_agreement_adds_its_cost_lines_to_the_sum(waiting):
    waiting.rate_basis, waiting.day_rate, waiting.total_amount = RateBasis.TOTAL, None, Decimal("5000")
    waiting.save()

    costs = waiting.cost_summary(budget=None)

    assert [line.kind for line in costs.lines][0] == "fixed_sum"
    assert costs.lines[0].amount == Decimal("5000.00")
    assert costs.total == Decimal("8500.00")
    assert costs.overrun is None  # no budget, no overrun


def test_each_line_is_rounded_once_and_the_total_is_their_sum(waiting):
    waiting.cost_lines.all().delete()
    cost(waiting, CostKind.BACKFILL, "0.5", "450.01")  # £225.005
    cost(waiting, CostKind.OTHER, "0.5", "450.01")

    costs = waiting.cost_summary()

    assert [line.amount for line in costs.extra_lines] == [Decimal("225.01"), Decimal("225.01")]
    assert costs.total == Decimal("4500.00") + Decimal("450.02")


def test_staff_days_are_shown_without_an_amount(waiting):
    waiting.staff.create(name="Dee Deputy", role="Deputy head", days=Decimal("4"))

    costs = waiting.cost_summary()

    staff = [line for line in costs.lines if line.kind == "staff_days"]
    assert [(s.label, s.days, s.amount) for s in staff] == [("Dee Deputy, Deputy head", Decimal("4.0"), None)]
    assert costs.total == Decimal("8000.00")


def test_within_the_budget_there_is_no_overrun(waiting):
    assert waiting.cost_summary(budget=Decimal("8000")).overrun is None
    assert waiting.cost_summary(budget=Decimal("7999.99")).overrun == Decimal("0.01")


# --- drafting and new versions -----------------------------------------------------------------------


def terms(deployment, **changes) -> dict:
    return {
        "expected_impact": "Better maths", "support_approach": "Coaching", "school_participants": "Head",
        "time_basis": "days_per_week", "days_per_week": Decimal("1"), "total_days": None,
        "starts_on": TODAY, "ends_on": TODAY + datetime.timedelta(weeks=4), "rate_basis": "day_rate",
        "day_rate": Decimal("450"), "total_amount": None, "payer": deployment.commissioner,
        "payee_school": deployment.leader_school, "backfill_note": "", **changes,
    }


def test_the_draft_keeps_its_cost_lines(la_officer, proposed_deployment):
    draft = services.save_draft(
        proposed_deployment,
        actor=la_officer,
        terms=terms(proposed_deployment),
        objectives=[services.ObjectiveData("Maths is good", "Lessons are good", TODAY)],
        cost_lines=[services.CostLineData(CostKind.SUPPLY_COVER, Decimal("2"), Decimal("180"), "Cover")],
    )

    assert [(c.kind, c.days, c.day_rate, c.description) for c in draft.cost_lines.all()] == [
        (CostKind.SUPPLY_COVER, Decimal("2.0"), Decimal("180.00"), "Cover")
    ]


def test_a_cost_line_outside_its_range_is_refused_naming_the_line(la_officer, proposed_deployment):
    with pytest.raises(DeploymentError) as refused:
        services.save_draft(
            proposed_deployment,
            actor=la_officer,
            terms=terms(proposed_deployment),
            objectives=[services.ObjectiveData("Maths is good", "Lessons are good", TODAY)],
            cost_lines=[services.CostLineData(CostKind.BACKFILL, Decimal("-3"), Decimal("180"))],
        )
    assert refused.value.field == "cost_lines"
    assert refused.value.message == "Cost 1: Cost days must be between 0.5 and 500, in half days"
    assert not Agreement.objects.exists()


def test_a_new_version_copies_the_cost_lines(la_officer, home_deployment):
    agreed = services.current_agreement(home_deployment)
    cost(agreed, CostKind.BACKFILL, "3", "210", "Cover for the head")

    draft = services.start_new_version(home_deployment, actor=la_officer)

    assert draft.version == 2
    assert [(c.kind, c.days, c.day_rate, c.description) for c in draft.cost_lines.all()] == [
        (CostKind.BACKFILL, Decimal("3.0"), Decimal("210.00"), "Cover for the head")
    ]
    assert agreed.cost_lines.count() == 1  # the agreed version keeps its own


def test_the_agreement_form_saves_cost_lines(client, la_officer, proposed_deployment):
    from tests.deployments.test_views_flow import agreement_data

    data = agreement_data(proposed_deployment) | {
        "cost_lines-TOTAL_FORMS": "2",
        "cost_lines-0-kind": CostKind.BACKFILL, "cost_lines-0-description": "Maths classes",
        "cost_lines-0-days": "4", "cost_lines-0-day_rate": "200",
        # An added row left empty is ignored.
        "cost_lines-1-kind": "", "cost_lines-1-description": "", "cost_lines-1-days": "",
        "cost_lines-1-day_rate": "",
    }
    client.force_login(la_officer)
    response = client.post(reverse("deployments:agreement-edit", args=[proposed_deployment.pk]), data)

    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert [(c.kind, c.days) for c in agreement.cost_lines.all()] == [(CostKind.BACKFILL, Decimal("4.0"))]


def test_the_agreement_form_refuses_a_cost_without_a_rate(client, la_officer, proposed_deployment):
    from tests.deployments.test_views_flow import agreement_data

    data = agreement_data(proposed_deployment) | {
        "cost_lines-TOTAL_FORMS": "1", "cost_lines-0-kind": CostKind.SUPPLY_COVER, "cost_lines-0-days": "2",
        "cost_lines-0-day_rate": "",
    }
    client.force_login(la_officer)
    response = client.post(reverse("deployments:agreement-edit", args=[proposed_deployment.pk]), data)

    assert response.status_code == 200
    assert "Cost 1: Enter the day rate" in text(response)
    assert not Agreement.objects.exists()


# --- who sees the overrun ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, sees_total, sees_overrun",
    [
        ("la_officer", True, True),  # the broker
        ("commissioner", True, True),
        ("national_admin", True, True),
        ("school_leader", True, False),  # a party sees what it agrees to pay, not the budget
        ("leader", True, False),
    ],
)
def test_the_agreement_shows_the_total_and_the_overrun_to_those_who_see_the_budget(
    client, request, waiting, persona, sees_total, sees_overrun
):
    client.force_login(request.getfixturevalue(persona))
    content = text(client.get(version_url(waiting)))

    assert ("£8,000.00" in content) is sees_total
    assert ("Supply cover" in content) is sees_total
    assert (OVER in content) is sees_overrun
    assert ("£6,000.00" in content) is sees_overrun


def test_the_deployment_page_shows_the_total_and_overrun_to_the_broker_only_among_them(
    client, la_officer, school_leader, home_deployment
):
    request = home_deployment.support_request
    request.budget = Decimal("100")
    request.save(update_fields=["budget"])
    agreed = services.current_agreement(home_deployment)
    cost(agreed, CostKind.BACKFILL, "1", "200")
    total = agreed.cost_summary().total

    client.force_login(la_officer)
    content = text(client.get(reverse("deployments:deployment-detail", args=[home_deployment.pk])))
    assert f"Total: £{total:,.2f}" in content
    assert "over the £100.00 budget" in content
    assert "Backfill" in content

    client.force_login(school_leader)
    content = text(client.get(reverse("deployments:deployment-detail", args=[home_deployment.pk])))
    assert "Total:" not in content and "budget" not in content


def test_the_broker_sees_the_total_and_overrun_before_sending(client, la_officer, waiting):
    waiting.status = AgreementStatus.DRAFT
    waiting.save(update_fields=["status"])
    client.force_login(la_officer)
    content = text(client.get(reverse("deployments:agreement-send", args=[waiting.deployment_id, 1])))

    assert "£8,000.00" in content
    assert OVER in content


def test_the_printout_shows_the_costs_and_total(client, commissioner, waiting):
    client.force_login(commissioner)
    response = client.get(reverse("deployments:agreement-print", args=[waiting.deployment_id, 1]))

    assert response.status_code == 200
    content = text(response)
    assert "Brokerage agreement, version 1" in content
    assert "£8,000.00" in content and "Maths classes" in content
    assert OVER in content


def test_the_printout_is_not_for_outsiders(client, outsider, waiting):
    client.force_login(outsider)
    response = client.get(reverse("deployments:agreement-print", args=[waiting.deployment_id, 1]))
    assert response.status_code == 404


# --- the commissioner accepts the overrun -----------------------------------------------------------


def test_the_service_refuses_the_commissioner_who_has_not_accepted_the_overrun(commissioner, waiting):
    with pytest.raises(DeploymentError) as refused:
        services.agree(waiting, actor=commissioner, party=Party.COMMISSIONER)

    assert refused.value.field == "accept_overrun"
    assert refused.value.message == (
        f"This version is {OVER}: accept the overrun of £2,000.00 to agree it for the commissioner"
    )
    assert not Signoff.objects.exists()


def test_the_commissioner_who_accepts_the_overrun_agrees_and_it_is_recorded(commissioner, waiting):
    services.agree(waiting, actor=commissioner, party=Party.COMMISSIONER, accept_overrun=True)

    signoff = Signoff.objects.get(party=Party.COMMISSIONER)
    assert signoff.overrun_accepted == Decimal("2000.00")
    assert signoff.overrun_accepted_by == commissioner
    assert signoff.overrun_accepted_at is not None


def test_the_schools_agree_without_accepting_anything(school_leader, leader, waiting):
    services.agree(waiting, actor=school_leader, party=Party.SUPPORTED_SCHOOL)
    services.agree(waiting, actor=leader, party=Party.LEADER_SCHOOL)

    assert set(Signoff.objects.values_list("overrun_accepted", flat=True)) == {None}


def test_within_the_budget_the_commissioner_agrees_as_before(commissioner, waiting):
    request = waiting.deployment.support_request
    request.budget = Decimal("8000")
    request.save(update_fields=["budget"])

    services.agree(waiting, actor=commissioner, party=Party.COMMISSIONER)

    assert Signoff.objects.get().overrun_accepted is None


def test_the_commissioner_is_offered_the_box_to_tick(client, commissioner, waiting):
    client.force_login(commissioner)
    content = text(client.get(version_url(waiting)))

    assert 'name="accept_overrun"' in content
    assert "I accept the overrun of £2,000.00" in content


def test_the_page_refuses_the_commissioner_without_the_box_ticked(client, commissioner, waiting):
    client.force_login(commissioner)
    response = client.post(agree_url(waiting), {"party": Party.COMMISSIONER})

    assert response.status_code == 200
    assert response.context["overrun_error"].startswith(f"This version is {OVER}")
    assert 'href="#accept_overrun"' in text(response)
    assert 'id="accept_overrun-error"' in text(response)
    assert not Signoff.objects.exists()


def test_the_page_lets_the_commissioner_agree_with_the_box_ticked(client, commissioner, waiting):
    client.force_login(commissioner)
    response = client.post(agree_url(waiting), {"party": Party.COMMISSIONER, "accept_overrun": "yes"})

    assert response.status_code == 302
    assert Signoff.objects.get().overrun_accepted == Decimal("2000.00")
    content = text(client.get(version_url(waiting)))
    assert "accepted the overrun of £2,000.00" in content


# --- agreements given outside the service ----------------------------------------------------------


def record_answers(**overrides) -> dict:
    return {
        "party": Party.COMMISSIONER,
        "agreed_by_name": "Cam Commissioner",
        "agreed_by_role": "Director of education",
        "agreed_on": (TODAY - datetime.timedelta(days=0)).isoformat(),
        "method": AgreementMethod.EMAIL,
        **overrides,
    }


def test_recording_the_commissioners_agreement_asks_whether_they_accepted_the_overrun(
    client, national_admin, waiting
):
    url = reverse("deployments:agreement-record", args=[waiting.deployment_id, 1])
    client.force_login(national_admin)

    assert "For the commissioner: they accepted the overrun of " + OVER in text(client.get(url))
    refused = client.post(url, record_answers())
    assert refused.status_code == 200
    assert refused.context["form"].errors["accept_overrun"] == [
        f"This version is {OVER}: accept the overrun of £2,000.00 to agree it for the commissioner"
    ]

    accepted = client.post(url, record_answers(accept_overrun="on"))
    assert accepted.status_code == 302
    record = waiting.recorded_signoffs.get()
    assert record.overrun_accepted == Decimal("2000.00")

    services.confirm_recorded_signoff(record, actor=national_admin)
    signoff = Signoff.objects.get(party=Party.COMMISSIONER)
    assert (signoff.overrun_accepted, signoff.overrun_accepted_by) == (Decimal("2000.00"), national_admin)


def test_the_service_refuses_a_record_of_the_commissioner_without_the_acceptance(national_admin, waiting):
    with pytest.raises(DeploymentError) as refused:
        services.record_outside_agreement(
            waiting, actor=national_admin, party=Party.COMMISSIONER, agreed_by_name="Cam",
            agreed_by_role="Director", agreed_on=TODAY, method=AgreementMethod.EMAIL,
        )
    assert refused.value.field == "accept_overrun"
    assert not waiting.recorded_signoffs.exists()


def test_a_record_for_a_school_needs_no_acceptance(national_admin, waiting):
    record = services.record_outside_agreement(
        waiting, actor=national_admin, party=Party.SUPPORTED_SCHOOL, agreed_by_name="Jo Head",
        agreed_by_role="Headteacher", agreed_on=TODAY, method=AgreementMethod.EMAIL,
    )
    assert record.overrun_accepted is None


# --- what the pages cost ---------------------------------------------------------------------------

# Session, user and memberships, the deployment, the version with its staff and cost lines (three),
# its objectives, signoffs, the people of each party, the navigation's: the same for any number of
# cost lines. The printout needs fewer (no navigation, no "who can agree" panel).
AGREEMENT_PAGE_QUERIES = 15
PRINTOUT_QUERIES = 12


@pytest.mark.parametrize("count", [2, 20])
def test_the_agreement_page_costs_the_same_queries_for_2_and_20_cost_lines(
    client, commissioner, waiting, count, django_assert_max_num_queries
):
    waiting.cost_lines.all().delete()
    for _ in range(count):
        cost(waiting, CostKind.BACKFILL, "1", "100")
    client.force_login(commissioner)
    with django_assert_max_num_queries(AGREEMENT_PAGE_QUERIES):
        response = client.get(version_url(waiting))
    assert len(response.context["costs"].extra_lines) == count


@pytest.mark.parametrize("count", [2, 20])
def test_the_printout_costs_the_same_queries_for_2_and_20_cost_lines(
    client, commissioner, waiting, count, django_assert_max_num_queries
):
    waiting.cost_lines.all().delete()
    for _ in range(count):
        cost(waiting, CostKind.SUPPLY_COVER, "1", "100")
    client.force_login(commissioner)
    with django_assert_max_num_queries(PRINTOUT_QUERIES):
        response = client.get(reverse("deployments:agreement-print", args=[waiting.deployment_id, 1]))
    assert len(response.context["costs"].extra_lines) == count
