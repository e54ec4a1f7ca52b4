"""What every route module shares: the settings, the parent's read-only store handle, and :meth:`ServerContext.query`,
the one way to run SPARQL from a route (the endpoint, and later canned queries and ``/id/…`` pages).

``query`` applies the policy in one place: updates refused (403), anything that could be a ``SERVICE`` call
refused (403), the format chosen from ``format=``/``Accept``, the default graph made the union of all graphs when
the request names no dataset, and the time and size limits enforced by the worker pool.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from . import formats
from .config import ServerConfig
from .description import GraphCount, count_graphs
from .guard import GRAPH_FORMS, describe_position, inspect_query
from .pool import QueryTimeout, WorkerDied, WorkerPool


@dataclass(frozen=True)
class Dataset:
    """An RDF dataset named by the request (SPARQL protocol ``default-graph-uri`` / ``named-graph-uri``)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass
class QueryAnswer:
    status: int
    body: bytes
    content_type: str
    kind: str = ""  # "solutions", "boolean", "graph" when status is 200
    rows: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> QueryAnswer:
    return QueryAnswer(status, (message.rstrip("\n") + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                       headers=headers or {})


_SCAN_IN_THREAD = 16 * 1024
_WORKER_ERRORS = {
    "syntax": (400, "malformed query: {}"),
    "bad_request": (400, "bad request: {}"),
    "too_many_rows": (503, "result too large: {}. Add LIMIT/OFFSET to page through it, or download the dumps."),
    "too_large": (503, "result too large: {}. Add LIMIT/OFFSET to page through it, or download the dumps."),
    "memory": (503, "query stopped: {}"),
    "evaluation": (500, "query evaluation failed: {}"),
}


@dataclass
class ServerContext:
    config: ServerConfig
    store: ox.Store
    worker_init: dict[str, Any]
    pool: WorkerPool | None = None
    _graphs: list[GraphCount] | None = None

    async def graphs(self) -> list[GraphCount]:
        """Triple counts per graph, computed once (the store is read-only)."""
        if self._graphs is None:
            self._graphs = await asyncio.to_thread(count_graphs, self.store)
        return self._graphs

    async def query(self, text: str, *, accept: str | None = None, format_values: list[str] | None = None,
                    dataset: Dataset | None = None, substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
                    timeout: float | None = None) -> QueryAnswer:
        """Run ``text`` in a worker and return the HTTP-ready answer (never raises for a bad query).

        ``accept``/``format_values`` choose the format; ``dataset`` is the protocol dataset (None: the union
        default graph unless the query has FROM); ``substitutions`` bind variables (name without ``?``) to RDF
        terms before evaluation, the safe way to pass parameters of canned queries (pyoxigraph 0.5 only substitutes
        variables that the query projects, else the answer is a 500 naming the variable); ``timeout`` overrides
        the configured limit for this query."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout if timeout is not None else self.config.query_timeout)
        if not text.strip():
            return _text(400, "malformed query: the query is empty")
        prefixes = self.config.query_prefixes
        if len(text) > _SCAN_IN_THREAD:  # ~1.5 µs per token: keep the event loop free for other clients
            shape = await asyncio.to_thread(inspect_query, text, prefixes)
        else:
            shape = inspect_query(text, prefixes)
        if shape.operation == "update":
            return _text(403, "this endpoint is read-only: SPARQL Update is refused")
        if shape.uses_service:
            where = describe_position(text, shape.service_at or 0)
            return _text(403, f"SERVICE (federated query) is not allowed on this endpoint (at {where}); "
                              "if that text is not a SERVICE call, rename what contains 'service' there")
        choices = formats.GRAPH_FORMATS if shape.form in GRAPH_FORMS else formats.SOLUTION_FORMATS
        try:
            fmt = formats.choose(accept, list(format_values or []), choices)
        except formats.NotAcceptable as exc:
            return _text(406, str(exc))
        request: dict[str, Any] = {"query": text, "format": fmt.name, "max_rows": self.config.max_rows,
                                   "max_bytes": self.config.max_result_bytes}
        if dataset is not None:
            request["default_graphs"] = list(dataset.default_graphs)
            request["named_graphs"] = list(dataset.named_graphs)
        else:
            request["union"] = self.config.union_default_graph and not shape.has_dataset_clause
        if substitutions:
            request["substitutions"] = {name: str(term) for name, term in substitutions.items()}
        if self.pool is None:
            return _text(503, "the server is starting or stopping")
        try:
            header, body = await self.pool.run(request, deadline)
        except QueryTimeout as exc:
            limit = timeout if timeout is not None else self.config.query_timeout
            reason = "no query worker became free within" if exc.queued else "the query was stopped at"
            return _text(503, f"query timed out: {reason} the time limit of {limit:g} s", {"Retry-After": "5"})
        except WorkerDied as exc:
            return _text(503, f"query stopped: the worker running it ended ({exc})")
        if not header.get("ok"):
            status, template = _WORKER_ERRORS.get(header.get("error", ""), (500, "query failed: {}"))
            return _text(status, template.format(header.get("message", "")))
        served = formats.BY_NAME.get(header.get("format", ""), fmt)
        return QueryAnswer(200, body, served.content_type, header.get("kind", ""), int(header.get("rows", 0)))
