"""Pausing the cyclic garbage collector while long-lived objects are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused(*, freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector while the block runs; with `freeze`, freeze what it built.

    Loading a template or a module, and running the rules, build millions of small containers that stay
    alive until the scan ends and form no garbage cycles; the collector would re-scan them over and over
    (about a third of the load time of a large template, a tenth of the rules' time), and once more in
    full right after it is re-enabled. Freezing moves them out of its generations; reference counting
    still frees whatever is dropped later.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
