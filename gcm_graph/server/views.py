"""Pieces of pages shared by the route modules: links to our identifiers, RDF terms and result tables as HTML,
and the HTML "format" taking part in content negotiation."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

from ..namespaces import prefixes
from .data import XSD, Label, Table, Term
from .formats import Format
from .markup import Html, bilingual, esc, html, join, link, root

HTML = Format("html", "text/html", ("text/html", "application/xhtml+xml"), ("html", "htm"))

_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger",
                             "positiveInteger", "short")}


class Links:
    """Turns IRIs into links: ours (under the base) into paths of this server, others into themselves."""

    def __init__(self, request: Request, base: str):
        self.base = base
        self.root = root(request)
        self._prefixes = sorted(prefixes(base).items(), key=lambda kv: -len(kv[1]))

    def path(self, iri: str) -> str | None:
        """The path on this server that answers for ``iri`` (None if it is not under the base)."""
        if iri.startswith(self.base) and len(iri) > len(self.base):
            return self.root + "/" + iri[len(self.base):]
        return None

    def target(self, iri: str) -> str:
        return self.path(iri) or iri

    def curie(self, iri: str) -> str:
        for prefix, ns in self._prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                local = iri[len(ns):]
                if all(c.isalnum() or c in "-_./" for c in local) and not local.startswith("/"):
                    return f"{prefix}:{local}"  # for people to read ('/' would need escaping in SPARQL)
        return iri


def label_text(label: Label | None, lang: str = "en") -> str | None:
    if label is None:
        return None
    return label.best(lang) or label.notation or (_short(label.text) if label.text else None)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def named(label: Label | None, fallback: str) -> Html:
    """The name of a thing in English with the Spanish beside it (acronym first for organisations)."""
    if label is None:
        return esc(fallback)
    en, es = label.en, label.es
    if not en and not es:
        text = label.other or label.notation or (_short(label.text) if label.text else None) or fallback
        return esc(text)
    prefix = html("<abbr>{}</abbr> ", label.acronym) if label.acronym else ""
    return html("{}{}", prefix, bilingual(en, es))


def iri_html(iri: str, links: Links, labels: dict[str, Label] | None = None, *, show_iri: bool = False) -> Html:
    label = (labels or {}).get(iri)
    text = named(label, links.curie(iri)) if label else esc(links.curie(iri))
    out = link(links.target(iri), text)
    if show_iri and label:
        out = html('{} <code class="iri">{}</code>', out, links.curie(iri))
    return out


def literal_html(term: Term, tags: bool = True) -> Html:
    if term.lang and not tags:
        return html('<span lang="{}">{}</span>', term.lang, term.value)
    if term.lang:
        return html('<span lang="{}">{}</span> <span class="tag">@{}</span>', term.lang, term.value, term.lang)
    if term.datatype and term.datatype not in _NUMERIC and term.datatype != XSD + "string":
        return html('{} <span class="tag">{}</span>', term.value, term.datatype.replace(XSD, "xsd:"))
    return esc(term.value)


def term_html(term: Term, links: Links, labels: dict[str, Label] | None = None, tags: bool = True) -> Html:
    if term.is_iri:
        return iri_html(term.value, links, labels)
    if term.kind == "bnode":
        return html('<span class="bnode">_:{}</span>', term.value)
    if term.is_literal:
        return literal_html(term, tags)
    return esc(term.value)


def is_numeric(term: Term | None) -> bool:
    return bool(term and term.is_literal and term.datatype in _NUMERIC)


def results_table(table: Table, links: Links, labels: dict[str, Label] | None = None,
                  caption: str | Html | None = None) -> Html:
    """A SELECT result as an HTML table: IRIs as links (ours to this server), numbers right-aligned."""
    head = join(html("<th scope=\"col\">{}</th>", c) for c in table.columns)
    body_rows: list[Html] = []
    for row in table.rows:
        cells = []
        for c in table.columns:
            term = row.get(c)
            cls = ' class="num"' if is_numeric(term) else ""
            cells.append(html("<td{}>{}</td>", Html(cls), term_html(term, links, labels, tags=False) if term else ""))
        body_rows.append(html("<tr>{}</tr>", join(cells)))
    cap = html("<caption>{}</caption>", caption) if caption else ""
    return html('<div class="scroll"><table class="results">{}<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>',
                cap, head, join(body_rows))


def count_text(n: int, en_one: str, en_many: str, es_one: str, es_many: str) -> Html:
    return bilingual(f"{n} {en_one if n == 1 else en_many}", f"{n} {es_one if n == 1 else es_many}")


def definition_list(items: Iterable[tuple[Html | str, Html | str]]) -> Html:
    return html('<dl class="facts">{}</dl>', join(html("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in items))
