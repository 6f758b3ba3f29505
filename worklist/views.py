"""The home page: "Your tasks", everything that waits for the signed-in person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from govuk.pagination import pagination_context

from .providers import remember_count, tasks_for

TASKS_PER_PAGE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tasks = tasks_for(request.user, today)
    remember_count(request.user, len(tasks))
    # A busy broker may have hundreds: the most urgent come first, a page at a time.
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"task": task, "overdue": task.is_overdue(today)} for task in page.object_list]
    context = {
        "rows": rows,
        "task_total": len(tasks),
        "page_obj": page,
        "pagination": pagination_context(request, page),
        "today": today,
        "active_nav": "tasks",
    }
    return render(request, "worklist/home.html", context)
