"""How the local cluster tells a Ray node that started from one whose raylet has already died."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from cli.cluster_parts import HEAD_PROCESSES, ray_processes_running, raylet_running


@pytest.fixture
def parent_of(tmp_path: Path) -> Iterator[Callable[..., psutil.Process]]:
    """A Python process that spawns a child per name (copies of `sleep`), as `ray start` spawns a raylet and a GCS."""
    started: list[subprocess.Popen[bytes]] = []

    def spawn(*names: str) -> psutil.Process:
        exes = []
        for name in names:
            folder = tmp_path / f"parent-{len(started)}"  # a running copy cannot be overwritten by the next one
            folder.mkdir(exist_ok=True)
            exes.append(str(folder / name))
            shutil.copy(shutil.which("sleep") or "/bin/sleep", exes[-1])
        code = f"import subprocess, time; [subprocess.Popen([exe, '60']) for exe in {exes!r}]; time.sleep(60)"
        proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
        started.append(proc)
        parent = psutil.Process(proc.pid)
        for _ in range(100):
            if len(parent.children()) == len(names):
                break
            time.sleep(0.05)
        return parent

    yield spawn
    for proc in started:
        for child in psutil.Process(proc.pid).children(recursive=True):
            child.kill()
        proc.kill()
        proc.wait()


def test_a_running_raylet_child_is_found(parent_of: Callable[..., psutil.Process]) -> None:
    assert raylet_running(parent_of("raylet"))


def test_other_children_are_not_a_raylet(parent_of: Callable[..., psutil.Process]) -> None:
    assert not raylet_running(parent_of("gcs_server"))


def test_a_killed_raylet_is_not_running(parent_of: Callable[..., psutil.Process]) -> None:
    parent = parent_of("raylet")
    (raylet,) = parent.children()
    raylet.kill()  # its parent never reaps it, as `ray start --block` leaves a dead raylet a zombie
    for _ in range(100):
        if raylet.status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.05)
    assert not raylet_running(parent)


def test_a_gone_parent_has_no_raylet() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    parent = psutil.Process(proc.pid)
    proc.wait()
    assert not raylet_running(parent)


def test_a_head_needs_its_gcs_as_well_as_its_raylet(parent_of: Callable[..., psutil.Process]) -> None:
    assert ray_processes_running(parent_of("raylet", "gcs_server"), HEAD_PROCESSES)
    assert not ray_processes_running(parent_of("raylet"), HEAD_PROCESSES)  # the GCS is gone: no node can join
