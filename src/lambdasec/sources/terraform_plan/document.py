"""Reads a `terraform show -json` plan into its planned resources, with unknowns, configuration and lines."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Unresolved
from lambdasec.records import record

__all__ = [
    "SOURCE_NAME",
    "Plan",
    "PlanResource",
    "as_list",
    "as_mapping",
    "looks_like_plan",
    "module_config",
    "module_names",
    "parse_plan",
    "read_plan",
]

SOURCE_NAME: Final = "terraform-plan"
_ADDRESS_KEY: Final = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')
_INDEX: Final = re.compile(r"\[[^\]]*\]")


@record
class PlanResource:
    """One managed resource instance of `planned_values`.

    `values` are the planned attribute values (unknown ones absent; the ones Terraform marks sensitive, which
    come from sensitive variables, data sources or attributes rather than from the code, are `Unresolved`);
    `unknown` is the matching part of
    `resource_changes[].change.after_unknown`; `expressions` is the resource's `configuration` block, whose
    `references` tell which resource an unknown value comes from; `module` is the module instance address
    (`""` for the root module).
    """

    address: str
    module: str
    type: str
    name: str
    index: str | int | None
    values: Mapping[str, Any]
    unknown: Mapping[str, Any]
    expressions: Mapping[str, Any]
    line: int | None


@record
class Plan:
    """The planned resources of one plan file, its `configuration.root_module` (for module inputs) and
    `configuration.provider_config` (the provider configurations, by `provider_config_key`)."""

    display: str
    resources: tuple[PlanResource, ...]
    config_root: Mapping[str, Any] = field(default_factory=dict)
    providers: Mapping[str, Any] = field(default_factory=dict)
    data_values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()


def looks_like_plan(data: bytes) -> bool:
    """True for JSON text with the top-level keys of a plan: `format_version` and `planned_values` (in
    UTF-16 too: Windows PowerShell 5 writes `terraform show -json > plan.json` so)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    return b'"format_version"' in data and b'"planned_values"' in data


def read_plan(path: Path, *, display: str) -> Plan | Diagnostic:
    """Read and parse one plan file: UTF-8, with or without a byte order mark, or UTF-16 with one."""
    try:
        data = path.read_bytes()
        utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _error(f"cannot read file: {exc}", display, line=None)
    return parse_plan(text, display=display)


def parse_plan(text: str, *, display: str) -> Plan | Diagnostic:
    """Parse plan JSON; invalid JSON, an unsupported format version or no `planned_values` is an error."""
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(f"cannot parse plan JSON: {exc.msg}", display, line=exc.lineno)
    if not isinstance(raw, Mapping):
        return _error("plan JSON is not an object", display, line=1)
    version = raw.get("format_version")
    # 0.1 and 0.2 (Terraform 0.12 to 1.0) have the shape 1.0 declared stable; 2.x would break it.
    if not isinstance(version, str) or version.partition(".")[0] not in ("0", "1"):
        return _error(
            f"unsupported plan format_version {version!r} (0.x and 1.x are read)", display, line=None
        )
    planned = raw.get("planned_values")
    root = planned.get("root_module") if isinstance(planned, Mapping) else None
    if not isinstance(root, Mapping):
        return _error("plan has no planned_values.root_module", display, line=None)
    unknown = _after_unknown(raw.get("resource_changes"))
    config = raw.get("configuration")
    config_root = as_mapping(config.get("root_module")) if isinstance(config, Mapping) else {}
    providers = as_mapping(config.get("provider_config")) if isinstance(config, Mapping) else {}
    lines = _address_lines(text, start=max(text.find('"planned_values"'), 0))
    expressions = _Expressions(config_root)
    resources = tuple(
        _resource(item, module=module, unknown=unknown, expressions=expressions, lines=lines)
        for module, item in _walk(root, address="")
    )
    warnings: tuple[Diagnostic, ...] = ()
    if raw.get("errored") is True or raw.get("complete") is False:
        message = "the plan is incomplete (planning errored or deferred changes): resources may be missing"
        warnings = (
            Diagnostic(level=DiagnosticLevel.WARNING, source=SOURCE_NAME, message=message, file=display),
        )
    return Plan(
        display=display,
        resources=resources,
        config_root=config_root,
        providers=providers,
        data_values=_data_values(raw.get("prior_state")),
        warnings=warnings,
    )


def module_config(config_root: Mapping[str, Any], module: str) -> Mapping[str, Any] | None:
    """The configuration of module instance `module` (`module.a["x"].module.b`): instances share one."""
    current: Mapping[str, Any] | None = config_root
    for name in module_names(module):
        calls = as_mapping(current.get("module_calls")) if current is not None else {}
        current = as_mapping(as_mapping(calls.get(name)).get("module")) or None
    return current


def module_names(module: str) -> list[str]:
    """The module call names along a module instance address, without instance keys."""
    parts = _INDEX.sub("", module).split(".") if module else []
    return [parts[i + 1] for i in range(0, len(parts) - 1, 2) if parts[i] == "module"]


def _walk(
    module: Mapping[str, Any], *, address: str, mode: str = "managed"
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for item in as_list(module.get("resources")):
        if isinstance(item, Mapping) and item.get("mode", "managed") == mode:
            yield address, item
    for child in as_list(module.get("child_modules")):
        if isinstance(child, Mapping):
            child_address = child.get("address")
            yield from _walk(
                child, address=child_address if isinstance(child_address, str) else address, mode=mode
            )


def _data_values(prior_state: object) -> dict[str, Mapping[str, Any]]:
    """The values of the data sources read while planning (`prior_state`), by address."""
    root = as_mapping(as_mapping(as_mapping(prior_state).get("values")).get("root_module"))
    return {
        item["address"]: as_mapping(item.get("values"))
        for _, item in _walk(root, address="", mode="data")
        if isinstance(item.get("address"), str)
    }


def _after_unknown(changes: object) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for change in changes if isinstance(changes, list) else ():
        if not isinstance(change, Mapping) or not isinstance(change.get("address"), str):
            continue
        if change.get("deposed"):
            continue  # an older object of the same address, left by a failed replacement: deleted
        body = as_mapping(change.get("change"))
        out[change["address"]] = as_mapping(body.get("after_unknown"))
    return out


def _resource(
    item: Mapping[str, Any],
    *,
    module: str,
    unknown: Mapping[str, Mapping[str, Any]],
    expressions: _Expressions,
    lines: Mapping[str, int],
) -> PlanResource:
    address = str(item.get("address", ""))
    kind, name = str(item.get("type", "")), str(item.get("name", ""))
    index = item.get("index")
    return PlanResource(
        address=address,
        module=module,
        type=kind,
        name=name,
        index=index if isinstance(index, str | int) and not isinstance(index, bool) else None,
        values=_masked(as_mapping(item.get("values")), item.get("sensitive_values"), path=address),
        unknown=unknown.get(address, {}),
        expressions=expressions.of(module, f"{kind}.{name}"),
        line=lines.get(address),
    )


@dataclass(slots=True)
class _Expressions:
    """The `expressions` of each managed resource of the configuration, indexed once per module."""

    config_root: Mapping[str, Any]
    by_module: dict[tuple[str, ...], dict[str, Mapping[str, Any]]] = field(default_factory=dict)

    def of(self, module: str, local: str) -> Mapping[str, Any]:
        """The expressions of resource `local` (`type.name`) in module instance `module`."""
        names = tuple(module_names(module))
        if names not in self.by_module:
            config = module_config(self.config_root, module)
            self.by_module[names] = {
                resource["address"]: as_mapping(resource.get("expressions"))
                for resource in as_list((config or {}).get("resources"))
                if isinstance(resource, Mapping)
                and isinstance(resource.get("address"), str)
                and resource.get("mode", "managed") == "managed"
            }
        return self.by_module[names].get(local, {})


def _address_lines(text: str, *, start: int) -> dict[str, int]:
    """The line of the first `"address": ...` of each resource at or after `start` (planned_values)."""
    out: dict[str, int] = {}
    line, position = 1 + text.count("\n", 0, start), start
    for match in _ADDRESS_KEY.finditer(text, start):
        line += text.count("\n", position, match.start())
        position = match.start()
        try:
            address = json.loads(match[1])
        except json.JSONDecodeError:
            continue
        if isinstance(address, str):
            out.setdefault(address, line)
    return out


def _masked(values: Mapping[str, Any], sensitive: object, *, path: str) -> Mapping[str, Any]:
    """`values` with each value `sensitive` (a `sensitive_values` structure) marks as sensitive unresolved."""
    if not isinstance(sensitive, Mapping) or not sensitive:
        return values
    return {
        name: _unshown(value, sensitive.get(name), path=f"{path}.{name}") for name, value in values.items()
    }


def _unshown(value: object, mark: object, *, path: str) -> Any:
    if mark is True:
        return Unresolved(f"sensitive value {path}")
    if isinstance(value, Mapping) and isinstance(mark, Mapping):
        return {key: _unshown(item, mark.get(key), path=f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list) and isinstance(mark, list):
        return [
            _unshown(item, mark[i] if i < len(mark) else None, path=f"{path}[{i}]")
            for i, item in enumerate(value)
        ]
    return value


def as_mapping(value: object) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one (a plan written by hand may hold anything)."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: object) -> list[Any]:
    """`value` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def _error(message: str, display: str, *, line: int | None) -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.ERROR, source=SOURCE_NAME, message=message, file=display, line=line
    )
