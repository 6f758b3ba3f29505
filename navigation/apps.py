"""The site navigation: the sections and pages each person sees."""

from django.apps import AppConfig


class NavigationConfig(AppConfig):
    name = "navigation"
    verbose_name = "Navigation"

    def ready(self) -> None:
        from accounts.rules import load_with_the_person

        from .menu import PERSONAL_FACTS

        # Asked on every page: answered with the query that loads the person, not one of its own.
        load_with_the_person(*PERSONAL_FACTS)
