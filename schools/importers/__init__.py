"""Importers for the files schools data is published in (GIAS, Ofsted).

``IMPORTERS`` maps an ImportKind to its importer class; ``schools.services.import_file`` is
the one way in.
"""

from ..choices import ImportKind
from .base import Importer, ImportRefused, ImportReport, RowError
from .gias import GiasImporter
from .links import GiasLinksImporter
from .ofsted import OfstedImporter

IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.GIAS: GiasImporter,
    ImportKind.GIAS_LINKS: GiasLinksImporter,
    ImportKind.OFSTED: OfstedImporter,
}

__all__ = ["IMPORTERS", "ImportRefused", "ImportReport", "Importer", "RowError"]
