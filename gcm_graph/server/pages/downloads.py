"""``/downloads``: the files of the build (:mod:`..dumps` serves them), with their sizes."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from ..context import ServerContext
from ..dumps import safe_file
from ..markup import bilingual, html, join, page, root

DUMP_NOTES = {".trig": ("every graph, with its name (TriG)", "todos los grafos, con su nombre (TriG)"),
              ".nq": ("every graph, with its name (N-Quads)", "todos los grafos, con su nombre (N-Quads)"),
              ".ttl": ("Turtle", "Turtle"), ".nt": ("N-Triples", "N-Triples"), ".jsonld": ("JSON-LD", "JSON-LD"),
              ".rdf": ("RDF/XML", "RDF/XML"), ".csv": ("a table (CSV)", "una tabla (CSV)")}


def downloads_page(request: Request, ctx: ServerContext) -> Response:
    folder = ctx.config.dumps_dir
    files = []
    if folder is not None and Path(folder).is_dir():
        files = [p for p in sorted(Path(folder).iterdir())
                 if p.is_file() and safe_file(Path(folder), p.name) is not None]
    rows = join(html('<tr><td><a href="{}/dumps/{}" download>{}</a></td><td class="num">{}</td><td>{}</td></tr>',
                     root(request), p.name, p.name, f"{p.stat().st_size:,}",
                     bilingual(*DUMP_NOTES.get(p.suffix, ("", "")))) for p in files)
    body = html('<p>{}</p><div class="scroll"><table><thead><tr><th>{}</th><th class="num">{}</th><th>{}</th></tr>'
                "</thead><tbody>{}</tbody></table></div>",
                bilingual("The whole graph, as built, in several formats.",
                          "El grafo completo, tal como se construyó, en varios formatos."),
                bilingual("file", "archivo"), bilingual("bytes", "bytes"), bilingual("content", "contenido"), rows)
    return page(request, bilingual("Downloads", "Descargas"), body, dumps=folder is not None,
                status=200 if folder is not None else 404)
