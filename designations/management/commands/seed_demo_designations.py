from django.core.management.base import BaseCommand

from designations.demo import seed_designations_demo


class Command(BaseCommand):
    help = (
        "Adds demo designations to the demo dataset (run seed_demo first; seed_demo calls this): "
        "the demo head's headship at an Outstanding school, open LLE, NLE and SLE rounds, about 20 "
        "designated leaders (SLEs in the demo teaching school's pool, LLEs, NLEs with national "
        "support schools, NLGs), a suspended designation, reviews due and one case to decide; the named "
        "LLE leader@norfolk.demo and the head of their school, and a new head in Suffolk with LLEs "
        "offering professional partnership nearby. "
        "Running it again creates nothing new."
    )

    def handle(self, *args, **options) -> None:
        summary = seed_designations_demo()
        self.stdout.write(
            f"Demo designations ready: {summary.designations} designations, {summary.posts} leadership "
            f"posts, {summary.rounds} open rounds, {summary.open_cases} open case(s)."
        )
