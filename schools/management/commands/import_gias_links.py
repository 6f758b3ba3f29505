from schools.choices import ImportKind
from schools.importers.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Imports the GIAS links file (URN, LinkURN, LinkName, LinkType, LinkEstablishedDate): "
        "predecessor and successor establishments, created or updated on (URN, LinkURN, "
        "LinkType). Bad rows are reported with their row number (the header is row 1) and "
        "skipped; a file without the required columns is refused and nothing is written. "
        "Running the same file again changes nothing. The run is recorded as an import run."
    )
    kind = ImportKind.GIAS_LINKS
