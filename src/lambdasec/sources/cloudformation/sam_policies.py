"""SAM `Policies` and the generated execution role: managed names, inline documents, policy templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lambdasec.data import DataFiles
from lambdasec.sources.cloudformation.sam_marks import (
    is_intrinsic,
    key_line,
    new_dict,
    new_list,
    node,
    put,
    seq,
)
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = [
    "RoleParts",
    "add_policies",
    "managed_policy_arn",
    "policy_templates",
    "role_properties",
    "service_trust_policy",
    "tag_list",
]

Warn = Callable[[str, int | None], None]

_DATA_FILE = "sam_policy_templates.json"
_NO_VALUE = {"Ref": "AWS::NoValue"}
_PLAIN = frozenset({dict, list})


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    loaded: dict[str, Any] = DataFiles().load_json(_DATA_FILE)
    return loaded


def policy_templates() -> dict[str, Any]:
    """SAM policy templates by name: `{"Parameters": [...], "Statement": [...]}` (loaded once per process)."""
    templates: dict[str, Any] = _data()["Templates"]
    return templates


def managed_policy_arn(name: str) -> str:
    """The ARN of an AWS managed policy given by name (an ARN is returned as is)."""
    if name.startswith("arn:"):
        return name
    arn: str = _data()["ManagedPolicyArns"].get(name, f"arn:aws:iam::aws:policy/{name}")
    return arn


def service_trust_policy(service: str, line: int) -> MarkedDict:
    """The trust policy SAM gives a role assumed by `service` (e.g. `lambda.amazonaws.com`)."""
    statement = {"Action": ["sts:AssumeRole"], "Effect": "Allow", "Principal": {"Service": [service]}}
    return node(line, [("Version", "2012-10-17"), ("Statement", [statement])])


def tag_list(tags: Any, *, line: int, sam_tag: bool = True) -> MarkedList:
    """SAM's tag map as a CloudFormation tag list, led by `lambda:createdBy: SAM`; lines kept per tag."""
    out = new_list(line)
    if sam_tag:
        out.append(node(line, [("Key", "lambda:createdBy"), ("Value", "SAM")]))
        out.item_lines.append(line)
    if isinstance(tags, dict):
        for key, value in tags.items():
            at = key_line(tags, key, line)
            out.append(node(at, [("Key", key), ("Value", value)]))
            out.item_lines.append(at)
    return out


@dataclass(slots=True)
class RoleParts:
    """What a generated role collects: managed ARNs and inline policies, each at the line that caused it."""

    managed: MarkedList = field(default_factory=MarkedList)
    policies: MarkedList = field(default_factory=MarkedList)

    def add_managed(self, arn: Any, line: int) -> None:
        """Attach a managed policy (duplicates of a plain ARN are skipped, as SAM does)."""
        if isinstance(arn, str) and arn in self.managed:
            return
        self.managed.append(arn)
        self.managed.item_lines.append(line)

    def add_policy(self, name: str, document: Any, line: int) -> None:
        """Attach an inline policy `{PolicyName, PolicyDocument}`."""
        self.add_entry(node(line, [("PolicyName", name), ("PolicyDocument", document)]), line)

    def add_entry(self, entry: Any, line: int) -> None:
        """Attach a ready inline-policy entry (for example an `Fn::If` of two entries)."""
        self.policies.append(entry)
        self.policies.item_lines.append(line)

    def add_statements(self, name: str, statements: list[Any], line: int) -> None:
        """Attach an inline policy made of `statements` unless the same name is already attached."""
        if any(isinstance(p, dict) and p.get("PolicyName") == name for p in self.policies):
            return
        self.add_policy(name, node(line, [("Statement", statements)]), line)


def add_policies(parts: RoleParts, policies: Any, *, role_id: str, line: int, warn: Warn) -> None:
    """Add a SAM `Policies` value (string, document, template or a list of them) to `parts`."""
    if policies is None:
        return
    if isinstance(policies, list):
        entries = [(index, item, key_line(policies, index, line)) for index, item in enumerate(policies)]
    elif isinstance(policies, str | dict):
        entries = [(0, policies, line)]
    else:
        warn(
            f"`Policies` must be a string, a mapping or a list, not {type(policies).__name__}; ignored", line
        )
        return
    for index, entry, at in entries:
        _add_entry(parts, entry, name=f"{role_id}Policy{index}", line=at, warn=warn)


def _add_entry(parts: RoleParts, entry: Any, *, name: str, line: int, warn: Warn) -> None:
    kind, value = _classify(entry, line=line, warn=warn)
    if kind == "managed":
        parts.add_managed(value, line)
    elif kind == "document":
        parts.add_policy(name, value, line)
    elif kind == "if":
        _add_if(parts, entry, name=name, line=line, warn=warn)


def _classify(entry: Any, *, line: int, warn: Warn) -> tuple[str, Any]:
    """("managed", arn) | ("document", doc) | ("if", None) | ("skip", None), warning on unknown shapes."""
    if isinstance(entry, str):
        return "managed", managed_policy_arn(entry)
    if is_intrinsic(entry):
        return ("if", None) if "Fn::If" in entry else ("managed", entry)
    if isinstance(entry, dict) and "Statement" in entry:
        return "document", entry
    if isinstance(entry, dict) and len(entry) == 1:
        template_name = next(iter(entry))
        return _template_document(template_name, entry[template_name], line=line, warn=warn)
    if isinstance(entry, dict):
        warn(
            "policy entry is a mapping with neither `Statement` nor a single policy template name; ignored",
            line,
        )
    else:
        warn(f"policy entry `{entry}` is not a managed policy, a document or a template; ignored", line)
    return "skip", None


def _template_document(name: Any, params: Any, *, line: int, warn: Warn) -> tuple[str, Any]:
    template = policy_templates().get(name) if isinstance(name, str) else None
    if template is None:
        warn(f"unknown SAM policy template `{name}`; ignored", line)
        return "skip", None
    if params is None:
        params = {}
    if not isinstance(params, dict):
        warn(f"parameters of policy template `{name}` must be a mapping; ignored", line)
        return "skip", None
    missing = [p for p in template["Parameters"] if p not in params]
    if missing:
        warn(
            f"policy template `{name}` lacks parameter(s) {', '.join(f'`{m}`' for m in missing)}; ignored",
            line,
        )
        return "skip", None
    values = {p: params[p] for p in template["Parameters"]}
    return "document", node(line, [("Statement", _substitute(template["Statement"], values, line))])


def _substitute(value: Any, values: dict[str, Any], line: int) -> Any:
    """A marked copy of a template fragment, `{"Ref": <parameter>}` replaced by the given (marked) value."""
    kind = type(value)
    if kind is dict:
        ref = value.get("Ref")
        if ref is not None and len(value) == 1 and ref in values:
            return values[ref]
        out = new_dict(line)
        for key, item in value.items():
            out[key] = _substitute(item, values, line) if type(item) in _PLAIN else item
        out.key_lines = dict.fromkeys(out, line)
        return out
    if kind is list:
        items = new_list(line)
        items.extend([_substitute(item, values, line) if type(item) in _PLAIN else item for item in value])
        items.item_lines = [line] * len(items)
        return items
    return value


def _add_if(parts: RoleParts, entry: MarkedDict, *, name: str, line: int, warn: Warn) -> None:
    args = entry["Fn::If"]
    if not isinstance(args, list) or len(args) != 3:
        warn("`Fn::If` in `Policies` needs [condition, value if true, value if false]; ignored", line)
        return
    branches = [
        ("none", None) if branch == _NO_VALUE else _classify(branch, line=line, warn=warn)
        for branch in args[1:]
    ]
    kinds = {kind for kind, _ in branches} - {"none"}
    if len(kinds) != 1 or kinds & {"skip", "if"}:
        warn("`Fn::If` in `Policies` mixes policy kinds or nests `Fn::If`; ignored", line)
        return
    kind = kinds.pop()
    values: list[Any] = []
    for (branch_kind, value), original in zip(branches, args[1:], strict=True):
        if branch_kind == "none":
            values.append(original)
        elif kind == "document":
            values.append(node(line, [("PolicyName", name), ("PolicyDocument", value)]))
        else:
            values.append(value)
    conditional = node(line, [("Fn::If", seq(line, [args[0], *values]))])
    if kind == "managed":
        parts.add_managed(conditional, line)
    else:
        parts.add_entry(conditional, line)


def role_properties(
    parts: RoleParts,
    *,
    props: Any,
    line: int,
    trust: Any = None,
) -> MarkedDict:
    """Properties of a generated execution role from `parts` and the function's role-related properties."""
    out = node(line)
    if isinstance(props, dict) and "AssumeRolePolicyDocument" in props:
        put(
            out,
            "AssumeRolePolicyDocument",
            props["AssumeRolePolicyDocument"],
            key_line(props, "AssumeRolePolicyDocument", line),
        )
    else:
        put(
            out, "AssumeRolePolicyDocument", trust or service_trust_policy("lambda.amazonaws.com", line), line
        )
    parts.managed.line = parts.managed.line or line
    put(out, "ManagedPolicyArns", parts.managed, line)
    if parts.policies:
        parts.policies.line = parts.policies.item_lines[0]
        put(out, "Policies", parts.policies, parts.policies.line)
    if isinstance(props, dict):
        for key, as_key in (("RolePath", "Path"), ("PermissionsBoundary", "PermissionsBoundary")):
            if key in props:
                put(out, as_key, props[key], key_line(props, key, line))
        tags_line = key_line(props, "Tags", line) if "Tags" in props else line
        put(out, "Tags", tag_list(props.get("Tags"), line=line), tags_line)
    return out
