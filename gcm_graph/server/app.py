"""The ASGI application: :func:`create_app` assembles the route modules around one :class:`ServerContext`.

Adding pages (second half of issue 6: canned queries at ``/queries``, ``/id/…`` dereferencing, HTML pages) means
writing a module with ``routes(ctx) -> list[BaseRoute]`` and listing it in :data:`ROUTE_MODULES`; a route runs
SPARQL with ``await ctx.query(...)``, which applies every limit and refusal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from . import canned, deref, dumps, pages, sparql
from .config import ServerConfig, ServerError
from .context import ServerContext
from .pool import WorkerPool
from .web import HttpError, error_response, http_error_handler

log = logging.getLogger("gcm_graph.server")

#: Modules whose ``routes(ctx)`` make up the app, in matching order.
ROUTE_MODULES: tuple[ModuleType, ...] = (sparql, dumps, canned, deref, pages)

StoreLike = ox.Store | str | os.PathLike[str]


class RequestGuard:
    """Outermost checks on every HTTP request, before routing: request target and headers within bounds (414 /
    431; the HTTP parser only bounds a head that arrives in pieces), and ``X-Content-Type-Options: nosniff`` on
    every response (plain-text errors must never be sniffed as HTML)."""

    def __init__(self, app: ASGIApp, max_url_bytes: int, max_header_bytes: int, max_headers: int):
        self.app = app
        self.max_url_bytes, self.max_header_bytes, self.max_headers = max_url_bytes, max_header_bytes, max_headers

    def _refusal(self, scope: Scope) -> Response | None:
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > self.max_url_bytes:
            return error_response(414, f"URL longer than {self.max_url_bytes} bytes: POST the query instead")
        headers = scope.get("headers") or []
        if len(headers) > self.max_headers or sum(len(k) + len(v) for k, v in headers) > self.max_header_bytes:
            return error_response(431, f"request headers over {self.max_headers} fields or "
                                       f"{self.max_header_bytes} bytes")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"x-content-type-options" for k, _ in headers):
                    headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


async def _starlette_http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _unexpected_error(_request: Request, exc: Exception) -> Response:
    log.error("unexpected error while answering a request", exc_info=exc)
    return error_response(500, "internal server error (the details are in the server log)")


def _open_store(store: StoreLike) -> tuple[ox.Store, str | None]:
    """The parent's handle on the store and, for an on-disk store, its folder (which workers open themselves)."""
    if isinstance(store, ox.Store):
        return store, None
    path = Path(store)
    if not path.is_dir():
        raise ServerError(f"{path}: not a pyoxigraph store folder (build one with 'gcm-graph build')")
    try:
        return ox.Store.read_only(str(path)), str(path)
    except OSError as exc:
        raise ServerError(f"{path}: cannot open the store read-only: {exc}") from exc


def create_app(store: StoreLike, config: ServerConfig | None = None,
               extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI app serving ``store`` (a pyoxigraph Store, or the folder of an on-disk one) read-only.

    This process only opens the store (an on-disk one with ``Store.read_only``) and never writes to it. Queries
    run in ``config.workers`` worker processes started by the lifespan; each loads a copy of the store dumped once
    to a temporary N-Quads file (removed at shutdown), or with ``worker_store="shared"`` opens the on-disk store
    read-only itself. The app must be run with its lifespan (uvicorn does so by default).
    """
    config = config or ServerConfig()
    parent_store, store_dir = _open_store(store)
    config = deref.identifier_base(parent_store, config)  # /id/… answers for the identifiers the store holds
    ctx = ServerContext(config=config, store=parent_store, worker_init={})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        with tempfile.TemporaryDirectory(prefix="gcm-graph-serve-") as tmp:
            init = {"prefixes": config.query_prefixes, "memory_limit_mb": config.worker_memory_mb}
            if store_dir is not None and config.worker_store == "shared":
                init["store_dir"] = store_dir
            else:
                dump = Path(tmp) / "store.nq"
                await asyncio.to_thread(parent_store.dump, str(dump), format=ox.RdfFormat.N_QUADS)
                init["load_file"] = str(dump)
            ctx.worker_init = init
            pool = WorkerPool(config.workers, init, config.worker_startup_timeout)
            await pool.start()
            ctx.pool = pool
            try:
                yield
            finally:
                ctx.pool = None
                await pool.close()

    routes: list[BaseRoute] = []
    for module in ROUTE_MODULES:
        routes.extend(module.routes(ctx))
    routes.extend(extra_routes)
    middleware = [
        Middleware(RequestGuard, max_url_bytes=config.max_url_bytes, max_header_bytes=config.max_header_bytes,
                   max_headers=config.max_headers),
        Middleware(CORSMiddleware, allow_origins=list(config.cors_origins), allow_methods=["GET", "POST", "OPTIONS"],
                   allow_headers=["*"], max_age=86400),
    ]
    app = Starlette(
        routes=routes, middleware=middleware, lifespan=lifespan,
        exception_handlers={HttpError: http_error_handler, HTTPException: _starlette_http_error,
                            Exception: _unexpected_error},
    )
    app.state.ctx = ctx
    return app
