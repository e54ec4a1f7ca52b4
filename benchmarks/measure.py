"""Measurement helpers shared by ``benchmarks/run`` and ``benchmarks/reason.py``: wall time, CPU time and peak memory
of a piece of work in this process, and a description of the machine.

How each figure is taken (the same everywhere, so that figures of one run can be divided by each other):

* wall time: :func:`time.perf_counter` around the work;
* CPU time: user + system time of the whole process (every thread: pyoxigraph's Rust code may use more than one)
  from :func:`resource.getrusage`, before and after. On a machine shared with other work the wall time grows with
  the load; the CPU time does not, so compare CPU times when the load average is high;
* peak memory: the resident-set high-water mark (``VmHWM`` of ``/proc/self/status``) *during* the work. Linux
  lets a process reset that mark to its current RSS (``echo 5 > /proc/self/clear_refs``, Linux >= 4.0): the
  meter resets it when the work starts and reads it when the work ends, so the figure is the largest RSS the
  process had while doing that work, including what it already held (the inputs). ``rss_start`` is the RSS when
  the work started; ``peak - rss_start`` is what the work itself added at its worst. Where the mark cannot be
  reset (not Linux, or /proc not writable) the figure is the process's lifetime peak (``ru_maxrss``), flagged
  ``peak_method: "process-lifetime"``; ``benchmarks/run`` runs each measured stack in a fresh process, so even
  then the figure is not inflated by another stack's work.

* memory of a process tree: :func:`tree_memory` sums the **PSS** (proportional set size, ``Pss`` of
  ``/proc/<pid>/smaps_rollup``) of a process and of all its descendants (found by scanning ``/proc/*/stat`` for
  parent ids, or ``/proc/<pid>/task/*/children`` where the kernel has it). Forked children share their parent's
  pages copy-on-write: PSS charges each shared page to its sharers in equal parts, so the sum over the tree counts
  every page once, where a sum of RSS would count it once per process. Where ``smaps_rollup`` is missing the figure
  falls back to RSS (``memory_method: "rss"``). ``benchmarks/run`` samples the tree every 0.2 s from outside and
  the :class:`Meter` reads it when a piece of work starts and ends; the peak of a stage is the largest of those
  readings within its window (so a peak shorter than 0.2 s between two readings can be missed).

RSS counts memory held by native code (pyoxigraph's Rust allocations, pySHACL's and rdflib's Python objects) alike,
which ``tracemalloc`` would not (it sees Python allocations only, and slows Python code down several times).
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from importlib import metadata

MIB = 1024 * 1024


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_bytes() -> int | None:
    kib = _status_kib("VmRSS")
    return None if kib is None else kib * 1024


def reset_peak() -> bool:
    """Reset this process's RSS high-water mark to its current RSS; False when the system does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_bytes() -> int:
    """The RSS high-water mark since the last :func:`reset_peak` (or since the process started)."""
    kib = _status_kib("VmHWM")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kib * 1024


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def children_cpu_seconds() -> float:
    """User + system time of this process's children that have ended and been waited for (forked workers are,
    when their pool or job is joined)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def now() -> float:
    """CLOCK_MONOTONIC: one clock for every process of the machine, so that windows and samples taken in different
    processes can be compared."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def _children_files(pid: int) -> list[int] | None:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    out = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                out += [int(x) for x in fh.read().split()]
        except FileNotFoundError:
            return None  # the kernel has no children files (CONFIG_PROC_CHILDREN): scan /proc
        except OSError:
            continue
    return out


_HAS_CHILDREN_FILES: list[bool] = []


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (those alive, zombies included)."""
    if not _HAS_CHILDREN_FILES:
        _HAS_CHILDREN_FILES.append(_children_files(os.getpid()) is not None)
    if _HAS_CHILDREN_FILES[0]:
        tree, todo = [], [pid]
        while todo:
            p = todo.pop()
            tree.append(p)
            todo += _children_files(p) or []
        return tree
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += parents.get(p, [])
    return tree


def pss_bytes(pid: int) -> int:
    """The process's PSS (RSS where smaps_rollup is missing); 0 when it has gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        return 0
    except FileNotFoundError:
        if not os.path.exists(f"/proc/{pid}"):
            return 0
    except (OSError, ValueError):
        return 0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def memory_method() -> str:
    return "pss" if os.path.exists("/proc/self/smaps_rollup") else "rss"


def tree_memory(pid: int | None = None) -> tuple[int, int, int]:
    """(PSS of ``pid`` and all its descendants, PSS of ``pid`` alone, number of processes); ``pid``: this one."""
    pid = os.getpid() if pid is None else pid
    tree = process_tree(pid)
    root = pss_bytes(pid)
    return root + sum(pss_bytes(p) for p in tree[1:]), root, len(tree)


def peak_between(samples, t0: float, t1: float, *edges: int | None) -> int | None:
    """The largest tree-memory reading taken in [t0, t1] (``samples``: (time, total, …) tuples, in time order),
    the readings at the window's ``edges`` included; None when there is none."""
    import bisect

    i = bisect.bisect_left(samples, (t0,))
    values = [e for e in edges if e]
    while i < len(samples) and samples[i][0] <= t1:
        values.append(samples[i][1])
        i += 1
    return max(values) if values else None


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    peak_rss: int  # bytes
    rss_start: int | None  # bytes
    peak_method: str  # "stage" (high-water mark reset at the start) or "process-lifetime"
    t0: float | None = None  # monotonic clock (:func:`now`) at the start and the end: the window of the work
    t1: float | None = None
    pss_start: int | None = None  # PSS of this process and its descendants at the start and at the end
    pss_end: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Meter:
    """``with Meter() as m: work()`` then ``m.sample``; or ``start()`` / ``stop()`` for work without a block."""

    def __init__(self, tree: bool = True):
        self.sample: Sample | None = None
        self.tree = tree  # read the process tree's PSS at the start and the end (outside the timed part)

    def start(self) -> "Meter":
        self.pss0 = tree_memory()[0] if self.tree else None
        self.rss0 = rss_bytes()
        self.resettable = reset_peak()
        self.c0 = cpu_seconds()
        self.m0 = now()
        self.t0 = time.perf_counter()
        return self

    def stop(self) -> Sample:
        wall = time.perf_counter() - self.t0
        cpu = cpu_seconds() - self.c0
        m1 = now()
        self.sample = Sample(wall, cpu, peak_bytes(), self.rss0, "stage" if self.resettable else "process-lifetime",
                             self.m0, m1, self.pss0, tree_memory()[0] if self.tree else None)
        return self.sample

    def __enter__(self) -> "Meter":
        return self.start()

    def __exit__(self, *exc) -> bool:
        self.stop()
        return False


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def versions(*names: str) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def machine() -> dict:
    """What the figures were measured on: CPU model, cores, memory, OS, Python, libraries, load average."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = int(next(line for line in fh if line.startswith("MemTotal:")).split()[1]) * 1024
    except (OSError, StopIteration):
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpu": model or platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory_bytes": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "executable": sys.executable,
        "packages": versions("gcm-graph", "rdflib", "pyoxigraph", "owlrl", "pyshacl", "reasonable"),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "peak_memory_method": "stage" if reset_peak() else "process-lifetime",
        "tree_memory_method": memory_method(),
    }


def describe(m: dict) -> str:
    mem = f"{m['memory_bytes'] / 2**30:.0f} GiB RAM" if m.get("memory_bytes") else "RAM unknown"
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    load = m.get("load_average")
    load_s = f"; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else ""
    return f"{m['date']}; {m['cpu']}, {m['cpus']} CPUs, {mem}; {m['os']}; Python {m['python']}; {pk}{load_s}"


def mib(n: int | None) -> str:
    return "—" if n is None else f"{n / MIB:,.0f}"
