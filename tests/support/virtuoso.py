"""A real, throw-away Virtuoso 7 server for tests: loopback only, free ports, its own database in a temp folder.

Needs the Debian package ``virtuoso-opensource`` (``virtuoso-t``, ``isql-vt``, a template ``virtuoso.ini``)::

    sudo apt-get update && sudo apt-get install -y virtuoso-opensource

Nothing is skipped when it is missing: the fixture fails and says how to install it. (It does not install it
itself: tests that change the machine surprise people, and CI installs it in ``.ci/run``.) ``VIRTUOSO_BIN`` and
``VIRTUOSO_INI`` point to another binary or template.

The server runs with the package's settings except for paths, ports and limits: ``MaxQueryExecutionTime`` 120 s
and ``ResultSetMaxRows`` 1,000,000 (the package's 60 s / 10,000 can fail or silently truncate whole-graph
queries). Users: ``dba``/``dba`` (may update through the Digest endpoints ``/sparql-auth`` and
``/sparql-graph-crud-auth``), ``reader``/``reader`` (SPARQL_SELECT only); ``/sparql-basic-auth`` and
``/sparql-graph-crud-basic-auth`` are the same endpoints behind HTTP Basic instead of Digest.
"""

from __future__ import annotations

import atexit
import configparser
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

INSTALL_HINT = ("Virtuoso 7 is needed for these tests and was not found. Install it with:\n"
                "    sudo apt-get update && sudo apt-get install -y virtuoso-opensource\n"
                "(or set VIRTUOSO_BIN to a virtuoso-t binary and VIRTUOSO_INI to a template virtuoso.ini)")
TEMPLATES = ("/usr/share/virtuoso-opensource-7/virtuoso.ini", "/etc/virtuoso-opensource-7/virtuoso.ini")

SETUP_SQL = """
DB.DBA.USER_CREATE ('reader', 'reader');
GRANT SPARQL_SELECT TO "reader";
DB.DBA.VHOST_DEFINE (lpath=>'/sparql-basic-auth', ppath=>'/!sparql/', is_dav=>1, vsp_user=>'dba',
  opts=>vector ('noinherit', 1), auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic');
DB.DBA.VHOST_DEFINE (lpath=>'/sparql-graph-crud-basic-auth', ppath=>'/!sparql-graph-crud/', is_dav=>1,
  vsp_user=>'dba', opts=>vector ('noinherit', 1, 'exec_as_get', 1), auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER',
  realm=>'SPARQL', sec=>'basic');
"""


class VirtuosoMissing(RuntimeError):
    pass


def find_virtuoso() -> tuple[str, str | None, str]:
    """(virtuoso-t, template virtuoso.ini or None, isql-vt); raises VirtuosoMissing with the install hint."""
    binary = os.environ.get("VIRTUOSO_BIN") or shutil.which("virtuoso-t") or _first_file(
        "/usr/bin/virtuoso-t", "/opt/virtuoso-opensource/bin/virtuoso-t", "/usr/local/virtuoso-opensource/bin/virtuoso-t")
    if not binary or not Path(binary).is_file():
        raise VirtuosoMissing(INSTALL_HINT)
    isql = shutil.which("isql-vt") or shutil.which("isql", path=str(Path(binary).parent))
    if not isql:
        raise VirtuosoMissing(INSTALL_HINT + "\n(virtuoso-t was found but not its isql-vt client)")
    template = os.environ.get("VIRTUOSO_INI") or _first_file(*TEMPLATES)
    return binary, template, isql


def _first_file(*paths: str) -> str | None:
    return next((p for p in paths if Path(p).is_file()), None)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(eq=False)
class Virtuoso:
    """One server; ``start()`` and ``stop()`` it, or use :func:`running_virtuoso`."""

    root: Path
    binary: str
    isql_binary: str
    template: str | None = None
    http_port: int = field(default_factory=free_port)
    isql_port: int = field(default_factory=free_port)
    user: str = "dba"
    password: str = "dba"
    process: subprocess.Popen | None = None
    startup_seconds: float = 0.0
    settings: dict[str, dict[str, object]] = field(default_factory=dict)  # extra virtuoso.ini settings

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        """Public, read-only endpoint."""
        return self.base + "/sparql"

    @property
    def sparql_auth(self) -> str:
        return self.base + "/sparql-auth"

    @property
    def graph_store_auth(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def write_ini(self) -> Path:
        ini = configparser.ConfigParser(strict=False, interpolation=None, inline_comment_prefixes=(";",))
        ini.optionxform = str  # keep Virtuoso's key case
        if self.template:
            ini.read(self.template, encoding="utf-8")
        db = self.root
        settings = {
            "Database": {"DatabaseFile": db / "virtuoso.db", "ErrorLogFile": db / "virtuoso.log",
                         "LockFile": db / "virtuoso.lck", "TransactionFile": db / "virtuoso.trx",
                         "xa_persistent_file": db / "virtuoso.pxa", "ErrorLogLevel": 7, "FileExtend": 200,
                         "Striping": 0, "TempStorage": "TempDatabase"},
            "TempDatabase": {"DatabaseFile": db / "virtuoso-temp.db", "TransactionFile": db / "virtuoso-temp.trx",
                             "Striping": 0},
            "Parameters": {"ServerPort": f"127.0.0.1:{self.isql_port}", "DisableUnixSocket": 1,
                           "DirsAllowed": f"., {db}", "NumberOfBuffers": 20000, "MaxDirtyBuffers": 15000,
                           "MaxClientConnections": 10, "CheckpointInterval": 60},
            "HTTPServer": {"ServerPort": f"127.0.0.1:{self.http_port}", "ServerThreads": 10,
                           "MaxClientConnections": 10, "Charset": "UTF-8",
                           "ServerRoot": _existing_dir(ini.get("HTTPServer", "ServerRoot", fallback=""), db)},
            "URIQA": {"DefaultHost": f"127.0.0.1:{self.http_port}"},
            "SPARQL": {"ResultSetMaxRows": 1_000_000, "MaxQueryExecutionTime": 120,
                       "MaxQueryCostEstimationTime": 400},
        }
        for section, values in self.settings.items():
            settings.setdefault(section, {}).update(values)
        for section, values in settings.items():
            if not ini.has_section(section):
                ini.add_section(section)
            for key, value in values.items():
                ini.set(section, key, str(value))
        ini.remove_section("Plugins")  # hosting plugins (wiki renderers…) are not needed and slow the start
        ini.remove_section("Striping")
        path = db / "virtuoso.ini"
        with path.open("w", encoding="utf-8") as fh:
            ini.write(fh)
        return path

    def start(self, timeout: float = 120) -> None:
        t0 = time.perf_counter()
        self.root.mkdir(parents=True, exist_ok=True)
        ini = self.write_ini()
        fresh = not (self.root / "virtuoso.db").exists()
        with (self.root / "stdout.log").open("wb") as out:
            self.process = subprocess.Popen([self.binary, "-f", "-c", str(ini)], cwd=self.root, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=_die_with_parent())
        _RUNNING.add(self)
        try:
            self._wait_ready(timeout)
            if fresh:
                self.isql(SETUP_SQL)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.perf_counter() - t0

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = self.sparql + "?query=ASK%7B%7D"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with code {self.process.returncode} during start-up:\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"Virtuoso was not ready on {self.base} after {timeout:.0f} s:\n" + self.log_tail())

    def isql(self, sql: str, timeout: float = 120) -> str:
        """Run SQL statements (each ending with ``;``) through isql-vt as dba; raise on any error."""
        script = self.root / "setup.sql"
        script.write_text(sql, encoding="utf-8")
        proc = subprocess.run([self.isql_binary, f"127.0.0.1:{self.isql_port}", self.user, self.password,
                               "ERRORS=STDOUT", str(script)], capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or "*** Error" in proc.stdout:
            raise RuntimeError(f"isql failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def stop(self, timeout: float = 30) -> None:
        """Stop the server: SIGTERM, then SIGKILL after ``timeout`` seconds. Safe to call twice."""
        proc, self.process = self.process, None
        _RUNNING.discard(self)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        text = ""
        for name in ("virtuoso.log", "stdout.log"):
            path = self.root / name
            if path.exists() and path.stat().st_size:
                return f"--- {path}\n" + "\n".join(path.read_text("utf-8", "replace").splitlines()[-lines:])
        return "(Virtuoso wrote no log)"


# Servers are stopped by the fixtures; these two catch the rest: at interpreter exit (atexit), and when the
# process that started them dies without tidying up (Linux parent-death signal, set only from the main thread,
# since it fires when the starting *thread* ends).
_RUNNING: set = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_RUNNING):
        server.stop(timeout=10)


def _die_with_parent():
    if threading.current_thread() is not threading.main_thread() or not sys.platform.startswith("linux"):
        return None

    def set_pdeathsig() -> None:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG

    return set_pdeathsig


def _existing_dir(path: str, fallback: Path) -> str:
    if path and Path(path).is_dir():
        return path
    (fallback / "vsp").mkdir(exist_ok=True)
    return str(fallback / "vsp")


@contextmanager
def running_virtuoso(root: Path, **settings: dict[str, object]) -> Iterator[Virtuoso]:
    """Start a server with its database under ``root``; stop it on the way out, whatever happened.

    ``settings`` are extra virtuoso.ini sections, e.g. ``Parameters={"ThreadsPerQuery": 1}``.
    """
    binary, template, isql = find_virtuoso()
    server = Virtuoso(Path(root), binary, isql, template, settings=settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()



def _require_virtuoso() -> None:
    try:
        find_virtuoso()
    except VirtuosoMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> Iterator[Virtuoso]:
    """A running Virtuoso shared by the session (stopped at the end, even after failures)."""
    _require_virtuoso()
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture()
def stopped_virtuoso(tmp_path_factory) -> Virtuoso:
    """A Virtuoso that was started, answered, and was stopped: its ports now refuse connections."""
    _require_virtuoso()
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-stopped")) as server:
        pass
    return server
