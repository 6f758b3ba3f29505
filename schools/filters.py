"""One FilterSet per listable model, shared by the HTML list and the API."""

import django_filters
from django import forms
from django.db.models import Q

from .choices import Framework, Grade, Phase, SchoolStatus
from .geography import GridPoint, outward_code, place_postcode, within_distance
from .models import Judgement, LocalAuthority, School


def located_postcode(value: str) -> tuple[str, GridPoint | None]:
    """The postcode tidied, with where it is (None if blank); refuses one that is not real or
    whose area is not known."""
    value = " ".join(value.upper().split())
    if not value:
        return value, None
    if outward_code(value) is None:
        raise forms.ValidationError("Enter a real postcode, like NR1 3QU, or its first part, like NR1")
    point = place_postcode(value)
    if point is None:
        raise forms.ValidationError(f"We do not know where the postcode area {outward_code(value)} is")
    return value, point


class NearPostcodeForm(forms.Form):
    """Validates the ``near`` postcode and keeps where it is, so the filter does not look it up
    again: the same rule for the HTML lists and the API (400)."""

    near_point: GridPoint | None = None

    def clean_near(self) -> str:
        value, self.near_point = located_postcode(self.cleaned_data.get("near") or "")
        return value


class SchoolFilterForm(NearPostcodeForm):
    pass


class SchoolFilterSet(django_filters.FilterSet):
    # A choice of a column's values joins nothing, so no row can repeat: ``distinct=False`` spares the
    # list a SELECT DISTINCT over every column (and its count) at England's 50,000 establishments.
    q = django_filters.CharFilter(
        method="search", label="Name, URN, town or postcode",
    )
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices, label="Phase", distinct=False)
    status = django_filters.MultipleChoiceFilter(choices=SchoolStatus.choices, label="Status", distinct=False)
    include_closed = django_filters.BooleanFilter(
        method="filter_include_closed", label="Include closed establishments",
        help_text="Closed establishments are left out unless this is true or a status is chosen",
    )
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

    near = django_filters.CharFilter(
        method="filter_near", label="Near postcode",
        help_text="A full postcode or its first part, for example NR1 3QU or NR1",
    )
    within_km = django_filters.NumberFilter(
        method="filter_within", label="Within (km)", min_value=1, max_value=200,
        help_text="Used with a postcode; 10 km unless you say otherwise",
    )

    class Meta:
        model = School
        fields = ["q", "phase", "status", "include_closed", "local_authority", "type_name", "trust"]
        form = SchoolFilterForm

    DEFAULT_RADIUS_KM = 10

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            schools = super().qs
            self._qs = schools if self.includes_closed else schools.exclude(status=SchoolStatus.CLOSED)
        return super().qs

    @property
    def includes_closed(self) -> bool:
        """Closed establishments (half of GIAS) are listed only when asked for: by the option, or by
        choosing statuses, which then say exactly which are listed."""
        if not self.is_bound:
            return False
        cleaned = getattr(self.form, "cleaned_data", {})
        return bool(cleaned.get("include_closed") or cleaned.get("status"))

    def filter_include_closed(self, queryset, name, value):
        return queryset  # applied by qs, which also looks at the statuses chosen

    def filter_within(self, queryset, name, value):
        return queryset  # applied by filter_near, which needs the radius

    def filter_near(self, queryset, name, value):
        if not value:
            return queryset
        point = self.form.near_point or place_postcode(value)
        if point is None:
            return queryset.none()
        radius = int((self.form.cleaned_data.get("within_km") or self.DEFAULT_RADIUS_KM) * 1000)
        nearby = within_distance(queryset, point, radius, "easting", "northing")
        return nearby.order_by("distance_squared", "name")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(name__icontains=value) | Q(town__icontains=value) | Q(postcode__istartswith=value)
        )
        if value.isascii() and value.isdigit() and len(value) <= 9:
            condition |= Q(urn=int(value))
        return queryset.filter(condition)

    def filter_ofsted_grade(self, queryset, name, value):
        if not value:
            return queryset
        # The judgement as a subquery, so no school repeats and the list needs no DISTINCT.
        graded = Judgement.objects.filter(area="overall_effectiveness", grade__in=value)
        return queryset.filter(
            latest_inspection__framework=Framework.GRADED,
            latest_inspection__in=graded.values("inspection_id"),
        )

