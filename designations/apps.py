from django.apps import AppConfig


class DesignationsConfig(AppConfig):
    name = "designations"
    verbose_name = "Designations"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
