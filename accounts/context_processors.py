from django.conf import settings

from .middleware import idle_seconds_left


def service(request) -> dict:
    context = {"service_name": settings.SERVICE_NAME, "phase_banner": settings.PHASE_BANNER}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["session_idle_seconds"] = idle_seconds_left(request)
        context["settings_idle_minutes"] = settings.SESSION_IDLE_MINUTES
        context["session_warning_seconds"] = settings.SESSION_WARNING_SECONDS
    return context
