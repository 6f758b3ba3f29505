"""One FilterSet per listable model, shared by the HTML list and the API."""

import django_filters
from django.db.models import Q

from .choices import Framework, Grade, Phase, SchoolStatus
from .models import LocalAuthority, School


class SchoolFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Name, URN, town or postcode",
    )
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices, label="Phase")
    status = django_filters.MultipleChoiceFilter(choices=SchoolStatus.choices, label="Status")
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), field_name="local_authority",
        to_field_name="code", label="Local authority",
    )
    type_name = django_filters.CharFilter(
        field_name="type_name", lookup_expr="iexact", label="Type of establishment"
    )
    trust = django_filters.CharFilter(field_name="trust__code", label="Trust UID")
    ofsted_grade = django_filters.MultipleChoiceFilter(
        choices=[(g.value, g.label) for g in (
            Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE
        )],
        method="filter_ofsted_grade", label="Ofsted overall effectiveness",
    )
    framework = django_filters.ChoiceFilter(
        choices=Framework.choices, field_name="latest_inspection__framework",
        label="Latest inspection framework",
    )

    class Meta:
        model = School
        fields = ["q", "phase", "status", "local_authority", "type_name", "trust"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(name__icontains=value) | Q(town__icontains=value) | Q(postcode__istartswith=value)
        )
        if value.isdigit():
            condition |= Q(urn=int(value))
        return queryset.filter(condition)

    def filter_ofsted_grade(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            latest_inspection__framework=Framework.GRADED,
            latest_inspection__judgements__area="overall_effectiveness",
            latest_inspection__judgements__grade__in=value,
        ).distinct()
