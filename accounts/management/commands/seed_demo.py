"""Build the demo dataset and print the demo sign-ins."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from accounts.demo import (
    AUTHORITIES,
    DEMO_PASSWORD,
    FLOW_USERS,
    NATIONAL_BODY,
    SCHOOLS_PER_AREA,
    DemoUser,
    seed_demo_data,
)
from accounts.models import Membership


class Command(BaseCommand):
    help = (
        "Load the outward codes, then create or bring up to date a small demo dataset: the local "
        f"authorities {', '.join(f'{a.name} ({a.code})' for a in AUTHORITIES)} and their councils; "
        f"up to {SCHOOLS_PER_AREA} real open schools per authority from the public GIAS list, placed "
        "by postcode, with synthesised phase, type, pupils, headteacher, trust, diocese and Ofsted "
        f"inspections (source 'demo'); the national body '{NATIONAL_BODY}', a Norfolk teaching school "
        "and school; one user per role; a named user for every party of every flow (the leader of "
        "the pending agreement and the head of their school, the head of a supported school, a new "
        "head, an officer of a second authority); a pending invitation and an access request. The "
        "data is the same on every run and running it again creates nothing new. For development "
        "and demonstrations only: the demo users share a published password."
    )

    def handle(self, *args, **options) -> None:
        # The demo's invitations and requests email their (made-up) people: keep those out of the
        # console, which should show the sign-ins.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._seed()

    def _seed(self) -> None:
        # The shipped file has a few rows off the British grid (Channel Islands): not worth listing here.
        call_command("load_outcodes", verbosity=0, stdout=self.stdout)
        summary = seed_demo_data()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {summary.local_authorities} local authorities, {summary.schools} schools, "
            f"{summary.inspections} inspections."
        ))
        # Designations live downstream of accounts: reached by name, not imported.
        call_command("seed_demo_designations", stdout=self.stdout)
        call_command("seed_demo_brokerage", stdout=self.stdout)
        call_command("seed_demo_term_dates", stdout=self.stdout)
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        users = [*summary.users, *FLOW_USERS]
        width = max(len(user.email) for user in users)
        for user in users:
            line = self._sign_in(user, width)
            if line:
                self.stdout.write(line)

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
