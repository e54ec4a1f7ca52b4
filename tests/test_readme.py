"""The README's commands are real: the quick start is the two make commands, every ``gcm-graph`` command it shows
exists with the options it uses, and its SPARQLWrapper example runs against the real server over the real build."""

from __future__ import annotations

import contextlib
import io
import re

from .conftest import ROOT, run_cli
from .test_web_support import real_server

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_the_two_make_commands():
    quick = README[README.index("## Quick start"):]
    block = quick[quick.index("```sh") + 5: quick.index("```", quick.index("```sh") + 5)]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make build", "make test"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")


def test_every_documented_command_and_option_exists():
    # Commands in inline code (`gcm-graph …`) and on lines of code blocks.
    shown = re.findall(r"`gcm-graph ([a-z]+)([^`]*)`", README)
    shown += re.findall(r"^\s*(?:\S*/)?gcm-graph ([a-z]+)(.*)$", README, flags=re.MULTILINE)
    assert {c for c, _ in shown} >= {"build", "stats", "validate", "query", "sparql", "serve"}
    helps: dict[str, str] = {}
    for command, options in shown:
        if command not in helps:
            proc = run_cli(command, "--help")
            assert proc.returncode == 0, f"'gcm-graph {command}' in the README is not a command"
            helps[command] = proc.stdout
        for option in re.findall(r"--[a-z-]+", options):
            assert option in helps[command], f"'gcm-graph {command} {option}' in the README is not an option"


def test_sparqlwrapper_example_runs_against_the_real_server(built_dist):
    text = README[README.index("from SPARQLWrapper import"):]
    code = text[: text.index("```")]
    with real_server(built_dist) as srv:
        code = code.replace("http://localhost:8000/sparql", srv.sparql)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
    rows = [line.split() for line in out.getvalue().splitlines()]
    assert len(rows) == 22  # objectives with at least one programme (22 has none)
    assert dict(rows)["7"] == "21" and dict(rows)["1"] == "18"
