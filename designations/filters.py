"""One FilterSet per listable model, shared by the HTML pages and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from apiformat.filters import CheckedDatesFilterSet
from schools.choices import Phase
from schools.filters import NearPostcodeForm
from schools.geography import GridPoint, place_postcode, within_distance
from schools.models import LocalAuthority, School

from .choices import DesignationStatus
from .models import ApplicationRound, Designation, DesignationType, Specialism
from .queries import open_on

DEFAULT_RADIUS_KM = 10


def school_point(urn: int) -> GridPoint | None:
    school = School.objects.filter(urn=urn).only("easting", "northing").first()
    if school is None or school.easting is None or school.northing is None:
        return None
    return GridPoint(school.easting, school.northing)


class DesignationFilterForm(NearPostcodeForm):
    """Validates places the same way for the directory page and the API (400), keeping where they
    are for the filters."""

    near_school_point: GridPoint | None = None

    def clean_near_school(self) -> int | None:
        urn = self.cleaned_data.get("near_school")
        if urn is None:
            return None
        school = School.objects.filter(urn=urn).only("easting", "northing").first()
        if school is None:
            raise forms.ValidationError(f"There is no school with URN {urn}")
        if school.easting is None or school.northing is None:
            raise forms.ValidationError(f"We do not know where the school with URN {urn} is")
        self.near_school_point = GridPoint(school.easting, school.northing)
        return urn

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("near") and cleaned.get("near_school"):
            self.add_error("near_school", "Search near a postcode or near a school, not both")
        return cleaned


class DesignationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Leader name, school name or URN")
    designation_type = django_filters.ModelChoiceFilter(
        queryset=DesignationType.objects.all(), to_field_name="code", label="Type",
        empty_label="All types",
    )
    specialism = django_filters.ModelMultipleChoiceFilter(
        queryset=Specialism.objects.all(), field_name="specialisms", to_field_name="slug",
        method="filter_specialisms", label="Specialism",
    )
    phase = django_filters.MultipleChoiceFilter(
        choices=Phase.choices, field_name="school__phase", label="School phase", distinct=False
    )
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), field_name="school__local_authority",
        to_field_name="code", label="Local authority", empty_label="All local authorities",
    )
    status = django_filters.MultipleChoiceFilter(
        choices=DesignationStatus.choices, label="Status", distinct=False
    )
    near = django_filters.CharFilter(
        method="filter_near", label="Near postcode",
        help_text="A full postcode or its first part, for example NR1 3QU or NR1",
    )
    near_school = django_filters.NumberFilter(
        method="filter_near_school", label="Near school (URN)", min_value=1,
        help_text="The URN of the school to measure from",
    )
    within_km = django_filters.NumberFilter(
        method="filter_within", label="Within (km)", min_value=1, max_value=200,
        help_text="Used with a postcode or a school; 10 km unless you say otherwise",
    )

    class Meta:
        model = Designation
        fields = ["q", "designation_type", "specialism", "phase", "local_authority", "status"]
        form = DesignationFilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(holder__full_name__icontains=value) | Q(school__name__icontains=value)
        if value.isascii() and value.isdigit() and len(value) <= 9:
            condition |= Q(school__urn=int(value))
        return queryset.filter(condition)

    def filter_specialisms(self, queryset, name, value):
        # Any of the chosen specialisms, as a subquery: a join would repeat a designation with several
        # and need a DISTINCT over every column, which PostgreSQL sorts the whole directory for.
        if not value:
            return queryset
        chosen = Designation.specialisms.through.objects.filter(specialism__in=value)
        return queryset.filter(pk__in=chosen.values("designation_id"))

    def filter_within(self, queryset, name, value):
        return queryset  # applied by filter_near and filter_near_school, which need the radius

    def filter_near(self, queryset, name, value):
        if not value:
            return queryset
        return self._within_radius_of(queryset, self.form.near_point or place_postcode(value))

    def filter_near_school(self, queryset, name, value):
        if value is None:
            return queryset
        return self._within_radius_of(queryset, self.form.near_school_point or school_point(int(value)))

    def _within_radius_of(self, queryset, point: GridPoint | None):
        if point is None:
            return queryset.none()
        radius = int((self.form.cleaned_data.get("within_km") or DEFAULT_RADIUS_KM) * 1000)
        nearby = within_distance(queryset, point, radius, "school__easting", "school__northing")
        return nearby.order_by("distance_squared", "holder__full_name")


class ApplicationRoundFilterSet(CheckedDatesFilterSet):
    designation_type = django_filters.ModelChoiceFilter(
        queryset=DesignationType.objects.all(), to_field_name="code", label="Type",
        empty_label="All types",
    )
    open = django_filters.BooleanFilter(
        method="filter_open", label="Open today",
        help_text="true for rounds taking applications today, false for the others",
    )
    open_on = django_filters.DateFilter(
        method="filter_open_on", label="Open on", help_text="A date, for example 2026-09-01",
    )
    local_authority = django_filters.ModelChoiceFilter(
        queryset=LocalAuthority.objects.all(), to_field_name="code", label="Local authority",
        empty_label="All local authorities",
    )

    class Meta:
        model = ApplicationRound
        fields = ["designation_type", "open", "open_on", "local_authority"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        today = open_on(timezone.localdate())
        return queryset.filter(today) if value else queryset.exclude(today)

    def filter_open_on(self, queryset, name, value):
        return queryset.filter(open_on(value)) if value else queryset
