"""Reads one template file: size and encoding checks, parsing with lines, detection, SAM expansion."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, Final

from lambdasec.findings import Diagnostic
from lambdasec.model import SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.foreach import LANGUAGE_EXTENSIONS, expand_foreach
from lambdasec.sources.cloudformation.includes import INCLUDE, expand_includes
from lambdasec.sources.cloudformation.sam import SAM_TRANSFORM, expand_sam
from lambdasec.sources.interface import InputFile
from lambdasec.sources.yaml_events import load_template_text
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, YamlError, line_of

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "SAM_TRANSFORM",
    "LoadedTemplate",
    "Template",
    "has_aws_resources",
    "load_template",
    "named_like_template",
    "transforms",
]

MAX_TEMPLATE_BYTES: Final = 32 * 1024 * 1024
# Transforms that change nothing lambdasec models, or that it handles itself.
_QUIET_TRANSFORMS: Final = frozenset({SAM_TRANSFORM, LANGUAGE_EXTENSIONS})
_TEMPLATE_NAMES: Final = frozenset({"template.yaml", "template.yml", "template.json"})
_TOP_LEVEL_RESOURCES: Final = re.compile(r'^(?:Resources[ \t]*:|[ \t]*"Resources"[ \t]*:)', re.MULTILINE)
_MIB: Final = 1024 * 1024


@record
class Template:
    """A parsed template: plain CloudFormation (SAM already expanded) with line marks.

    `pseudo` gives pseudo parameters the deployment is known to have (`AWS::Region` of a Serverless
    service whose region is set); the others stay unknown. `parameters` gives the values a parent stack
    passes to parameters of this one (a scalar, a list or Unresolved), over their defaults.
    """

    file: str
    source: SourceKind
    body: MarkedDict
    pseudo: tuple[tuple[str, str], ...] = ()
    parameters: tuple[tuple[str, Any], ...] = ()


@record
class LoadedTemplate:
    """The template of a file, or None when the file is not one (or could not be read)."""

    template: Template | None
    diagnostics: tuple[Diagnostic, ...]


def named_like_template(name: str) -> bool:
    """True for `template.yaml`-style names and `*.template`, `*.template.json`, ..."""
    lowered = name.lower()
    return lowered in _TEMPLATE_NAMES or lowered.endswith(".template") or ".template." in lowered


def has_aws_resources(body: Any) -> bool:
    """True when `body` is a mapping with `Resources` whose entries carry `Type: AWS::...` (or loop)."""
    resources = body.get("Resources") if isinstance(body, dict) else None
    if not isinstance(resources, dict):
        return False
    for key, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if isinstance(kind, str) and kind.startswith("AWS::"):
            return True
        if isinstance(key, str) and key.startswith("Fn::ForEach::"):  # resources the loop generates
            return True
    return False


def transforms(body: MarkedDict) -> tuple[str, ...]:
    """The names in the template's `Transform` (a string, a list, or `{Name: ...}` entries)."""
    value = body.get("Transform")
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("Name") if isinstance(item, dict) else item
        if isinstance(name, str):
            names.append(name)
    return tuple(names)


def load_template(item: InputFile, *, given: Mapping[str, Any] | None = None) -> LoadedTemplate:
    """Read, parse and (for SAM) expand one file. Never raises for bad input.

    `given` holds the values a parent stack passes to the template's parameters: what is expanded at load
    time (`Fn::ForEach` collections, SAM's `AutoPublishAlias`) reads them, and so does the mapper.
    """
    diagnostics = Diagnostics(file=item.display, source=SourceKind.CLOUDFORMATION)
    text = _read_text(item, diagnostics)
    if text is None:
        return LoadedTemplate(template=None, diagnostics=diagnostics.items)
    body = _parse(item, text, diagnostics=diagnostics)
    if body is None:
        return LoadedTemplate(template=None, diagnostics=diagnostics.items)
    if given:
        body = _with_given(body, given)
    if INCLUDE in text:
        body = expand_includes(body, template=item.path, root=_scanned_root(item), diagnostics=diagnostics)
    if not has_aws_resources(body):
        if named_like_template(item.path.name):
            diagnostics.warn("not a CloudFormation template: no `Resources` with `AWS::` types", None)
        return LoadedTemplate(template=None, diagnostics=diagnostics.items)
    source = SourceKind.CLOUDFORMATION
    extra: tuple[Diagnostic, ...] = ()
    names = transforms(body)
    for name in names:
        if name not in _QUIET_TRANSFORMS:
            diagnostics.warn(
                f"transform `{name}` is not expanded; resources it generates are not scanned", None
            )
    if LANGUAGE_EXTENSIONS in names:
        body = expand_foreach(body, diagnostics=diagnostics)
    sam = SAM_TRANSFORM in names
    serverless = None if sam else _first_serverless_resource(body)
    if serverless is not None:
        diagnostics.warn(
            f"`AWS::Serverless::*` resources without `Transform: {SAM_TRANSFORM}`, which CloudFormation "
            "needs to deploy them; read as SAM",
            line_of(body["Resources"], serverless),
        )
        sam = True
    if sam:
        source = SourceKind.SAM
        expansion = expand_sam(body, file=item.display)
        body, extra = expansion.template, expansion.diagnostics
        if expansion.includes:  # a state machine's local `DefinitionUri`
            body = expand_includes(
                body, template=item.path, root=_scanned_root(item), diagnostics=diagnostics
            )
    parameters = tuple(sorted(given.items())) if given else ()
    template = Template(file=item.display, source=source, body=body, parameters=parameters)
    return LoadedTemplate(template=template, diagnostics=(*diagnostics.items, *extra))


def _with_given(body: MarkedDict, given: Mapping[str, Any]) -> MarkedDict:
    """`body` (not mutated) with each given parameter's `Default` replaced by its value (removed when the
    value is Unresolved), for what reads parameter defaults before mapping."""
    parameters = body.get("Parameters")
    if not isinstance(parameters, MarkedDict):
        return body
    specs = _copy(parameters)
    for name, value in given.items():
        spec = parameters.get(name)
        if not isinstance(spec, MarkedDict):
            continue
        changed = _copy(spec)
        if isinstance(value, Unresolved):
            changed.pop("Default", None)
        else:
            changed["Default"] = value
        specs[name] = changed
    out = _copy(body)
    out["Parameters"] = specs
    return out


def _copy(value: MarkedDict) -> MarkedDict:
    out = MarkedDict(value.line)
    out.update(value)
    out.key_lines = dict(value.key_lines)
    return out


def _scanned_root(item: InputFile) -> Path:
    """The directory scanned: the file's path without its displayed (root-relative) part."""
    root = item.path
    for _ in PurePosixPath(item.display).parts:
        root = root.parent
    return root


def _first_serverless_resource(body: MarkedDict) -> str | None:
    """The logical id of the first `AWS::Serverless::*` resource, if any."""
    for logical_id, resource in body["Resources"].items():
        if isinstance(resource, dict) and str(resource.get("Type", "")).startswith("AWS::Serverless::"):
            return str(logical_id)
    return None


def _read_text(item: InputFile, diagnostics: Diagnostics) -> str | None:
    try:
        size = item.path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            diagnostics.error(
                f"file is {size / _MIB:.1f} MiB, over the {MAX_TEMPLATE_BYTES // _MIB} MiB limit "
                "for templates; not read",
                None,
            )
            return None
        data = item.path.read_bytes()
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror or exc}", None)
        return None
    if b"\x00" in data:
        diagnostics.error("not a text file (it contains NUL bytes); not read", None)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.error(f"not a text file (invalid UTF-8 at byte {exc.start}); not read", None)
        return None


def _parse(item: InputFile, text: str, *, diagnostics: Diagnostics) -> MarkedDict | None:
    is_json = item.path.suffix.lower() == ".json" or text.lstrip().startswith("{")
    plain = _load_json(text, diagnostics) if is_json else None
    if is_json and plain is None:
        return None
    try:
        body = load_template_text(text)
    except YamlError as exc:
        if is_json:  # valid JSON the YAML 1.1 parser refuses: keep the values, without line marks
            marked = _marked(plain)
            return marked if isinstance(marked, MarkedDict) else None
        if named_like_template(item.path.name) or _TOP_LEVEL_RESOURCES.search(text):
            diagnostics.error(f"invalid YAML: {exc.message}", exc.line)
        return None
    return body if isinstance(body, MarkedDict) else None


def _load_json(text: str, diagnostics: Diagnostics) -> Any:
    """Strict JSON first (the line-keeping YAML parser would accept trailing commas); None when invalid."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        diagnostics.error(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno)
    except RecursionError:
        diagnostics.error("invalid JSON: nests too deeply", None)
    return None


def _marked(value: Any) -> Any:
    """Plain JSON containers as Marked ones without lines (iterative, so depth cannot overflow)."""
    if not isinstance(value, dict | list):
        return value
    root: MarkedDict | MarkedList = MarkedDict() if isinstance(value, dict) else MarkedList()
    stack: list[tuple[Any, MarkedDict | MarkedList]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        pairs = source.items() if isinstance(source, dict) else enumerate(source)
        for key, child in pairs:
            if isinstance(child, dict | list):
                copy: MarkedDict | MarkedList = MarkedDict() if isinstance(child, dict) else MarkedList()
                stack.append((child, copy))
                child = copy
            if isinstance(target, MarkedDict):
                target[key] = child
            else:
                target.append(child)
                target.item_lines.append(0)
    return root
