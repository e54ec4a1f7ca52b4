"""What a build writes into ``dist/``: the embedded store, then (once it validates) CSV, the asserted graph as
Turtle, the named graphs as TriG, and the export formats. All deterministic: the same input gives byte-identical
files (the store's own database files excepted; its content is the TriG's).

Everything is written from :class:`gcm_graph.rdf.lines.GraphLines` (each named graph as sorted triple lines):
pyoxigraph's Rust parser and serialisers stream them into each format, so no whole-graph object is built in
Python, whatever the number of reports.
"""

from __future__ import annotations

from contextlib import nullcontext
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


def _stage(timer, name: str, message: str | None = None):
    return timer(name, message) if timer is not None else nullcontext()


def write_outputs(folder: Path, result, enrichments: dict, base: str = DEFAULT_BASE, config=None,
                  validate: bool = True, timer=None) -> list[str]:
    """Write every file of a build into ``folder`` (a fresh folder that replaces ``dist/`` on success).

    The dataset description (DCAT/VoID, its own named graph) is added first; the store is loaded next and, when
    ``validate``, checked against the shapes (:class:`gcm_graph.pipeline.ValidationFailed` stops the build before
    any dump is written); the export formats and ``void.ttl`` (which states every other file's size and
    checksum) are written last. ``timer`` (the build's stage timer) times ``store``, ``validate`` and ``export``."""
    from . import export
    from .pipeline import check
    from .rdf.lines import ntriples
    from .rdf.quads import serialize

    data = result.data
    with _stage(timer, "export", "describing the dataset"):
        export.describe(result, base, config)
        everything = data.nquads()
    with _stage(timer, "store", "loading the store"):
        store = build_store(Path(folder) / STORE_DIR, everything)
    if validate:
        with _stage(timer, "validate", "validating against the shapes"):
            result.validation = check(store)
    del store
    with _stage(timer, "export", "writing dist/ (CSV, Turtle, TriG and every export format)"):
        asserted = data.union(exclude=(export.GRAPH_INFERRED,))
        files = {
            CSV: programmes_csv(result.reports, csv_links(enrichments), base),
            TURTLE: serialize(ox.parse(ntriples(asserted), format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE,
                              base),
            TRIG: serialize(ox.parse(everything, format=ox.RdfFormat.N_QUADS), ox.RdfFormat.TRIG, base),
            COUNTRIES: countries_csv({r.meta.country for r in result.reports}),
        }
        for name, blob in files.items():
            (Path(folder) / name).write_bytes(blob)
        result.files = [*files, STORE_DIR + "/",
                        *export.write_all(folder, data, result, enrichments, base, config,
                                          asserted=asserted, everything=everything)]
    return result.files
