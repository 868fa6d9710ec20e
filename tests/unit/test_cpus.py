"""The default worker count follows the cgroup CPU quota (v2, then v1), else the cores."""

from __future__ import annotations

from pathlib import Path

import pytest

from processor import cpus
from processor.cpus import available_cpus, cgroup_cpu_limit
from processor.settings import load_settings


def _tree(tmp_path: Path, files: dict[str, str], own: str) -> tuple[Path, Path]:
    root = tmp_path / "cgroup"
    root.mkdir()
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(own + "\n")
    return root, proc


@pytest.fixture
def cores_16(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the node has 16 cores."""
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: 16)


@pytest.mark.parametrize(
    ("files", "own", "expected"),
    [
        # cgroup v2 inside a container (private cgroup namespace): the root's cpu.max
        ({"cpu.max": "200000 100000"}, "0::/", 2),
        # v2, a 1500m limit rounds down to 1 worker
        ({"cpu.max": "150000 100000"}, "0::/", 1),
        # v2, a 300m limit still gives one worker
        ({"cpu.max": "30000 100000"}, "0::/", 1),
        # v2 without a limit: the cores
        ({"cpu.max": "max 100000"}, "0::/", 16),
        # v2 on the host's hierarchy: the pod's own cgroup is the tightest limit
        ({"cpu.max": "max 100000", "kubepods/pod1/cpu.max": "max 100000",
          "kubepods/pod1/c1/cpu.max": "300000 100000"}, "0::/kubepods/pod1/c1", 3),
        # v2: an ancestor's limit is tighter than the leaf's
        ({"kubepods/pod1/cpu.max": "400000 100000",
          "kubepods/pod1/c1/cpu.max": "800000 100000"}, "0::/kubepods/pod1/c1", 4),
        # a quota above the cores is capped at the cores
        ({"cpu.max": "6400000 100000"}, "0::/", 16),
        # cgroup v1: cpu,cpuacct controller with quota and period
        ({"cpu,cpuacct/cpu.cfs_quota_us": "400000", "cpu,cpuacct/cpu.cfs_period_us": "100000"},
         "4:cpu,cpuacct:/\n3:memory:/", 4),
        # v1 without a limit (-1): the cores
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"},
         "4:cpu,cpuacct:/", 16),
        # v1 on the host's hierarchy: the process's own cgroup under the cpu controller
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000",
          "cpu/kubepods/p/cpu.cfs_quota_us": "250000",
          "cpu/kubepods/p/cpu.cfs_period_us": "100000"}, "4:cpu,cpuacct:/kubepods/p", 2),
        # garbage in the files: ignored, the cores
        ({"cpu.max": "lots 100000"}, "0::/", 16),
        # no cgroup files at all (not Linux, or not mounted): the cores
        ({}, "", 16),
    ],
)
@pytest.mark.usefixtures("cores_16")
def test_available_cpus_follows_the_quota(tmp_path: Path, files: dict[str, str], own: str,
                                          expected: int) -> None:
    """Each cgroup layout gives the expected worker count on a 16-core node."""
    root, proc = _tree(tmp_path, files, own)
    assert available_cpus(root, proc) == expected


def test_v2_wins_over_v1(tmp_path: Path) -> None:
    """On a hybrid layout the v2 cpu.max is used before v1's cfs files."""
    root, proc = _tree(tmp_path, {"cpu.max": "100000 100000",
                                  "cpu/cpu.cfs_quota_us": "500000",
                                  "cpu/cpu.cfs_period_us": "100000"}, "0::/\n4:cpu:/")
    assert cgroup_cpu_limit(root, proc) == 1.0


@pytest.mark.usefixtures("cores_16")
def test_settings_default_workers_use_the_quota(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    """Settings.workers defaults to the cgroup quota, and an explicit value still wins."""
    root, proc = _tree(tmp_path, {"cpu.max": "200000 100000"}, "0::/")
    monkeypatch.setattr(cpus, "CGROUP_ROOT", root)
    monkeypatch.setattr(cpus, "PROC_SELF_CGROUP", proc)
    assert load_settings(environ={}).workers == 2
    assert load_settings(environ={"LOGSCRUB_WORKERS": "5"}).workers == 5
