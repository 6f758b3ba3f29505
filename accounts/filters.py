"""One FilterSet per listable model, shared by the HTML list and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from schools.models import LocalAuthority

from .choices import OrganisationKind
from .models import ApiToken, Organisation


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label="Kind", distinct=False)
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), field_name="local_authority",
        to_field_name="code", label="Local authority",
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "local_authority"]


class ApiTokenFilterSet(django_filters.FilterSet):
    """The API tokens list: by name or key prefix, organisation and status. The view narrows
    ``organisation``'s choices to the organisations whose tokens the person sees."""

    STATUS_CHOICES = (("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked"))

    q = django_filters.CharFilter(method="search", label="Name or key prefix")
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label="Organisation", empty_label="Any organisation"
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="with_status", label="Status", empty_label="Any status"
    )

    class Meta:
        model = ApiToken
        fields = ["q", "organisation", "status"]

    def search(self, queryset: QuerySet[ApiToken], name: str, value: str) -> QuerySet[ApiToken]:
        value = " ".join(value.split())
        return queryset.filter(Q(name__icontains=value) | Q(prefix=value)) if value else queryset

    def with_status(self, queryset: QuerySet[ApiToken], name: str, value: str) -> QuerySet[ApiToken]:
        now = timezone.now()
        unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        return {
            "active": queryset.filter(unexpired, revoked_at__isnull=True),
            "expired": queryset.filter(revoked_at__isnull=True, expires_at__lte=now),
            "revoked": queryset.filter(revoked_at__isnull=False),
        }.get(value, queryset)
