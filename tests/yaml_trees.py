"""Comparing two loaded YAML trees exactly: container types, key order, values and every recorded line."""

from __future__ import annotations

import math
from typing import Any

from lambdasec.sources.yaml_loader import MarkedDict, MarkedList


def same(fast: Any, slow: Any, path: str = "$") -> None:
    """Structural equality including container types, key order and every recorded line."""
    assert type(fast) is type(slow), path
    if isinstance(slow, MarkedDict):
        assert list(fast) == list(slow), path
        assert (fast.line, list(fast.key_lines.items())) == (slow.line, list(slow.key_lines.items())), path
        for key in slow:
            same(fast[key], slow[key], f"{path}.{key}")
    elif isinstance(slow, MarkedList):
        assert (len(fast), fast.line, fast.item_lines) == (len(slow), slow.line, slow.item_lines), path
        for index, (a, b) in enumerate(zip(fast, slow, strict=True)):
            same(a, b, f"{path}[{index}]")
    elif isinstance(slow, float) and math.isnan(slow):
        assert math.isnan(fast), path
    else:
        assert fast == slow, path
