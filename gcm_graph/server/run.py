"""Running the server: :func:`serve` (blocking, for ``gcm-graph serve``) and :func:`uvicorn_config` (for tests and
embedding, e.g. a ``uvicorn.Server`` in a thread)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import uvicorn

from .app import StoreLike, create_app
from .config import ServerConfig, ServerError

#: A request head (request line + headers) still incomplete past this size is refused by the HTTP parser (h11,
#: 400). Above ServerConfig's max_url_bytes + max_header_bytes, so that a head that arrives whole is judged by the
#: app's own limits (414 / 431 with a message).
MAX_HEAD_BYTES = 128 * 1024
#: Open connections beyond this get 503 from uvicorn at once instead of queueing without bound.
MAX_CONNECTIONS = 512


def load_store(source: StoreLike) -> StoreLike:
    """A store folder is served as it is (workers open it read-only); an RDF file (``.trig``, ``.nq``, ``.ttl``,
    ``.nt``…) is loaded into memory first."""
    if isinstance(source, ox.Store):
        return source
    path = Path(source)
    if path.is_dir():
        return path
    if not path.is_file():
        raise ServerError(f"{path}: no such store folder or RDF file (run 'gcm-graph build' first)")
    try:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError:
        fmt = None
    if fmt is None:
        raise ServerError(f"{path}: unknown RDF file extension {path.suffix!r}")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ServerError(f"{path}: cannot load: {exc}") from exc
    return store


def uvicorn_config(app: Any, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info",
                   access_log: bool = True, **overrides: Any) -> uvicorn.Config:
    settings: dict[str, Any] = dict(
        host=host, port=port, log_level=log_level, access_log=access_log, lifespan="on",
        server_header=False, limit_concurrency=MAX_CONNECTIONS, h11_max_incomplete_event_size=MAX_HEAD_BYTES,
        timeout_graceful_shutdown=5,
    )
    settings.update(overrides)
    return uvicorn.Config(app, **settings)


def serve(store: StoreLike, host: str = "127.0.0.1", port: int = 8000, base_url: str | None = None, *,
          config: ServerConfig | None = None, dumps_dir: str | os.PathLike[str] | None = None,
          query_timeout: float | None = None, workers: int | None = None, log_level: str = "info",
          access_log: bool = True) -> None:
    """Serve ``store`` (the folder of a pyoxigraph store such as ``dist/store``, an RDF file, or a Store) until
    interrupted; returns after the graceful shutdown that follows Ctrl-C (SIGTERM ends the process with that
    signal, as uvicorn does). Keyword settings override the matching fields of ``config``. Raises
    :class:`ServerError` (one readable line) when the store or the settings cannot be used."""
    config = config or ServerConfig()
    changes: dict[str, Any] = {}
    if base_url is not None:
        changes["base_url"] = base_url
    if dumps_dir is not None:
        changes["dumps_dir"] = Path(dumps_dir)
    if query_timeout is not None:
        changes["query_timeout"] = query_timeout
    if workers is not None:
        changes["workers"] = workers
    if changes:
        config = dataclasses.replace(config, **changes)
    app = create_app(load_store(store), config)
    server = uvicorn.Server(uvicorn_config(app, host, port, log_level, access_log))
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after its graceful shutdown: a normal way to stop
        if not server.started:
            raise
        return
    if not server.started:
        raise ServerError(f"the server did not start on {host}:{port} (see the messages above)")
