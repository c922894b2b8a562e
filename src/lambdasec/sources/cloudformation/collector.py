"""Pausing the cyclic garbage collector while one template loads, then freezing what it built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one template loads, then freeze what it built.

    Loading builds millions of small containers that all stay alive and form no garbage cycles; the
    collector would re-scan them over and over (about a third of the load time of a large template), and
    once more in full right after it is re-enabled. Freezing moves them out of its generations; reference
    counting still frees whatever is dropped later.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
