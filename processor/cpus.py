"""How many CPUs this process may use: the cgroup CPU quota, else the machine's cores.

Under Kubernetes a pod's CPU limit is a cgroup quota, while ``os.cpu_count()`` counts
the node's cores: a pod limited to 2 CPUs on a 64-core node would start 64 worker
processes and be throttled. The quota is read from cgroup v2 (``cpu.max``), then from
cgroup v1 (``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``), in the process's own cgroup
and every ancestor (the tightest limit wins). The result is the quota rounded down (a
CPU-bound worker on a fraction of a CPU would only be throttled), at least 1, and never
more than the cores.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["available_cpus", "cgroup_cpu_limit"]

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _own_paths(proc_cgroup: Path) -> tuple[str | None, str | None]:
    """The process's cgroup path in the v2 hierarchy and in v1's ``cpu`` controller."""
    v2: str | None = None
    v1: str | None = None
    for line in (_read(proc_cgroup) or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _hid, controllers, path = parts
        if controllers == "":
            v2 = path
        elif "cpu" in controllers.split(","):
            v1 = path
    return v2, v1


def _candidates(base: Path, own: str | None) -> list[Path]:
    """``base/own`` and each ancestor up to ``base`` (only ``base`` when ``own`` is unknown)."""
    dirs = [base]
    if own:
        node = base
        for part in [p for p in own.split("/") if p and p != ".."]:
            node = node / part
            dirs.append(node)
    return dirs


def _v2_limit(dirs: list[Path]) -> float | None:
    limits: list[float] = []
    for d in dirs:
        fields = (_read(d / "cpu.max") or "").split()
        if len(fields) == 2 and fields[0] != "max":
            try:
                quota, period = int(fields[0]), int(fields[1])
            except ValueError:
                continue
            if quota > 0 and period > 0:
                limits.append(quota / period)
    return min(limits) if limits else None


def _v1_limit(dirs: list[Path]) -> float | None:
    limits: list[float] = []
    for d in dirs:
        quota_text, period_text = _read(d / "cpu.cfs_quota_us"), _read(d / "cpu.cfs_period_us")
        if quota_text is None or period_text is None:
            continue
        try:
            quota, period = int(quota_text), int(period_text)
        except ValueError:
            continue
        if quota > 0 and period > 0:  # -1: no limit
            limits.append(quota / period)
    return min(limits) if limits else None


def cgroup_cpu_limit(root: Path | None = None, proc_cgroup: Path | None = None) -> float | None:
    """The CPU quota in CPUs (``1.5`` for a 1500m limit), or None when there is none.

    ``root`` and ``proc_cgroup`` default to ``/sys/fs/cgroup`` and ``/proc/self/cgroup``.
    """
    root = CGROUP_ROOT if root is None else root
    v2_path, v1_path = _own_paths(PROC_SELF_CGROUP if proc_cgroup is None else proc_cgroup)
    limit = _v2_limit(_candidates(root, v2_path))
    if limit is not None:
        return limit
    for controller in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
        base = root / controller
        if base.is_dir():
            limit = _v1_limit(_candidates(base, v1_path))
            if limit is not None:
                return limit
    return None


def available_cpus(root: Path | None = None, proc_cgroup: Path | None = None) -> int:
    """Whole CPUs this process may use: the cgroup quota rounded down, else the cores."""
    cores = os.cpu_count() or 1
    limit = cgroup_cpu_limit(root, proc_cgroup)
    if limit is None:
        return cores
    return max(1, min(cores, int(limit)))
