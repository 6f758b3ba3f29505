from celery import shared_task

from .services import clear_expired_keys


@shared_task(name="idempotency.clear_expired_keys")
def clear_expired_keys_task() -> int:
    return clear_expired_keys()
