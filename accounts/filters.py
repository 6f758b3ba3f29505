"""One FilterSet per listable model, shared by the HTML list and the API."""

import django_filters

from schools.models import LocalAuthority

from .choices import OrganisationKind
from .models import Organisation


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
