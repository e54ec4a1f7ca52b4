"""Publish named graphs into a remote SPARQL 1.1 store (Virtuoso, Fuseki, Oxigraph server…), one graph at a time.

Strategy: never write into the target graph directly. For each graph:

1. upload its triples into a fresh temporary graph ``<target>/publish-tmp-<random>`` with the SPARQL 1.1 Graph
   Store HTTP Protocol (``PUT`` for the first chunk, ``POST`` for the next; triples with blank nodes all travel in
   one chunk, since a blank node label only means the same node within one document);
2. check that the temporary graph holds exactly the expected number of triples (a stalled or refused upload is
   caught here, before readers can see anything);
3. swap it in with ONE SPARQL Update request (:data:`SWAP`)::

       DELETE { GRAPH <target> { ?s ?p ?o } }
       WHERE  { GRAPH <target> { ?s ?p ?o } FILTER NOT EXISTS { GRAPH <tmp> { ?s ?p ?o } } } ;
       ADD <tmp> TO <target>

   i.e. delete the triples that are gone, add the new ones; unchanged triples are not touched;
4. check the target's triple count, then delete the temporary graph (also on failure).

Why this swap (measured on Virtuoso 7.2.5, details in ``docs/publishing.md``): a store runs one update request
as one transaction, so the swap is all-or-nothing — a Virtuoso killed in the middle restarts with the old graph
and the temporary graph intact, and a swap larger than Virtuoso's ``TransactionAfterImageLimit`` is rolled back
whole. Readers keep seeing the old graph until the commit; Virtuoso's isolation is read-committed, not snapshot,
so only a query overlapping the commit itself can see a mix. ``MOVE <tmp> TO <target>`` has the same guarantees
but Virtuoso's ``CLEAR`` inside it sometimes picks a quadratic plan (2 s to 80 s for the same 50k triples); the
delete-and-add form took 1.3–4.7 s every time, and on a re-publish with few changes it writes only those.
A Graph Store ``PUT`` straight into the target is not atomic in Virtuoso: readers saw it empty, then growing.

Virtuoso caveat (any single-transaction replacement, ``MOVE`` included): a literal whose value is unchanged but
whose datatype changes under the same subject and predicate (``"1"^^xsd:integer`` → ``"1.0"^^xsd:decimal``,
``xsd:date`` → ``xsd:dateTime`` at midnight) keeps its OLD form. Drop the graph first in that case.

The expected count is that of the graph once loaded in an in-memory Oxigraph store (which, like Virtuoso,
canonicalises ``"01"^^xsd:integer`` to ``"1"``); the upload sends that canonical form.

Failures raise :class:`~gcm_graph.errors.PublishError` with one readable line: store unreachable, credentials
refused (401/403), data or request rejected (4xx, with the store's own message). Connection resets, timeouts and
5xx answers that are not a definite refusal are retried with exponential backoff, restarting the graph's upload.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import PublishError
from .httpclient import HttpClient, TransientError
from .namespaces import DEFAULT_BASE

DEFAULT_CHUNK_TRIPLES = 100_000
NT = "application/n-triples"
SWAP = ("DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}\n"
        "WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH <{tmp}> {{ ?s ?p ?o }} }} }} ;\n"
        "ADD <{tmp}> TO <{target}>")
CLEAR = "DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class GraphPublished:
    """One graph published: its IRI, triples and bytes sent, and where the time went."""

    graph: str
    triples: int
    bytes: int
    chunks: int
    attempts: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass
class PublishReport:
    endpoint: str
    graph_store: str
    graphs: list[GraphPublished] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)

    def summary(self) -> str:
        return (f"published {len(self.graphs)} graph(s), {self.triples} triples, to {self.graph_store} "
                f"in {self.seconds:.1f} s")


def default_graph_store(endpoint: str) -> str:
    """Guess the Graph Store endpoint from a SPARQL endpoint URL, for the stores we know.

    Virtuoso ``…/sparql-auth`` → ``…/sparql-graph-crud-auth`` (``…/sparql`` → ``…/sparql-graph-crud``);
    Fuseki ``…/ds``, ``…/ds/sparql``, ``…/ds/query``, ``…/ds/update`` → ``…/ds/data``;
    Oxigraph server ``…/query`` or ``…/update`` → ``…/store``.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last == "sparql-auth":
        new = head + "/sparql-graph-crud-auth"
    elif last == "sparql" and not head:
        new = "/sparql-graph-crud"  # Virtuoso's /sparql sits at the root; Fuseki's is /<dataset>/sparql
    elif last in ("sparql", "query", "update") and head:
        new = head + "/data"
    elif last in ("query", "update"):
        new = "/store"
    elif path and "/" not in path.strip("/"):
        new = path + "/data"  # Fuseki dataset URL
    else:
        raise PublishError(f"cannot guess the Graph Store endpoint for {endpoint}; pass it with --graph-store")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def query_and_update_endpoints(endpoint: str) -> tuple[str, str]:
    """(query, update) endpoints from the one the user gave: Oxigraph and Fuseki split them (``…/query`` and
    ``…/update``; Fuseki's ``…/sparql`` is query-only); Virtuoso's and a Fuseki dataset URL take both."""
    parts = urllib.parse.urlsplit(endpoint)
    head, _, last = parts.path.rstrip("/").rpartition("/")

    def at(name: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{head}/{name}", parts.query, ""))

    if last == "query":
        return endpoint, at("update")
    if last == "update":
        return at("query"), endpoint
    if last == "sparql" and head:  # Fuseki /<dataset>/sparql
        return endpoint, at("update")
    return endpoint, endpoint


def canonical_triples(graph: str, data: bytes) -> list[ox.Triple]:
    """Parse N-Triples, canonicalise literals as a store does, drop duplicates; blank-node triples first."""
    store = ox.Store()
    try:
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    except (SyntaxError, ValueError) as exc:
        raise PublishError(f"graph <{graph}> is not valid N-Triples: {exc}") from None
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    blank = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    named = [t for t in triples if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    return blank + named


def chunked(triples: list[ox.Triple], size: int) -> list[bytes]:
    """N-Triples documents of at most ``size`` triples, except that every blank-node triple stays in the first."""
    blank = sum(1 for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))
    first = max(size, blank)
    bounds = [0, first] + list(range(first + size, len(triples), size))
    return [ox.serialize(triples[a:b], format=ox.RdfFormat.N_TRIPLES)
            for a, b in zip(bounds, bounds[1:] + [len(triples)]) if a < len(triples)]


def graphs_from_dataset(data: bytes, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> dict[str, bytes]:
    """Split an N-Quads or TriG dump (as in ``dist/``) into {named-graph IRI: N-Triples}, in order of first use.

    Triples in the default graph are an error: every published triple belongs to a named graph.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(data, format=format):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                raise PublishError(f"the dataset has a triple outside any named graph: {quad.triple}")
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    except SyntaxError as exc:
        raise PublishError(f"the dataset cannot be parsed: {exc}") from None
    return {g: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES) for g, ts in by_graph.items()}


def _count_query(graph: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


class _Store:
    """The remote store's three operations, each one HTTP request."""

    def __init__(self, http: HttpClient, endpoint: str, update_endpoint: str, graph_store: str):
        self.http, self.endpoint, self.update_endpoint, self.graph_store = http, endpoint, update_endpoint, graph_store

    def update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode()
        self.http.request("POST", self.update_endpoint, body, {"Content-Type": "application/x-www-form-urlencoded"},
                          what="SPARQL update")

    def count(self, graph: str) -> int:
        body = urllib.parse.urlencode({"query": _count_query(graph)}).encode()
        _, _, answer = self.http.request(
            "POST", self.endpoint, body,
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
            what="count query")
        try:
            bindings = json.loads(answer)["results"]["bindings"]
            return int(bindings[0]["n"]["value"]) if bindings and "n" in bindings[0] else 0
        except (ValueError, KeyError, IndexError, TypeError):
            raise PublishError(f"{self.endpoint} answered the count query with something that is not SPARQL JSON "
                               f"results: {answer[:200]!r}") from None

    def graph_url(self, graph: str) -> str:
        return self.graph_store + ("&" if "?" in self.graph_store else "?") + urllib.parse.urlencode({"graph": graph})

    def probe(self, graph: str) -> None:
        """GET a graph that does not exist yet: learns the Graph Store's auth challenge with an empty body."""
        self.http.request("GET", self.graph_url(graph), None, {"Accept": NT}, what="Graph Store GET", ok=(404,))

    def upload(self, graph: str, document: bytes, replace: bool) -> None:
        url = self.graph_url(graph)
        self.http.request("PUT" if replace else "POST", url, document, {"Content-Type": NT},
                          what=f"Graph Store {'PUT' if replace else 'POST'} of <{graph}>")


def publish(graphs: Mapping[str, bytes], endpoint: str, graph_store: str | None = None, user: str | None = None,
            password: str | None = None, retries: int = 3, timeout: float = 60, progress: Progress = print,
            update_endpoint: str | None = None, chunk_triples: int = DEFAULT_CHUNK_TRIPLES,
            backoff: float = 1.0) -> PublishReport:
    """Replace each named graph of ``graphs`` (IRI → N-Triples bytes) in the remote store, one at a time.

    ``endpoint`` is the store's SPARQL endpoint (for stores that split queries and updates, either of
    ``…/query`` and ``…/update``; or give ``update_endpoint``); ``graph_store`` is the
    Graph Store HTTP Protocol endpoint (guessed from ``endpoint`` for Virtuoso, Fuseki and Oxigraph when not
    given). ``user``/``password`` are sent with whichever of HTTP Digest or Basic the store asks for. A transient
    failure restarts that graph's upload, at most ``retries`` more times, waiting ``backoff``·2ⁿ seconds.
    Raises :class:`PublishError` on the first graph that cannot be published; graphs already published stay.
    """
    if (user is None) != (password is None):
        raise PublishError("give both a user and a password, or neither")
    for graph in graphs:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise PublishError(f"not an absolute IRI, cannot name a graph: {graph!r}") from None
    start = time.perf_counter()
    store_url = graph_store or default_graph_store(endpoint)
    http = HttpClient(user, password, timeout)
    query_url, update_url = query_and_update_endpoints(endpoint)
    store = _Store(http, query_url, update_endpoint or update_url, store_url)
    report = PublishReport(endpoint, store_url)
    for graph, data in graphs.items():
        report.graphs.append(_publish_one(store, graph, data, retries, chunk_triples, backoff, progress))
    report.seconds = time.perf_counter() - start
    return report


def publish_dist(dist: Path, endpoint: str, report: str | None = None, base: str = DEFAULT_BASE,
                 **options) -> PublishReport:
    """Publish a build's named graphs (``dist/gcm-graph.trig``): all of them, or with ``report`` that report's graph
    ``<base>graph/<report>`` together with the shared graphs (ontology, reference, inferred), so that the remote
    store's inferences never go stale. ``options`` are those of :func:`publish`."""
    from .outputs import TRIG

    path = Path(dist) / TRIG
    if not path.is_file():
        raise PublishError("no built graph here; run 'gcm-graph build' first", str(path))
    graphs = graphs_from_dataset(path.read_bytes(), ox.RdfFormat.TRIG)
    if report is not None:
        wanted = f"{base}graph/{report}"
        if wanted not in graphs:
            raise PublishError(f"the build has no graph for report {report!r}; its graphs: "
                               + ", ".join(sorted(graphs)), str(path))
        shared = {f"{base}graph/{name}" for name in ("ontology", "reference", "inferred", "dataset")}
        graphs = {g: data for g, data in graphs.items() if g == wanted or g in shared}
    return publish(graphs, endpoint, **options)


def _publish_one(store: _Store, graph: str, data: bytes, retries: int, chunk_triples: int, backoff: float,
                 progress: Progress) -> GraphPublished:
    t0 = time.perf_counter()
    triples = canonical_triples(graph, data)
    chunks = chunked(triples, chunk_triples)
    size = sum(len(c) for c in chunks)
    timings = {"prepare": time.perf_counter() - t0}
    progress(f"publishing <{graph}>: {len(triples)} triples, {size / 1e6:.1f} MB in {len(chunks)} request(s)")
    attempt = 0
    while True:
        attempt += 1
        tmp = f"{graph}/publish-tmp-{uuid.uuid4().hex[:12]}"
        try:
            _attempt(store, graph, tmp, chunks, len(triples), timings, progress)
            t = time.perf_counter()
            if not _drop_quietly(store, tmp):
                progress(f"  warning: could not delete the temporary graph <{tmp}>; delete it by hand")
            timings["cleanup"] = time.perf_counter() - t
            break
        except TransientError as exc:
            _drop_quietly(store, tmp)
            if attempt > retries:
                raise PublishError(f"gave up publishing <{graph}> after {attempt} attempt(s): {exc}") from None
            wait = backoff * 2 ** (attempt - 1)
            progress(f"  transient failure ({exc}); retrying in {wait:.1f} s")
            time.sleep(wait)
        except BaseException:
            _drop_quietly(store, tmp)
            raise
    seconds = time.perf_counter() - t0
    progress(f"  <{graph}> replaced: {len(triples)} triples verified in {seconds:.2f} s")
    return GraphPublished(graph, len(triples), size, len(chunks), attempt, seconds, timings)


def _attempt(store: _Store, graph: str, tmp: str, chunks: list[bytes], expected: int, timings: dict[str, float],
             progress: Progress) -> None:
    t = time.perf_counter()
    # Two small authenticated requests first: they learn the auth challenges of both endpoints, so a refusal
    # comes back as a clean 401 (a refused multi-megabyte body makes Virtuoso reset the connection mid-upload).
    store.update(f"DROP SILENT GRAPH <{tmp}>")
    store.probe(tmp)
    if not chunks:
        store.update(CLEAR.format(graph=graph))
        timings["swap"] = time.perf_counter() - t
        _verify(store, graph, 0, "after emptying it")
        return
    for i, chunk in enumerate(chunks):
        if len(chunks) > 1:
            progress(f"  uploading part {i + 1}/{len(chunks)}")
        store.upload(tmp, chunk, replace=(i == 0))
    timings["upload"] = time.perf_counter() - t
    _verify(store, tmp, expected, "in the temporary graph before the swap (upload incomplete?)")
    progress(f"  swapping the new triples into <{graph}>")
    t = time.perf_counter()
    store.update(SWAP.format(target=graph, tmp=tmp))
    timings["swap"] = time.perf_counter() - t
    t = time.perf_counter()
    _verify(store, graph, expected, "after the swap")
    timings["verify"] = time.perf_counter() - t


def _verify(store: _Store, graph: str, expected: int, when: str) -> None:
    found = store.count(graph)
    if found != expected:
        raise PublishError(
            f"the store holds {found} triples in <{graph}> {when}, expected {expected} (another writer, or the "
            "store merged literals it considers equal)")


def _drop_quietly(store: _Store, tmp: str) -> bool:
    """Delete the temporary graph; False (never an exception) if that failed."""
    try:
        store.update(CLEAR.format(graph=tmp))
        return True
    except (PublishError, TransientError):
        return False
