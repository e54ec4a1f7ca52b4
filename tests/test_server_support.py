"""Shared by the test_server_* modules (no tests here): a small deterministic dataset shaped like ours, written
as TriG with three named graphs, and a real uvicorn server on a free loopback port in a background thread."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import uvicorn

from gcm_graph.namespaces import DEFAULT_BASE
from gcm_graph.server import ServerConfig, create_app
from gcm_graph.server.run import uvicorn_config

B = DEFAULT_BASE
G_ONTOLOGY, G_REPORT, G_INFERRED = B + "graph/ontology", B + "graph/mx-2020", B + "graph/inferred"
PROGRAMMES = 60  # 3 per objective on the first 20 objectives
TRICKY = 'tab\there "quoted" \\ back, comma; new\nline — ñandú 日本 \u2028'


def turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def build_trig() -> str:
    """The test dataset as TriG (byte-identical on every call)."""
    lines = [
        f"@prefix gcm: <{B}ontology#> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .", "@prefix schema: <https://schema.org/> .",
        f"<{G_ONTOLOGY}> {{",
        '  gcm:Programme a owl:Class ; rdfs:label "Programme"@en, "Programa"@es ; rdfs:subClassOf schema:GovernmentService .',
        '  gcm:Objective a owl:Class ; rdfs:label "Objective"@en, "Objetivo"@es .',
        "  gcm:objective a owl:ObjectProperty ; rdfs:domain gcm:Programme ; rdfs:range gcm:Objective .",
        "}",
        f"<{G_REPORT}> {{",
        f'  <{B}id/report/mx-2020> a gcm:Report ; rdfs:label "Compendio México 2020"@es ;',
        f"      gcm:note {turtle_string(TRICKY)} ;",
        '      gcm:published "2020-12-01"^^xsd:date ; gcm:blank [ rdfs:label "anonymous node" ] .',
    ]
    for n in range(1, 24):
        lines.append(f'  <{B}id/objective/{n}> a gcm:Objective ; skos:notation {n} ; '
                     f'rdfs:label "Objetivo {n}"@es, "Objective {n}"@en .')
    for i in range(PROGRAMMES):
        obj, num = i // 3 + 1, i % 3 + 1
        prog = f"<{B}id/programme/mx-2020/{obj}-{num}>"
        agency = f"<{B}id/org/mx/{['sre', 'segob', 'inm', 'comar'][i % 4]}>"
        lines.append(f'  {prog} gcm:objective <{B}id/objective/{obj}> ; gcm:responsible {agency} ; '
                     f'rdfs:label "Programa {obj}.{num}"@es ; gcm:beneficiaries {100 * (i + 1)} .')
    lines.append("}")
    lines.append(f"<{G_INFERRED}> {{")
    for i in range(PROGRAMMES):
        lines.append(f"  <{B}id/programme/mx-2020/{i // 3 + 1}-{i % 3 + 1}> a gcm:Programme .")
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_store() -> ox.Store:
    store = ox.Store()
    store.load(build_trig().encode("utf-8"), format=ox.RdfFormat.TRIG)
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningServer:
    base: str  # http://127.0.0.1:PORT
    port: int
    app: object
    config: ServerConfig

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def pool(self):  # noqa: ANN201
        return self.app.state.ctx.pool

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET",
            data: bytes | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        """One request with urllib; HTTP errors are returned, not raised."""
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()

    def query(self, query: str, accept: str | None = None, **params: str) -> tuple[int, dict[str, str], bytes]:
        qs = urllib.parse.urlencode({"query": query, **params})
        return self.get("/sparql?" + qs, {"Accept": accept} if accept else {})


@contextlib.contextmanager
def running_server(store: ox.Store | str, config: ServerConfig) -> Iterator[RunningServer]:
    """``create_app`` served by a real uvicorn on a free loopback port, in a thread, stopped on exit."""
    app = create_app(store, config)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", port, app, config)
    finally:
        server.should_exit = True
        thread.join(20)
        sock.close()


def wait_for_full_pool(srv: RunningServer, timeout: float = 20) -> None:
    """Until every killed worker has been replaced (so one test's timeout does not slow the next)."""
    deadline = time.monotonic() + timeout
    while srv.pool is not None and srv.pool._idle.qsize() < srv.pool.size:
        if time.monotonic() > deadline:
            raise AssertionError("the worker pool did not recover")
        time.sleep(0.02)
