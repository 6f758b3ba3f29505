from schools.choices import ImportKind
from schools.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Imports a Get Information About Schools establishment extract (CSV, one row per "
        "establishment, Windows-1252 or UTF-8) as published: creates or updates schools by URN, "
        "and the local authorities, trusts and dioceses they name; an older extract with "
        "'OfstedRating (name)' also records each school's latest graded inspection. Unknown "
        "columns are ignored. Bad rows are reported with their row number (the header is row 1) "
        "and skipped; a file without the required columns is refused and nothing is written. "
        "Running the same file again changes nothing. The run is recorded as an import run."
    )
    kind = ImportKind.GIAS
