"""Jobs shared with forked processes: results in job order, complete even when a child dies."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from lambdasec.shared_jobs import run_shared

needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sharing forks processes")

_PARENT = os.getpid()


def _wait_for(path: Path) -> None:
    """Block until `path` exists (at most 30 s): lets the parent hold a job until a child has taken one."""
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


def _job(index: int, marker: Path, *, die_in_child: bool = False) -> tuple[int, int]:
    """Job 0, when the parent takes it, waits until a child has run another job; the result is
    (index squared, the pid of the process that computed it)."""
    if os.getpid() == _PARENT:
        if index == 0:
            _wait_for(marker)
    else:
        marker.touch()
        if die_in_child:
            os._exit(3)
    return index * index, os.getpid()


def _jobs(marker: Path, count: int, *, die_in_child: bool = False) -> list[Callable[[], tuple[int, int]]]:
    return [partial(_job, index, marker, die_in_child=die_in_child) for index in range(count)]


@needs_fork
def test_jobs_are_shared_with_a_child_and_come_back_in_order(tmp_path: Path) -> None:
    results = run_shared(_jobs(tmp_path / "marker", 12), processes=2)

    assert [value for value, _ in results] == [index * index for index in range(12)]
    pids = {pid for _, pid in results}
    assert _PARENT in pids
    assert len(pids) == 2  # the child computed some of them


@needs_fork
def test_the_jobs_of_a_child_that_dies_run_here(tmp_path: Path) -> None:
    results = run_shared(_jobs(tmp_path / "marker", 6, die_in_child=True), processes=2)

    assert results == [(index * index, _PARENT) for index in range(6)]
    assert (tmp_path / "marker").exists()  # a child did take a job before it died


def test_one_process_or_one_job_runs_here(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    marker.touch()  # job 0 need not wait for a child

    assert run_shared(_jobs(marker, 3), processes=1) == [(0, _PARENT), (1, _PARENT), (4, _PARENT)]
    assert run_shared(_jobs(marker, 1), processes=4) == [(0, _PARENT)]
    assert run_shared([], processes=4) == []


@needs_fork
def test_no_fork_while_other_threads_run(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    marker.touch()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = run_shared(_jobs(marker, 4), processes=2)
    finally:
        stop.set()
        thread.join()

    assert results == [(index * index, _PARENT) for index in range(4)]


@needs_fork
def test_results_that_do_not_pickle_are_computed_here(tmp_path: Path) -> None:
    def unpicklable(index: int) -> object:
        if os.getpid() != _PARENT:
            (tmp_path / "marker").touch()
            return lambda: index  # cannot be sent back
        if index == 0:
            _wait_for(tmp_path / "marker")
        return index

    results = run_shared([partial(unpicklable, index) for index in range(5)], processes=2)

    assert results == [0, 1, 2, 3, 4]
