from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "worklist"
    verbose_name = "Your tasks"

    def ready(self) -> None:
        from . import signals  # noqa: F401
