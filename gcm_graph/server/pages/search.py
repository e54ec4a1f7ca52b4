"""``/search``: programme entries whose text matches, with the matching snippets highlighted, and the search
form the front page shows too."""

from __future__ import annotations

from collections import defaultdict

from starlette.requests import Request
from starlette.responses import Response

from ...errors import QueryError
from ...queries import bind, by_name, fold, render
from ..context import ServerContext
from ..data import Term, select
from ..markup import Html, bilingual, error_page, esc, html, join, link, page, query_string, root
from ..views import Links, count_text
from ..web import parse_params


def search_form(request: Request, text: str = "") -> Html:
    return html('<form class="search" method="get" action="{}/search" role="search">'
                '<label for="search-text">{}</label><div class="row"><input id="search-text" name="text" type="search" '
                'value="{}" placeholder="niñez, repatriación, consular…" required>'
                '<button type="submit">{}</button></div></form>',
                root(request), bilingual("Search the programmes", "Buscar en los programas"), text,
                bilingual("Search", "Buscar"))


def highlight(snippet: str, needle: str) -> Html:
    """``snippet`` with each accent- and case-insensitive occurrence of ``needle`` (already folded) marked."""
    folded = fold(snippet)
    if not needle or len(folded) != len(snippet):
        return esc(snippet)
    out, at = [], 0
    while True:
        i = folded.find(needle, at)
        if i < 0:
            break
        out.append(esc(snippet[at:i]))
        out.append(html("<mark>{}</mark>", snippet[i:i + len(needle)]))
        at = i + len(needle)
    out.append(esc(snippet[at:]))
    return join(out)


SECTION_NAMES = {"title": ("title", "título"), "description": ("description", "descripción"),
                 "results": ("results", "resultados"), "challenges": ("challenges", "retos")}


async def search_page(request: Request, ctx: ServerContext) -> Response:
    params = parse_params(request.scope.get("query_string", b""))
    text = (params.get("text") or params.get("q") or [""])[0]
    links = Links(request, ctx.config.base_url)
    parts = [search_form(request, text)]
    status = 200
    if text.strip():
        query = by_name("search")
        try:
            rendered = render(query, bind(query, {"text": text}, ctx.config.base_url))
        except QueryError as exc:
            return error_page(request, 400, exc.message)
        table = await select(ctx, rendered)
        needle = fold(text.strip())
        grouped: dict[str, list[dict[str, Term]]] = defaultdict(list)
        for row in table.rows:
            grouped[row["programme"].value].append(row)
        items = []
        for prog, rows in grouped.items():
            first = rows[0]
            key = f"{first['objective'].value if 'objective' in first else '?'}-{first['number'].value}"
            hits = join(html('<li><span class="section">{}</span> <span lang="es">{}</span></li>',
                             bilingual(*SECTION_NAMES.get(r["section"].value, (r["section"].value,) * 2)),
                             highlight(r["snippet"].value if "snippet" in r else "", needle)) for r in rows[:5])
            more = html('<li class="more">{}</li>', bilingual(f"and {len(rows) - 5} more", f"y {len(rows) - 5} más")) \
                if len(rows) > 5 else ""
            items.append(html('<li class="hit"><h3><span class="key">{}</span> {}</h3><ul>{}{}</ul></li>',
                              key, link(links.target(prog), html('<span lang="es">{}</span>',
                                                                 first["title"].value if "title" in first else prog)),
                              hits, more))
        parts.append(html('<p class="count" role="status">{}</p>', count_text(
            len(grouped), "programme entry matches", "programme entries match", "entrada coincide", "entradas coinciden")))
        parts.append(html('<ol class="hits">{}</ol>', join(items)))
        parts.append(html('<p><a href="{}/queries/search{}">{}</a></p>', root(request), query_string({"text": text}),
                          bilingual("The same as a table, CSV or JSON", "Lo mismo como tabla, CSV o JSON")))
    return page(request, bilingual("Search", "Búsqueda"), join(parts), status=status,
                dumps=ctx.config.dumps_dir is not None)
