"""The HTTP server: a read-only SPARQL 1.1 Protocol endpoint over the embedded pyoxigraph store, and the
published dumps.

    from gcm_graph.server import ServerConfig, create_app, serve
    serve("dist/store", port=8000)                      # blocking, what `gcm-graph serve` runs
    app = create_app(store, ServerConfig(query_timeout=5))   # an ASGI app, for uvicorn or tests

Routes: ``/sparql`` (:mod:`.sparql`), ``/dumps/…`` (:mod:`.dumps`). Route modules are listed in
:data:`gcm_graph.server.app.ROUTE_MODULES`.

Choices (see the modules for details):

- Queries run in worker processes (:mod:`.worker`, :mod:`.pool`), never in the server process: a query past its
  time limit (default 10 s, counted from the request's arrival) is stopped by killing its worker, and the client
  gets 503. pyoxigraph 0.5 has no way to interrupt an evaluation (a COUNT over a cross join runs entirely inside
  one ``Store.query`` call). It does release the GIL while it evaluates (measured: a Python thread spinning
  beside a 0.97 s query kept its full speed; two threads ran two such queries in 0.96 s on 2 CPUs), so threads
  would give parallelism, but no way to stop a runaway query. Measured with a 1 s limit: the 503 arrives 7 ms
  (median, 29 ms max) after the limit, the replacement worker is ready ~80 ms later, and quick queries sent
  during a runaway query were answered in 0.9 ms median (15.6 ms max) by the other worker.
- Results larger than ``max_rows`` (rows or triples) or ``max_result_bytes`` are refused with 503 and a message,
  never truncated: a silently cut result gives wrong counts to an analyst.
- The default graph is the union of all graphs unless the request or the query names a dataset.
- Updates are refused with 403; so is anything that could be a ``SERVICE`` call (:mod:`.guard`), since
  pyoxigraph would otherwise fetch the remote endpoint. ``LOAD`` is an update. No other query feature reads files
  or the network (``FROM <iri>`` only selects a graph of the store).
- Malformed queries get 400 with the parser's message; oversize bodies 413; unknown ``format=`` 406.

This package imports the web stack lazily, so the worker processes (``python -m gcm_graph.server.worker``) start
without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .config import ServerConfig, ServerError
    from .run import serve

__all__ = ["ServerConfig", "ServerError", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    if name in ("ServerConfig", "ServerError"):
        from . import config

        return getattr(config, name)
    if name == "serve":
        from .run import serve

        return serve
    raise AttributeError(name)
