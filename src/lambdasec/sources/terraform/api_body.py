"""Reads an API's OpenAPI `body` (jsonencode, heredoc JSON, template file) via the CloudFormation reader."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from lambdasec.model import SourceKind, Unresolved
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import Resolver
from lambdasec.sources.cloudformation.openapi import BodyApi, UriTargets, read_body
from lambdasec.sources.cloudformation.properties import Context, Node
from lambdasec.sources.terraform.api_links import ApiLinks
from lambdasec.sources.terraform.api_template import template_body
from lambdasec.sources.terraform.hcl import value_lines
from lambdasec.sources.terraform.reader import Reader
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, YamlDialect, YamlError, load_yaml

__all__ = ["read_api_body"]

_JSONENCODE: Final = re.compile(r"^\$\{\s*jsonencode\((?P<json>.*)\)\s*\}$", re.DOTALL)
# Keys whose values name functions: kept as written, for the links to follow their references.
_URI_KEYS: Final = frozenset({"uri", "authorizerUri"})


def read_api_body(r: Reader, *, links: ApiLinks, api_key: str) -> BodyApi:
    """Routes and authorizers declared in the block's `body`; an empty result when it cannot be read."""
    raw = r.block.body.get("body")
    text = template_body(r, raw) if isinstance(raw, str) else None
    decoded = json_argument(raw) if text is None else _document(text)
    if not isinstance(decoded, dict):
        return BodyApi()
    span = value_lines(r.block.file.lines, r.block.body, "body") or (r.block.line or 1, r.block.line or 1)
    # a template file's keys are not in the block's lines: all of them are shown at the `body` line
    last = span[1] if text is None else span[0]
    marked = _Marker(lines=r.block.file.lines, last=last, links=links).mark(decoded, line=span[0])
    file = r.block.file.display
    diagnostics = Diagnostics(file=file, source=SourceKind.TERRAFORM)
    ctx = Context(
        file=file,
        source=SourceKind.TERRAFORM,
        resolver=Resolver({}, diagnostics=diagnostics),
        diagnostics=diagnostics,
        resources={},
    )
    node = Node(marked, ctx=ctx, where=r.block.address, path="body", fields=[])
    return read_body(node, api_id=r.block.address, api_key=api_key, targets=_targets(links))


def json_argument(raw: Any) -> Any:
    """The JSON of an argument written as `jsonencode({...})` or a heredoc, with Terraform expressions left
    in its strings; None when it is neither."""
    if not isinstance(raw, str):
        return None
    match = _JSONENCODE.match(raw.strip())
    text = match["json"] if match else raw
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def _document(text: str) -> Any:
    """A template file's OpenAPI document, JSON or YAML, with Terraform expressions left in its strings."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        return load_yaml(text, dialect=YamlDialect.JS_YAML)
    except YamlError:
        return None


def _targets(links: ApiLinks) -> UriTargets:
    def integration(raw: Any, kind: Any) -> tuple[str | Unresolved | None, str | Unresolved | None]:
        target = links.function(raw, integration_type=kind)
        return (None, None) if target is None else (target.function, target.qualifier)

    def authorizer(raw: Any) -> str | Unresolved:
        target = links.function(raw, integration_type="aws")
        return Unresolved(f"authorizerUri {raw}") if target is None else target.function

    return UriTargets(integration=integration, authorizer=authorizer)


class _Marker:
    """Rebuilds decoded JSON as marked containers, each key at the first line after its parent naming it."""

    def __init__(self, *, lines: tuple[str, ...], last: int, links: ApiLinks) -> None:
        self.lines = lines
        self.last = min(last, len(lines))
        self.links = links
        self.cursor = 0

    def mark(self, value: Any, *, line: int, key: Any = None) -> Any:
        self.cursor = max(self.cursor, line)
        if isinstance(value, dict):
            out = MarkedDict(line)
            for name, item in value.items():
                at = self._find(str(name))
                out.key_lines[name] = at
                out[name] = self.mark(item, line=at, key=name)
            return out
        if isinstance(value, list):
            items = MarkedList(line)
            for item in value:
                items.append(self.mark(item, line=self.cursor))
                items.item_lines.append(self.cursor)
            return items
        if isinstance(value, str) and key not in _URI_KEYS:
            return self.links.scope.resolve(value)
        return value

    def _find(self, name: str) -> int:
        """The next line from the cursor that sets `name` (as `"name":`, `"name" =` or `name =`)."""
        pattern = re.compile(rf'(^|[{{,\s])"?{re.escape(name)}"?\s*[=:]')
        for number in range(self.cursor, self.last + 1):
            if number >= 1 and pattern.search(self.lines[number - 1]):
                self.cursor = number
                return number
        return self.cursor
