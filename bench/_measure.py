"""Shared helpers of the benchmarks: run a command, time it, sample memory of its process tree."""

from __future__ import annotations

import statistics
import subprocess
import threading
import time

import psutil


def _proc_kb(path: str, field: str) -> int:
    """A ``Field:   123 kB`` line of a /proc file, in kB (0 when the process is gone)."""
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: the process's own pages plus its share of pages shared with
    others (a forked worker and its fork server, libraries): summed over a tree it counts
    each page once, where the RSS sum counts a shared page once per process."""
    return _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


def _hwm_kb(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/status", "VmHWM:")


def _role(cmdline: str) -> str:
    """What a process of the tree is, from its command line (for the memory breakdown)."""
    if "ipykernel_launcher" in cmdline:
        return "kernel"
    if "forkserver" in cmdline or "from multiprocessing" in cmdline:
        return "fork server / worker"
    return cmdline.split(" -m ")[-1].split()[0].rsplit("/", 1)[-1] if cmdline else "?"


class TreeSampler(threading.Thread):
    """Polls the process tree of ``pid``: peak total RSS (the goal's figure), peak total PSS
    (:func:`_pss_kb`, the same tree with shared pages counted once), and peak VmHWM of kernel
    processes."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.root, self.interval = psutil.Process(pid), interval
        self.peak_total_mb = 0.0
        self.peak_total_pss_mb = 0.0
        self.peak_kernel_mb = 0.0
        self.kernels: set[int] = set()
        self.peak_breakdown: list[tuple[str, float]] = []  # (process, RSS MB) at the RSS peak
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                break
            total = pss = 0
            parts = []
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    total += rss
                    pss += _pss_kb(p.pid) * 1024
                    cmdline = " ".join(p.cmdline())
                    parts.append((_role(cmdline), round(rss / 2**20, 1)))
                    if "ipykernel_launcher" in cmdline:
                        self.kernels.add(p.pid)
                        self.peak_kernel_mb = max(self.peak_kernel_mb, _hwm_kb(p.pid) / 1024)
                except psutil.Error:
                    continue
            if total / 2**20 > self.peak_total_mb:
                self.peak_total_mb, self.peak_breakdown = total / 2**20, sorted(parts)
            self.peak_total_pss_mb = max(self.peak_total_pss_mb, pss / 2**20)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run(cmd: list[str], env=None, sample: bool = False) -> dict:
    """Run ``cmd``; wall time, exit status and (``sample``) memory peaks."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = TreeSampler(proc.pid) if sample else None
    if sampler:
        sampler.start()
    out, _ = proc.communicate()
    if sampler:
        sampler.stop()
    res = {"seconds": time.perf_counter() - t0, "status": proc.returncode, "output": out}
    if sampler:
        res.update(
            peak_total_mb=round(sampler.peak_total_mb, 1),
            peak_total_pss_mb=round(sampler.peak_total_pss_mb, 1),
            peak_kernel_mb=round(sampler.peak_kernel_mb, 1),
            kernels=len(sampler.kernels),
            peak_breakdown_mb=sampler.peak_breakdown,
        )
    return res


def median(values) -> float:
    return statistics.median(values) if values else float("nan")
