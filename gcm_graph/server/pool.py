"""A pool of query worker processes (:mod:`gcm_graph.server.worker`) driven from the server's event loop.

A request takes an idle worker (waiting, if all are busy, no longer than its deadline), sends it the query and
waits for the answer until the deadline. Past the deadline the worker is killed (SIGKILL: the only way to stop a
pyoxigraph evaluation) and replaced in the background, so the pool is back to full strength a few hundred
milliseconds later; the other workers keep answering meanwhile. A worker that dies on its own (out of memory) is
replaced the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import ServerError
from .worker import encode_frame

log = logging.getLogger("gcm_graph.server")

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class QueryTimeout(Exception):
    """No answer before the deadline (``queued``: no worker even became free)."""

    def __init__(self, queued: bool):
        super().__init__("queued" if queued else "running")
        self.queued = queued


class WorkerDied(Exception):
    """The worker process ended while running a query."""


class Worker:
    def __init__(self, proc: asyncio.subprocess.Process):
        self.proc = proc
        self.calls = 0

    @classmethod
    async def start(cls, init: dict[str, Any], timeout: float) -> Worker:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gcm_graph.server.worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env,
        )
        worker = cls(proc)
        try:
            async with asyncio.timeout(timeout):
                await worker._send(init)
                header, _ = await worker._receive(with_body=False)
        except (TimeoutError, WorkerDied, OSError) as exc:
            worker.kill()
            raise ServerError(f"a query worker did not start: {exc or type(exc).__name__}") from exc
        if not header.get("ok"):
            worker.kill()
            raise ServerError(header.get("message", "a query worker did not start"))
        return worker

    async def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(encode_frame(message))
        await self.proc.stdin.drain()

    async def _receive(self, with_body: bool = True) -> tuple[dict[str, Any], bytes]:
        stream = self.proc.stdout
        assert stream is not None
        try:
            size = struct.unpack(">I", await stream.readexactly(4))[0]
            header = json.loads(await stream.readexactly(size))
            body = b""
            if with_body:
                length = struct.unpack(">Q", await stream.readexactly(8))[0]
                body = await stream.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise WorkerDied(await self._how_it_ended()) from exc
        return header, body

    async def _how_it_ended(self) -> str:
        try:
            async with asyncio.timeout(2):
                code = await self.proc.wait()
        except TimeoutError:
            return f"worker {self.proc.pid} stopped answering"
        if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
            return f"worker {self.proc.pid} ended by {signal.Signals(-code).name}, most likely out of memory"
        return f"worker {self.proc.pid} ended with exit code {code}"

    async def call(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        self.calls += 1
        try:
            await self._send(request)
        except (ConnectionError, OSError) as exc:
            raise WorkerDied(str(exc)) from exc
        return await self._receive()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()

    async def close(self, grace: float = 2.0) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.is_closing():
            self.proc.stdin.close()
        try:
            async with asyncio.timeout(grace):
                await self.proc.wait()
        except TimeoutError:
            self.kill()
            await self.proc.wait()


@dataclass
class PoolStats:
    queries: int = 0
    timeouts: int = 0
    queued_timeouts: int = 0
    restarts: int = 0
    deaths: int = 0
    busy: int = 0
    recent_restart_seconds: list[float] = field(default_factory=list)


class WorkerPool:
    """``size`` workers started from ``init`` (see :func:`gcm_graph.server.worker.open_store`)."""

    def __init__(self, size: int, init: dict[str, Any], startup_timeout: float = 120.0):
        self.size = size
        self.init = init
        self.startup_timeout = startup_timeout
        self.stats = PoolStats()
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self) -> None:
        workers = await asyncio.gather(*(Worker.start(self.init, self.startup_timeout) for _ in range(self.size)),
                                       return_exceptions=True)
        failures = [w for w in workers if isinstance(w, BaseException)]
        for w in workers:
            if isinstance(w, Worker):
                self._all.add(w)
                self._idle.put_nowait(w)
        if failures:
            await self.close()
            raise failures[0] if isinstance(failures[0], ServerError) else ServerError(str(failures[0]))

    async def run(self, request: dict[str, Any], deadline: float) -> tuple[dict[str, Any], bytes]:
        """Answer ``request`` before ``deadline`` (a time of the running loop's clock) or raise
        :class:`QueryTimeout` / :class:`WorkerDied`."""
        if self._closed:
            raise WorkerDied("the server is shutting down")
        self.stats.queries += 1
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
        except TimeoutError:
            self.stats.queued_timeouts += 1
            raise QueryTimeout(queued=True) from None
        self.stats.busy += 1
        try:
            async with asyncio.timeout_at(deadline):
                answer = await worker.call(request)
        except TimeoutError:
            self.stats.timeouts += 1
            self._replace(worker)
            raise QueryTimeout(queued=False) from None
        except WorkerDied:
            self.stats.deaths += 1
            self._replace(worker)
            raise
        except BaseException:  # cancelled (client gone, shutdown): the worker's state is unknown
            self._replace(worker)
            raise
        finally:
            self.stats.busy -= 1
        self._idle.put_nowait(worker)
        return answer

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self, dead: Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            await dead.proc.wait()
        delay = 0.2
        while not self._closed:
            loop = asyncio.get_running_loop()
            began = loop.time()
            try:
                fresh = await Worker.start(self.init, self.startup_timeout)
            except ServerError as exc:
                log.error("could not restart a query worker, retrying in %.1f s: %s", delay, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            if self._closed:
                await fresh.close()
                return
            self.stats.restarts += 1
            self.stats.recent_restart_seconds = (self.stats.recent_restart_seconds + [loop.time() - began])[-20:]
            self._all.add(fresh)
            self._idle.put_nowait(fresh)
            return

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await asyncio.gather(*(w.close() for w in list(self._all)), return_exceptions=True)
        self._all.clear()
