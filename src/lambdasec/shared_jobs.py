"""Runs independent jobs in this process and forked copies of it, each taking the next job when free."""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

__all__ = ["run_shared"]

_Result = TypeVar("_Result")

# Job numbers travel as 2-byte tickets through one pipe that every process reads: the pipe must hold them all
# before the first read (64 KiB on Linux), and reading a whole ticket is atomic.
_TICKET: Final = 2
_MAX_JOBS: Final = 16 * 1024


def run_shared(
    jobs: Sequence[Callable[[], _Result]],
    *,
    processes: int,
    encode: Callable[[_Result], Any] | None = None,
    decode: Callable[[Any], _Result] | None = None,
) -> list[_Result]:
    """`[job() for job in jobs]`, computed by up to `processes` processes: this one and forked children.

    Every process takes the next job not yet taken as soon as it is free, so long and short jobs even out.
    Children inherit everything in memory (nothing is sent to them) and send back only their results,
    which must pickle; a job must give the same result in whichever process runs it. `encode` turns a
    child's result into what is sent (something quicker to pickle) and `decode` turns that back here.
    The jobs a child took are run here again if the child dies or its results cannot be read, so the list
    is always complete and in the order of `jobs`. With fewer than two processes, two jobs, or while other
    threads run (a fork would copy their locks in whatever state they are), everything runs here.
    """
    if processes < 2 or len(jobs) < 2 or len(jobs) > _MAX_JOBS or threading.active_count() > 1:
        return [job() for job in jobs]
    try:
        tickets_out, tickets_in = os.pipe()
    except OSError:  # out of file descriptors: no sharing
        return [job() for job in jobs]
    os.write(tickets_in, b"".join(index.to_bytes(_TICKET, "big") for index in range(len(jobs))))
    os.close(tickets_in)
    children: list[tuple[int, int]] = []
    try:
        for _ in range(min(processes, len(jobs)) - 1):
            child = _fork_child(jobs, tickets_out, encode=encode)
            if child is None:
                break  # no more processes to be had: the others share the work
            children.append(child)
        results = _taken(jobs, tickets_out)
        for pid, pipe in children:
            received = _received(pid, pipe)
            results.update(received if decode is None else _decoded(received, decode))
        children.clear()
    finally:
        os.close(tickets_out)
        for pid, pipe in children:  # only when this process failed: do not leave children behind
            os.close(pipe)
            _stop(pid)
    return [results[index] if index in results else job() for index, job in enumerate(jobs)]


def _taken(jobs: Sequence[Callable[[], _Result]], tickets: int) -> dict[int, _Result]:
    """Run jobs until no ticket is left; their results by job number."""
    results: dict[int, _Result] = {}
    while ticket := os.read(tickets, _TICKET):
        index = int.from_bytes(ticket, "big")
        results[index] = jobs[index]()
    return results


def _taken_pickled(
    jobs: Sequence[Callable[[], _Result]], tickets: int, *, encode: Callable[[_Result], Any] | None
) -> dict[int, bytes]:
    """Run jobs until no ticket is left; their (encoded) results pickled as each ends, by job number.

    Pickling each result as it is made, rather than all of them at the end, spreads that work over the
    time the other processes are still running jobs: the parent waits only for the last one.
    """
    results: dict[int, bytes] = {}
    while ticket := os.read(tickets, _TICKET):
        index = int.from_bytes(ticket, "big")
        result = jobs[index]()
        results[index] = pickle.dumps(result if encode is None else encode(result), pickle.HIGHEST_PROTOCOL)
    return results


def _fork_child(
    jobs: Sequence[Callable[[], _Result]], tickets: int, *, encode: Callable[[_Result], Any] | None
) -> tuple[int, int] | None:
    """Fork a child that takes jobs and writes its pickled results to a pipe: (its pid, the pipe's end).

    None when the system cannot start another process.
    """
    try:
        readable, writable = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(readable)
        os.close(writable)
        return None
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(readable)
            data = pickle.dumps(_taken_pickled(jobs, tickets, encode=encode), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writable)
    return pid, readable


def _received(pid: int, pipe: int) -> dict[int, Any]:
    """The child's results by job number; empty when it died or sent something unreadable."""
    with os.fdopen(pipe, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return {}
    try:
        pickled: dict[int, bytes] = pickle.loads(data)
        return {index: pickle.loads(result) for index, result in pickled.items()}
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return {}


def _decoded(received: dict[int, Any], decode: Callable[[Any], _Result]) -> dict[int, _Result]:
    """A child's results decoded; empty (so that its jobs run here) when they do not decode."""
    try:
        return {index: decode(sent) for index, sent in received.items()}
    except (TypeError, ValueError, AttributeError):
        return {}


def _stop(pid: int) -> None:
    """End a child that is no longer awaited, and reap it."""
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except OSError:
        pass  # it had already ended
