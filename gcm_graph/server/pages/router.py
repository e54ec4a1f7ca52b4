"""The routes of the pages this package serves itself (the resource pages are :mod:`..deref`'s): ``/``,
``/search``, ``/query``, ``/downloads`` and the web assets under ``/static/``."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..canned import Catalogue
from ..context import ServerContext
from ..views import Links
from ..web import HttpError
from .downloads import downloads_page
from .editor import query_page
from .front import front_data, front_page
from .search import search_page

log = logging.getLogger("gcm_graph.server")

STATIC_DIR = Path(__file__).parent.parent / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}


def routes(ctx: ServerContext) -> list[BaseRoute]:
    catalogue = Catalogue()
    static = {p.name: (p.read_bytes(), STATIC_TYPES[p.suffix]) for p in sorted(STATIC_DIR.glob("*"))
              if p.suffix in STATIC_TYPES}
    missing = sorted({"style.css", "query.js", "icon.svg"} - set(static))
    if missing:  # a wheel built without the package data: pages would come unstyled and the editor dead
        log.error("web assets missing from %s: %s; the pages will not work as intended", STATIC_DIR,
                  ", ".join(missing))
    cache: dict[str, Any] = {}
    lock = asyncio.Lock()

    async def home(request: Request) -> Response:
        links = Links(request, ctx.config.base_url)
        key = f"front:{links.root}"
        if key not in cache:
            async with lock:
                if key not in cache:
                    cache[key] = await front_data(ctx, links)  # the store is read-only: compute once
        return front_page(request, ctx, cache[key])

    async def search(request: Request) -> Response:
        return await search_page(request, ctx)

    async def editor(request: Request) -> Response:
        return await query_page(request, ctx, catalogue)

    async def downloads(request: Request) -> Response:
        return downloads_page(request, ctx)

    async def asset(request: Request) -> Response:
        found = static.get(request.path_params["name"])
        if found is None:
            raise HttpError(404, "not found")
        body, media = found
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})

    return [Route("/", home, methods=["GET"], name="home"),
            Route("/search", search, methods=["GET"], name="search"),
            Route("/query", editor, methods=["GET"], name="query-editor"),
            Route("/downloads", downloads, methods=["GET"], name="downloads"),
            Route("/static/{name}", asset, methods=["GET"], name="static")]
