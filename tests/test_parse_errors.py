"""Bad input: each is a clear error naming the file and line; a failed build leaves dist/ untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from gcm_graph.errors import ParseError, SourceError
from gcm_graph.parse import parse_document
from gcm_graph.sources import read_source

from .conftest import REAL_META, run_cli


def _lines(real_text: str) -> list[str]:
    return real_text.split("\n")


def test_empty_document():
    with pytest.raises(ParseError) as err:
        parse_document("\n\n  \n", "empty.md")
    assert err.value.line == 1 and "empty" in str(err.value)


def test_truncated_document_names_the_last_line(real_text):
    lines = _lines(real_text)
    cut = next(i for i, line in enumerate(lines) if line.startswith("## **Objetivo 13."))
    with pytest.raises(ParseError) as err:
        parse_document("\n".join(lines[:cut]), "cut.md")
    assert "objective 12" in str(err.value) and "truncated" in str(err.value)
    assert str(err.value).startswith("cut.md:")


def test_programme_before_any_objective(real_text):
    lines = _lines(real_text)
    lines.insert(40, "### **1. Un programa sin objetivo (INM)**")
    with pytest.raises(ParseError) as err:
        parse_document("\n".join(lines), "early.md")
    assert err.value.line == 41 and "before any objective" in str(err.value)


def test_objectives_out_of_order(real_text):
    text = real_text.replace("## **Objetivo 5.", "## **Objetivo 6.", 1)
    with pytest.raises(ParseError) as err:
        parse_document(text, "order.md")
    assert "expected objective 5" in str(err.value)
    assert _lines(text)[err.value.line - 1].startswith("## **Objetivo 6.")


def test_objective_repeated(real_text):
    text = real_text.replace("## **Objetivo 9.", "## **Objetivo 8.", 1)
    with pytest.raises(ParseError) as err:
        parse_document(text, "repeat.md")
    assert "repeated" in str(err.value) and "already at line" in str(err.value)


def test_programme_number_repeated_in_objective(real_text):
    text = real_text.replace("### **3. Medidas de facilitación para ingreso", "### **2. Medidas de facilitación para ingreso", 1)
    with pytest.raises(ParseError) as err:
        parse_document(text, "dup.md")
    assert "programme number 2 is repeated in objective 5" in str(err.value)
    assert "first at line 861" in str(err.value)


def _copy_sources(tmp_path: Path, text: bytes | None = None) -> Path:
    src = tmp_path / "sources"
    src.mkdir()
    shutil.copy(REAL_META, src / "mx-2020.toml")
    doc = src / "mx-2020.md"
    if text is None:
        shutil.copy(REAL_META.with_suffix(".md"), doc)
    else:
        doc.write_bytes(text)
        meta = (src / "mx-2020.toml").read_text(encoding="utf-8")
        old = read_source(REAL_META).meta.sha256
        (src / "mx-2020.toml").write_text(meta.replace(old, hashlib.sha256(text).hexdigest()), encoding="utf-8")
    return src


def test_document_in_another_encoding(tmp_path, real_text):
    src = _copy_sources(tmp_path, real_text.encode("latin-1", errors="replace"))
    with pytest.raises(SourceError) as err:
        read_source(src / "mx-2020.toml")
    assert "not UTF-8" in str(err.value)
    first_non_ascii = next(i for i, line in enumerate(_lines(real_text)) if any(ord(c) > 127 for c in line)) + 1
    assert err.value.line == first_non_ascii


def test_document_that_does_not_match_its_metadata(tmp_path):
    src = _copy_sources(tmp_path)
    with open(src / "mx-2020.md", "ab") as fh:
        fh.write(b"\nuna linea mas\n")
    with pytest.raises(SourceError) as err:
        read_source(src / "mx-2020.toml")
    assert "does not match" in str(err.value)


def test_failed_build_leaves_previous_output_untouched(tmp_path, real_text):
    good = _copy_sources(tmp_path)
    out = tmp_path / "dist"
    assert run_cli("build", "--sources", str(good), "--out", str(out), "-q").returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad_text = real_text.replace("## **Objetivo 9.", "## **Objetivo 8.", 1).encode("utf-8")
    shutil.copytree(_copy_sources(bad_dir, bad_text), tmp_path / "bad-sources")
    proc = run_cli("build", "--sources", str(tmp_path / "bad-sources"), "--out", str(out), "-q")
    assert proc.returncode == 2
    assert "mx-2020.md:" in proc.stderr and "repeated" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")) == []  # no leftovers
