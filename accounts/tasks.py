"""Background work about people."""

from celery import shared_task

from . import services


@shared_task(name="accounts.send_password_reset", acks_late=True)
def send_password_reset(*, email: str) -> None:
    """Sends the reset link to the active accounts with this email, if any: nothing otherwise.
    Asked again, it sends a fresh link (the previous one still works until used or expired)."""
    services.send_password_reset_emails(email)
