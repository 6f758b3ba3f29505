"""The webhooks pages: an organisation's administrators list, add, test, turn off and delete the
URLs its events are sent to, and read each one's delivery log. National administrators see all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from govuk.pagination import pagination_context

from . import services
from .forms import SubscriptionForm
from .models import Subscription
from .rules import administered_organisations
from .tasks import deliver

SUBSCRIPTIONS_PER_PAGE = 50
DELIVERIES_PER_PAGE = 25


def _require_any(user) -> None:
    if not user.has_perm("webhooks.manage_webhooks_somewhere"):
        raise PermissionDenied


def _subscription(request: HttpRequest, pk: int) -> Subscription:
    subscription = get_object_or_404(Subscription.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("webhooks.manage_webhooks", subscription):
        raise PermissionDenied
    return subscription


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user)
    subscriptions = Subscription.objects.select_related("organisation").order_by(
        "organisation__name", "url", "pk"
    )
    if not request.user.is_national_administrator:
        administered = [o.pk for o in administered_organisations(request.user)]
        subscriptions = subscriptions.filter(organisation__in=administered)
    page = Paginator(subscriptions, SUBSCRIPTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/subscription_list.html", {
        "page": page,
        "pagination": pagination_context(request, page),
        "can_add": bool(administered_organisations(request.user)),
    })


@login_required
def subscription_add(request: HttpRequest) -> HttpResponse:
    organisations = administered_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = SubscriptionForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        try:
            subscription = services.create_subscription(
                organisation=organisation, url=data["url"].strip(), event_types=data["event_types"],
                description=data["description"], actor=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, "Webhook added. Copy its signing secret into the receiving system.")
            return redirect("webhooks:subscription-detail", pk=subscription.pk)
    return render(request, "webhooks/subscription_add.html", {"form": form})


@login_required
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    deliveries = Paginator(services.deliveries_for(subscription), DELIVERIES_PER_PAGE)
    page = deliveries.get_page(request.GET.get("page"))
    return render(request, "webhooks/subscription_detail.html", {
        "subscription": subscription,
        "page": page,
        "pagination": pagination_context(request, page),
    })


@login_required
@require_POST
def subscription_test(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    delivery = services.create_test_delivery(subscription)
    deliver.delay(delivery_id=delivery.pk)
    messages.success(request, "Test event sent. Its delivery is at the top of the log.")
    return redirect("webhooks:subscription-detail", pk=subscription.pk)


@login_required
@require_POST
def subscription_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    if subscription.is_active:
        services.disable(subscription)
        messages.success(request, "Webhook turned off: no events are sent to it.")
    else:
        services.enable(subscription)
        messages.success(request, "Webhook turned on: events are sent to it again.")
    return redirect("webhooks:subscription-detail", pk=subscription.pk)


@login_required
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    if request.method == "POST":
        services.delete_subscription(subscription)
        messages.success(request, f"Webhook to {subscription.url} deleted.")
        return redirect("webhooks:subscription-list")
    return render(request, "webhooks/subscription_delete.html", {"subscription": subscription})


