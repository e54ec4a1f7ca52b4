"""``gcm-graph validate`` on the build and on files: exit codes 0/1/2, problems named with their source line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from rdflib import Dataset, URIRef

from gcm_graph.namespaces import GCM

from .conftest import run_cli

ENTRY = URIRef("https://w3id.org/gcm-graph/id/programme/mx-2020/3-5")


def test_built_graph_conforms(built_dist):
    proc = run_cli("validate", "--dist", str(built_dist))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "Conforms" in proc.stdout


def test_missing_objective_link_fails_naming_the_programme(built_dist, tmp_path):
    ds = Dataset()
    ds.parse(built_dist / "gcm-graph.trig", format="trig")
    removed = list(ds.quads((ENTRY, GCM.objective, None, None)))
    assert removed
    for q in removed:
        ds.remove(q)
    broken = tmp_path / "broken.trig"
    broken.write_bytes(ds.serialize(format="trig", encoding="utf-8"))
    proc = run_cli("validate", str(broken), "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    mine = [p for p in report["problems"] if p["focus"] == str(ENTRY) and p["severity"] == "Violation"]
    assert mine and any(p["path"] == str(GCM.objective) for p in mine)
    assert mine[0]["line"] == 647  # the programme's title line in the source
    text = run_cli("validate", str(broken)).stdout
    assert f"Violation: {ENTRY} (mx-2020.md:647)" in text


def test_broken_turtle_is_exit_2_with_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n',
                   encoding="utf-8")
    proc = run_cli("validate", str(bad))
    assert proc.returncode == 2
    assert f"{bad}:3:" in proc.stderr and "syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_file_ending_and_missing_file_are_errors(tmp_path):
    assert run_cli("validate", str(tmp_path / "x.docx")).returncode == 2
    proc = run_cli("validate", str(tmp_path / "missing.ttl"))
    assert proc.returncode == 2 and "not found" in proc.stderr


def test_junit_report_lists_failures(built_dist, tmp_path):
    bad = tmp_path / "bad-entry.ttl"
    bad.write_text(
        "@prefix gcm: <https://w3id.org/gcm-graph/ontology#> .\n"
        "<https://w3id.org/gcm-graph/id/programme/mx-2020/99-1> a gcm:ProgrammeEntry .\n", encoding="utf-8")
    proc = run_cli("validate", str(bad), "--format", "junit")
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    failures = root.findall(".//failure")
    assert failures and int(root.get("failures")) == len(failures)
    assert any("99-1" in (f.text or "") for f in failures)
    passing = [c for c in root.iter("testcase") if c.find("failure") is None]
    assert passing  # shapes that held are listed too


def test_turtle_report_is_a_shacl_report_graph(tmp_path):
    from rdflib import Graph
    from rdflib.namespace import RDF

    from gcm_graph.namespaces import SH

    bad = tmp_path / "bad-entry.ttl"
    bad.write_text("@prefix gcm: <https://w3id.org/gcm-graph/ontology#> .\n"
                   "<https://w3id.org/gcm-graph/id/programme/mx-2020/99-1> a gcm:ProgrammeEntry .\n", encoding="utf-8")
    proc = run_cli("validate", str(bad), "--format", "turtle")
    g = Graph().parse(data=proc.stdout, format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert str(g.value(report, SH.conforms)) == "false"
    assert len(list(g.objects(report, SH.result))) >= 1


def test_validate_accepts_json_ld(tmp_path):
    good = tmp_path / "agency.jsonld"
    good.write_text(json.dumps({
        "@id": "https://w3id.org/gcm-graph/id/org/mx/inm",
        "@type": "https://w3id.org/gcm-graph/ontology#GovernmentAgency",
    }), encoding="utf-8")
    proc = run_cli("validate", str(good), "--format", "json")
    assert proc.returncode in (0, 1)
    assert json.loads(proc.stdout)["triples"] > 0


def test_both_engines_print_the_same_report(built_dist):
    native = run_cli("validate", "--dist", str(built_dist), "--format", "json")
    reference = run_cli("validate", "--dist", str(built_dist), "--format", "json", "--engine", "pyshacl")
    assert native.returncode == reference.returncode == 0
    assert json.loads(native.stdout) == json.loads(reference.stdout)
    assert json.loads(native.stdout)["problems"], "the real build has warnings both engines must list"
