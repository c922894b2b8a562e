"""Worker pool: results in input order, serial below the thresholds, lost results recomputed here."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from lambdasec import workers
from lambdasec.model import SourceKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.pool import ordered_map, workers_for_files
from lambdasec.workers import worker_count

needs_fork = pytest.mark.skipif(worker_count() < 2, reason="worker processes need fork and 2 CPUs")


def _square(value: int) -> tuple[int, int]:
    return value, value * value


def _square_with_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


_PARENT = os.getpid()


def _dies_in_worker_at_five(value: int) -> tuple[int, int]:
    if value == 5 and os.getpid() != _PARENT:
        os._exit(3)  # a worker killed mid-job, as by the out-of-memory killer
    return value, value * value


@needs_fork
def test_results_come_in_input_order_from_workers_and_the_first_from_here() -> None:
    results = list(ordered_map(_square_with_pid, list(range(40)), workers=2, max_chunk=1))

    assert [square for square, _ in results] == [value * value for value in range(40)]
    assert results[0][1] == os.getpid()
    assert len({pid for _, pid in results} - {os.getpid()}) in (1, 2)


def _slow_in_worker(value: int) -> tuple[int, int]:
    if os.getpid() != _PARENT:
        time.sleep(0.3)
    return value * value, os.getpid()


@needs_fork
def test_while_waiting_this_process_runs_what_no_worker_started() -> None:
    results = list(ordered_map(_slow_in_worker, list(range(8)), workers=1, max_chunk=1))

    # Two chunks (items 1 and 2) are sent ahead to the one worker; this process runs the rest itself.
    assert [square for square, _ in results] == [value * value for value in range(8)]
    assert [pid == os.getpid() for _, pid in results] == [True, False, False, True, True, True, True, True]


def _negative_with_pid(value: int) -> tuple[int, int]:
    return -value, os.getpid()


@needs_fork
def test_what_runs_here_is_the_here_function() -> None:
    results = list(ordered_map(_square_with_pid, [2, 3], workers=1, max_chunk=1, here=_negative_with_pid))

    assert [value for value, _ in results] == [-2, 9]  # the last item is never taken back from a worker


def test_without_workers_everything_runs_here() -> None:
    results = list(ordered_map(_square_with_pid, [3, 1, 2], workers=0, max_chunk=4))

    assert results == [(9, os.getpid()), (1, os.getpid()), (4, os.getpid())]


@needs_fork
def test_one_worker_runs_everything_in_order() -> None:
    results = list(ordered_map(_square_with_pid, [3, 1, 2, 5], workers=1, max_chunk=4))

    assert [square for square, _ in results] == [9, 1, 4, 25]
    assert len({pid for _, pid in results[1:]} - {os.getpid()}) == 1


@needs_fork
def test_a_dead_worker_loses_no_result() -> None:
    results = list(ordered_map(_dies_in_worker_at_five, list(range(12)), workers=2, max_chunk=1))

    assert results == [_square(value) for value in range(12)]


def _dies_in_worker(value: int) -> tuple[int, int]:
    if os.getpid() != _PARENT:
        os._exit(3)
    return value, value * value


@needs_fork
def test_when_every_worker_dies_all_items_run_here() -> None:
    results = list(ordered_map(_dies_in_worker, list(range(6)), workers=2, max_chunk=1, here=_square))

    assert results == [_square(value) for value in range(6)]


def test_no_workers_on_one_cpu_or_without_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    assert worker_count() == 0
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(workers.sys, "platform", "darwin")
    assert worker_count() == 0
    monkeypatch.setattr(workers.sys, "platform", "linux")
    assert worker_count() == 4
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 64)
    assert worker_count() == workers.MAX_WORKERS


def _files(tmp_path: Path, sizes: list[int]) -> tuple[InputFile, ...]:
    items = []
    for index, size in enumerate(sizes):
        path = tmp_path / f"f{index}.yml"
        path.write_bytes(b"x" * size)
        items.append(InputFile(path=path, display=path.name, kind=SourceKind.SERVERLESS))
    return tuple(items)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers only where fork is safe")
def test_workers_only_for_enough_files_and_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    four = _files(tmp_path, [100, 100, 100, 100])
    missing = InputFile(path=tmp_path / "gone.yml", display="gone.yml", kind=SourceKind.SERVERLESS)

    assert workers_for_files(four, min_files=4, min_bytes=400) == 2
    assert workers_for_files(four, min_files=4, min_bytes=401) == 0
    assert workers_for_files(four[:3], min_files=4, min_bytes=1) == 0
    assert workers_for_files((*four[:3], missing), min_files=4, min_bytes=300) == 2
    assert workers_for_files((*four[:3], missing), min_files=4, min_bytes=301) == 0
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    assert workers_for_files(four, min_files=4, min_bytes=400) == 0
