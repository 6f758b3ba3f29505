"""The demonstration data set: each app's demo part, bottom up, each given what the parts below
it made, and the sign-ins they make for every party of every flow."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.demo import DEMO_USERS, AccountsDemoSummary, DemoUser, seed_accounts_demo
from brokerage.demo import BrokerageDemoSummary, seed_brokerage_demo
from deployments.demo import SUPPORTED_HEAD, DeploymentsDemoSummary, seed_deployments_demo
from designations.demo import LEADER, LEADER_HEAD, NEW_HEAD, DesignationsDemoSummary, seed_designations_demo
from funding.demo import SIGN_INS as FUNDING_SIGN_INS
from funding.demo import FundingDemoSummary, seed_funding_demo
from funding.demo_bursaries import BursariesDemoSummary, seed_bursaries_demo
from schooldays.demo import seed_term_dates_demo
from schools.demo import SchoolsDemoSummary, seed_schools_demo

# One per role, then the named people of the flows, in the order of the README's table.
SIGN_INS: tuple[DemoUser, ...] = (
    *DEMO_USERS, LEADER, LEADER_HEAD, SUPPORTED_HEAD, NEW_HEAD, *FUNDING_SIGN_INS
)


@dataclass
class DemoDataSet:
    schools: SchoolsDemoSummary
    accounts: AccountsDemoSummary
    term_periods: int
    designations: DesignationsDemoSummary
    brokerage: BrokerageDemoSummary
    deployments: DeploymentsDemoSummary
    funding: FundingDemoSummary
    bursaries: BursariesDemoSummary


def seed_demo_data() -> DemoDataSet:
    """Create or bring up to date the whole demo data set, one app's part after another (each in
    its own transaction). Needs the outward codes loaded; running it again creates nothing new."""
    schools = seed_schools_demo()
    accounts = seed_accounts_demo(schools)
    term_periods = seed_term_dates_demo()
    designations = seed_designations_demo()
    brokerage = seed_brokerage_demo()
    deployments = seed_deployments_demo(brokerage)
    funding = seed_funding_demo()
    bursaries = seed_bursaries_demo()
    return DemoDataSet(
        schools, accounts, term_periods, designations, brokerage, deployments, funding, bursaries
    )
