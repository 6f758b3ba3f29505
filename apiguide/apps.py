from django.apps import AppConfig


class ApiGuideConfig(AppConfig):
    name = "apiguide"
    verbose_name = "API guidance"
