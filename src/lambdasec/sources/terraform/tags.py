"""Reads Terraform resource tags, with the aws provider's `default_tags` that apply to every resource."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lambdasec.model import Unresolved
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.hcl import TfFile
from lambdasec.sources.terraform.reader import Reader

__all__ = ["Tags", "default_tags", "resource_tags", "with_defaults"]

Tags = tuple[tuple[str, str | Unresolved], ...] | Unresolved


def resource_tags(r: Reader) -> Tags:
    """The block's own `tags` map."""
    return _tags(r.value("tags", field="tags"), f"tags of {r.block.address}")


def default_tags(files: Iterable[TfFile], scope: Scope) -> Tags:
    """`default_tags` of the module's default (unaliased) aws provider."""
    for file in files:
        for group in file.body.get("provider", []):
            body = group.get("aws") if isinstance(group, Mapping) else None
            if not isinstance(body, Mapping) or "alias" in body:
                continue
            blocks = body.get("default_tags")
            if isinstance(blocks, list) and blocks and isinstance(blocks[0], Mapping) and "tags" in blocks[0]:
                return _tags(scope.resolve(blocks[0]["tags"]), "default_tags of the aws provider")
    return ()


def with_defaults(own: Tags, defaults: Tags) -> Tags:
    """The provider's default tags overridden by the resource's own, as the provider merges them."""
    if isinstance(own, Unresolved):
        return own
    if isinstance(defaults, Unresolved):
        return defaults
    merged = dict(defaults)
    merged.update(own)
    return tuple(merged.items())


def _tags(value: Any, what: str) -> Tags:
    if value is None:
        return ()
    if isinstance(value, Unresolved):
        return value
    if not isinstance(value, Mapping):
        return Unresolved(f"{what} is not a map")
    out: list[tuple[str, str | Unresolved]] = []
    for key, item in value.items():
        if isinstance(item, bool):
            item = "true" if item else "false"
        elif isinstance(item, int | float):
            item = str(item)
        out.append((str(key), item if isinstance(item, str | Unresolved) else Unresolved(f"tag {key}")))
    return tuple(out)
