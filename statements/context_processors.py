from urllib.parse import quote

from django.conf import settings


def feedback(request) -> dict:
    """``feedback_url`` for the phase banner: a page or address anyone can use, signed in or not."""
    subject = quote(f"Feedback on {settings.SERVICE_NAME}")
    mailto = f"mailto:{settings.SERVICE_CONTACT_EMAIL}?subject={subject}"
    return {"feedback_url": settings.FEEDBACK_URL or mailto}
