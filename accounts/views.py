import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy
from django.views import defaults
from django.views.decorators.http import require_POST

from apiformat.problems import is_api_request, problem_json_response

from . import services
from .client_ip import client_ip
from .errors import AccountsError
from .forms import NewPasswordForm, PasswordResetRequestForm, SignInForm
from .middleware import LAST_ACTIVITY


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out.")
        return response


class PasswordResetRequestView(auth_views.PasswordResetView):
    """The email goes from a task after commit (accounts.services.request_password_reset), so the
    page does the same work, and answers the same, whether or not the address has an account."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        try:
            services.request_password_reset(
                email=form.cleaned_data["email"], ip_address=client_ip(self.request)
            )
        except AccountsError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_POST
@login_required
def keep_alive(request: HttpRequest) -> HttpResponse:
    """"Stay signed in" in the timeout warning: the request itself is the activity
    (recorded to the second, as the warning then counts the whole idle time again)."""
    request.session[LAST_ACTIVITY] = time.time()
    return HttpResponse(status=204)


# Under /api/ every error is problem JSON (apiformat.problems), also when no API view answered.


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(400, "bad_request", "The request could not be read.")
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # A refusal that says why (e.g. "you cannot assess your own application") is shown as it is.
    message = str(exception) if exception is not None and exception.args else ""
    if is_api_request(request):
        return problem_json_response(403, "permission_denied", message or "You are not allowed to do this.")
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(
            404, "not_found", "There is nothing at this address: the API's paths are in /api/schema/."
        )
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(
            500, "server_error", "Something went wrong on our side: try again later."
        )
    # No request context: whatever failed (the database, a context processor) may fail again.
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"service_name": settings.SERVICE_NAME}))
