"""What the term-date pages read."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from schools.models import LocalAuthority

from .models import SchoolYear, TermPeriod


def school_years() -> QuerySet[SchoolYear]:
    """The school years, newest first, each with how many national periods it has."""
    national = Count("periods", filter=Q(periods__local_authority__isnull=True))
    return SchoolYear.objects.annotate(national_periods=national).order_by("-starts_in")


def authorities_with_own_flag(school_year: SchoolYear, authorities: QuerySet[LocalAuthority]):
    """The authorities, each with ``has_own`` (its own term dates for the year)."""
    own = TermPeriod.objects.filter(school_year=school_year, local_authority=OuterRef("pk"))
    return authorities.annotate(has_own=Exists(own)).order_by("name")


def authorities_with_own_dates(school_year: SchoolYear) -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.filter(term_periods__school_year=school_year).distinct().order_by("name")
