"""Fast YAML loading from libyaml events, producing exactly what `load_yaml` produces."""

# PyYAML's composer resolves every scalar through Python regexes and builds a node graph before the
# constructors run; on a 6 MB SAM template that is most of the scan time. This builder consumes the C
# parser's event stream once, caches the resolution of repeated plain scalars and counts alias expansion as
# it goes. Anything unusual (merge keys, explicit `!!` tags, recursive or bomb-sized aliases, syntax errors,
# very deep nesting) falls back to `load_yaml`, so results and errors stay identical.

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from lambdasec.sources.yaml_lines import NotPlainBlock, read_plain_block
from lambdasec.sources.yaml_loader import (
    CORE_BOOLEANS,
    MAX_ALIAS_EXPANSION,
    MarkedDict,
    MarkedList,
    YamlDialect,
    load_yaml,
    tagged,
    tagged_scalar,
)

try:
    from yaml._yaml import CParser as _LibyamlParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser: type[Any] | None = None
else:
    _CParser = _LibyamlParser

__all__ = ["load_template_text"]


_STR = "tag:yaml.org,2002:str"
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_MAX_DEPTH = 200


class _Fallback(Exception):
    """The document needs the full loader (or is invalid and the full loader reports why)."""


def load_template_text(text: str, *, dialect: YamlDialect = YamlDialect.CLOUDFORMATION) -> Any:
    """Parse one YAML or JSON document like `load_yaml` does, quickly for ordinary templates.

    Raises `YamlError` exactly where `load_yaml` would.
    """
    if _CParser is None:  # pragma: no cover - PyYAML built without libyaml
        return load_yaml(text, dialect=dialect)
    resolve = _resolve_plain_core if dialect is YamlDialect.JS_YAML else _resolve_plain
    try:
        return read_plain_block(text, resolve)
    except (NotPlainBlock, _Fallback):
        pass
    try:
        return _Builder(text, dialect=dialect).build()
    except (_Fallback, yaml.YAMLError):
        return load_yaml(text, dialect=dialect)


@cache
def _constructor() -> yaml.constructor.SafeConstructor:
    return yaml.constructor.SafeConstructor()


def _resolve_plain(value: str) -> Any:
    """The value of an untagged plain scalar under YAML 1.1 implicit resolution (timestamps stay text)."""
    resolvers = yaml.SafeLoader.yaml_implicit_resolvers
    candidates = resolvers.get(value[0] if value else "", [])
    tag = _STR
    for candidate, regexp in candidates:
        if regexp.match(value):
            tag = candidate
            break
    match tag.rpartition(":")[2]:
        case "str" | "timestamp":
            return value
        case "null":
            return None
        case "bool":
            return _constructor().bool_values[value.lower()]
        case "int":
            return _constructor().construct_yaml_int(yaml.ScalarNode(tag, value))
        case "float":
            return _constructor().construct_yaml_float(yaml.ScalarNode(tag, value))
        case _:
            raise _Fallback(tag)


def _resolve_plain_core(value: str) -> Any:
    """`_resolve_plain` with YAML 1.2 core booleans (js-yaml): `yes`, `on`, `Off`, `n` stay text."""
    resolved = _resolve_plain(value)
    return value if type(resolved) is bool and value not in CORE_BOOLEANS else resolved


_NO_KEY = object()
# A frame of the stack is a list: [container, line, tag, anchor, expanded size, pending key, its line].
_CONTAINER, _LINE, _TAG, _ANCHOR, _SIZE, _KEY, _KEY_LINE = range(7)
# Containers are allocated without the Python-level __init__ (the slots are set right after).
_dict_new = dict.__new__
_list_new = list.__new__


class _Builder:
    """One pass over the event stream."""

    def __init__(self, text: str, *, dialect: YamlDialect) -> None:
        assert _CParser is not None
        self.parser: Any = _CParser(text)
        self.resolve = _resolve_plain_core if dialect is YamlDialect.JS_YAML else _resolve_plain
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, expanded size, line
        self.extra = 0

    def build(self) -> Any:
        parser = self.parser
        try:
            parser.get_event()  # StreamStart
            event = parser.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                return None
            result = self._document()
            parser.get_event()  # DocumentEnd
            if not isinstance(parser.get_event(), yaml.StreamEndEvent):
                raise _Fallback("more than one document")
            return result
        finally:
            parser.dispose()

    def _document(self) -> Any:
        parser = self.parser
        stack: list[list[Any]] = []
        plain_cache: dict[str, Any] = {}
        anchors = self.anchors
        scalar_event = yaml.ScalarEvent
        mapping_start = yaml.MappingStartEvent
        sequence_start = yaml.SequenceStartEvent
        alias_event = yaml.AliasEvent
        marked_dict = MarkedDict
        marked_list = MarkedList
        no_key = _NO_KEY
        next_event = parser.get_event
        resolve = self.resolve
        while True:
            event: Any = next_event()
            kind = type(event)
            size = 1
            if kind is scalar_event:
                line = event.start_mark.line + 1
                tag = event.tag
                if tag is None:
                    if event.implicit[0]:
                        raw = event.value
                        try:
                            value = plain_cache[raw]
                        except KeyError:
                            value = plain_cache[raw] = resolve(raw)
                    else:
                        value = event.value
                elif tag == _STR:
                    value = event.value
                elif _is_local(tag):
                    value = tagged_scalar(tag, event.value, line=line)
                else:
                    raise _Fallback(tag)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1, line)
            elif kind is mapping_start or kind is sequence_start:
                line = event.start_mark.line + 1
                tag = event.tag
                if tag in _PLAIN_COLLECTION_TAGS:
                    tag = None
                elif tag is not None and not _is_local(tag):
                    raise _Fallback(tag)
                container: MarkedDict | MarkedList
                if kind is mapping_start:
                    container = _dict_new(marked_dict)
                    container.key_lines = {}
                else:
                    container = _list_new(marked_list)
                    container.item_lines = []
                container.line = line
                if len(stack) >= _MAX_DEPTH:
                    raise _Fallback("deep")
                stack.append([container, line, tag, event.anchor, 1, no_key, 0])
                continue
            elif kind is alias_event:
                line = event.start_mark.line + 1
                try:
                    # like the composer, an alias stands for the anchored node, line included
                    value, size, line = anchors[event.anchor or ""]
                except KeyError:
                    raise _Fallback("unknown or recursive alias") from None
                self.extra += size
                if self.extra > MAX_ALIAS_EXPANSION:
                    raise _Fallback("alias bomb")
            else:  # MappingEnd / SequenceEnd
                frame = stack.pop()
                value = frame[_CONTAINER]
                line = frame[_LINE]
                if frame[_TAG] is not None:
                    value = tagged(frame[_TAG], value, line=line)
                size = frame[_SIZE]
                if frame[_ANCHOR] is not None:
                    anchors[frame[_ANCHOR]] = (value, size, line)
            if not stack:
                return value
            parent = stack[-1]
            parent[_SIZE] += size
            target = parent[_CONTAINER]
            if type(target) is marked_list:
                target.append(value)
                target.item_lines.append(line)
            elif parent[_KEY] is no_key:
                if type(value) is not str:
                    if kind is not scalar_event or type(value) is marked_dict:
                        raise _Fallback("key not a scalar written in place")
                    value = event.value  # a key is its text as written (`Off`, `1`), not a boolean
                parent[_KEY] = value
                parent[_KEY_LINE] = line
            else:
                key = parent[_KEY]
                target[key] = value
                target.key_lines[key] = parent[_KEY_LINE]
                parent[_KEY] = no_key


def _is_local(tag: str) -> bool:
    """True for a `!Name` tag, which `load_yaml` turns into an intrinsic (or keeps as `{"!Name": ...}`)."""
    return tag.startswith("!") and len(tag) > 1
