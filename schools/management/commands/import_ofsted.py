from schools.choices import ImportKind
from schools.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Imports Ofsted's state-funded schools inspections and outcomes file (CSV, Windows-1252, "
        "dates dd/mm/yyyy), in either layout: graded (latest and previous graded inspections, "
        "latest ungraded inspection) or report card (grades per evaluation area, plus the latest "
        "graded inspection under the previous framework where the file has it). Inspections are "
        "created or updated per school, framework and start date, and each school's latest "
        "inspection is brought up to date. Schools must already be imported from GIAS: rows for "
        "unknown URNs are rejected. Bad rows are reported with their row number (the header is "
        "row 1); a file in neither layout is refused and nothing is written. The run is recorded "
        "as an import run."
    )
    kind = ImportKind.OFSTED
