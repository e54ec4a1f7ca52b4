"""Settings of the HTTP server, with the limits that keep one client from taking it over."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GcmError
from ..namespaces import DEFAULT_BASE, prefixes


class ServerError(GcmError):
    """The server cannot start (bad setting, unreadable store, a query worker that does not come up)."""


def default_workers() -> int:
    """One query worker per CPU, at least 2 (so one slow query never blocks the others) and at most 8."""
    return max(2, min(8, os.cpu_count() or 1))


@dataclass(frozen=True)
class ServerConfig:
    """Everything the app needs besides the store.

    - ``base_url``: base of the identifiers in the data (the ``--base`` of ``gcm-graph build``). The server maps its
      own paths onto it: ``/id/…`` on this server answers for ``<base_url>id/…`` (second half of issue 6).
    - ``public_url``: where clients reach this server (``https://example.org/gcm/``), used to name the endpoint in
      the service description; None means "the URL the request came to".
    - ``query_timeout``: seconds from a request's arrival to its answer, waiting for a free worker included. Past it
      the worker running the query is killed and the client gets 503.
    - ``max_rows``: rows of a SELECT result, triples of a CONSTRUCT/DESCRIBE result. A larger result is refused
      with 503 and a message (never silently truncated); page with LIMIT/OFFSET or download the dumps.
    - ``max_result_bytes``: size of a serialised result (a single row can be huge: GROUP_CONCAT); same policy.
    - ``max_body_bytes``: request body (a POSTed query or form); larger is 413. ``max_url_bytes`` bounds the
      path and query string of a GET (414: POST long queries); ``max_header_bytes``/``max_headers`` the headers (431).
    - ``union_default_graph``: when a request names no dataset (no ``default-graph-uri``/``named-graph-uri``, no
      ``FROM``/``FROM NAMED``), the default graph is the union of all graphs of the store.
    - ``workers``: query worker processes. ``worker_memory_mb`` caps each one's address space (RLIMIT_AS, Linux;
      None: no cap): a query that needs more (a huge GROUP_CONCAT or hash join) ends its worker, the client gets
      503 and the worker is replaced. An idle worker uses ~40 MB (in-memory copy of a small store) or ~370 MB of
      address space (on-disk store, mostly RocksDB reservations); raise the cap for a large on-disk store.
    - ``worker_store``: ``"memory"`` (default) gives each worker its own in-memory copy of the store, loaded at
      start-up from a one-off N-Quads dump; ``"shared"`` makes workers of an on-disk store open it with
      ``Store.read_only`` instead. Measured on a 16k-triple graph: a typical analyst query took 1.6 ms in memory
      and 5.4 ms through a read-only RocksDB store, and an in-memory copy costs ~0.45 KB per triple per worker, so
      memory wins for a graph of our size; choose ``"shared"`` for a store too big to copy per worker.
    - ``use_project_prefixes``: queries may use the project's prefixes (``gcm:``, ``skos:``…) without declaring them.
    - ``cors_origins``: origins allowed to call the API from a browser (``*``: anyone, no credentials).
    - ``dumps_dir``: folder served read-only under ``/dumps/`` (None: nothing is served there).
    - ``sources_dir``: where programme pages look for the source documents to quote their lines (besides the
      project's ``data/source/``); a document is quoted only if its SHA-256 is the one the graph records.
    """

    base_url: str = DEFAULT_BASE
    public_url: str | None = None
    query_timeout: float = 10.0
    max_rows: int = 100_000
    max_result_bytes: int = 256 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024
    max_url_bytes: int = 64 * 1024
    max_header_bytes: int = 32 * 1024
    max_headers: int = 100
    union_default_graph: bool = True
    workers: int = field(default_factory=default_workers)
    worker_memory_mb: int | None = 2048
    worker_startup_timeout: float = 120.0
    worker_store: str = "memory"
    use_project_prefixes: bool = True
    cors_origins: tuple[str, ...] = ("*",)
    dumps_dir: Path | None = None
    sources_dir: Path | None = None

    def __post_init__(self) -> None:
        problems = []
        if not (self.query_timeout > 0):
            problems.append("query_timeout must be positive")
        for name in ("max_rows", "max_result_bytes", "max_body_bytes", "max_url_bytes", "max_header_bytes",
                     "max_headers", "workers"):
            if int(getattr(self, name)) < 1:
                problems.append(f"{name} must be at least 1")
        if not self.base_url.endswith(("/", "#")):
            problems.append(f"base_url must end with '/' or '#': {self.base_url!r}")
        if self.worker_store not in ("memory", "shared"):
            problems.append(f"worker_store must be 'memory' or 'shared': {self.worker_store!r}")
        if self.public_url is not None and not self.public_url.startswith(("http://", "https://")):
            problems.append(f"public_url must be an http(s) URL: {self.public_url!r}")
        if problems:
            raise ServerError("; ".join(problems))

    @property
    def query_prefixes(self) -> dict[str, str]:
        """Prefixes every query may use undeclared (empty when ``use_project_prefixes`` is off)."""
        return prefixes(self.base_url) if self.use_project_prefixes else {}

    def graph_iri(self, name: str) -> str:
        """IRI of one of our named graphs (``ontology``, ``mx-2020``, ``inferred``…)."""
        return f"{self.base_url}graph/{name}"
