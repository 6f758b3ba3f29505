"""The home page: "Your tasks", everything that waits for the signed-in person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .providers import remember_count, tasks_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tasks = tasks_for(request.user, today)
    remember_count(request.user, len(tasks))
    rows = [{"task": task, "overdue": task.is_overdue(today)} for task in tasks]
    return render(request, "worklist/home.html", {"rows": rows, "today": today, "active_nav": "tasks"})
