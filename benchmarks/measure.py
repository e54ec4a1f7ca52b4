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


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    peak_rss: int  # bytes
    rss_start: int | None  # bytes
    peak_method: str  # "stage" (high-water mark reset at the start) or "process-lifetime"

    def as_dict(self) -> dict:
        return asdict(self)


class Meter:
    """``with Meter() as m: work()`` then ``m.sample``; or ``start()`` / ``stop()`` for work without a block."""

    def __init__(self):
        self.sample: Sample | None = None

    def start(self) -> "Meter":
        self.rss0 = rss_bytes()
        self.resettable = reset_peak()
        self.c0 = cpu_seconds()
        self.t0 = time.perf_counter()
        return self

    def stop(self) -> Sample:
        wall = time.perf_counter() - self.t0
        cpu = cpu_seconds() - self.c0
        self.sample = Sample(wall, cpu, peak_bytes(), self.rss0, "stage" if self.resettable else "process-lifetime")
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
    }


def describe(m: dict) -> str:
    mem = f"{m['memory_bytes'] / 2**30:.0f} GiB RAM" if m.get("memory_bytes") else "RAM unknown"
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    load = m.get("load_average")
    load_s = f"; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else ""
    return f"{m['date']}; {m['cpu']}, {m['cpus']} CPUs, {mem}; {m['os']}; Python {m['python']}; {pk}{load_s}"


def mib(n: int | None) -> str:
    return "—" if n is None else f"{n / MIB:,.0f}"
