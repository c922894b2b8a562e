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
# A child's result in its file: the job number (a ticket), the pickle's length, the pickle.
_LENGTH: Final = 8
_HEADER: Final = _TICKET + _LENGTH


def run_shared(
    jobs: Sequence[Callable[[], _Result]],
    *,
    processes: int,
    encode: Callable[[_Result], Any] | None = None,
    decode: Callable[[Any], _Result] | None = None,
    first: Callable[[], None] | None = None,
) -> list[_Result]:
    """`[job() for job in jobs]`, computed by up to `processes` processes: this one and forked children.

    Every process takes the next job not yet taken as soon as it is free, so long and short jobs even out.
    Children inherit everything in memory (nothing is sent to them) and send back only their results,
    which must pickle; a job must give the same result in whichever process runs it. `encode` turns a
    child's result into what is sent (something quicker to pickle) and `decode` turns that back here.
    A child writes each result to a file of its own as soon as its job ends, and this process reads what
    is there between its own jobs, so that little is left to read once they end. The jobs whose results
    did not arrive (a child died, or a result did not pickle or decode) run here, so the list is always
    complete and in the order of `jobs`. With fewer than two processes, two jobs, or while other threads
    run (a fork would copy their locks in whatever state they are), everything runs here.

    `first` is work of this process's own that the jobs do not need: it runs here once the children have
    started on the jobs (or before the jobs, when everything runs here), and this process then joins them.
    """
    if processes < 2 or len(jobs) < 2 or len(jobs) > _MAX_JOBS or threading.active_count() > 1:
        return _here(jobs, first)
    try:
        tickets_out, tickets_in = os.pipe()
    except OSError:  # out of file descriptors: no sharing
        return _here(jobs, first)
    os.write(tickets_in, b"".join(index.to_bytes(_TICKET, "big") for index in range(len(jobs))))
    os.close(tickets_in)
    children: list[_Child] = []
    try:
        for _ in range(min(processes, len(jobs)) - 1):
            child = _Child.fork(jobs, tickets_out, encode=encode, decode=decode)
            if child is None:
                break  # no more processes to be had: the others share the work
            children.append(child)
        if first is not None:
            first()
        results: dict[int, _Result] = {}
        while ticket := os.read(tickets_out, _TICKET):
            index = int.from_bytes(ticket, "big")
            results[index] = jobs[index]()
            for child in children:
                results.update(child.arrived())
        for child in children:
            results.update(child.finished())
    finally:
        os.close(tickets_out)
        for child in children:  # only when this process failed: do not leave children behind
            child.stop()
    return [results[index] if index in results else job() for index, job in enumerate(jobs)]


def _here(jobs: Sequence[Callable[[], _Result]], first: Callable[[], None] | None) -> list[_Result]:
    if first is not None:
        first()
    return [job() for job in jobs]


class _Child:
    """A forked process taking jobs and writing each result to a file that this process reads as it grows."""

    def __init__(self, *, pid: int, results: int, decode: Callable[[Any], Any] | None) -> None:
        self.pid, self.results, self.decode = pid, results, decode
        self.read = 0  # bytes of the file read so far
        self.broken = False  # a result did not read: the rest are run here
        self.running = True

    @classmethod
    def fork(
        cls,
        jobs: Sequence[Callable[[], Any]],
        tickets: int,
        *,
        encode: Callable[[Any], Any] | None,
        decode: Callable[[Any], Any] | None,
    ) -> _Child | None:
        """Fork a child that takes jobs; None when the system cannot start another process."""
        import tempfile

        try:
            results = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the child, closed by `_close`
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            results.close()
            return None
        if pid == 0:  # the child: never returns
            status = 1
            try:
                _take(jobs, tickets, results.fileno(), encode=encode)
                status = 0
            finally:
                os._exit(status)
        descriptor = os.dup(results.fileno())
        results.close()
        return cls(pid=pid, results=descriptor, decode=decode)

    def arrived(self) -> dict[int, Any]:
        """The results the child has written since the last look, decoded."""
        if self.broken:
            return {}
        got: dict[int, Any] = {}
        size = os.fstat(self.results).st_size
        while size - self.read >= _HEADER:
            header = os.pread(self.results, _HEADER, self.read)
            index, length = int.from_bytes(header[:_TICKET], "big"), int.from_bytes(header[_TICKET:], "big")
            if size - self.read - _HEADER < length:
                break  # still being written
            data = os.pread(self.results, length, self.read + _HEADER)
            try:
                sent = pickle.loads(data)
                got[index] = sent if self.decode is None else self.decode(sent)
            except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
                self.broken = True
                break
            self.read += _HEADER + length
        return got

    def finished(self) -> dict[int, Any]:
        """The results not yet read, once the child has ended; it is reaped and its file closed."""
        os.waitpid(self.pid, 0)
        self.running = False
        try:
            return self.arrived()
        finally:
            os.close(self.results)

    def stop(self) -> None:
        """End a child that is no longer awaited, reap it, close its file."""
        if not self.running:
            return
        self.running = False
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass  # it had already ended
        os.close(self.results)


def _take(
    jobs: Sequence[Callable[[], Any]], tickets: int, results: int, *, encode: Callable[[Any], Any] | None
) -> None:
    """In a child: run jobs until no ticket is left, appending each (encoded) result to `results`.

    A result is written whole in one call, after its header: a reader that sees fewer bytes than the
    header announces waits for the rest.
    """
    while ticket := os.read(tickets, _TICKET):
        index = int.from_bytes(ticket, "big")
        result = jobs[index]()
        data = pickle.dumps(result if encode is None else encode(result), pickle.HIGHEST_PROTOCOL)
        _write_all(results, index.to_bytes(_TICKET, "big") + len(data).to_bytes(_LENGTH, "big") + data)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
