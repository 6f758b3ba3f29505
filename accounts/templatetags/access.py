"""``user|may:"app.permission"``: what the rule says, without Django's superuser shortcut.

For links to pages whose views check something narrower than a permission (a new head's search,
an LLE's offer): a superuser passes every ``perms`` check but not those views, so a link shown by
``perms`` would lead them to a refusal.
"""

from django import template
from rules import has_perm

register = template.Library()


@register.filter
def may(user, permission: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and has_perm(permission, user)
