"""The service's public statements, linked from every page's footer and readable signed out: the
accessibility statement and the cookies page. They describe the whole service (every app's pages,
the settings' cookies), so the app sits at the top, beside the navigation."""

from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "statements"
    verbose_name = "Statements"
