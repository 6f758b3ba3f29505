"""The API tokens pages: an organisation's administrators list, create, read the history of and
revoke its tokens; national administrators see (and may revoke) every organisation's.

A new token's key is in the answer to the form's post and nowhere else: not in the session, not
in a redirect, never stored (only its digest is). The post claims the form's one-time token
(``submissions``) for the token's own page, so a resubmission lands there instead of making a
second token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import ListView

from govuk.forms import mark_govuk_errors
from govuk.lists import FilteredListMixin
from govuk.pagination import GovukPaginationMixin
from submissions.models import Submission
from submissions.services import FIELD_NAME, TOKEN_PATTERN, submit_once

from . import queries, services
from .filters import ApiTokenFilterSet
from .forms import ApiTokenForm
from .models import ApiToken, Organisation
from .rules import administered_organisations

TOKENS_PER_PAGE = 25
NAV = {"active_nav": "api-tokens"}
# Model fields named by a refusal, by the form field that shows it.
FORM_FIELDS = {"name": "name", "expires_at": "expires_on", "organisation": "organisation"}
RESENT = (
    "You sent this form more than once. The token was created only once, and its key was shown "
    "only then. If you did not copy the key, revoke this token and create another."
)


class ApiTokenListView(LoginRequiredMixin, FilteredListMixin, GovukPaginationMixin, ListView):
    template_name = "accounts/api_token_list.html"
    context_object_name = "tokens"
    paginate_by = TOKENS_PER_PAGE
    filterset_class = ApiTokenFilterSet
    extra_context = NAV

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.has_perm("accounts.manage_api_tokens_somewhere"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_queryset(self) -> QuerySet[ApiToken]:
        return queries.api_tokens_visible_to(self.request.user)

    def prepare_filter_form(self, form, visible: QuerySet[ApiToken]) -> None:
        self.many_organisations = self.request.user.is_national_administrator or (
            len(administered_organisations(self.request.user)) > 1
        )
        if self.many_organisations:
            form.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=visible.order_by().values("organisation")
            ).order_by("name")
        else:
            form.fields.pop("organisation")
        form.fields["q"].widget.attrs.update({"class": "govuk-input", "spellcheck": "false"})
        for name in ("organisation", "status"):
            if name in form.fields:
                form.fields[name].widget.attrs.update({"class": "govuk-select"})

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["show_organisation"] = self.many_organisations
        context["can_create"] = bool(administered_organisations(self.request.user))
        context["clear_url"] = reverse("accounts:api-token-list")
        context["now"] = timezone.now()
        return context


def _token(request: HttpRequest, pk: int) -> ApiToken:
    token = get_object_or_404(ApiToken.objects.select_related("organisation", "created_by"), pk=pk)
    if not request.user.has_perm("accounts.manage_organisation_api_tokens", token):
        raise PermissionDenied
    return token


class _Resent(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def _claim_form(request: HttpRequest) -> Submission | None:
    """Claim the form's one-time token (see ``submissions.services``); a claimed one is a resend."""
    form_token = request.POST.get(FIELD_NAME, "")
    if not TOKEN_PATTERN.fullmatch(form_token):
        return None
    try:
        with transaction.atomic():
            return Submission.objects.create(token=form_token, user_id=request.user.pk)
    except IntegrityError:
        pass
    first = Submission.objects.get(token=form_token)
    if first.user_id != request.user.pk:
        raise SuspiciousOperation("A form token was posted by someone other than its first user.")
    raise _Resent(first.result_url or reverse("accounts:api-token-list"))


def _show_refusal(form: ApiTokenForm, error: ValidationError) -> None:
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(FORM_FIELDS.get(field), message)
    mark_govuk_errors(form)


@login_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    organisations = administered_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations, today=timezone.localdate(),
        initial={"organisation": request.GET["organisation"]} if "organisation" in request.GET else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim = _claim_form(request)
                token, key = services.issue_api_token(
                    organisation=data["organisation"], name=data["name"], expires_on=data["expires_on"],
                    actor=request.user,
                )
                if claim is not None:
                    claim.result_url = reverse("accounts:api-token-detail", args=[token.pk])
                    claim.save(update_fields=["result_url"])
        except _Resent as resent:
            messages.info(request, RESENT)
            return redirect(resent.url)
        except ValidationError as error:
            _show_refusal(form, error)
        else:
            response = render(request, "accounts/api_token_created.html", {"token": token, "key": key, **NAV})
            # The key is in this answer only: no browser or proxy may keep a copy.
            patch_cache_control(response, no_store=True, private=True)
            return response
    return render(request, "accounts/api_token_form.html", {"form": form, **NAV})


@login_required
def api_token_detail(request: HttpRequest, pk: int) -> HttpResponse:
    token = _token(request, pk)
    context = {
        "token": token,
        "history": queries.api_token_history(token),
        **NAV,
    }
    return render(request, "accounts/api_token_detail.html", context)


def _revoke(request: HttpRequest, token: ApiToken) -> HttpResponse:
    if services.revoke_api_token(token, actor=request.user):
        messages.success(request, f"“{token.name}” is revoked: every request with its key is now refused.")
        return redirect("accounts:api-token-detail", pk=token.pk)
    return _already_revoked(request, token)


def _already_revoked(request: HttpRequest, token: ApiToken) -> HttpResponse:
    revoked_on = timezone.localtime(token.revoked_at)
    messages.info(request, f"“{token.name}” was already revoked on {revoked_on:%-d %B %Y at %H:%M}.")
    return redirect("accounts:api-token-detail", pk=token.pk)


@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = _token(request, pk)
    if request.method == "POST":
        return submit_once(request, lambda: _revoke(request, token))
    if not token.is_active:
        return _already_revoked(request, token)
    return render(request, "accounts/api_token_revoke.html", {"token": token, **NAV})
