"""Places and distances on the British National Grid: no online geocoding.

A postcode a user types is placed at the centroid of its outward code (the part before the
space); schools carry the Easting/Northing GIAS publishes. Distances are Euclidean in metres.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast

from .models import OutwardCode

# The outward code is the postcode minus its last three characters (the inward code).
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?$")


class GridPoint(NamedTuple):
    easting: int
    northing: int


def outward_code(postcode: str) -> str | None:
    """'nr1 3qu' -> 'NR1'; 'NR1' -> 'NR1'; anything that is not a UK postcode -> None."""
    match = _POSTCODE.match(" ".join(postcode.upper().split()))
    return match.group(1) if match else None


def place_postcode(postcode: str) -> GridPoint | None:
    code = outward_code(postcode)
    if code is None:
        return None
    area = OutwardCode.objects.filter(code=code).only("easting", "northing").first()
    return GridPoint(area.easting, area.northing) if area else None


def distance_metres(a: GridPoint, b: GridPoint) -> float:
    return math.hypot(a.easting - b.easting, a.northing - b.northing)


def squared_distance(point: GridPoint, easting_field: str, northing_field: str):
    """Square metres from ``point`` to the row's grid point, in 64-bit integers (distances across
    England squared overflow PostgreSQL's 32-bit integer)."""
    east = Cast(F(easting_field), BigIntegerField()) - point.easting
    north = Cast(F(northing_field), BigIntegerField()) - point.northing
    return east * east + north * north


def within_distance(queryset, point: GridPoint, radius_m: int, easting_field: str, northing_field: str):
    """Rows whose grid point lies within ``radius_m`` of ``point``, nearest first.

    A bounding box first (indexable), then the exact circle on squared distances; the queryset
    gains a ``distance_squared`` annotation (square metres).
    """
    return (
        queryset.filter(
            **{
                f"{easting_field}__range": (point.easting - radius_m, point.easting + radius_m),
                f"{northing_field}__range": (point.northing - radius_m, point.northing + radius_m),
            }
        )
        .annotate(distance_squared=squared_distance(point, easting_field, northing_field))
        .filter(distance_squared__lte=radius_m * radius_m)
    )
