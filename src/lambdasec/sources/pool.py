"""Runs one function over many items in forked worker processes, with the results in input order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Final, TypeVar

from lambdasec.sources.interface import InputFile

__all__ = ["MAX_WORKERS", "ordered_map", "worker_count", "workers_for_files"]

MAX_WORKERS: Final = 8

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def worker_count() -> int:
    """Worker processes worth starting: one per CPU (at most 8); 0 on one CPU or where fork is missing.

    Workers are forked so they inherit what this process already imported and computed; other start
    methods would import everything again in each worker, which costs more than it saves here.
    """
    cpus = min(os.cpu_count() or 1, MAX_WORKERS)
    if cpus < 2 or not sys.platform.startswith("linux"):
        return 0
    import multiprocessing  # only scans that use workers pay for this import

    return cpus if "fork" in multiprocessing.get_all_start_methods() else 0


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
    workers stay evenly busy to the end, while the first item runs here as they start; otherwise all
    run here, one by one. `here` (by default `function`) is what runs in this process: it must give the
    same results, possibly in a form that need not pickle. If a worker dies (killed, out of memory), the
    items whose results were not received run here instead, so none is lost and the results are the same.
    """
    local = function if here is None else here
    if workers < 1 or len(items) < 2:
        yield from map(local, items)
        return
    import multiprocessing  # only scans that use workers pay for these imports
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    rest = items[1:]
    chunk = max(1, min(max_chunk, len(rest) // (workers * 8)))
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(rest)), mp_context=multiprocessing.get_context("fork")
    )
    done = 0
    try:
        results = pool.map(function, rest, chunksize=chunk)  # the workers start on these at once
        yield local(items[0])
        done = 1
        for result in results:
            yield result
            done += 1
    except BrokenProcessPool:
        pass
    finally:
        pool.shutdown(cancel_futures=True)
    yield from map(local, items[done:])
