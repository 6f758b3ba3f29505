"""Pages about people's data: "Your data" (a person's own copy), the national administrators'
pages for any person (a copy on request, erasure), and the public privacy notice."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.links import stash_token, stashed_token
from accounts.models import User
from govuk.pagination import pagination_context

from . import export, services
from .choices import DataRequestKind
from .errors import DataProtectionError
from .forms import CorrectDetailsForm, PersonSearchForm, RequestReferenceForm
from .models import DataRequest, RetentionRule

PEOPLE_PER_PAGE = 50
COPY_LINK = "data-copy"


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _zip_response(person: User, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    name = f"data-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _copies(user: User, subject: User) -> list[dict]:
    """The copies ``user`` asked for about ``subject``, each with its signed link while it lasts."""
    requests = DataRequest.objects.filter(kind=DataRequestKind.EXPORT, subject=subject, made_by=user)[:10]
    return [
        {"request": r, "token": services.download_token(r) if r.is_downloadable else None} for r in requests
    ]


def _made(request: HttpRequest, person: User, made: services.CopyMade, back: str) -> HttpResponse:
    if made.content is not None:
        return _zip_response(person, made.content)
    messages.success(
        request,
        "The copy is being prepared. Come back to this page in a few minutes to download it: the link "
        f"lasts {settings.DATA_EXPORT_LINK_HOURS} hours.",
    )
    return redirect(back)


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    _require(request, "dataprotection.copy_own_data")
    return render(request, "dataprotection/your_data.html", {
        "sources": export.SOURCES,
        "copies": _copies(request.user, request.user),
        "link_hours": settings.DATA_EXPORT_LINK_HOURS,
        "active_nav": "you",
    })


@login_required
@require_POST
def your_data_download(request: HttpRequest) -> HttpResponse:
    _require(request, "dataprotection.copy_own_data")
    made = services.make_copy(request.user, made_by=request.user)
    return _made(request, request.user, made, "your-data:your-data")


def prepared_copy_link(request: HttpRequest, token: str) -> HttpResponse:
    return stash_token(request, COPY_LINK, token, "your-data:prepared-copy-clean")


@login_required
def prepared_copy(request: HttpRequest) -> HttpResponse:
    _require(request, "dataprotection.copy_own_data")
    try:
        data_request = services.prepared_copy(stashed_token(request, COPY_LINK), user=request.user)
    except DataProtectionError as error:
        return render(request, "dataprotection/link_unusable.html", {"message": str(error)}, status=404)
    name = f"data-{data_request.subject_id}-{timezone.localdate(data_request.ready_at):%Y-%m-%d}.zip"
    return FileResponse(data_request.archive.open("rb"), as_attachment=True, filename=name,
                        content_type="application/zip")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    _require(request, "dataprotection.manage_people_data")
    form = PersonSearchForm(request.GET or None)
    found = User.objects.none()
    if form.is_valid() and form.cleaned_data["q"].strip():
        q = form.cleaned_data["q"].strip()
        found = User.objects.filter(Q(email__icontains=q) | Q(full_name__icontains=q))
        found = found.order_by("full_name", "pk")
    page = Paginator(found, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dataprotection/people.html", {
        "form": form, "page": page, "pagination": pagination_context(request, page),
        "searched": form.is_bound,
    })


def _person(request: HttpRequest, pk: int, perm: str) -> User:
    person = get_object_or_404(User, pk=pk)
    _require(request, perm, person)
    return person


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "dataprotection.manage_people_data")
    form = RequestReferenceForm(request.POST or None)
    if request.method == "POST":
        _require(request, "dataprotection.copy_data", person)
        if form.is_valid():
            made = services.make_copy(person, made_by=request.user, reason=form.cleaned_data["reason"])
            return _made(request, person, made, request.path)
    requests = DataRequest.objects.filter(subject=person).select_related("made_by")[:20]
    return render(request, "dataprotection/person.html", {
        "person": person, "form": form, "copies": _copies(request.user, person), "requests": requests,
        "can_erase": request.user.has_perm("dataprotection.erase_person", person),
    }, status=400 if form.errors else 200)


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "dataprotection.erase_person")
    plan = services.erasure_plan(person)
    form = RequestReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_person(person, actor=request.user, reason=form.cleaned_data["reason"])
        except DataProtectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Person {person.pk} has been erased.")
            return redirect("dataprotection:person", pk=person.pk)
    return render(request, "dataprotection/person_erase.html", {
        "person": person, "plan": plan, "form": form,
    }, status=400 if form.errors else 200)


@login_required
def person_details(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "dataprotection.correct_details")
    initial = {"full_name": person.full_name, "email": person.email, "phone": person.phone}
    form = CorrectDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_details(person, actor=request.user, **form.cleaned_data)
        except DataProtectionError as error:
            form.add_error("email" if "email" in str(error) else None, str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, "Their details have been corrected.")
            return redirect("dataprotection:person", pk=person.pk)
    return render(request, "dataprotection/person_details.html", {"person": person, "form": form},
                  status=400 if form.errors else 200)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "dataprotection/privacy.html", {
        "rules": RetentionRule.objects.all(),
        "controller_name": settings.DATA_CONTROLLER_NAME,
        "controller_address": settings.DATA_CONTROLLER_ADDRESS,
        "dpo_name": settings.DATA_PROTECTION_OFFICER_NAME,
        "dpo_email": settings.DATA_PROTECTION_OFFICER_EMAIL,
        "link_hours": settings.DATA_EXPORT_LINK_HOURS,
    })
