"""A validation report as text, Turtle (a SHACL report graph), JSON, or JUnit XML for any CI."""

from __future__ import annotations

import json
from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .namespaces import SH, bind_all
from .validate import ValidationReport, VIOLATION

FORMATS = ("text", "turtle", "json", "junit")


def _where(p) -> str:
    if p.line is None:
        return ""
    return f" ({p.document or 'source'}:{p.line})"


def as_text(report: ValidationReport) -> str:
    lines = []
    for p in report.problems:
        lines.append(f"{p.severity}: {p.focus}{_where(p)}")
        if p.path:
            lines.append(f"    path: {p.path}")
        lines.append(f"    {p.message}")
        if p.value:
            lines.append(f"    value: {p.value}")
        if p.source:
            lines.append(f"    by: {p.source}")
    verdict = "Conforms" if report.conforms else "Does not conform"
    lines.append(f"{verdict}: {report.count(VIOLATION)} violation(s), {report.count('Warning')} warning(s), "
                 f"{report.count('Info')} info; {report.triples} triples checked against {len(report.checked)} "
                 "shapes and check queries.")
    return "\n".join(lines) + "\n"


def as_json(report: ValidationReport) -> str:
    return json.dumps({
        "conforms": report.conforms,
        "violations": report.count(VIOLATION), "warnings": report.count("Warning"), "triples": report.triples,
        "problems": [p.__dict__ for p in report.problems],
    }, ensure_ascii=False, indent=2) + "\n"


def as_turtle(report: ValidationReport) -> str:
    g = bind_all(Graph())
    root = URIRef("urn:gcm-graph:validation-report")
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    for i, p in enumerate(report.problems, start=1):
        r = URIRef(f"urn:gcm-graph:validation-report:result-{i}")
        g.add((root, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.resultSeverity, SH[p.severity]))
        g.add((r, SH.focusNode, URIRef(p.focus) if p.focus.startswith(("http", "urn:")) else Literal(p.focus)))
        g.add((r, SH.resultMessage, Literal(p.message)))
        if p.path:
            g.add((r, SH.resultPath, URIRef(p.path) if p.path.startswith("http") else Literal(p.path)))
        if p.value:
            g.add((r, SH.value, Literal(p.value)))
        if p.source:
            g.add((r, SH.sourceShape, URIRef(p.source) if p.source.startswith("http") else Literal(p.source)))
        if p.line is not None:
            g.add((r, URIRef("https://w3id.org/gcm-graph/ontology#firstLine"), Literal(p.line, datatype=XSD.integer)))
    return g.serialize(format="turtle")


def as_junit(report: ValidationReport) -> str:
    """One test case per shape or check query; its failures list the focus nodes that broke it."""
    by_source: dict[str, list] = defaultdict(list)
    for p in report.problems:
        by_source[p.source or "shapes"].append(p)
    names = sorted(set(report.checked) | set(by_source))
    failures = sum(1 for n in names if any(p.severity == VIOLATION for p in by_source.get(n, ())))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="gcm-graph validate" tests="{len(names)}" failures="{failures}">',
           f'  <testsuite name="gcm-graph validate" tests="{len(names)}" failures="{failures}" errors="0">']
    for name in names:
        problems = by_source.get(name, [])
        violations = [p for p in problems if p.severity == VIOLATION]
        out.append(f'    <testcase classname="gcm-graph.shapes" name={quoteattr(name)}>')
        if violations:
            body = "\n".join(f"{p.focus}{_where(p)}: {p.message}" + (f" [path {p.path}]" if p.path else "")
                             for p in violations)
            out.append(f'      <failure message={quoteattr(f"{len(violations)} violation(s)")}>{escape(body)}</failure>')
        others = [p for p in problems if p.severity != VIOLATION]
        if others:
            text = "\n".join(f"{p.severity}: {p.focus}{_where(p)}: {p.message}" for p in others)
            out.append(f"      <system-out>{escape(text)}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"


def render(report: ValidationReport, fmt: str) -> str:
    return {"text": as_text, "turtle": as_turtle, "json": as_json, "junit": as_junit}[fmt](report)
