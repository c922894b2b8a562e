"""The dated table of accounts that publish well-known public Lambda layers (data/layer_publishers.json)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["layer_publishers"]


def layer_publishers(raw: Any) -> Mapping[str, str]:
    """Account id -> publisher name, from the parsed JSON table."""
    return {str(entry["account"]): str(entry["publisher"]) for entry in raw["publishers"]}
