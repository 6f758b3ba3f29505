from django.utils.functional import SimpleLazyObject

from .providers import task_count_for


def task_count(request) -> dict:
    """``task_count`` for the navigation: read (from the cache) only when a page shows it."""
    user = getattr(request, "user", None)
    return {"task_count": SimpleLazyObject(lambda: task_count_for(user))}
