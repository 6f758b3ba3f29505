from functools import cache

from .providers import task_count_for


def task_count(request) -> dict:
    """``task_count`` for the navigation: a callable, so the template reads it (from the cache)
    only on pages that show it, and once."""
    user = getattr(request, "user", None)
    return {"task_count": cache(lambda: task_count_for(user))}
