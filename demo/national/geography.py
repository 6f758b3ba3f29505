"""England's 152 local authorities (GIAS codes, before the 2019-23 reorganisations) in the nine
regions, and the outward codes of the public outcodes file placed in them."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from schools.choices import Region
from schools.management.commands.load_outcodes import DEFAULT_OUTCODES_FILE

# (code, name, region). The outcodes file names an area by the authority's name, except London's
# boroughs (one "Greater London" area, placed by LONDON_BOROUGH_CENTRES) and Manchester ("Greater
# Manchester").
AUTHORITIES: tuple[tuple[str, str, Region], ...] = (
    *(
        (code, name, Region.LONDON)
        for code, name in (
            ("201", "City of London"),
            ("202", "Camden"),
            ("203", "Greenwich"),
            ("204", "Hackney"),
            ("205", "Hammersmith and Fulham"),
            ("206", "Islington"),
            ("207", "Kensington and Chelsea"),
            ("208", "Lambeth"),
            ("209", "Lewisham"),
            ("210", "Southwark"),
            ("211", "Tower Hamlets"),
            ("212", "Wandsworth"),
            ("213", "Westminster"),
            ("301", "Barking and Dagenham"),
            ("302", "Barnet"),
            ("303", "Bexley"),
            ("304", "Brent"),
            ("305", "Bromley"),
            ("306", "Croydon"),
            ("307", "Ealing"),
            ("308", "Enfield"),
            ("309", "Haringey"),
            ("310", "Harrow"),
            ("311", "Havering"),
            ("312", "Hillingdon"),
            ("313", "Hounslow"),
            ("314", "Kingston upon Thames"),
            ("315", "Merton"),
            ("316", "Newham"),
            ("317", "Redbridge"),
            ("318", "Richmond upon Thames"),
            ("319", "Sutton"),
            ("320", "Waltham Forest"),
        )
    ),
    *(
        (code, name, Region.NORTH_EAST)
        for code, name in (
            ("390", "Gateshead"),
            ("391", "Newcastle upon Tyne"),
            ("392", "North Tyneside"),
            ("393", "South Tyneside"),
            ("394", "Sunderland"),
            ("805", "Hartlepool"),
            ("806", "Middlesbrough"),
            ("807", "Redcar and Cleveland"),
            ("808", "Stockton-on-Tees"),
            ("840", "County Durham"),
            ("841", "Darlington"),
            ("929", "Northumberland"),
        )
    ),
    *(
        (code, name, Region.NORTH_WEST)
        for code, name in (
            ("350", "Bolton"),
            ("351", "Bury"),
            ("352", "Manchester"),
            ("353", "Oldham"),
            ("354", "Rochdale"),
            ("355", "Salford"),
            ("356", "Stockport"),
            ("357", "Tameside"),
            ("358", "Trafford"),
            ("359", "Wigan"),
            ("340", "Knowsley"),
            ("341", "Liverpool"),
            ("342", "St Helens"),
            ("343", "Sefton"),
            ("344", "Wirral"),
            ("876", "Halton"),
            ("877", "Warrington"),
            ("888", "Lancashire"),
            ("889", "Blackburn with Darwen"),
            ("890", "Blackpool"),
            ("895", "Cheshire East"),
            ("896", "Cheshire West and Chester"),
            ("909", "Cumbria"),
        )
    ),
    *(
        (code, name, Region.YORKSHIRE)
        for code, name in (
            ("370", "Barnsley"),
            ("371", "Doncaster"),
            ("372", "Rotherham"),
            ("373", "Sheffield"),
            ("380", "Bradford"),
            ("381", "Calderdale"),
            ("382", "Kirklees"),
            ("383", "Leeds"),
            ("384", "Wakefield"),
            ("810", "Kingston upon Hull, City of"),
            ("811", "East Riding of Yorkshire"),
            ("812", "North East Lincolnshire"),
            ("813", "North Lincolnshire"),
            ("815", "North Yorkshire"),
            ("816", "York"),
        )
    ),
    *(
        (code, name, Region.EAST_MIDLANDS)
        for code, name in (
            ("830", "Derbyshire"),
            ("831", "Derby"),
            ("855", "Leicestershire"),
            ("856", "Leicester"),
            ("857", "Rutland"),
            ("891", "Nottinghamshire"),
            ("892", "Nottingham"),
            ("925", "Lincolnshire"),
            ("928", "Northamptonshire"),
        )
    ),
    *(
        (code, name, Region.WEST_MIDLANDS)
        for code, name in (
            ("330", "Birmingham"),
            ("331", "Coventry"),
            ("332", "Dudley"),
            ("333", "Sandwell"),
            ("334", "Solihull"),
            ("335", "Walsall"),
            ("336", "Wolverhampton"),
            ("860", "Staffordshire"),
            ("861", "Stoke-on-Trent"),
            ("884", "Herefordshire"),
            ("885", "Worcestershire"),
            ("893", "Shropshire"),
            ("894", "Telford and Wrekin"),
            ("937", "Warwickshire"),
        )
    ),
    *(
        (code, name, Region.EAST_OF_ENGLAND)
        for code, name in (
            ("821", "Luton"),
            ("822", "Bedford"),
            ("823", "Central Bedfordshire"),
            ("873", "Cambridgeshire"),
            ("874", "Peterborough"),
            ("881", "Essex"),
            ("882", "Southend-on-Sea"),
            ("883", "Thurrock"),
            ("919", "Hertfordshire"),
            ("926", "Norfolk"),
            ("935", "Suffolk"),
        )
    ),
    *(
        (code, name, Region.SOUTH_EAST)
        for code, name in (
            ("825", "Buckinghamshire"),
            ("826", "Milton Keynes"),
            ("845", "East Sussex"),
            ("846", "Brighton and Hove"),
            ("850", "Hampshire"),
            ("851", "Portsmouth"),
            ("852", "Southampton"),
            ("867", "Bracknell Forest"),
            ("868", "Windsor and Maidenhead"),
            ("869", "West Berkshire"),
            ("870", "Reading"),
            ("871", "Slough"),
            ("872", "Wokingham"),
            ("886", "Kent"),
            ("887", "Medway"),
            ("921", "Isle of Wight"),
            ("931", "Oxfordshire"),
            ("936", "Surrey"),
            ("938", "West Sussex"),
        )
    ),
    *(
        (code, name, Region.SOUTH_WEST)
        for code, name in (
            ("420", "Isles of Scilly"),
            ("800", "Bath and North East Somerset"),
            ("801", "Bristol, City of"),
            ("802", "North Somerset"),
            ("803", "South Gloucestershire"),
            ("835", "Dorset"),
            ("836", "Poole"),
            ("837", "Bournemouth"),
            ("865", "Wiltshire"),
            ("866", "Swindon"),
            ("878", "Devon"),
            ("879", "Plymouth"),
            ("880", "Torbay"),
            ("908", "Cornwall"),
            ("916", "Gloucestershire"),
            ("933", "Somerset"),
        )
    ),
)

# The outcodes file's area names that differ from the authority's.
AREA_NAMES = {
    "Greater Manchester": "Manchester",
    "Newcastle Upon Tyne": "Newcastle upon Tyne",
    "City of Kingston-upon-Hull": "Kingston upon Hull, City of",
    "City of Bristol": "Bristol, City of",
    "Bedford Borough": "Bedford",
}
GREATER_LONDON = "Greater London"
# Rough centres of the London boroughs the file does not name (British National Grid, metres).
LONDON_BOROUGH_CENTRES = {
    "Camden": (528500, 184500),
    "Greenwich": (541500, 177000),
    "Hackney": (534500, 185500),
    "Hammersmith and Fulham": (523500, 178500),
    "Islington": (531000, 185000),
    "Kensington and Chelsea": (526000, 179500),
    "Lambeth": (530500, 175500),
    "Lewisham": (537500, 173500),
    "Southwark": (533500, 176000),
    "Tower Hamlets": (536000, 181500),
    "Wandsworth": (526000, 174500),
    "Barking and Dagenham": (547500, 185000),
    "Barnet": (524000, 192500),
    "Bexley": (549000, 175000),
    "Brent": (520000, 185500),
    "Bromley": (541500, 166500),
    "Croydon": (533000, 163500),
    "Ealing": (516500, 181000),
    "Enfield": (533000, 197000),
    "Haringey": (531500, 189500),
    "Harrow": (515000, 189000),
    "Havering": (554500, 187500),
    "Hillingdon": (508000, 183500),
    "Hounslow": (512500, 175500),
    "Kingston upon Thames": (519000, 167500),
    "Merton": (525500, 169500),
    "Newham": (541000, 183000),
    "Redbridge": (543500, 188500),
    "Richmond upon Thames": (517500, 172500),
    "Sutton": (526500, 163500),
    "Waltham Forest": (537500, 189500),
}


@dataclass(frozen=True)
class Place:
    """An English outward code and the authority (by GIAS code) it lies in."""

    outcode: str
    authority_code: str
    easting: int
    northing: int
    town: str


def _nearest_borough(easting: int, northing: int) -> str:
    return min(
        LONDON_BOROUGH_CENTRES,
        key=lambda name: math.hypot(
            easting - LONDON_BOROUGH_CENTRES[name][0], northing - LONDON_BOROUGH_CENTRES[name][1]
        ),
    )


def english_places(path: Path = DEFAULT_OUTCODES_FILE) -> dict[str, Place]:
    """Every English outward code of the file with its authority, by outward code."""
    code_by_name = {name: code for code, name, _ in AUTHORITIES}
    places = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["country"] != "ENG" or row["uk_region"] == "Wales":
                continue
            easting, northing = int(float(row["eastings"])), int(float(row["northings"]))
            area = AREA_NAMES.get(row["region"], row["region"])
            if area == GREATER_LONDON:
                area = _nearest_borough(easting, northing)
            if area in code_by_name:
                places[row["postcode"]] = Place(
                    row["postcode"], code_by_name[area], easting, northing, row["town"]
                )
    return places
