"""Run one command in a child process and measure it: wall time, CPU time, peak memory.

Peak memory is given two ways:

* ``maxrss_mb``: ``ru_maxrss`` from ``os.wait4``, the peak resident set of
  the child or of the largest of the processes it waited for (the kernel's own
  figure, exact, but per process);
* ``tree_peak_mb``: the largest sum of the resident sets of the child and all
  its descendants, sampled from ``/proc`` every 100 ms (what a build with
  ``--jobs N`` holds at once; a sample can miss a peak shorter than that).

A time limit kills the whole process group, so a runaway pySHACL or rdflib
run is stopped with whatever it started. Every child also gets an address-space
limit (``RLIMIT_AS``, $OBLIGRAPH_BENCH_MEMORY_GB, default 12 GB, inherited by
its own children), so a query that runs away in memory fails on its own
instead of sending the kernel's OOM killer after other work on the machine.

    from measure import run_measured
    m = run_measured(["obligraph", "check"], timeout=60)
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MEMORY_LIMIT = int(float(os.environ.get("OBLIGRAPH_BENCH_MEMORY_GB", "12")) * 2**30)


def _limit_memory() -> None:  # in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Measured:
    """What one child process did."""

    cmd: list[str]
    returncode: int | None
    stdout: str
    stderr: str
    wall: float
    cpu: float
    maxrss_mb: float
    tree_peak_mb: float
    timed_out: bool


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                kids += [int(k) for k in fh.read().split()]
        except OSError:
            continue
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss(p)
        todo.extend(_children(p))
    return total


def run_measured(cmd: list[str], *, timeout: float | None = None, env: dict | None = None,
                 cwd: str | Path | None = None, sample: float = 0.1) -> Measured:
    """Run ``cmd`` to its end (or its time limit) and measure it."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True,
                                preexec_fn=_limit_memory if MEMORY_LIMIT > 0 else None)
        peak = [0]
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(proc.pid))
                done.wait(sample)

        watcher = threading.Thread(target=watch, daemon=True)
        if Path("/proc").is_dir():
            watcher.start()
        timed_out = False
        deadline = None if timeout is None else t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                timed_out = True
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        done.set()
        if watcher.is_alive():
            watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if timed_out:
            try:  # workers the child left behind in its group
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        out.seek(0)
        err.seek(0)
        return Measured(
            cmd=cmd, returncode=None if timed_out else proc.returncode,
            stdout=out.read().decode("utf-8", "replace"), stderr=err.read().decode("utf-8", "replace"),
            wall=wall, cpu=usage.ru_utime + usage.ru_stime, maxrss_mb=usage.ru_maxrss / 1024,
            tree_peak_mb=max(peak[0] / 2**20, usage.ru_maxrss / 1024), timed_out=timed_out,
        )
