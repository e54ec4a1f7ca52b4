"""One parsed report → its RDF: the report, its objective sections, programme entries and their parts.

Programme entries carry their text (``@es``), the order of their results and challenges (``gcm:position``) and
their source line span, so every statement can be traced to the document. No blank nodes: every node has a minted
IRI, which keeps the output byte-identical from one build to the next.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, DCAT

from ..iris import mint
from ..namespaces import GCM, SCHEMA
from ..records import Block, ParsedReport, ProgrammeEntry, Table
from ..registers import AgencyRegister
from .reference import agency_iri, country_iri
from .terms import integer, lang, non_negative, positive, string, xsd_date

PART_KINDS = {"results": ("result", GCM.Result, GCM.result), "challenges": ("challenge", GCM.Challenge, GCM.challenge)}


def entry_iri(base: str, report: str, p: ProgrammeEntry) -> URIRef:
    return mint("programme", base, report=report, objective=p.objective, number=p.number)


def description_text(blocks: tuple[Block, ...]) -> str:
    """The description as one text: paragraphs separated by blank lines, list items as ``- item`` lines."""
    out: list[str] = []
    previous_item = False
    for b in blocks:
        if b.kind == "item":
            marker = b.marker if b.marker and b.marker[0].isdigit() else "-"
            line = "  " * b.depth + f"{marker} {b.text}"
            out.append(line if previous_item or not out else "\n" + line)
            previous_item = True
        else:
            out.append(b.text if not out else "\n" + b.text)
            previous_item = False
    return "\n".join(out)


def add_report(g: Graph, report: ParsedReport, register: AgencyRegister, base: str) -> None:
    meta, doc = report.meta, report.document
    slug = meta.slug
    r = mint("report", base, report=slug)
    g.add((r, RDF.type, GCM.Report))
    g.add((r, DCTERMS.title, lang(meta.title, meta.language)))
    g.add((r, RDFS.label, lang(meta.title, meta.language)))
    if meta.title_en:
        g.add((r, DCTERMS.title, lang(meta.title_en, "en")))
    g.add((r, DCTERMS.issued, xsd_date(meta.published)))
    g.add((r, DCTERMS.language, string(meta.language)))
    g.add((r, GCM.country, country_iri(meta.country)))
    g.add((r, GCM.sha256, string(meta.sha256)))
    g.add((r, GCM.sourceFile, string(meta.source_file)))
    if meta.publisher_agency:
        publisher = register.resolve(meta.publisher_agency, report.document.path, 1)
        g.add((r, DCTERMS.publisher, agency_iri(base, meta.country, publisher.id)))
    if doc.introduction:
        g.add((r, GCM.introduction, lang("\n\n".join(b.text for b in doc.introduction), meta.language)))
    period = mint("period", base, report=slug)
    g.add((r, GCM.reportingPeriod, period))
    g.add((period, RDF.type, GCM.Period))
    g.add((period, DCAT.startDate, xsd_date(meta.period_start)))
    g.add((period, DCAT.endDate, xsd_date(meta.period_end)))

    for fn in doc.footnotes:
        f = mint("report-footnote", base, report=slug, index=fn.number)
        g.add((f, RDF.type, GCM.Footnote))
        g.add((f, GCM.footnoteNumber, positive(fn.number)))
        g.add((f, GCM.text, lang(fn.text, meta.language)))
        g.add((f, GCM.firstLine, positive(fn.first_line)))
        g.add((f, GCM.lastLine, positive(fn.last_line)))
        for url in fn.urls:
            g.add((f, SCHEMA.url, URIRef(url)))
        g.add((f, GCM.report, r))

    for o in doc.objectives:
        section = mint("section", base, report=slug, objective=o.number)
        g.add((section, RDF.type, GCM.ObjectiveSection))
        g.add((section, GCM.sectionObjective, mint("objective", base, number=o.number)))
        g.add((section, GCM.report, r))
        g.add((section, GCM.printedTitle, lang(o.printed_title, meta.language)))
        g.add((section, GCM.firstLine, positive(o.line)))
        g.add((section, GCM.lastLine, positive(max((p.last_line for p in o.programmes), default=o.line))))
        for p in o.programmes:
            add_entry(g, report, p, section, register, base)


def add_entry(g: Graph, report: ParsedReport, p: ProgrammeEntry, section: URIRef, register: AgencyRegister,
              base: str) -> None:
    meta = report.meta
    slug, language = meta.slug, meta.language
    s = entry_iri(base, slug, p)
    g.add((s, RDF.type, GCM.ProgrammeEntry))
    g.add((s, GCM.objective, mint("objective", base, number=p.objective)))
    g.add((s, GCM.report, mint("report", base, report=slug)))
    g.add((s, PROV.wasDerivedFrom, mint("report", base, report=slug)))
    g.add((s, GCM.section, section))
    g.add((s, GCM.entryNumber, integer(p.number)))
    g.add((s, DCTERMS.title, lang(p.title, language)))
    g.add((s, RDFS.label, lang(p.title, language)))
    g.add((s, GCM.firstLine, positive(p.first_line)))
    g.add((s, GCM.lastLine, positive(p.last_line)))
    description = description_text(p.description)
    if description:
        g.add((s, DCTERMS.description, lang(description, language)))
    for printed in p.agencies:
        agency = register.resolve(printed, report.document.path, p.first_line)
        iri = agency_iri(base, meta.country, agency.id)
        g.add((s, GCM.responsibleAgency, iri))
        if len(p.agencies) > 1:
            g.add((s, GCM.coResponsibleAgency, iri))
        g.add((s, GCM.printedAgency, string(printed)))
    for section_name, (kind, cls, prop) in PART_KINDS.items():
        for i, b in enumerate(p.blocks(section_name), start=1):
            part = mint("part", base, report=slug, objective=p.objective, number=p.number, kind=kind, index=i)
            g.add((s, prop, part))
            g.add((part, RDF.type, cls))
            g.add((part, GCM.position, positive(i)))
            g.add((part, GCM.text, lang(b.text, language)))
            g.add((part, GCM.depth, non_negative(b.depth)))
            if b.heading:
                g.add((part, GCM.heading, lang(b.heading, language)))
            g.add((part, GCM.firstLine, positive(b.first_line)))
            g.add((part, GCM.lastLine, positive(b.last_line)))
    for t_index, t in enumerate(p.tables, start=1):
        add_table(g, slug, p, t_index, t, language, base, s)
    for fn in p.footnotes:
        g.add((s, GCM.footnote, mint("report-footnote", base, report=slug, index=fn.number)))


def add_table(g: Graph, slug: str, p: ProgrammeEntry, t_index: int, t: Table, language: str, base: str,
              entry: URIRef) -> None:
    def part(index: str) -> URIRef:
        return mint("part", base, report=slug, objective=p.objective, number=p.number, kind="table", index=index)

    table = part(str(t_index))
    g.add((entry, GCM.table, table))
    g.add((table, RDF.type, GCM.Table))
    g.add((table, GCM.position, positive(t_index)))
    g.add((table, GCM.firstLine, positive(t.first_line)))
    g.add((table, GCM.lastLine, positive(t.last_line)))
    if t.heading:
        g.add((table, GCM.heading, lang(t.heading, language)))
    header = t.rows[0] if t.rows else ()
    for r_index, row in enumerate(t.rows, start=1):
        r = part(f"{t_index}-{r_index}")
        g.add((table, GCM.row, r))
        g.add((r, RDF.type, GCM.TableRow))
        g.add((r, GCM.position, positive(r_index)))
        g.add((r, GCM.firstLine, positive(t.first_line + r_index - 1)))
        for c_index, cell in enumerate(row, start=1):
            if not cell:
                continue
            c = part(f"{t_index}-{r_index}-{c_index}")
            g.add((r, GCM.cell, c))
            g.add((c, RDF.type, GCM.TableCell))
            g.add((c, GCM.position, positive(c_index)))
            g.add((c, GCM.text, lang(cell, language)))
            if r_index > 1 and c_index <= len(header) and header[c_index - 1]:
                g.add((c, GCM.column, string(header[c_index - 1])))
