"""How many processes lambdasec may fork to spread a large scan over the machine's CPUs."""

from __future__ import annotations

import os
import sys
from typing import Final

__all__ = ["MAX_WORKERS", "worker_count"]

MAX_WORKERS: Final = 8


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
