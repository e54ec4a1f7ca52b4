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
    result = build(Path(args.sources), Path(args.out), args.base, _progress(args))
    print(f"built {result.programme_count} programme entries from {len(result.reports)} report(s) into {result.out}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import format_stats

    sys.stdout.write(format_stats(parse_sources(Path(args.sources))))
    return 0


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
    b.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("stats", help="programmes per objective and lines left unattributed",
                       description="Parse the sources and print programmes per objective and the accounting of "
                                   "every non-blank source line (the goal: none unattributed).")
    s.add_argument("--sources", default=str(paths.SOURCES_DIR), metavar="DIR",
                   help="folder of source documents (default: %(default)s)")
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
