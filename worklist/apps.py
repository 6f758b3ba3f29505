from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "worklist"
    verbose_name = "Your tasks"

    def ready(self) -> None:
        from accounts.rules import load_with_the_person

        from . import signals  # noqa: F401
        from .providers import FACTS

        load_with_the_person(*FACTS)
