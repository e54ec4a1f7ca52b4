"""The Python API: the same functions the CLI calls.

>>> from gcm_graph import api
>>> result = api.query("objective-coverage", {"lang": "es"})      # doctest: +SKIP
>>> result.as_dicts()[0]["programmes"]                              # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from . import paths
from .queries import CannedQuery, bind, by_name, load_all, render
from .store import OxigraphEngine, QueryResult, RdflibEngine, embedded


def list_queries() -> list[CannedQuery]:
    return load_all()


def engine_for(dist: Path = paths.DEFAULT_DIST, engine: str = "pyoxigraph", endpoint: str | None = None):
    if endpoint:
        from .remote import RemoteEngine

        return RemoteEngine(endpoint)
    if engine == "rdflib":
        return RdflibEngine.from_dist(dist)
    return embedded(dist)


def prepare(name: str, params: dict[str, str] | None = None) -> str:
    """The query text with its parameters bound, ready for any engine."""
    q = by_name(name)
    return render(q, bind(q, dict(params or {})))


def query(name: str, params: dict[str, str] | None = None, dist: Path = paths.DEFAULT_DIST,
          engine: str = "pyoxigraph", endpoint: str | None = None, runner=None) -> QueryResult:
    """Run the canned query ``name`` with ``params`` (strings, checked against their declared types)."""
    from .rdf.reference import add_countries

    add_countries(Path(dist) / "countries.csv")  # the build's countries are valid values of ``country``
    text = prepare(name, params)
    return (runner or engine_for(dist, engine, endpoint)).run(text)


def sparql(text: str, dist: Path = paths.DEFAULT_DIST, engine: str = "pyoxigraph", endpoint: str | None = None,
           runner=None) -> QueryResult:
    """Run any SPARQL query (read-only) against the build, or a remote endpoint."""
    return (runner or engine_for(dist, engine, endpoint)).run(text)


__all__ = ["OxigraphEngine", "RdflibEngine", "list_queries", "prepare", "query", "sparql"]
