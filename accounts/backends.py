"""Django's model permissions, asked of the database only for permissions that can be granted there.

Most of the service's permissions are rules (``rules.add_perm``) with no Permission row behind them:
when a rule says no, Django's ``user.has_perm`` goes on to ask ModelBackend, which would read the
user's and their groups' permissions (two queries) only to find nothing. A Permission row exists only
for what a model declares (its default permissions and ``Meta.permissions``), so for any other name
the answer is no without a query. Names that are both (``schools.view_school``) still reach the
database, so a member of staff given a model permission in the admin keeps it.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


@cache
def model_permission_names() -> frozenset[str]:
    """Every ``app_label.codename`` a model declares: the only permissions the database can grant."""
    names = set()
    for model in apps.get_models():
        meta = model._meta
        names.update(f"{meta.app_label}.{action}_{meta.model_name}" for action in meta.default_permissions)
        names.update(f"{meta.app_label}.{codename}" for codename, _ in meta.permissions)
    return frozenset(names)


class ModelPermissionBackend(ModelBackend):
    def get_user(self, user_id):
        """The signed-in person, with the facts every page asks about them read in the same query
        (``accounts.rules.load_with_the_person``)."""
        from .rules import keep_loaded_facts, with_loaded_facts

        try:
            user = with_loaded_facts(get_user_model()._default_manager.all()).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        keep_loaded_facts(user)
        return user

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if perm not in model_permission_names():
            return False
        return super().has_perm(user_obj, perm, obj)
