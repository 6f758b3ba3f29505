"""Who may manage an organisation's webhooks: its administrators (accounts.rules.administers, the
same people who manage its API tokens), national administrators, and the organisation's own API
tokens."""

from __future__ import annotations

import rules

from accounts import rules as account_rules
from accounts.principals import is_api_client


def administers(user, organisation) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    if is_api_client(user):
        return user.organisation.pk == organisation.pk
    if user.is_national_administrator:
        return True
    return any(account_rules.administers(m, organisation) for m in user.active_memberships)


def administered_organisations(user) -> list:
    """The organisations whose webhooks the person manages (national administrators: see all)."""
    if is_api_client(user):
        return [user.organisation]
    return account_rules.administered_organisations(user)


@rules.predicate
def can_manage_webhooks(user, subscription_or_organisation) -> bool:
    organisation = getattr(subscription_or_organisation, "organisation", subscription_or_organisation)
    return administers(user, organisation)


@rules.predicate
def manages_webhooks_somewhere(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_national_administrator", False) or administered_organisations(user))


rules.add_perm("webhooks.manage_webhooks", can_manage_webhooks)
rules.add_perm("webhooks.manage_webhooks_somewhere", manages_webhooks_somewhere)
