from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from brokerage.demo import seed_brokerage_demo


class Command(BaseCommand):
    help = (
        "Adds demo commissioning, brokerage and deployments (run seed_demo first; seed_demo calls this): "
        "risk assessments of Norfolk schools, a teaching-school alliance, requests waiting for the LA and "
        "the teaching school, deployments active (one with a red objective, one with a review overdue), "
        "awaiting final evaluation and completed, and an agreement (led by leader@norfolk.demo) waiting "
        "for the demo head, the leader's school and the commissioner. "
        "Running it again creates nothing new."
    )

    def handle(self, *args, **options) -> None:
        # The demo people and schools are made up: tell nobody about the demo's requests.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            summary = seed_brokerage_demo()
        self.stdout.write(
            f"Demo brokerage ready: {summary.requests} support requests, {summary.deployments} deployments, "
            f"{summary.risk_assessments} risk assessments."
        )
