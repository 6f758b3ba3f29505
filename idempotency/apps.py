from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "idempotency"
    verbose_name = "Idempotent API requests"
    default_auto_field = "django.db.models.BigAutoField"
