"""Server-side HTML: every value is escaped unless it is already :class:`Html`, and the page layout.

Titles, descriptions and even IRIs come from the data, so no text reaches a page unescaped: :func:`html` formats a
template like ``str.format`` but escapes every argument (quotes included, so values are safe in attributes too);
only values already built by :func:`html`/:func:`esc`/:func:`join` pass through. Links are made only to http(s)
IRIs and to our own paths (:func:`href`); anything else (``javascript:``…) is shown as text.

Pages carry a Content-Security-Policy that allows scripts, styles and fetches from this server only (no inline
script, no CDN), and load nothing from elsewhere, so they work offline.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse

#: Scripts, styles and requests from this server only; inline SVG and data: images allowed; nothing framed.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class Html(str):
    """Text that is already HTML (built from escaped parts)."""

    __slots__ = ()

    def __html__(self) -> str:
        return self


def esc(value: Any) -> Html:
    """``value`` as HTML text (escaped), or unchanged if it already is :class:`Html`; None is empty."""
    if isinstance(value, Html):
        return value
    if value is None:
        return Html("")
    return Html(escape(str(value), quote=True))


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Html) and not format_spec:
            return value
        return esc(format(value, format_spec) if format_spec else value)


_FORMATTER = _Formatter()


def html(template: str, /, *args: Any, **kwargs: Any) -> Html:
    """``template.format(...)`` with every argument escaped (unless it is :class:`Html`)."""
    return Html(_FORMATTER.vformat(template, args, kwargs))


def join(parts: Iterable[Any], sep: Any = "") -> Html:
    return Html(esc(sep).join(esc(p) for p in parts))


def href(target: str) -> str | None:
    """``target`` if it is safe as a link (http(s) URL or a path of this server), else None."""
    if target.startswith(("https://", "http://")) or (target.startswith("/") and not target.startswith("//")):
        return target
    return None


def link(target: str | None, text: Any, **attrs: str) -> Html:
    """``<a href=target>text</a>``, or just the text when ``target`` is not a safe link."""
    safe = href(target) if target else None
    if safe is None:
        return esc(text)
    extra = join(html(' {}="{}"', k.rstrip("_").replace("_", "-"), v) for k, v in attrs.items())
    if safe.startswith("http"):
        extra = Html(extra + ' rel="noopener noreferrer"')
    return html('<a href="{}"{}>{}</a>', safe, extra, text)


def bilingual(en: Any, es: Any, sep: str = " · ") -> Html:
    """English text with the Spanish beside it (one of them when the other is missing or the same)."""
    en_text, es_text = (str(en) if en else ""), (str(es) if es else "")
    if en_text and es_text and en_text.strip().lower() != es_text.strip().lower():
        return html('<span lang="en">{}</span><span class="es" lang="es">{}{}</span>', en_text, sep, es_text)
    if en_text:
        return html('<span lang="en">{}</span>', en_text)
    return html('<span lang="es">{}</span>', es_text)


def query_string(params: dict[str, str | int | None]) -> str:
    parts = [f"{quote(str(k), safe='')}={quote(str(v), safe='')}" for k, v in params.items() if v not in (None, "")]
    return ("?" + "&".join(parts)) if parts else ""


NAV = (
    ("/", "Home", "Inicio"),
    ("/queries", "Queries", "Consultas"),
    ("/query", "SPARQL editor", "Editor SPARQL"),
    ("/ontology", "Ontology", "Ontología"),
)


def root(request: Request) -> str:
    """The path prefix the app is mounted under ('' normally)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def page(request: Request, title: Any, body: Any, *, status: int = 200, subtitle: Any = None,
         headers: dict[str, str] | None = None, alternates: Iterable[tuple[str, str, str]] = (),
         dumps: bool = False) -> HTMLResponse:
    """A whole page: ``title`` (text or Html), ``body`` (Html). ``alternates`` are (href, media type, label) of
    the same resource in other formats, announced with ``<link rel=alternate>`` and listed at the foot."""
    base = root(request)
    nav = list(NAV) + ([("/downloads", "Downloads", "Descargas")] if dumps else [])
    nav_html = join(html('<a href="{}{}">{}</a>', base, path, bilingual(en, es)) for path, en, es in nav)
    alt_links = join(html('<link rel="alternate" type="{}" href="{}">', media, target) for target, media, _ in alternates)
    alt_list = ""
    if alternates:
        alt_list = html('<p class="formats">{} {}</p>', html("{}:", bilingual("This page as data", "Esta página como datos")),
                        join((html('<a href="{}" type="{}">{}</a>', t, m, label) for t, m, label in alternates), " · "))
    sub = html('<p class="subtitle">{}</p>', subtitle) if subtitle else ""
    plain_title = str(title) if not isinstance(title, Html) else _strip_tags(title)
    text = html(
        """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{plain_title} · gcm-graph</title>
<link rel="stylesheet" href="{base}/static/style.css">
<link rel="icon" href="{base}/static/icon.svg" type="image/svg+xml">
{alt_links}
</head>
<body>
<header class="site">
<a class="brand" href="{base}/">gcm-graph</a>
<nav>{nav}</nav>
</header>
<main>
<h1>{title}</h1>
{sub}
{body}
{alt_list}
</main>
<footer class="site">
<p>{about}</p>
<p><a href="{base}/sparql">SPARQL endpoint</a> · <a href="{base}/queries">{queries}</a> · <a href="{base}/ontology">{ontology}</a></p>
</footer>
</body>
</html>
""",
        plain_title=plain_title, base=base, alt_links=alt_links, nav=nav_html, title=title, sub=sub, body=body,
        alt_list=alt_list, queries=bilingual("Canned queries", "Consultas predefinidas"),
        ontology=bilingual("Ontology", "Ontología"),
        about=bilingual("Federal programmes aligned with the 23 objectives of the Global Compact for Migration, "
                        "as linked data.",
                        "Programas federales alineados con los 23 objetivos del Pacto Mundial para la Migración, "
                        "como datos enlazados."),
    )
    all_headers = {"Content-Security-Policy": CSP, "Referrer-Policy": "same-origin", **(headers or {})}
    return HTMLResponse(text, status_code=status, headers=all_headers)


def _strip_tags(text: str) -> str:
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]*>", "", text))


def error_page(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    titles = {400: ("Bad request", "Solicitud incorrecta"), 404: ("Not found", "No encontrado"),
              406: ("Not acceptable", "No aceptable"), 503: ("Unavailable", "No disponible")}
    en, es = titles.get(status, ("Error", "Error"))
    body = html('<p class="error">{}</p><p><a href="{}/">{}</a></p>', message, root(request),
                bilingual("Back to the front page", "Volver a la página principal"))
    return page(request, bilingual(en, es), body, status=status, headers=headers)
