"""Finds the modelled resources a raw Terraform expression is built from (`aws_db_instance.db.address`)."""

from __future__ import annotations

import re
from typing import Any, Final

from lambdasec.model import ValueReference
from lambdasec.sources.terraform.expressions import Scope

__all__ = ["references_in"]

_REFERENCE: Final = re.compile(
    r"(?<![\w.])((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w.]*))?"
)


def references_in(raw: Any, scope: Scope) -> tuple[ValueReference, ...]:
    """Every reference inside `${...}` of `raw` to a resource of the module, with the attribute read."""
    if not isinstance(raw, str) or "${" not in raw:
        return ()
    found: dict[ValueReference, None] = {}
    for match in _REFERENCE.finditer(raw):
        key = scope.keys.get(match[1])
        if key is not None:
            found[ValueReference(key=key, attribute=match[2])] = None
    return tuple(found)
