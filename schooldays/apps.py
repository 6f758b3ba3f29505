from django.apps import AppConfig


class SchooldaysConfig(AppConfig):
    name = "schooldays"
    verbose_name = "School days and term dates"
