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
    """Block until `path` exists (at most 30 s)."""
    deadline = time.monotonic() + 30
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


def _job(index: int, meeting: Path, *, die_in_child: bool = False) -> tuple[int, int]:
    """(index squared, the pid of the process that computed it).

    Each process marks in `meeting` that it has taken a job, then holds that job until the other process
    has taken one too: however the two are scheduled, each computes at least one job.
    """
    if os.getpid() == _PARENT:
        (meeting / "parent").touch()
        _wait_for(meeting / "child")
    else:
        (meeting / "child").touch()
        if die_in_child:
            os._exit(3)
        _wait_for(meeting / "parent")
    return index * index, os.getpid()


def _jobs(meeting: Path, count: int, *, die_in_child: bool = False) -> list[Callable[[], tuple[int, int]]]:
    return [partial(_job, index, meeting, die_in_child=die_in_child) for index in range(count)]


@needs_fork
def test_jobs_are_shared_with_a_child_and_come_back_in_order(tmp_path: Path) -> None:
    results = run_shared(_jobs(tmp_path, 12), processes=2)

    assert [value for value, _ in results] == [index * index for index in range(12)]
    pids = {pid for _, pid in results}
    assert _PARENT in pids
    assert len(pids) == 2  # the child computed some of them


@needs_fork
def test_the_jobs_of_a_child_that_dies_run_here(tmp_path: Path) -> None:
    results = run_shared(_jobs(tmp_path, 6, die_in_child=True), processes=2)

    assert results == [(index * index, _PARENT) for index in range(6)]
    assert (tmp_path / "child").exists()  # a child did take a job before it died


def test_one_process_or_one_job_runs_here(tmp_path: Path) -> None:
    (tmp_path / "child").touch()  # no child will come: the jobs need not wait for one

    assert run_shared(_jobs(tmp_path, 3), processes=1) == [(0, _PARENT), (1, _PARENT), (4, _PARENT)]
    assert run_shared(_jobs(tmp_path, 1), processes=4) == [(0, _PARENT)]
    assert run_shared([], processes=4) == []


@needs_fork
def test_no_fork_while_other_threads_run(tmp_path: Path) -> None:
    (tmp_path / "child").touch()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = run_shared(_jobs(tmp_path, 4), processes=2)
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


@needs_fork
def test_a_childs_results_travel_encoded_and_are_decoded_here(tmp_path: Path) -> None:
    """`encode` runs in the child only, `decode` here only on what a child sent."""
    sent: list[object] = []

    def decode(wire: object) -> tuple[int, int]:
        sent.append(wire)
        assert isinstance(wire, str)
        value, pid = wire.split(":")
        return int(value), int(pid)

    results = run_shared(
        _jobs(tmp_path, 12), processes=2, encode=lambda result: f"{result[0]}:{result[1]}", decode=decode
    )

    assert [value for value, _ in results] == [index * index for index in range(12)]
    from_child = [(value, pid) for value, pid in results if pid != _PARENT]
    assert from_child  # the child computed some of them
    assert sorted(sent) == sorted(f"{value}:{pid}" for value, pid in from_child)


@needs_fork
def test_results_that_do_not_decode_are_computed_here(tmp_path: Path) -> None:
    def decode(wire: object) -> tuple[int, int]:
        raise ValueError(f"cannot read {wire!r}")

    results = run_shared(_jobs(tmp_path, 6), processes=2, encode=lambda result: result, decode=decode)

    assert [value for value, _ in results] == [index * index for index in range(6)]
    assert {pid for _, pid in results} == {_PARENT}


def _dies_on_second_job(index: int, meeting: Path) -> tuple[int, int]:
    """As `_job`, but a child dies on the second job it takes."""
    if os.getpid() != _PARENT and (meeting / "child").exists():
        os._exit(3)
    return _job(index, meeting)


@needs_fork
def test_results_a_child_sent_before_it_died_are_kept(tmp_path: Path) -> None:
    results = run_shared([partial(_dies_on_second_job, index, tmp_path) for index in range(8)], processes=2)

    assert [value for value, _ in results] == [index * index for index in range(8)]
    from_child = [pid for _, pid in results if pid != _PARENT]
    assert len(from_child) == 1  # its first result came back; the job it died on ran here
