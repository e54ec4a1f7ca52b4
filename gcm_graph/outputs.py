"""What a build writes into ``dist/``: CSV, the asserted graph as Turtle, the named graphs as TriG, and the
embedded store. All deterministic: the same input gives byte-identical files (the store's own database files
excepted; its content is the TriG's)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .csvout import programmes_csv
from .namespaces import DEFAULT_BASE
from .rdf.reference import countries_csv
from .store import STORE_DIR, build_store

TURTLE = "gcm-graph.ttl"
TRIG = "gcm-graph.trig"
CSV = "programmes.csv"
COUNTRIES = "countries.csv"  # the countries the build contains (queries accept them as the country parameter)


def csv_links(enrichments: dict) -> dict:
    """``{(report, key): {"partners": […], "populations": […]}}`` for programmes.csv, from the enrich stage."""
    if not enrichments:
        return {}
    from .enrich import csv_links as links

    return links(enrichments.values())


def write_outputs(folder: Path, result, enrichments: dict, base: str = DEFAULT_BASE, asserted=None,
                  config=None) -> list[str]:
    """Write every file; ``asserted`` are the asserted graphs' quads when the caller has them already.

    The dataset description (DCAT/VoID, its own named graph) is added before any dump, and the export formats and
    ``void.ttl`` (which states every other file's size and checksum) are written last."""
    from . import export
    from .pipeline import GRAPH_INFERRED
    from .rdf.quads import as_triples, serialize, sort_key, to_quads

    if asserted is None:
        asserted = to_quads({k: g for k, g in result.graphs.items() if k != GRAPH_INFERRED}, base)
    asserted = export.describe(result, asserted, base, config)
    quads = sorted([*asserted, *to_quads({GRAPH_INFERRED: result.graphs[GRAPH_INFERRED]}, base)], key=sort_key)
    files = {
        CSV: programmes_csv(result.reports, csv_links(enrichments), base),
        TURTLE: serialize(as_triples(asserted), ox.RdfFormat.TURTLE, base),
        TRIG: serialize(quads, ox.RdfFormat.TRIG, base),
        COUNTRIES: countries_csv({r.meta.country for r in result.reports}),
    }
    for name, data in files.items():
        (Path(folder) / name).write_bytes(data)
    build_store(Path(folder) / STORE_DIR, quads)
    return [*files, STORE_DIR + "/", *export.write_all(folder, quads, result, enrichments, base, config)]
