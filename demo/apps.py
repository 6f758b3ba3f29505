from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data set: composes each app's demo part and prints the logins. On top of
    every domain app, so that each app's part builds only on the parts below it."""

    name = "demo"
    verbose_name = "Demonstration data"
