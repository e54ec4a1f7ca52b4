"""Settings of the export: where the build is served, who publishes it, its licence, the time it states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .vocab import CC_BY_4


@dataclass(frozen=True)
class ExportConfig:
    """``public_url`` is where ``dist/`` is served by ``gcm-graph serve`` (or another server with the same layout):
    the SPARQL endpoint is ``<public_url>sparql`` and every file ``<public_url>dumps/<file>``. It defaults to the
    IRI base, where w3id.org redirects.

    ``build_time`` is the time the description gives the build (``prov:endedAtTime``). It defaults to the
    publication date of the latest report, taken from its metadata file, never the clock: the same input gives
    byte-identical output. A release process may set it (e.g. from ``SOURCE_DATE_EPOCH``)."""

    public_url: str | None = None
    publisher_name: str = "gcm-graph contributors"
    publisher_url: str | None = None
    licence: str = str(CC_BY_4)
    licence_label: str = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    build_time: datetime | None = None
    validate: bool = True  # check the description against shapes/ before anything is written

    def served_at(self, base: str) -> str:
        url = self.public_url or base
        return url if url.endswith("/") else url + "/"
