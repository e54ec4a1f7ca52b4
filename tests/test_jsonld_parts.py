"""JSON-LD written a report at a time is the document written in one pass, byte for byte; when nesting crosses
reports, the one pass is what runs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from gcm_graph.export import jsonld_parts
from gcm_graph.export.jsonld import Context, document_bytes
from gcm_graph.rdf.dataset import ontology_graph

B = "https://w3id.org/gcm-graph/"


@pytest.fixture(scope="module")
def context():
    return Context(B, ontology_graph())


def lines_of(path) -> list[str]:
    return [line[:-2] for line in path.read_text(encoding="utf-8").splitlines()]


def one_pass(lines, context) -> bytes:
    return document_bytes(ox.parse("".join(f"{x} .\n" for x in lines).encode(), format=ox.RdfFormat.N_TRIPLES),
                          context, presorted=True)


def test_parts_of_subjects():
    assert jsonld_parts.part_of(f"<{B}id/report/mx-2020>") == "mx-2020"
    assert jsonld_parts.part_of(f"<{B}id/report/mx-2020/period>") == "mx-2020"
    assert jsonld_parts.part_of(f"<{B}id/programme/mx-2020/7-14/result/2>") == "mx-2020"
    assert jsonld_parts.part_of(f"<{B}id/org/mx/sre>") == ""
    assert jsonld_parts.part_of("_:b0") == ""


def test_the_builds_jsonld_is_the_one_pass_document(built_dist, context, monkeypatch):
    lines = lines_of(built_dist / "gcm-graph.nt")
    assert (built_dist / "gcm-graph.jsonld").read_bytes() == one_pass(lines, context)
    calls = []
    monkeypatch.setattr(jsonld_parts, "document_bytes", lambda *a, **k: calls.append(1))
    parted = jsonld_parts.document_from_lines(lines, context)
    assert not calls, "the real build should be written a report at a time"
    assert parted == one_pass(lines, context)


def test_nesting_across_reports_falls_back_to_one_pass(context, monkeypatch):
    lines = sorted([
        f'<{B}id/programme/aa-2020/1-1> <{B}ontology#result> <{B}id/programme/bb-2020/1-1/result/1>',
        f'<{B}id/programme/aa-2020/1-1> <http://www.w3.org/2000/01/rdf-schema#label> "a"@es',
        f'<{B}id/programme/bb-2020/1-1/result/1> <{B}ontology#text> "t"@es',
        f'<{B}id/programme/bb-2020/1-2> <http://www.w3.org/2000/01/rdf-schema#label> "b"@es',
    ])
    expected = one_pass(lines, context)
    assert b'"results": [{"id": "' + f"{B}id/programme/bb-2020/1-1/result/1".encode() in expected  # nested
    calls = []
    real = jsonld_parts.document_bytes
    monkeypatch.setattr(jsonld_parts, "document_bytes", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert jsonld_parts.document_from_lines(lines, context) == expected and calls
