"""The HTML views of the ontology (``/ontology``: its terms grouped by kind) and of a named graph
(``/graph/…``)."""

from __future__ import annotations

import re
from collections import defaultdict

from starlette.requests import Request
from starlette.responses import Response

from ..context import ServerContext
from ..data import DCTERMS, RDF_TYPE, RDFS, Term, iri_term, labels, select
from ..markup import Html, bilingual, esc, html, join, page, query_string, root
from ..views import Links, iri_html
from .common import alternates, english_first


OWL = "http://www.w3.org/2002/07/owl#"


async def ontology_page(request: Request, ctx: ServerContext, iri: str) -> Response:
    base = ctx.config.base_url
    doc = f"{base}ontology"
    links = Links(request, base)
    t = iri_term(doc)
    table = await select(ctx, f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s ?p ?o FILTER(isIRI(?s) && (?s = {t} || STRSTARTS(STR(?s), CONCAT(STR({t}), "#")))) FILTER(!isBlank(?o))
}} ORDER BY ?s ?p ?o""")
    terms: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for row in table.rows:
        terms[row["s"].value][row["p"].value].append(row["o"])
    wanted = {v.value for props in terms.values() for vs in props.values() for v in vs if v.is_iri}
    labels_ = await labels(ctx, wanted | set(terms))
    header = terms.pop(doc, {})

    def texts(props: dict[str, list[Term]], predicate: str) -> Html:
        return join(html('<p lang="{}">{}</p>', v.lang or "", v.value)
                    for v in sorted(props.get(predicate, []), key=english_first))

    groups = [(OWL + "Class", "Classes", "Clases"), (OWL + "ObjectProperty", "Object properties", "Propiedades de objeto"),
              (OWL + "DatatypeProperty", "Datatype properties", "Propiedades de datos"),
              (OWL + "AnnotationProperty", "Annotation properties", "Propiedades de anotación")]
    placed: set[str] = set()
    sections = [html('<div class="prose">{}</div>', texts(header, DCTERMS + "description"))]
    toc = []
    for type_iri, en, es in groups + [("", "Other terms", "Otros términos")]:
        members = sorted(s for s, props in terms.items() if s not in placed and
                         (not type_iri or type_iri in {v.value for v in props.get(RDF_TYPE, [])}))
        if not members:
            continue
        placed |= set(members)
        anchor = re.sub(r"[^a-z]+", "-", en.lower()).strip("-")
        toc.append(html('<a href="#{}">{}</a>', anchor, bilingual(en, es)))
        items = []
        for s in members:
            props = terms[s]
            local = s.split("#", 1)[1] if "#" in s else s
            facts = []
            for p, name_en, name_es in ((RDFS + "subClassOf", "subclass of", "subclase de"),
                                        (RDFS + "subPropertyOf", "subproperty of", "subpropiedad de"),
                                        (RDFS + "domain", "domain", "dominio"), (RDFS + "range", "range", "rango"),
                                        (OWL + "inverseOf", "inverse of", "inversa de")):
                vals = [v for v in props.get(p, []) if v.is_iri and v.value != s]
                if vals:
                    facts.append(html("<dt>{}</dt><dd>{}</dd>", bilingual(name_en, name_es),
                                      join((iri_html(v.value, links, labels_) for v in vals), ", ")))
            label = labels_.get(s)
            items.append(html('<article class="term" id="{0}"><h3><code>gcm:{0}</code> {1}</h3>{2}{3}</article>',
                              local, bilingual(label.en, label.es) if label else "",
                              texts(props, RDFS + "comment"),
                              html('<dl class="facts">{}</dl>', join(facts)) if facts else ""))
        sections.append(html('<section><h2 id="{}">{}</h2>{}</section>', anchor, bilingual(en, es), join(items)))
    sections.insert(0, html('<nav class="toc">{}</nav>', join(toc, " · ")))
    head_label = labels_.get(doc)
    title = bilingual(head_label.en, head_label.es) if head_label else esc("gcm ontology")
    subtitle = html('<code class="iri">{}</code> · {}', iri,
                    html("{} {}", bilingual("version", "versión"), header[OWL + "versionInfo"][0].value)
                    if header.get(OWL + "versionInfo") else "")
    return page(request, title, join(sections), subtitle=subtitle, alternates=alternates(request),
                headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None)


async def graph_page(request: Request, ctx: ServerContext, iri: str, triples: int) -> Response:
    example = f"SELECT ?s ?p ?o WHERE {{\n  GRAPH <{iri}> {{ ?s ?p ?o }}\n}} LIMIT 100"
    body = html(
        '<dl class="facts"><dt>{}</dt><dd>{}</dd></dl><p>{}</p><p><a href="{}/query{}">{}</a></p>',
        bilingual("Triples", "Tripletas"), f"{triples:,}",
        bilingual("A named graph of the store. Its whole content is available in the formats below.",
                  "Un grafo con nombre del almacén. Su contenido completo está disponible en los formatos de abajo."),
        root(request), query_string({"query": example}),
        bilingual("Query it in the SPARQL editor", "Consultarlo en el editor SPARQL"))
    return page(request, html("{} <code>{}</code>", bilingual("Graph", "Grafo"), iri.rsplit("/", 1)[-1]), body,
                subtitle=html('<code class="iri">{}</code>', iri), alternates=alternates(request),
                headers={"Vary": "Accept"}, dumps=ctx.config.dumps_dir is not None)
