"""``serve()`` as the CLI will run it: a separate process serving an on-disk store read-only (or a TriG file),
stopped with Ctrl-C; plus start-up errors and the benchmark's command line."""

from __future__ import annotations

import gc
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from gcm_graph import paths
from gcm_graph.server import ServerError, serve

from .test_server_support import build_store, build_trig, free_port

SERVE = "import sys; from gcm_graph.server import serve; serve(sys.argv[1], port=int(sys.argv[2]), workers=2, " \
        "log_level='warning', access_log=False)"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def count(port: int, timeout: float = 30) -> int:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) {?s ?p ?o}"})
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return int(json.loads(resp.read())["results"]["bindings"][0]["n"]["value"])
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def run_serve(source: Path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(source), str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, port


def stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("disk") / "store"
    store = ox.Store(str(folder))
    store.load(build_trig().encode("utf-8"), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    gc.collect()
    return folder


def test_serve_on_disk_store_read_only(disk_store):
    before = snapshot(disk_store)
    proc, port = run_serve(disk_store)
    try:
        assert count(port) == len(build_store())
        worker_pids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(worker_pids) == 2
    finally:
        code, err = stop(proc)
    assert code == 0, err
    assert "Traceback" not in err
    for pid in worker_pids:  # the workers went with the server
        assert subprocess.run(["kill", "-0", pid], capture_output=True).returncode != 0
    assert snapshot(disk_store) == before  # nothing in the store folder was written


def test_serve_a_trig_file(tmp_path):
    trig = tmp_path / "gcm-graph.trig"
    trig.write_text(build_trig(), encoding="utf-8")
    proc, port = run_serve(trig)
    try:
        assert count(port) == len(build_store())
    finally:
        code, err = stop(proc)
    assert code == 0, err


def test_gcm_graph_serve_over_the_real_build(built_dist):
    """What a new user does: ``gcm-graph serve`` over the build, then a query with SPARQLWrapper; Ctrl-C stops it."""
    import signal
    import socket
    import time

    from SPARQLWrapper import JSON, SPARQLWrapper

    from .conftest import gcm_graph_exe

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([gcm_graph_exe(), "serve", "--dist", str(built_dist), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        sparql = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        sparql.setQuery("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/gcm-graph/ontology#ProgrammeEntry> }")
        sparql.setReturnFormat(JSON)
        deadline = time.monotonic() + 60
        while True:
            try:
                result = sparql.query().convert()
                break
            except Exception:  # not listening yet
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "gcm-graph serve did not start within 60 s"
                time.sleep(0.2)
        assert result["results"]["bindings"][0]["n"]["value"] == "176"
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    assert code == 0


def test_start_up_errors_are_one_line(tmp_path):
    with pytest.raises(ServerError, match="no such store folder or RDF file"):
        serve(tmp_path / "missing")
    (tmp_path / "data.xyz").write_text("x")
    with pytest.raises(ServerError, match="unknown RDF file extension"):
        serve(tmp_path / "data.xyz")
    (tmp_path / "bad.ttl").write_text("this is not turtle")
    with pytest.raises(ServerError, match="cannot load"):
        serve(tmp_path / "bad.ttl")
    from gcm_graph.server import ServerConfig

    with pytest.raises(ServerError, match="query_timeout must be positive"):
        ServerConfig(query_timeout=0)


def test_benchmark_has_a_command_line():
    script = paths.ROOT / "benchmarks" / "load.py"
    proc = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "requests/second" in proc.stdout and "--concurrency" in proc.stdout


def test_workers_can_share_the_on_disk_store(disk_store):
    """worker_store="shared": each worker opens the store folder with Store.read_only instead of a copy."""
    from gcm_graph.server import ServerConfig

    from .test_server_support import running_server

    before = snapshot(disk_store)
    with running_server(str(disk_store), ServerConfig(workers=2, worker_store="shared")) as srv:
        assert srv.app.state.ctx.worker_init.get("store_dir") == str(disk_store)
        assert count(srv.port) == len(build_store())
    assert snapshot(disk_store) == before
