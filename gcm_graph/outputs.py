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

from .csvout import programmes_csv
from .export.files import TRIG, TURTLE  # noqa: F401  (the dumps' names, for the modules that read dist/)
from .namespaces import DEFAULT_BASE
from .parallel import Background, can_fork
from .rdf.reference import countries_csv
from .store import STORE_DIR, build_store

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
                  validate: bool = True, timer=None, parallel: bool | None = None) -> list[str]:
    """Write every file of a build into ``folder`` (a fresh folder that replaces ``dist/`` on success).

    The dataset description (DCAT/VoID, its own named graph) is added first. Then two jobs run side by side (on
    two cores; one after the other where ``fork`` is not available or ``parallel`` is False): this process loads
    the store and, when ``validate``, checks it against the shapes; a forked child writes the dumps (CSV, Turtle,
    TriG and every export format). A validation failure stops the build (the child is stopped, ``folder`` is
    discarded by the caller). ``void.ttl``, which states every other file's size and checksum, is written last.
    ``timer`` (the build's stage timer) times ``store``, ``validate`` and ``export`` (the dumps' own time, whether
    or not it overlapped the others, is ``export:dumps`` in ``result.timings``)."""
    from . import export
    from .pipeline import check

    data = result.data
    with _stage(timer, "export", "describing the dataset"):
        export.describe(result, base, config)
    args = (folder, result, enrichments, base)
    fork = can_fork(parallel)
    # two children: the JSON-LD (Python-heavy) apart from the other dumps, so that whichever of the three jobs ends
    # first leaves its core to the others
    jobs = [Background(_write_dumps, (*args, False)), Background(_write_jsonld, (folder, result, base))] if fork \
        else []
    try:
        with _stage(timer, "store", "loading the store" + (" (dumps written alongside)" if jobs else "")):
            store = build_store(Path(folder) / STORE_DIR, data.quads())
        if validate:
            with _stage(timer, "validate", "validating against the shapes"):
                result.validation = check(store, result)
        del store
        with _stage(timer, "export", "writing dist/ (CSV, Turtle, TriG and every export format)"):
            names, timings = jobs[0].result() if jobs else _write_dumps(*args, True)
            if jobs:
                more, jsonld_timings = jobs[1].result()
                names += more
                timings.update(jsonld_timings)
                timings["export:dumps"] = max(timings["export:dumps"], jsonld_timings["export:jsonld"])
            result.timings.update(timings)
            result.files = [*names[:2], STORE_DIR + "/", *names[2:], export.write_void(folder, data, result, base)]
    finally:
        for job in jobs:
            job.stop()
    return result.files


def _write_jsonld(folder: Path, result, base: str) -> tuple[list, dict]:
    import time

    from . import export

    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    names = export.write_jsonld(folder, result.data, result, base, timings)
    timings["export:jsonld"] = time.perf_counter() - t0
    return names, timings


def _write_dumps(folder: Path, result, enrichments: dict, base: str, jsonld: bool = True) -> tuple[list, dict]:
    """Every file but the store and void.ttl (and the JSON-LD unless ``jsonld``); ``(names, timings)``."""
    import time

    from . import export

    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    files = {
        CSV: programmes_csv(result.reports, csv_links(enrichments), base),
        COUNTRIES: countries_csv({r.meta.country for r in result.reports}),
    }
    for name, blob in files.items():
        (Path(folder) / name).write_bytes(blob)
    names = export.write_dumps(folder, result.data, result, enrichments, base, jsonld, timings)
    timings["export:dumps"] = time.perf_counter() - t0
    return [*files, *names], timings
