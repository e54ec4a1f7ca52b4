"""The ``gcm-graph`` command: each sub-command is a few lines calling one library function.

Exit codes: 0 success (for ``validate``: conforms), 1 ``validate`` found violations, 2 error (bad input, unreadable
file, unknown query…). Errors are one readable line naming the file and line, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, paths
from .errors import GcmError
from .namespaces import DEFAULT_BASE
from .pipeline import build, parse_sources, quiet, stderr_progress


def _progress(args: argparse.Namespace):
    return quiet if getattr(args, "quiet", False) else stderr_progress


def cmd_build(args: argparse.Namespace) -> int:
    result = build(Path(args.sources), Path(args.out), args.base, _progress(args), validate=not args.no_validate,
                   reference=Path(args.reference) if args.reference else None, public_url=args.public_url)
    print(f"built {result.programme_count} programme entries from {len(result.reports)} report(s) into {result.out}: "
          f"{result.asserted_count} asserted and {result.inferred_count} inferred triples")
    if result.validation is not None:
        v = result.validation
        print(f"validation: conforms, {v.count('Warning')} warning(s) ('gcm-graph validate' lists them)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .report_formats import render
    from .validate import validate_dist, validate_files

    report = validate_files([Path(f) for f in args.files], engine=args.engine) if args.files \
        else validate_dist(Path(args.dist), engine=args.engine)
    sys.stdout.write(render(report, args.format))
    return report.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    from .export.dump import export_build, write_export

    write_export(export_build(Path(args.dist), args.format, args.graph, args.inferred, args.base),
                 Path(args.out) if args.out else None)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import format_graph_counts, format_stats

    sys.stdout.write(format_stats(parse_sources(Path(args.sources))))
    if (Path(args.dist) / "store").is_dir():
        sys.stdout.write("\n" + format_graph_counts(Path(args.dist)))
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise GcmError(f"--param takes KEY=VALUE, got {pair!r}")
        out[key.strip()] = value
    return out


def cmd_query(args: argparse.Namespace) -> int:
    from . import api
    from .results import render

    if args.list or not args.name:
        for q in api.list_queries():
            print(f"{q.name:<42} {q.summary}")
        return 0
    result = api.query(args.name, _params(args.param), Path(args.dist), args.engine, args.endpoint)
    sys.stdout.write(render(result, args.format))
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    from . import api
    from .results import render

    if args.file:
        text = Path(args.file).read_text(encoding="utf-8")
    elif args.query:
        text = args.query
    else:
        raise GcmError("give a query, or --file F")
    result = api.sparql(text, Path(args.dist), args.engine, args.endpoint)
    sys.stdout.write(render(result, args.format))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .server.run import serve

    store = Path(args.dist) / "store"
    if not store.is_dir():
        raise GcmError("no built store here; run 'gcm-graph build' first", str(store))
    print(f"gcm-graph: serving {args.dist} at http://{args.host}:{args.port}/ (SPARQL endpoint /sparql); "
          "Ctrl-C stops", file=sys.stderr)
    serve(store, host=args.host, port=args.port, base_url=args.base_url, dumps_dir=Path(args.dist),
          query_timeout=args.timeout)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    import os

    from .publish import publish_dist

    password = args.password if args.password is not None else os.environ.get("GCM_GRAPH_PASSWORD")
    report = publish_dist(Path(args.dist), args.endpoint, report=args.report, graph_store=args.graph_store,
                          user=args.user, password=password, progress=stderr_progress)
    print(report.summary())
    return 0


def _query_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "tsv", "json", "markdown"), default="table",
                   help="output format (default: %(default)s)")
    p.add_argument("--dist", default=str(paths.DEFAULT_DIST), metavar="DIR", help="built output folder (default: %(default)s)")
    p.add_argument("--engine", choices=("pyoxigraph", "rdflib"), default="pyoxigraph",
                   help="embedded engine: pyoxigraph (fast, default) or rdflib (the reference)")
    p.add_argument("--endpoint", metavar="URL", help="run against a remote SPARQL endpoint instead (via SPARQLWrapper)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gcm-graph",
        description="Build, validate, query and publish a knowledge graph of national implementation of the "
                    "Global Compact for Safe, Orderly and Regular Migration (GCM).",
        epilog="Exit codes: 0 success, 1 validation found violations, 2 error. Run 'gcm-graph COMMAND --help'.",
    )
    p.add_argument("--version", action="version", version=f"gcm-graph {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    b = sub.add_parser("build", help="parse the source documents and build every output into dist/",
                       description="Parse every report in the sources folder and write the outputs (CSV, RDF, "
                                   "store) into the output folder. On any error the previous output stays as it was.")
    b.add_argument("--sources", default=str(paths.SOURCES_DIR), metavar="DIR",
                   help="folder of <slug>.md documents with <slug>.toml metadata (default: %(default)s)")
    b.add_argument("--out", default=str(paths.DEFAULT_DIST), metavar="DIR", help="output folder (default: %(default)s)")
    b.add_argument("--base", default=DEFAULT_BASE, metavar="URL", help="base of minted IRIs (default: %(default)s)")
    b.add_argument("--public-url", metavar="URL",
                   help="where the build will be served; the dataset description gives <URL>sparql as its SPARQL "
                        "endpoint and <URL>dumps/<file> as its dumps (default: the IRI base)")
    b.add_argument("--reference", metavar="DIR",
                   help="extra reference folder layered over data/reference/: agencies-<cc>.csv registers and "
                        "countries.csv rows for countries the project does not ship")
    b.add_argument("--no-validate", action="store_true", help="skip SHACL validation (faster; not for releases)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="validate the built graph, or RDF files, against the shapes",
                       description="Validate the built graph (default) or the given RDF files (Turtle, TriG, "
                                   "N-Triples, N-Quads, RDF/XML, JSON-LD) against the SHACL shapes and the "
                                   "check-*.rq queries, with the ontology. Exit codes: 0 conforms, 1 does not "
                                   "conform, 2 error (unreadable file: its name, line and column).")
    v.add_argument("files", nargs="*", metavar="FILE", help="RDF files to validate (default: the build in --dist)")
    v.add_argument("--dist", default=str(paths.DEFAULT_DIST), metavar="DIR", help="built output folder (default: %(default)s)")
    v.add_argument("--engine", choices=("native", "pyshacl"), default="native",
                   help="SHACL engine: native (our shapes compiled to SPARQL in pyoxigraph; fast, default) or pyshacl "
                        "(the reference implementation; the tests hold both to the same results) (default: %(default)s)")
    v.add_argument("--format", choices=("text", "turtle", "json", "junit"), default="text",
                   help="report format: text, turtle (SHACL report graph), json, junit (for CI) (default: %(default)s)")
    v.set_defaults(func=cmd_validate)

    q = sub.add_parser("query", help="run a canned query (gcm-graph query --list to see them)",
                       description="Run a canned query from queries/NAME.rq. Every query takes lang (en|es), "
                                   "report and country; others are listed by 'gcm-graph query --list' and in the README.")
    q.add_argument("name", nargs="?", help="query name, e.g. objective-coverage")
    q.add_argument("--list", action="store_true", help="list the canned queries with their questions")
    q.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE", help="a parameter (repeatable)")
    _query_options(q)
    q.set_defaults(func=cmd_query)

    sp = sub.add_parser("sparql", help="run any read-only SPARQL query against the build",
                        description="Run a SPARQL query given on the command line or in a file.")
    sp.add_argument("query", nargs="?", help="the SPARQL query text")
    sp.add_argument("--file", "-f", metavar="F", help="read the query from a file")
    _query_options(sp)
    sp.set_defaults(func=cmd_sparql)

    sv = sub.add_parser("serve", help="serve the build: SPARQL endpoint, linked data and web pages",
                        description="Start an HTTP server over the built store: a read-only SPARQL 1.1 Protocol "
                                    "endpoint at /sparql, dumps at /dumps/, and (with --base-url) every identifier "
                                    "under the base resolvable on this server.")
    sv.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    sv.add_argument("--base-url", metavar="URL",
                    help="public URL this server answers for, mapping the IRI base to it (e.g. http://localhost:8000/)")
    sv.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                    help="stop a query after this many seconds with 503 (default: %(default)s)")
    sv.add_argument("--dist", default=str(paths.DEFAULT_DIST), metavar="DIR", help="built output folder (default: %(default)s)")
    sv.set_defaults(func=cmd_serve)

    ex = sub.add_parser("export", help="write the build, or some of its graphs, in one RDF format",
                        description="Write the build's graphs from its store in one format: the distinct triples of "
                                    "the chosen graphs for triple formats (nt, ttl, rdf, jsonld), the graphs "
                                    "themselves for quad formats (nq, trig). Output is sorted and deterministic; "
                                    "JSON-LD is the build's compact form with its context inlined. dist/ already "
                                    "holds every format of the whole build; this picks parts.")
    ex.add_argument("--format", "-f", choices=("nt", "ttl", "rdf", "jsonld", "nq", "trig"), default="ttl",
                    help="output format (default: %(default)s)")
    ex.add_argument("--graph", "-g", action="append", default=[], metavar="NAME",
                    help="a named graph to export: a report's slug (e.g. mx-2020), ontology, reference, dataset or "
                         "inferred (repeatable; default: every graph but inferred)")
    ex.add_argument("--inferred", action="store_true", help="with no --graph, include the inferred graph too")
    ex.add_argument("--out", "-o", metavar="FILE", help="write to FILE, atomically (default: standard output)")
    ex.add_argument("--base", default=DEFAULT_BASE, metavar="URL", help="IRI base the build used (default: %(default)s)")
    ex.add_argument("--dist", default=str(paths.DEFAULT_DIST), metavar="DIR", help="built output folder (default: %(default)s)")
    ex.set_defaults(func=cmd_export)

    pb = sub.add_parser("publish", help="push the build's named graphs into a remote triple store",
                        description="Replace each named graph of the build (every report's, the ontology, reference "
                                    "and inferred graphs) in a store that speaks the SPARQL 1.1 Graph Store HTTP "
                                    "Protocol (Virtuoso, Fuseki, Oxigraph server). Each graph is uploaded to a "
                                    "temporary graph and swapped in with one SPARQL update, so readers never see a "
                                    "half-written graph; the triple count is verified afterwards. Transient failures "
                                    "are retried; an unreachable store, refused credentials or rejected data exit 2.")
    pb.add_argument("--endpoint", required=True, metavar="URL",
                    help="the store's SPARQL endpoint (for Virtuoso writes: http://HOST:8890/sparql-auth)")
    pb.add_argument("--graph-store", metavar="URL", help="its Graph Store Protocol URL (default: derived from --endpoint)")
    pb.add_argument("--user", metavar="U", help="user name (HTTP digest or basic authentication)")
    pb.add_argument("--password", metavar="P", help="password (or set GCM_GRAPH_PASSWORD, which keeps it out of "
                                                    "the process list)")
    pb.add_argument("--report", metavar="SLUG", help="publish only this report's graph (and the shared graphs)")
    pb.add_argument("--dist", default=str(paths.DEFAULT_DIST), metavar="DIR", help="built output folder (default: %(default)s)")
    pb.set_defaults(func=cmd_publish)

    s = sub.add_parser("stats", help="programmes per objective and lines left unattributed",
                       description="Parse the sources and print programmes per objective and the accounting of "
                                   "every non-blank source line (the goal: none unattributed).")
    s.add_argument("--sources", default=str(paths.SOURCES_DIR), metavar="DIR",
                   help="folder of source documents (default: %(default)s)")
    s.add_argument("--dist", default=str(paths.DEFAULT_DIST), metavar="DIR",
                   help="built output folder: its triples per named graph are shown when it exists (default: %(default)s)")
    s.set_defaults(func=cmd_stats)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GcmError as exc:
        print(f"gcm-graph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("gcm-graph: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
