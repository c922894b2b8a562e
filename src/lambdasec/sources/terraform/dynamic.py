"""Expands `dynamic` blocks: one content body per element of a known `for_each`, its iterator bound."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from lambdasec.model import Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.calls import DataInstance, SetValue
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.hcl import start_line

__all__ = ["BoundBody", "Expansion", "expand_blocks", "scope_of"]

# More elements than this are not expanded: the blocks are unknown, as with an unknown `for_each`.
_MAX_ELEMENTS: Final = 1_000


class BoundBody(Mapping[str, Any]):
    """The `content` body of one `dynamic` block element: read its values in `scope`, where the iterator
    (`<name>.key`, `<name>.value`) is bound. It reads like the body of a written nested block."""

    __slots__ = ("body", "scope")

    def __init__(self, body: Mapping[str, Any], scope: Scope) -> None:
        self.body = body
        self.scope = scope

    def __getitem__(self, key: str) -> Any:
        return self.body[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.body)

    def __len__(self) -> int:
        return len(self.body)


@record(kw_only=False)
class Expansion:
    """The nested blocks `name` of a body, written ones and those its `dynamic` blocks make, in line
    order; `unknown` when a `dynamic` block's `for_each` is not known (its blocks cannot be listed, so
    `blocks` lacks them), with `line` the line of that block."""

    blocks: tuple[Mapping[str, Any], ...]
    unknown: Unresolved | None = None
    line: int | None = None


def scope_of(body: Mapping[str, Any], default: Scope) -> Scope:
    """The scope to read `body` in: its own for a dynamic block's content, else `default`."""
    return body.scope if isinstance(body, BoundBody) else default


def expand_blocks(body: Mapping[str, Any], name: str, scope: Scope) -> Expansion:
    """Every nested block `name` of `body` (a block body or a content body), dynamic ones expanded."""
    inner = scope_of(body, scope)
    found: list[tuple[int, int, Mapping[str, Any]]] = []
    for index, child in enumerate(_listed(body.get(name))):
        found.append((start_line(child) or 0, index, _bound(child, body)))
    unknown: tuple[Unresolved, int | None] | None = None
    for index, dynamic in enumerate(_listed(body.get("dynamic"))):
        spec = dynamic.get(name)
        if not isinstance(spec, Mapping):
            continue
        line = start_line(spec)
        elements = _elements(spec, inner)
        iterator = _iterator(spec, name)
        contents = _listed(spec.get("content"))
        if elements is None or iterator is None or len(contents) != 1:
            unknown = unknown or (Unresolved(f'dynamic "{name}" block'), line)
            continue
        for position, (key, value) in enumerate(elements):
            bound = inner.bind({iterator: {"key": key, "value": value}})
            order = (index + 1) * _MAX_ELEMENTS + position  # after written blocks on the same line
            found.append((line or 0, order, BoundBody(contents[0], bound)))
    blocks = tuple(block for _, _, block in sorted(found, key=lambda item: item[:2]))
    if unknown is None:
        return Expansion(blocks=blocks)
    return Expansion(blocks=blocks, unknown=unknown[0], line=unknown[1])


def _bound(child: Mapping[str, Any], parent: Mapping[str, Any]) -> Mapping[str, Any]:
    """A written block inside a content body is read in that content's scope too."""
    return BoundBody(child, parent.scope) if isinstance(parent, BoundBody) else child


def _listed(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _elements(spec: Mapping[str, Any], scope: Scope) -> list[tuple[Any, Any]] | None:
    """The (key, value) pairs `for_each` gives: list index, map key (maps in key order, as Terraform
    iterates them), or for a set the element itself (Terraform's `key` is identical to `value` there)."""
    if "for_each" not in spec:
        return None
    collection = scope.resolve(spec["for_each"])
    if isinstance(collection, DataInstance):  # a data source's attributes are not known
        return None
    if isinstance(collection, SetValue):
        pairs: list[tuple[Any, Any]] = [(element, element) for element in collection]
    elif isinstance(collection, Mapping):
        pairs = sorted(collection.items(), key=lambda item: str(item[0]))
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        return None
    return None if len(pairs) > _MAX_ELEMENTS else pairs


def _iterator(spec: Mapping[str, Any], name: str) -> str | None:
    """The iterator's name: `iterator = x` (python-hcl2 gives `${x}`), else the block's type name."""
    raw = spec.get("iterator", name)
    if not isinstance(raw, str):
        return None
    text = raw[2:-1] if raw.startswith("${") and raw.endswith("}") else raw
    return text if text.isidentifier() else None
