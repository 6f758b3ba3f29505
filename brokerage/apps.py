from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Commissioning and brokerage"

    def ready(self) -> None:
        from schools.queries import widen_school_visibility

        from .queries import alliance_schools_of_token

        widen_school_visibility(alliance_schools_of_token)
