"""Work on both cores: a function in a forked child beside the parent (:class:`Background`), and an ordered map
over forked workers (:func:`fork_map`). Linux only (``fork``); elsewhere, and with one core, callers run the same
functions in this process. A child's :class:`~gcm_graph.errors.GcmError` comes back as itself (file and line
kept); anything else comes back as its traceback inside a GcmError, and a child that dies (out of memory) is an
error too, never a hang."""

from __future__ import annotations

import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator

from .errors import GcmError


def can_fork(parallel: bool | None) -> bool:
    if parallel is False:
        return False
    if "fork" not in multiprocessing.get_all_start_methods() or not sys.platform.startswith("linux"):
        return False
    return parallel is True or (os.cpu_count() or 1) > 1


class Background:
    """A function run in a forked child; :meth:`result` waits for its return value (or its error)."""

    def __init__(self, func, args):
        ctx = multiprocessing.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=self._run, args=(func, args, send), daemon=True)
        self._process.start()
        send.close()

    @staticmethod
    def _run(func, args, send) -> None:
        try:
            send.send(("ok", func(*args)))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            if isinstance(exc, GcmError):
                send.send(("error", exc))
            else:
                send.send(("crash", "".join(traceback.format_exception(exc))))
        finally:
            send.close()

    def result(self):
        try:
            status, value = self._receive.recv()
        except EOFError:
            self._process.join()
            raise GcmError(f"writing the dumps failed: the writer process ended with code {self._process.exitcode}"
                           " (out of memory?)") from None
        self._process.join()
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise GcmError(f"writing the dumps failed:\n{value}")

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


_TASK: dict = {}  # the function fork_map's workers run (inherited through fork, never pickled)


def _call(item):
    try:
        return "ok", _TASK["func"](item)
    except GcmError as exc:
        return "error", exc
    except BaseException as exc:  # noqa: BLE001 - a worker's crash is reported, not lost
        return "crash", "".join(traceback.format_exception(exc))


def fork_map(func: Callable, items: Iterable, workers: int = 2) -> Iterator:
    """``func(item)`` for each item, in forked worker processes, results in the items' order; the first item that
    failed raises its error (in order: what a serial loop would have raised)."""
    _TASK["func"] = func
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        for status, value in pool.imap(_call, items, chunksize=1):
            if status == "ok":
                yield value
            elif status == "error":
                raise value
            else:
                raise GcmError(f"a worker process failed:\n{value}")


def workers(parallel: bool | None = None) -> int:
    """How many worker processes to use: the CPUs this process may run on, 1 when forking is not possible."""
    if not can_fork(parallel):
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
