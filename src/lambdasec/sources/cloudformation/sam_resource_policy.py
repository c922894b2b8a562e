"""SAM `Auth.ResourcePolicy` of REST APIs and Api events -> the body's `x-amazon-apigateway-policy`."""

from __future__ import annotations

import re
from typing import Any, Final

from lambdasec.sources.cloudformation.sam_context import Expander, Route
from lambdasec.sources.cloudformation.sam_marks import key_line, node, put, seq
from lambdasec.sources.cloudformation.sam_openapi import ANY_METHOD, method_key
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["POLICY", "add_resource_policies"]

POLICY: Final = "x-amazon-apigateway-policy"
_NOT_METHODS: Final = frozenset({"parameters", "summary", "description", "servers", "$ref"})
# SAM's `get_path_without_trailing_slash`: path parameters, greedy ones included, become `*`.
_PATH_PARAMETER: Final = re.compile(r"{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)}")
_INVOKE: Final = "execute-api:Invoke"
# (lists, Deny condition operator) for SAM's allow/deny lists of VPCs and VPC endpoints
_VPC_LISTS: Final = (
    (("SourceVpcBlacklist", "IntrinsicVpcBlacklist", "IntrinsicVpceBlacklist"), "StringEquals"),
    (("SourceVpcWhitelist", "IntrinsicVpcWhitelist", "IntrinsicVpceWhitelist"), "StringNotEquals"),
)


def add_resource_policies(
    ex: Expander, body: MarkedDict, *, auth: Any, auth_line: int, routes: list[Route], stage: Any
) -> None:
    """Expand the API's `Auth.ResourcePolicy` for every path of `body`, and each event's own
    `Auth.ResourcePolicy` for its path, into the body's resource policy, as SAM's swagger editor does."""
    existing = body.get(POLICY)
    before = existing.get("Statement") if isinstance(existing, dict) else None
    statements: list[Any] = list(before) if isinstance(before, list) else [] if before is None else [before]
    count = len(statements)
    api_policy = auth.get("ResourcePolicy") if isinstance(auth, dict) else None
    if api_policy is not None:
        line = key_line(auth, "ResourcePolicy", auth_line)
        if _is_map(ex, api_policy, line):
            paths = body.get("paths")
            for path in list(paths) if isinstance(paths, dict) else []:
                _add(statements, api_policy, resources=_resources(body, str(path), stage, line), line=line)
            _add_custom(statements, api_policy)
    for route in routes:
        event_auth = route.auth if isinstance(route.auth, dict) else {}
        policy = event_auth.get("ResourcePolicy")
        if policy is None:
            continue
        line = key_line(event_auth, "ResourcePolicy", route.line)
        if _is_map(ex, policy, line):
            _add(statements, policy, resources=_resources(body, route.path, stage, line), line=line)
            _add_custom(statements, policy)
    if len(statements) > count:
        line = getattr(statements[count], "line", 0) or auth_line
        lines = [getattr(s, "line", 0) or line for s in statements]
        document = node(line, [("Version", "2012-10-17"), ("Statement", seq(line, statements, lines))])
        put(body, POLICY, document, key_line(body, POLICY, line) if POLICY in body else line)


def _is_map(ex: Expander, policy: Any, line: int) -> bool:
    if isinstance(policy, dict):
        return True
    ex.warn("`Auth.ResourcePolicy` must be a mapping (ResourcePolicyStatement); ignored", line)
    return False


def _resources(body: MarkedDict, path: str, stage: Any, line: int) -> list[Any]:
    """`execute-api:/<stage>/<METHOD><path>` for each method the body declares on `path`."""
    paths = body.get("paths")
    item = paths.get(path) if isinstance(paths, dict) else None
    methods = [str(m) for m in item if str(m) not in _NOT_METHODS] if isinstance(item, dict) else []
    resources: list[Any] = []
    for name in methods:
        method = "*" if method_key(name) == ANY_METHOD else name.upper()
        template = f"execute-api:/${{__Stage__}}/{method}{_PATH_PARAMETER.sub('*', path)}"
        if isinstance(stage, str):
            resources.append(template.replace("${__Stage__}", stage))
        else:
            resources.append(node(line, [("Fn::Sub", [template, {"__Stage__": stage}])]))
    return resources


def _add(statements: list[Any], policy: Any, *, resources: list[Any], line: int) -> None:
    """The statements of the allow and deny lists for one path (SAM skips empty lists)."""
    for key, effect in (("AwsAccountWhitelist", "Allow"), ("AwsAccountBlacklist", "Deny")):
        accounts = policy.get(key)
        if accounts:
            listed = accounts if isinstance(accounts, list) else [accounts]
            at = key_line(policy, key, line)
            _append(statements, _statement(effect, resources, {"AWS": listed}, None, line=at))
    for key, operator in (("IpRangeWhitelist", "NotIpAddress"), ("IpRangeBlacklist", "IpAddress")):
        ranges = policy.get(key)
        if ranges:
            listed = ranges if isinstance(ranges, list) else [ranges]
            _allow_and_deny(
                statements, resources, {operator: {"aws:SourceIp": listed}}, line=key_line(policy, key, line)
            )
    for keys, operator in _VPC_LISTS:
        condition: dict[str, list[Any]] = {}
        at = line
        for key in keys:
            values = policy.get(key)
            if not isinstance(values, list):
                continue
            at = key_line(policy, key, line)
            for value in values:
                if key.startswith("Intrinsic"):
                    name = "aws:SourceVpce" if key.startswith("IntrinsicVpce") else "aws:SourceVpc"
                elif isinstance(value, str) and value.startswith(("vpce-", "vpc-")):
                    name = "aws:SourceVpce" if value.startswith("vpce-") else "aws:SourceVpc"
                else:
                    continue
                condition.setdefault(name, []).append(value)
        if condition:
            ordered = {k: condition[k] for k in ("aws:SourceVpc", "aws:SourceVpce") if k in condition}
            _allow_and_deny(statements, resources, {operator: ordered}, line=at)


def _allow_and_deny(statements: list[Any], resources: list[Any], condition: Any, *, line: int) -> None:
    _append(statements, _statement("Allow", resources, "*", None, line=line))
    _append(statements, _statement("Deny", resources, "*", condition, line=line))


def _statement(effect: str, resources: list[Any], principal: Any, condition: Any, *, line: int) -> MarkedDict:
    entries: list[tuple[str, Any]] = [
        ("Effect", effect),
        ("Action", _INVOKE),
        ("Resource", seq(line, resources)),
        ("Principal", principal),
    ]
    if condition is not None:
        entries.append(("Condition", condition))
    return node(line, entries)


def _add_custom(statements: list[Any], policy: Any) -> None:
    custom = policy.get("CustomStatements")
    if not custom:
        return
    for statement in custom if isinstance(custom, list) else [custom]:
        _append(statements, statement)


def _append(statements: list[Any], statement: Any) -> None:
    """Add `statement` unless an equal one is there (SAM's dedupe)."""
    if statement not in statements:
        statements.append(statement)
