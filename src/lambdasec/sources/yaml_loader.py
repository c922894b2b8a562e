"""YAML (and JSON) loading with line marks, CloudFormation short-form tags and an alias-bomb guard."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final, SupportsIndex

import yaml

try:
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

__all__ = [
    "CORE_BOOLEANS",
    "INTRINSIC_TAGS",
    "MAX_ALIAS_EXPANSION",
    "MarkedDict",
    "MarkedList",
    "YamlDialect",
    "YamlError",
    "line_of",
    "load_yaml",
    "tagged",
    "tagged_scalar",
]

# Expanded node count allowed on top of the document's own nodes before aliases count as a bomb.
MAX_ALIAS_EXPANSION = 100_000

# Short-form tag -> long-form key. `!GetAtt A.B` becomes {"Fn::GetAtt": ["A", "B"]}.
INTRINSIC_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!GetAtt": "Fn::GetAtt",
    "!Sub": "Fn::Sub",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Not": "Fn::Not",
    "!FindInMap": "Fn::FindInMap",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!ImportValue": "Fn::ImportValue",
    "!GetAZs": "Fn::GetAZs",
    "!Transform": "Fn::Transform",
    "!Length": "Fn::Length",
    "!ToJsonString": "Fn::ToJsonString",
    "!ForEach": "Fn::ForEach",
}


class YamlDialect(StrEnum):
    """Which plain scalars are booleans: the consumer of a file decides, not the file.

    CloudFormation reads YAML 1.1, where `yes`/`no`/`on`/`off`/`y`/`n` (any case) are booleans too; the
    Serverless Framework reads its files with js-yaml (YAML 1.2 core schema), where only `true` and
    `false` (`True`, `TRUE`, ...) are, and `Off` is the text `Off`. Mapping keys are text in both.
    """

    CLOUDFORMATION = "cloudformation"
    JS_YAML = "js-yaml"


# The plain scalars YAML 1.2's core schema (js-yaml) reads as booleans.
CORE_BOOLEANS: Final = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})


class YamlError(Exception):
    """A document that cannot be loaded; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class MarkedDict(dict[Any, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        # Templates are pickled between processes: rebuilding from (line, key_lines) and the items is
        # cheaper both ways than the default slot-state pickling (a dict of slot names per container).
        return _marked_dict, (self.line, self.key_lines), None, None, iter(self.items())


class MarkedList(list[Any]):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return _marked_list, (self.line, self.item_lines), None, iter(self)


def _marked_dict(line: int, key_lines: dict[Any, int]) -> MarkedDict:
    """An empty MarkedDict with its marks (unpickling; the items follow)."""
    out: MarkedDict = dict.__new__(MarkedDict)
    out.line = line
    out.key_lines = key_lines
    return out


def _marked_list(line: int, item_lines: list[int]) -> MarkedList:
    """An empty MarkedList with its marks (unpickling; the items follow)."""
    out: MarkedList = list.__new__(MarkedList)
    out.line = line
    out.item_lines = item_lines
    return out


def tagged(tag: str, value: Any, *, line: int) -> MarkedDict:
    """`!Tag value` as `load_yaml` reads it: `{"Fn::Name": value}` for an intrinsic, else `{tag: value}`."""
    key = INTRINSIC_TAGS.get(tag, tag)
    result = MarkedDict(line)
    result[key] = value
    result.key_lines[key] = line
    return result


def tagged_scalar(tag: str, raw: str, *, line: int) -> MarkedDict:
    """`!Tag scalar` as `load_yaml` reads it (`!GetAtt A.B` splits into `[A, B]`)."""
    value: Any = raw
    if INTRINSIC_TAGS.get(tag, tag) == "Fn::GetAtt":
        resource, _, attribute = raw.partition(".")
        items = MarkedList(line)
        items.extend([resource, attribute])
        items.item_lines.extend([line, line])
        value = items
    return tagged(tag, value, line=line)


def line_of(container: Any, key: Any = None) -> int | None:
    """The line of `container[key]` (or of the container itself when key is None), if recorded."""
    if key is None:
        line = getattr(container, "line", None)
        return line if isinstance(line, int) and line > 0 else None
    if isinstance(container, MarkedDict):
        return container.key_lines.get(key) or line_of(container)
    if isinstance(container, MarkedList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return line_of(container)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loader producing Marked containers; timestamps stay strings (policy `Version: 2012-10-17`)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> MarkedDict:
    loader.flatten_mapping(node)
    result = MarkedDict(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            line = key_node.start_mark.line + 1
            raise YamlError(f"unhashable mapping key of type {type(key).__name__}", line)
        if not isinstance(key, str):
            key = key_node.value  # a key is its text as written (`Off`, `1`), never a boolean or number
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList(node.start_mark.line + 1)
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> MarkedDict:
    tag = "!" + suffix
    key = INTRINSIC_TAGS.get(tag, tag)  # unknown tags are kept as-is for the resolver to report
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if key == "Fn::GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            items = MarkedList(node.start_mark.line + 1)
            items.extend([resource, attribute])
            items.item_lines.extend([node.start_mark.line + 1] * 2)
            value = items
    elif isinstance(node, yaml.SequenceNode):
        value = _construct_sequence(loader, node)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = _construct_mapping(loader, node)
    result = MarkedDict(node.start_mark.line + 1)
    result[key] = value
    result.key_lines[key] = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_multi_constructor("!", _construct_tag)


class _JsYamlLoader(_Loader):
    """`_Loader` with js-yaml's booleans (`YamlDialect.JS_YAML`)."""


def _construct_core_bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool | str:
    text = str(loader.construct_scalar(node))
    return text.lower() == "true" if text in CORE_BOOLEANS else text


_JsYamlLoader.add_constructor("tag:yaml.org,2002:bool", _construct_core_bool)
_LOADERS: Final = {YamlDialect.CLOUDFORMATION: _Loader, YamlDialect.JS_YAML: _JsYamlLoader}


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes the document has once aliases are expanded; stops counting past `limit`. Cycles raise."""
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node) -> int:
        ident = id(node)
        if ident in sizes:
            return sizes[ident]
        if ident in in_progress:
            raise YamlError("recursive YAML alias", node.start_mark.line + 1)
        in_progress.add(ident)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child)
                if total > limit:
                    break
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += size(key) + size(value)
                if total > limit:
                    break
        in_progress.discard(ident)
        sizes[ident] = total
        return total

    return size(root)


def _distinct_nodes(root: yaml.Node) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return len(seen)


def load_yaml(
    text: str, *, check_aliases: bool = True, dialect: YamlDialect = YamlDialect.CLOUDFORMATION
) -> Any:
    """Parse one YAML (or JSON) document into Marked containers and scalars, as `dialect` reads it.

    Raises `YamlError` with a line for syntax errors, unhashable keys, recursive aliases and
    alias expansions (billion laughs) larger than `MAX_ALIAS_EXPANSION` nodes beyond the document.
    """
    loader = _LOADERS[dialect](text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if check_aliases and "*" in text:
            distinct = _distinct_nodes(node)
            limit = distinct + MAX_ALIAS_EXPANSION
            if _expanded_size(node, limit) > limit:
                raise YamlError(
                    f"YAML aliases expand to more than {limit:,} nodes (a YAML bomb?); not loaded",
                    node.start_mark.line + 1,
                )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(" ".join(str(p) for p in (exc.context, exc.problem) if p), line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from exc
    except RecursionError as exc:
        raise YamlError("document nests too deeply") from exc
    finally:
        loader.dispose()
