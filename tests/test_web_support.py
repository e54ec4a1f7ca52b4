"""Shared by the test_web_* modules (no tests here): the real server over the real build (``built_dist``, the
session's one ``gcm-graph build``), and small helpers to read its answers."""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from gcm_graph.server import ServerConfig

from .test_server_support import RunningServer, running_server

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends


@contextlib.contextmanager
def real_server(dist: Path, **settings) -> Iterator[RunningServer]:
    config = ServerConfig(dumps_dir=dist, workers=2, query_timeout=20, **settings)
    with running_server(str(dist / "store"), config) as srv:
        yield srv


def sparql_rows(srv: RunningServer, query: str) -> list[dict[str, str]]:
    status, _, body = srv.query(query, "application/sparql-results+json")
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def path_of(srv: RunningServer, iri: str, base: str) -> str:
    assert iri.startswith(base)
    return "/" + iri[len(base):]


def qs(**params: str) -> str:
    return "?" + urllib.parse.urlencode(params)
