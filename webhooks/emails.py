"""One function per email kind about webhooks (templates/emails/webhook-*)."""

from __future__ import annotations

from accounts.emails import absolute_url, send_email
from accounts.models import Membership
from accounts.rules import manages_through

from .models import Subscription


def administrators_of(organisation) -> list[str]:
    """The addresses of the organisation's active administrators, and its shared inbox."""
    memberships = Membership.objects.filter(
        organisation=organisation, user__is_active=True
    ).select_related("user", "organisation", "organisation__school")
    addresses = [m.user.email for m in memberships if manages_through(m, organisation)]
    if organisation.email:
        addresses.append(organisation.email)
    return list(dict.fromkeys(addresses))


def subscription_disabled(subscription: Subscription) -> None:
    send_email(
        "webhook-disabled",
        to=administrators_of(subscription.organisation),
        context={
            "subscription": subscription,
            "link": absolute_url("webhooks:subscription-detail", subscription.pk),
        },
    )
