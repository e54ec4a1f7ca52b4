"""What a build writes into ``dist/``: CSV, the asserted graph as Turtle, the named graphs as TriG, and the
embedded store. All deterministic: the same input gives byte-identical files."""

from __future__ import annotations

from pathlib import Path

from .csvout import programmes_csv
from .namespaces import DEFAULT_BASE
from .store import STORE_DIR, build_store

TURTLE = "gcm-graph.ttl"
TRIG = "gcm-graph.trig"
CSV = "programmes.csv"


def csv_links(enrichments: dict) -> dict:
    """``{(report, key): {"partners": […], "populations": […]}}`` for programmes.csv, from the enrich stage."""
    if not enrichments:
        return {}
    try:
        from .enrich import csv_links as links
    except ImportError:
        return {}
    out: dict = {}
    for enriched in enrichments.values():
        out.update(links(enriched))
    return out


def write_outputs(folder: Path, result, enrichments: dict, base: str = DEFAULT_BASE) -> list[str]:
    from .rdf.dataset import assemble, merged
    from .pipeline import GRAPH_INFERRED

    files = []
    (folder / CSV).write_bytes(programmes_csv(result.reports, csv_links(enrichments), base))
    files.append(CSV)
    asserted = [g for name, g in result.graphs.items() if name != GRAPH_INFERRED]
    (folder / TURTLE).write_bytes(merged(asserted, base).serialize(format="turtle", encoding="utf-8"))
    files.append(TURTLE)
    dataset = assemble(result.graphs, base)
    (folder / TRIG).write_bytes(dataset.serialize(format="trig", encoding="utf-8"))
    files.append(TRIG)
    build_store(folder / STORE_DIR, dataset.serialize(format="nquads", encoding="utf-8"))
    files.append(STORE_DIR + "/")
    return files
