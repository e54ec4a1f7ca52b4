"""``/dumps/<file>``: the published files of the build (the graph in every format), served read-only from
``ServerConfig.dumps_dir``.

Only regular, non-hidden files inside that folder are served. The path the server receives has been
percent-decoded once; any segment that is empty, ``.``, ``..``, hidden, or contains ``%``, a backslash or a
control character is refused before the file system is touched, and the resolved path (symbolic links followed)
must still lie inside the folder. Every refusal is a plain 404 that reveals nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from .context import ServerContext
from .web import HttpError

MEDIA_TYPES = {
    ".ttl": "text/turtle; charset=utf-8",
    ".trig": "application/trig; charset=utf-8",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".txt": "text/plain; charset=utf-8",
}
_BAD_SEGMENT = re.compile(r"^$|^\.|[%\\\x00-\x1f\x7f]")
_NOT_FOUND = "not found"


def safe_file(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names under ``root``, or None if it is not one we serve."""
    segments = relative.split("/")
    if not segments or any(_BAD_SEGMENT.search(s) for s in segments):
        return None
    try:
        base = root.resolve(strict=True)
        target = base.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not target.is_relative_to(base) or not target.is_file():
        return None
    return target


def routes(ctx: ServerContext) -> list[BaseRoute]:
    async def dump(request: Request) -> Response:
        root = ctx.config.dumps_dir
        target = safe_file(Path(root), request.path_params["path"]) if root is not None else None
        if target is None:
            raise HttpError(404, _NOT_FOUND)
        media = MEDIA_TYPES.get(target.suffix.lower(), "application/octet-stream")
        return FileResponse(target, media_type=media, headers={"X-Content-Type-Options": "nosniff"})

    return [Route("/dumps/{path:path}", dump, methods=["GET"], name="dumps")]
