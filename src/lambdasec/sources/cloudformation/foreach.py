"""The `Fn::ForEach` loops of the `AWS::LanguageExtensions` transform, expanded in `Resources`."""

# A loop is a key `Fn::ForEach::<Name>` whose value is `[Identifier, Collection, {OutputKey: OutputValue}]`.
# Each item of the collection produces the fragment once, with `${Identifier}` and `&{Identifier}` (the item
# without its non-alphanumeric characters) replaced in every key and string value (`CodeUri: src/${Name}/`
# as in a `Fn::Sub` text, except inside a `Fn::Sub` whose own variables define the name), and
# `Ref: Identifier` replaced by the item. Loops may nest and may sit in any mapping under `Resources`
# (resources, properties). The collection is evaluated over parameter defaults and mappings; a loop whose
# collection is not known is dropped with a warning, so nothing it would generate is guessed. Generated
# nodes keep the line marks of the fragment they come from.

from __future__ import annotations

import re
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import Resolver, to_text
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, line_of

__all__ = ["LANGUAGE_EXTENSIONS", "expand_foreach"]

LANGUAGE_EXTENSIONS: Final = "AWS::LanguageExtensions"
_PREFIX: Final = "Fn::ForEach::"
_NOT_ALPHANUMERIC: Final = re.compile(r"[^A-Za-z0-9]")
# Loops nested deeper than this are left alone (guards hostile input).
_MAX_NESTING: Final = 8


def expand_foreach(body: MarkedDict, *, diagnostics: Diagnostics) -> MarkedDict:
    """`body` with every `Fn::ForEach` loop under `Resources` expanded; `body` is not mutated."""
    resources = body.get("Resources")
    if not isinstance(resources, MarkedDict) or not _has_loop(resources, 0):
        return body
    expander = _Expander(Resolver(body, diagnostics=diagnostics), diagnostics)
    out = MarkedDict(body.line)
    out.update(body)
    out.key_lines = dict(body.key_lines)
    out["Resources"] = expander.mapping(resources, 0)
    return out


def _has_loop(value: Any, depth: int) -> bool:
    if depth > _MAX_NESTING * 4:
        return False
    if isinstance(value, dict):
        return any(
            (isinstance(key, str) and key.startswith(_PREFIX)) or _has_loop(child, depth + 1)
            for key, child in value.items()
        )
    if isinstance(value, list):
        return any(_has_loop(child, depth + 1) for child in value)
    return False


class _Expander:
    def __init__(self, resolver: Resolver, diagnostics: Diagnostics) -> None:
        self.resolver = resolver
        self.diagnostics = diagnostics

    def mapping(self, value: MarkedDict, depth: int) -> MarkedDict:
        """A copy of `value` with its loops replaced by what they generate (recursively)."""
        out = MarkedDict(value.line)
        for key, child in value.items():
            line = line_of(value, key) or value.line
            if isinstance(key, str) and key.startswith(_PREFIX):
                for generated_key, generated, at in self._loop(key, child, line=line, depth=depth):
                    if generated_key in out or generated_key in value:
                        self.diagnostics.warn(
                            f"`{key}` generates `{generated_key}`, which is already defined; kept the first",
                            at,
                        )
                        continue
                    out[generated_key] = generated
                    out.key_lines[generated_key] = at
                continue
            out[key] = self.value(child, depth)
            out.key_lines[key] = line
        return out

    def value(self, value: Any, depth: int) -> Any:
        if isinstance(value, MarkedDict):
            return self.mapping(value, depth)
        if isinstance(value, MarkedList):
            items = MarkedList(value.line)
            items.extend(self.value(child, depth) for child in value)
            items.item_lines = list(value.item_lines)
            return items
        return value

    def _loop(self, key: str, spec: Any, *, line: int, depth: int) -> list[tuple[Any, Any, int]]:
        if depth >= _MAX_NESTING:
            self.diagnostics.warn(f"`{key}` nests loops too deeply to expand; not scanned", line)
            return []
        fragment = spec[2] if isinstance(spec, list) and len(spec) == 3 else None
        identifier = spec[0] if isinstance(spec, list) and spec else None
        if not isinstance(identifier, str) or not isinstance(fragment, MarkedDict):
            self.diagnostics.warn(
                f"`{key}` needs [identifier, collection, {{output key: output value}}]; not scanned", line
            )
            return []
        items = self._collection(spec[1])
        if items is None:
            self.diagnostics.warn(
                f"the collection of `{key}` is not known; the resources it generates are not scanned", line
            )
            return []
        generated: list[tuple[Any, Any, int]] = []
        for item in items:
            replaced = _substitute(fragment, identifier, item)
            expanded = self.mapping(replaced, depth + 1)
            for out_key, out_value in expanded.items():
                generated.append((out_key, out_value, line_of(expanded, out_key) or line))
        return generated

    def _collection(self, raw: Any) -> list[str] | None:
        value = self.resolver.deep(raw)
        if not isinstance(value, list):
            return None
        texts = [to_text(item) for item in value]
        return None if any(text is None for text in texts) else [t for t in texts if t is not None]


def _substitute(value: Any, identifier: str, item: str) -> Any:
    """A copy of `value` with the loop identifier replaced by `item` (keys, strings, `Ref`, `Fn::Sub`)."""
    if isinstance(value, dict):
        if len(value) == 1:
            name, arg = next(iter(value.items()))
            if name == "Ref" and arg == identifier:
                return item
            if name == "Fn::Sub":
                return _sub(value, arg, identifier, item)
        out = MarkedDict(line_of(value) or 0)
        for key, child in value.items():
            new_key = _replaced(key, identifier, item) if isinstance(key, str) else key
            out[new_key] = _substitute(child, identifier, item)
            line = line_of(value, key)
            if line is not None:
                out.key_lines[new_key] = line
        return out
    if isinstance(value, list):
        items = MarkedList(line_of(value) or 0)
        items.extend(_substitute(child, identifier, item) for child in value)
        items.item_lines = list(value.item_lines) if isinstance(value, MarkedList) else []
        return items
    return _replaced(value, identifier, item) if isinstance(value, str) else value


def _replaced(text: str, identifier: str, item: str) -> str:
    """`text` (a key or a string value) with `${identifier}` and `&{identifier}` replaced."""
    return text.replace("${" + identifier + "}", item).replace(
        "&{" + identifier + "}", _NOT_ALPHANUMERIC.sub("", item)
    )


def _sub(node: dict[str, Any], arg: Any, identifier: str, item: str) -> MarkedDict | str:
    """`Fn::Sub` with `${identifier}` replaced, unless its own variables define that name.

    A text left with no variable at all is the plain string the transform resolves it to (SAM reads
    properties such as an event's `Path: !Sub /${Item}` as strings).
    """
    out = MarkedDict(line_of(node) or 0)
    out.key_lines = dict(node.key_lines) if isinstance(node, MarkedDict) else {}
    if isinstance(arg, str):
        text = _replaced(arg, identifier, item)
        if text != arg and "${" not in text:
            return text
        out["Fn::Sub"] = text
    elif isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
        own = isinstance(arg[1], dict) and identifier in arg[1]
        text = arg[0] if own else _replaced(arg[0], identifier, item)
        replaced = MarkedList(line_of(arg) or 0)
        replaced.extend([text, _substitute(arg[1], identifier, item)])
        replaced.item_lines = list(arg.item_lines) if isinstance(arg, MarkedList) else []
        out["Fn::Sub"] = replaced
    else:
        out["Fn::Sub"] = _substitute(arg, identifier, item)
    return out
