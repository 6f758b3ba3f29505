"""Build the demo data set and print the demo sign-ins."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, NATIONAL_BODY, DemoUser
from accounts.models import Membership
from demo.dataset import SIGN_INS, DemoDataSet, seed_demo_data
from demo.sandbox import issue_sandbox_tokens
from schools.demo import AUTHORITIES, SCHOOLS_PER_AREA


class Command(BaseCommand):
    help = (
        "Load the outward codes, then create or bring up to date a small demo dataset, each app's "
        "part on the parts below it. Schools: the local authorities "
        f"{', '.join(f'{a.name} ({a.code})' for a in AUTHORITIES)}, up to {SCHOOLS_PER_AREA} real open "
        "schools per authority from the public GIAS list, placed by postcode, with synthesised phase, "
        "type, pupils, headteacher, trust, diocese and Ofsted inspections (source 'demo'). Accounts: "
        f"the councils, the national body '{NATIONAL_BODY}', a Norfolk teaching school and school, one "
        "user per role, a pending invitation and an access request. Term dates: Norfolk's own 2026 to "
        "2027 dates, its October half term a week earlier than the national default. Designations: "
        "the demo head's "
        "headship at a strongly inspected school, open LLE, NLE and SLE rounds, about 20 designated "
        "leaders, a suspended designation, reviews due and one case to decide; the named LLE "
        "leader@norfolk.demo and the head of their school, and a new head in Suffolk. Brokerage: risk "
        "assessments of Norfolk schools, a teaching-school alliance, requests waiting for the LA and the "
        "teaching school (with a shortlist). Deployments: deployments active (one with a red objective, "
        "one with a review overdue), awaiting final evaluation and completed, with the head of a "
        "supported school, and an agreement led by leader@norfolk.demo waiting for the demo head, the "
        "leader's school and the commissioner. Claims: on the deployments' logged time, in every state "
        "(submitted, information requested, awaiting second approval with a backfill line and its "
        "invoice, approved, paid, rejected, withdrawn), with the school business manager of a leader's "
        "school and a second commissioner for second approvals. Then prints a sign-in for every party "
        "of every flow, and new partner sandbox API tokens for a local authority, a teaching school and "
        "a national body (those of an earlier run stop working). "
        "The data is the same on every run and running it again creates nothing new but the tokens. "
        "For development and demonstrations only: the demo users share a published password, and the "
        "demo's emails are not sent."
    )

    def handle(self, *args, **options) -> None:
        # The demo's invitations, requests and agreements email their (made-up) people: keep those
        # out of the console, which should show the sign-ins.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._seed()

    def _seed(self) -> None:
        # The shipped file has a few rows off the British grid (Channel Islands): not worth listing here.
        call_command("load_outcodes", verbosity=0, stdout=self.stdout)
        self._report(seed_demo_data())
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        width = max(len(user.email) for user in SIGN_INS)
        for user in SIGN_INS:
            line = self._sign_in(user, width)
            if line:
                self.stdout.write(line)
        self._sandbox_tokens()

    def _sandbox_tokens(self) -> None:
        tokens = issue_sandbox_tokens()
        if not tokens:
            return
        self.stdout.write("\nPartner sandbox API tokens (new each run; send as Authorization: Token <key>):")
        width = max(len(token.organisation.name) for token in tokens)
        for token in tokens:
            kind = token.organisation.get_kind_display().lower()
            self.stdout.write(f"  {token.organisation.name.ljust(width)}  {kind:<16}  {token.key}")

    def _report(self, data: DemoDataSet) -> None:
        """One line per app's part: what the data set now holds."""
        schools, designations = data.schools, data.designations
        self.stdout.write(self.style.SUCCESS(
            f"Demo schools ready: {len(schools.local_authorities)} local authorities, "
            f"{len(schools.schools)} schools, {schools.inspections} inspections."
        ))
        self.stdout.write(
            f"Demo accounts ready: {len(data.accounts.organisations)} organisations, "
            f"{len(data.accounts.users)} users, one per role."
        )
        self.stdout.write(
            f"Demo term dates ready: Norfolk has its own {data.term_periods} periods in 2026 to 2027."
        )
        self.stdout.write(
            f"Demo designations ready: {designations.designations} designations, {designations.posts} "
            f"leadership posts, {designations.rounds} open rounds, {designations.open_cases} open case(s)."
        )
        self.stdout.write(
            f"Demo brokerage ready: {data.brokerage.requests} support requests, "
            f"{data.brokerage.risk_assessments} risk assessments."
        )
        self.stdout.write(f"Demo deployments ready: {data.deployments.deployments} deployments.")
        self.stdout.write(
            f"Demo claims ready: {data.funding.claims} claims ({', '.join(data.funding.states).lower()})."
        )
        self.stdout.write(
            f"Demo bursaries and grants ready: {data.bursaries.bursaries} this year "
            f"({data.bursaries.paid} paid), at {data.bursaries.rates} funding rates."
        )

    def _sign_in(self, user: DemoUser, width: int) -> str:
        """One sign-in: email, role, where, and what to try; nothing for a flow the data skipped."""
        membership = (
            Membership.objects.filter(user__email=user.email, role=user.role)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if membership is None:
            return ""
        where = f"{user.role.label}, {membership.organisation.name}"
        return f"  {user.email.ljust(width)}  {where}\n  {' ' * width}  {user.try_this}"
