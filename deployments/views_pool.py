"""A teaching school's pool page: its SLEs with their specialisms and training (from designations)
and their deployments, with the share deployed within three months against the national target
(``pool``). It lives here, above designations, because what it shows is mostly deployments."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import ListView

from accounts.choices import Role
from designations.queries import pool_for, training_status

from . import pool


class PoolView(PermissionRequiredMixin, ListView):
    template_name = "deployments/pool.html"
    permission_required = "designations.view_pool"
    extra_context = {"active_nav": "pool"}
    context_object_name = "pools"

    def get_queryset(self) -> list[dict]:
        pools, today = [], timezone.localdate()
        for teaching_school in self.request.user.organisations_with_role(Role.TEACHING_SCHOOL_LEAD):
            members = list(pool_for(teaching_school))
            for designation in members:
                designation.training = training_status(designation)
            share = pool.summarise(members, today)
            pools.append({"teaching_school": teaching_school, "designations": members, "share": share})
        return pools
