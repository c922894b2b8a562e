"""Reads Terraform JSON syntax (`.tf.json`) into the same block structure python-hcl2 gives for `.tf`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, YamlError, line_of, load_yaml

__all__ = ["NESTED_BLOCKS", "JsonSyntaxError", "json_body"]

# Arguments that are nested blocks in the resources lambdasec reads: HCL gives these as lists of bodies
# with lines, so in JSON an object (or a list of objects) under one of these names becomes that list.
NESTED_BLOCKS: Final = frozenset(
    {
        "environment",
        "vpc_config",
        "tracing_config",
        "dead_letter_config",
        "ephemeral_storage",
        "logging_config",
        "image_config",
        "snap_start",
        "cors",
        "destination_config",
        "on_failure",
        "on_success",
        "filter_criteria",
        "filter",
        "scaling_config",
        "source_access_configuration",
        "self_managed_event_source",
        "inline_policy",
        "statement",
        "principals",
        "not_principals",
        "condition",
        "ingress",
        "egress",
        "event_selector",
        "data_resource",
        "advanced_event_selector",
        "field_selector",
        "allowed_publishers",
        "policies",
        "access_log_settings",
        "default_route_settings",
        "route_settings",
        "settings",
        "throttle_settings",
        "api_stages",
        "quota_settings",
        "jwt_configuration",
        "cors_configuration",
        "endpoint_configuration",
        "lambda_function",
        "queue",
        "topic",
        "retry_policy",
        "lifecycle",
        "timeouts",
    }
)
_NAMED_BLOCKS: Final = ("variable", "output", "module", "provider")
_TYPED_BLOCKS: Final = ("resource", "data")
_COMMENT: Final = "//"


class JsonSyntaxError(Exception):
    """The text is not a Terraform JSON document; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def json_body(text: str) -> dict[str, Any]:
    """The python-hcl2-shaped body of a `.tf.json` document, with `__start_line__`/`__end_line__`."""
    try:
        document = load_yaml(text)
    except YamlError as exc:
        raise JsonSyntaxError(exc.message, exc.line) from None
    if not isinstance(document, Mapping):
        raise JsonSyntaxError("a Terraform JSON file must hold an object", 1)
    body: dict[str, Any] = {}
    for kind, value in document.items():
        if kind == _COMMENT:
            continue
        line = line_of(document, kind)
        for part in _parts(value, kind, line):
            if kind in _TYPED_BLOCKS:
                for type_name, named in _items(part):
                    for name, b in _items(named):
                        for one in _bodies(b, line_of(named, name)):
                            body.setdefault(kind, []).append({type_name: {name: one}})
            elif kind in _NAMED_BLOCKS:
                for name, b in _items(part):
                    for one in _bodies(b, line_of(part, name)):
                        body.setdefault(kind, []).append({name: one})
            elif kind == "locals":
                body.setdefault(kind, []).append(_block(part, line_of(part)))
            else:
                body.setdefault(kind, []).append(_plain(part))
    return body


def _parts(value: Any, kind: str, line: int | None) -> list[Mapping[str, Any]]:
    """A top-level value: one object or a list of objects (both are allowed)."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, Mapping) for item in items):
        raise JsonSyntaxError(f"`{kind}` must be an object", line)
    return items


def _bodies(value: Any, line: int | None) -> list[dict[str, Any]]:
    """The bodies under a block's labels: one object, or an array of objects (several blocks)."""
    if isinstance(value, list):
        return [_block(item, line_of(value, index) or line) for index, item in enumerate(value)]
    return [_block(value, line)]


def _items(value: Any) -> list[tuple[str, Any]]:
    if not isinstance(value, Mapping):
        raise JsonSyntaxError("a block must be an object", line_of(value))
    return [(str(k), v) for k, v in value.items() if k != _COMMENT]


def _block(value: Any, line: int | None) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise JsonSyntaxError("a block must be an object", line)
    start = line or line_of(value) or 1
    out: dict[str, Any] = {}
    for key, item in _items(value):
        if key == "dynamic" and isinstance(item, Mapping):
            out[key] = [{label: _dynamic(spec, line_of(item, label))} for label, spec in _items(item)]
        elif key in NESTED_BLOCKS and isinstance(item, Mapping):
            out[key] = [_block(item, line_of(value, key))]
        elif key in NESTED_BLOCKS and isinstance(item, list) and all(isinstance(i, Mapping) for i in item):
            out[key] = [_block(b, line_of(item, index)) for index, b in enumerate(item)]
        else:
            out[key] = _plain(item)
    out["__start_line__"] = start
    out["__end_line__"] = max(start, _last_line(value))
    return out


def _dynamic(value: Any, line: int | None) -> dict[str, Any]:
    """`"dynamic": {"label": {"for_each": ..., "content": {...}}}` as HCL gives a dynamic block."""
    spec = _block(value, line)
    content = value.get("content") if isinstance(value, Mapping) else None
    if isinstance(content, Mapping):
        spec["content"] = [_block(content, line_of(value, "content"))]
    return spec


def _plain(value: Any) -> Any:
    """Plain dicts and lists (no line marks) for attribute values, as python-hcl2 gives them."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if k != _COMMENT}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _last_line(value: Any) -> int:
    """The last line any key or item of `value` is on (the closing brace itself is not recorded)."""
    lines = [0]
    if isinstance(value, MarkedDict):
        lines.extend(value.key_lines.values())
        lines.extend(_last_line(v) for v in value.values())
    elif isinstance(value, MarkedList):
        lines.extend(value.item_lines)
        lines.extend(_last_line(v) for v in value)
    return max(lines)
