"""Source lines of the documents, shown on programme pages when the document is at hand and unchanged."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ... import paths
from ..context import ServerContext


class SourceDocuments:
    """Lines of a report's source document, found by file name in the sources folders and used only when its
    SHA-256 is the one the graph records (a changed document would show the wrong lines)."""

    def __init__(self, folders: list[Path]):
        self.folders = folders
        self._cache: dict[tuple[str, str], list[str] | None] = {}

    def lines(self, name: str, sha256: str) -> list[str] | None:
        key = (name, sha256)
        if key not in self._cache:
            self._cache[key] = self._read(name, sha256)
        return self._cache[key]

    def _read(self, name: str, sha256: str) -> list[str] | None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            return None
        for folder in self.folders:
            path = folder / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest() == sha256.lower():
                return data.decode("utf-8", "replace").splitlines()
        return None


_DOCUMENTS: dict[int, SourceDocuments] = {}


def ctx_documents(ctx: ServerContext) -> SourceDocuments:
    docs = _DOCUMENTS.get(id(ctx))
    if docs is None:
        folders = [Path(ctx.config.sources_dir)] if ctx.config.sources_dir is not None else []
        folders.append(paths.SOURCES_DIR)
        if ctx.config.dumps_dir is not None:
            folders.append(Path(ctx.config.dumps_dir) / "source")
        docs = _DOCUMENTS[id(ctx)] = SourceDocuments(folders)
    return docs
