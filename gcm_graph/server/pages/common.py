"""What the resource pages share: the vocabulary's IRIs, the table of a resource's statements, and the links to
the same description in RDF formats."""

from __future__ import annotations

from collections import defaultdict

from starlette.requests import Request

from ..data import DCTERMS, RDF_TYPE, RDFS, SKOS, Description, Label, Term
from ..markup import Html, bilingual, html, join, link
from ..views import Links, count_text, term_html


def gcm(base: str, term: str) -> str:
    return f"{base}ontology#{term}"


PRIORITY = [RDF_TYPE, SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", SKOS + "notation", SKOS + "definition",
            DCTERMS + "description", RDFS + "comment"]


def _predicate_order(links: Links):  # noqa: ANN202
    def key(p: str) -> tuple[int, str]:
        return (PRIORITY.index(p) if p in PRIORITY else len(PRIORITY), links.curie(p))
    return key


def statements_table(statements, links: Links, labels_: dict[str, Label], caption: Html,  # noqa: ANN001
                     collapse_over: int = 12) -> Html:
    grouped: dict[str, list] = defaultdict(list)
    for s in statements:
        grouped[s.predicate].append(s)
    rows = []
    for p in sorted(grouped, key=_predicate_order(links)):
        items = grouped[p]
        values = [html("<li>{}{}</li>", term_html(s.value, links, labels_),
                       Html(' <span class="badge" title="inferred by the reasoner · inferido">inferred · inferido</span>')
                       if s.inferred else "") for s in items]
        cell = html('<ul class="values">{}</ul>', join(values))
        if len(items) > collapse_over:
            cell = html("<details><summary>{}</summary>{}</details>",
                        count_text(len(items), "value", "values", "valor", "valores"), cell)
        plabel = labels_.get(p)
        pname = link(links.target(p), links.curie(p))
        if plabel and (plabel.en or plabel.es):
            pname = html('{}<br><small>{}</small>', pname, bilingual(plabel.en, plabel.es))
        rows.append(html('<tr><th scope="row">{}</th><td>{}</td></tr>', pname, cell))
    return html('<div class="scroll"><table class="statements"><caption>{}</caption><tbody>{}</tbody></table></div>',
                caption, join(rows))


def english_first(term: Term) -> tuple[int, str]:
    return ({"en": 0, "es": 1}.get(term.lang or "", 2), term.lang or "")


def alternates(request: Request) -> list[tuple[str, str, str]]:
    path = request.url.path
    return [(f"{path}?format={f}", media, name) for f, media, name in (
        ("ttl", "text/turtle", "Turtle"), ("jsonld", "application/ld+json", "JSON-LD"),
        ("nt", "application/n-triples", "N-Triples"), ("rdf", "application/rdf+xml", "RDF/XML"))]


def iris_in(desc: Description) -> set[str]:
    out = {s.predicate for s in desc.outgoing + desc.incoming}
    out |= {s.value.value for s in desc.outgoing + desc.incoming if s.value.is_iri}
    return out
