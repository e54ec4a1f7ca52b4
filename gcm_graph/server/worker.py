"""A query worker: a separate process that owns a read-only view of the store and answers one query at a time.

Why a process: pyoxigraph evaluates a query inside one call that cannot be interrupted (it releases the GIL, so a
thread would keep burning a CPU after its client gave up, and pyoxigraph 0.5 exposes no cancellation). The server
kills a worker whose query passes the time limit and starts a fresh one; see :mod:`gcm_graph.server.pool`.

Protocol, over the worker's stdin and a private duplicate of its stdout (fd 1 itself is pointed at stderr so that
nothing printed by a library can corrupt the stream): every message is a frame, a 4-byte big-endian length and a
UTF-8 JSON header, followed for responses by an 8-byte length and the body. The first request is ``init`` (where
the data is, the default prefixes), answered by a ready frame; each later request is one query.

The worker applies the result limits itself, while the result is produced: solutions are serialised by
pyoxigraph as TSV (one line per row) into a writer that counts rows and bytes and stops the evaluation as soon as a
limit is passed, then converted to the requested format by pyoxigraph. Graph results go the same way through
N-Triples (one line per triple).
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
from typing import IO, Any

import pyoxigraph as ox

SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


# ---------------------------------------------------------------------------------------------------- framing

def encode_frame(header: dict[str, Any], body: bytes | None = None) -> bytes:
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    out = struct.pack(">I", len(head)) + head
    if body is not None:
        out += struct.pack(">Q", len(body)) + body
    return out


def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_request(stream: IO[bytes]) -> dict[str, Any] | None:
    size = _read_exact(stream, 4)
    if size is None:
        return None
    head = _read_exact(stream, struct.unpack(">I", size)[0])
    return None if head is None else json.loads(head)


# ---------------------------------------------------------------------------------------------------- limits

class LimitExceeded(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class CountingWriter:
    """A binary writer for pyoxigraph serialisers that counts lines and bytes and raises past a limit."""

    def __init__(self, max_items: int, max_bytes: int, unit: str, header_lines: int = 0):
        self.chunks: list[bytes] = []
        self.lines = 0
        self.size = 0
        self.max_items, self.max_bytes, self.unit, self.header_lines = max_items, max_bytes, unit, header_lines

    @property
    def items(self) -> int:
        return self.lines - self.header_lines

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        self.size += len(data)
        if self.items > self.max_items:
            raise LimitExceeded("too_many_rows", f"the result has more than {self.max_items} {self.unit}")
        if self.size > self.max_bytes:
            raise LimitExceeded("too_large", f"the result is larger than {self.max_bytes} bytes")
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def value(self) -> bytes:
        return b"".join(self.chunks)


# ---------------------------------------------------------------------------------------------------- queries

def parse_term(text: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One RDF term written in N-Triples syntax (``<iri>``, ``"lit"@es``, ``"1"^^<…>``)."""
    quads = list(ox.parse(f"<urn:x:s> <urn:x:p> {text} .\n".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    if len(quads) != 1:
        raise ValueError(f"not one RDF term: {text!r}")
    return quads[0].object


def query_kwargs(request: dict[str, Any], prefixes: dict[str, str]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"prefixes": prefixes}
    if request.get("default_graphs") is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    elif request.get("union"):
        kwargs["use_default_graph_as_union"] = True
    if request.get("named_graphs") is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    if request.get("substitutions"):
        kwargs["substitutions"] = {ox.Variable(k): parse_term(v) for k, v in request["substitutions"].items()}
    return kwargs


def _error(code: str, message: str) -> tuple[dict[str, Any], bytes]:
    return {"ok": False, "error": code, "message": message}, b""


def execute(store: ox.Store, request: dict[str, Any], prefixes: dict[str, str]) -> tuple[dict[str, Any], bytes]:
    """Run one query request; returns the response header and body. Never raises for a bad query."""
    max_rows = int(request.get("max_rows", 100_000))
    max_bytes = int(request.get("max_bytes", 256 * 1024 * 1024))
    wanted = request.get("format") or ""
    try:
        kwargs = query_kwargs(request, prefixes)
    except (ValueError, SyntaxError) as exc:
        return _error("bad_request", str(exc))
    try:
        result = store.query(request["query"], **kwargs)
        if isinstance(result, ox.QueryBoolean):
            fmt = wanted if wanted in SOLUTION_FORMATS else "json"
            return {"ok": True, "kind": "boolean", "format": fmt, "rows": 1}, \
                result.serialize(format=SOLUTION_FORMATS[fmt])
        if isinstance(result, ox.QuerySolutions):
            fmt = wanted if wanted in SOLUTION_FORMATS else "json"
            writer = CountingWriter(max_rows, max_bytes, "rows", header_lines=1)
            result.serialize(writer, format=ox.QueryResultsFormat.TSV)
            tsv = writer.value()
            body = tsv if fmt == "tsv" else ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV) \
                .serialize(format=SOLUTION_FORMATS[fmt])
            return {"ok": True, "kind": "solutions", "format": fmt, "rows": writer.items}, body
        fmt = wanted if wanted in GRAPH_FORMATS else "turtle"
        writer = CountingWriter(max_rows, max_bytes, "triples")
        result.serialize(writer, format=ox.RdfFormat.N_TRIPLES)
        nt = writer.value()
        if fmt == "ntriples":
            body = nt
        else:
            triples = [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
            used = {p: ns for p, ns in sorted(prefixes.items()) if f"<{ns}".encode() in nt}
            body = ox.serialize(triples, format=GRAPH_FORMATS[fmt],
                                prefixes=used if fmt in ("turtle", "rdfxml") else None)
        return {"ok": True, "kind": "graph", "format": fmt, "rows": writer.items}, body
    except LimitExceeded as exc:
        return _error(exc.code, str(exc))
    except SyntaxError as exc:
        return _error("syntax", str(exc))
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return _error("evaluation", f"{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------------------------------- process

def open_store(init: dict[str, Any]) -> ox.Store:
    if init.get("store_dir"):
        return ox.Store.read_only(init["store_dir"])
    store = ox.Store()
    store.bulk_load(path=init["load_file"], format=ox.RdfFormat.N_QUADS)
    return store


def _harden() -> None:
    """Ignore Ctrl-C (the server stops us by closing stdin) and die with the parent (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _limit_memory(megabytes: int | None) -> None:
    if not megabytes:
        return
    import resource

    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # not enforceable on this platform (macOS): run without the cap
        pass


def _send(out: IO[bytes], header: dict[str, Any], body: bytes | None = None) -> None:
    out.write(encode_frame(header, body))
    out.flush()


def main() -> int:
    _harden()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer
    init = read_request(inp)
    if init is None:
        return 0
    try:
        store = open_store(init)
        _limit_memory(init.get("memory_limit_mb"))
    except (OSError, ValueError, SyntaxError) as exc:
        _send(out, {"ok": False, "error": "startup", "message": f"cannot open the store: {exc}"})
        return 1
    prefixes = dict(init.get("prefixes") or {})
    _send(out, {"ok": True, "ready": True, "pid": os.getpid()})
    while True:
        request = read_request(inp)
        if request is None:
            return 0
        try:
            header, body = execute(store, request, prefixes)
        except MemoryError:
            header, body = _error("memory", "the query needed more memory than a worker may use")
        header["id"] = request.get("id")
        _send(out, header, body)


if __name__ == "__main__":
    sys.exit(main())
