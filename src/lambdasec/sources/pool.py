"""Runs one function over many items in forked worker processes, with the results in input order."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, Generic, TypeVar, cast

from lambdasec.records import record
from lambdasec.sources.interface import InputFile
from lambdasec.workers import worker_count

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = ["ordered_map", "workers_for_files"]

# A result of this many bytes or more comes back through a file rather than the pipe: the pipe carries it
# in 64 KiB pieces, and the thread reading them here needs the interpreter lock for each one, so both the
# worker (blocked writing) and this process (handing the lock over) would wait (at 10,000 functions, 1.6 s
# of 2.9 s spent mapping here went to that).
_SPOOL_FROM: Final = 32 * 1024

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def workers_for_files(files: Sequence[InputFile], *, min_files: int, min_bytes: int) -> int:
    """`worker_count()` when there are at least `min_files` files of `min_bytes` in all, else 0.

    Below that, forking and sending each file's result back cost more than reading the files here.
    """
    if len(files) < min_files:
        return 0
    total = 0
    for item in files:
        try:
            total += item.path.stat().st_size
        except OSError:
            continue  # reading the file reports why
    return worker_count() if total >= min_bytes else 0


def ordered_map(
    function: Callable[[_Item], _Result],
    items: Sequence[_Item],
    *,
    workers: int,
    max_chunk: int,
    here: Callable[[_Item], _Result] | None = None,
) -> Iterator[_Result]:
    """`function(item)` for each item, yielded in input order as soon as each is ready.

    With `workers` of 1 or more (and two items or more) the calls run in that many forked processes
    (`function` and its results must pickle), sent in chunks of at most `max_chunk` items so that the
    workers stay evenly busy to the end. This process runs the first item as they start and, whenever
    the next result is not ready, runs the last chunk not yet sent itself. `here` (by default
    `function`) is what runs in this process: it must give the same results, possibly in a form that
    need not pickle. Large `bytes` results come back through files in a private temporary directory.
    If a worker dies (killed, out of memory), the items whose results were not received run here
    instead, so none is lost and the results are the same.
    """
    local = function if here is None else here
    if workers < 1 or len(items) < 2:
        yield from map(local, items)
        return
    import multiprocessing  # only scans that use workers pay for these imports
    from concurrent.futures import ProcessPoolExecutor

    spool = _spool_directory()
    job: Callable[[_Item], _Result | _Spooled] = (
        function if spool is None else partial(_spooled, function, spool)
    )
    rest = items[1:]
    size = max(1, min(max_chunk, len(rest) // (workers * 8)))
    chunks = [rest[start : start + size] for start in range(0, len(rest), size)]
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)), mp_context=multiprocessing.get_context("fork")
    )
    try:
        sender: _Sender[_Item, _Result] = _Sender(pool=pool, job=job, chunks=chunks, ahead=2 * workers)
        sender.send(0)  # the workers start on these at once
        yield local(items[0])
        yield from _gathered(sender, local=local)
    finally:
        pool.shutdown()
        if spool is not None:
            import shutil

            shutil.rmtree(spool, ignore_errors=True)


class _Sender(Generic[_Item, _Result]):
    """Sends chunks to the workers in order, a few ahead of the one awaited; this process takes the tail."""

    def __init__(
        self,
        *,
        pool: ProcessPoolExecutor,
        job: Callable[[_Item], _Result | _Spooled],
        chunks: list[Sequence[_Item]],
        ahead: int,
    ) -> None:
        self.pool, self.job, self.chunks, self.ahead = pool, job, chunks, ahead
        self.futures: list[Future[list[_Result | _Spooled]]] = []
        self.end = len(chunks)  # chunks from `end` on are this process's
        self.broken = False

    def send(self, awaited: int) -> None:
        """Send chunks until `ahead` of them are on their way after `awaited` (or the tail is reached)."""
        from concurrent.futures.process import BrokenProcessPool

        while not self.broken and len(self.futures) < min(self.end, awaited + self.ahead):
            try:
                self.futures.append(self.pool.submit(_each, self.job, self.chunks[len(self.futures)]))
            except BrokenProcessPool:
                self.broken = True

    def take_last(self) -> int | None:
        """The index of the last chunk not sent, now this process's; None when every chunk is sent."""
        if self.end <= len(self.futures):
            return None
        self.end -= 1
        return self.end


def _gathered(sender: _Sender[_Item, _Result], *, local: Callable[[_Item], _Result]) -> Iterator[_Result]:
    """The chunks' results in order, running here the last unsent chunks while this process would wait."""
    from concurrent.futures.process import BrokenProcessPool

    taken: dict[int, list[_Result]] = {}
    for index, chunk in enumerate(sender.chunks):
        sender.send(index)
        if index >= len(sender.futures):  # taken by this process, or never sent (the pool broke)
            yield from taken.pop(index, None) or map(local, chunk)
            continue
        future = sender.futures[index]
        while not future.done() and (last := sender.take_last()) is not None:
            taken[last] = [local(item) for item in sender.chunks[last]]
        if not sender.broken:
            try:
                results = future.result()
            except BrokenProcessPool:
                sender.broken = True  # a worker died: what was not received runs here
            else:
                yield from (_unspooled(result) for result in results)
                continue
        yield from map(local, chunk)


def _each(function: Callable[[_Item], _Result], chunk: Sequence[_Item]) -> list[_Result]:
    """`function` over one chunk of items, in a worker."""
    return [function(item) for item in chunk]


@record(kw_only=False)
class _Spooled:
    """A worker's result left in a file, to be read and deleted by the process that receives it."""

    path: str


def _spool_directory() -> str | None:
    """A new private directory for results too large for the pipe; None when none can be made."""
    import tempfile

    try:
        return tempfile.mkdtemp(prefix="lambdasec-")
    except OSError:
        return None


def _spooled(function: Callable[[_Item], _Result], directory: str, item: _Item) -> _Result | _Spooled:
    """`function(item)` in a worker, written to a file in `directory` when it is large `bytes`."""
    result = function(item)
    if not isinstance(result, bytes) or len(result) < _SPOOL_FROM:
        return result
    import tempfile

    try:
        handle, path = tempfile.mkstemp(dir=directory)
        with os.fdopen(handle, "wb") as file:
            file.write(result)
    except OSError:
        return result  # the pipe still carries it
    return _Spooled(path)


def _unspooled(result: _Result | _Spooled) -> _Result:
    """A worker's result, read from its file (then deleted) if it was left in one."""
    if not isinstance(result, _Spooled):
        return result
    path = Path(result.path)
    data = path.read_bytes()
    path.unlink()
    return cast(_Result, data)
