"""Counting a person's tasks as they sign in, so the pages they then open read it from the cache."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .providers import refresh_count


@receiver(user_logged_in, dispatch_uid="worklist-count-on-sign-in")
def count_tasks_on_sign_in(sender, request, user, **kwargs) -> None:
    refresh_count(user)
    if request is not None:
        request.tasks_counted = True  # the sign-in POST need not count them again
