"""Copy-on-write editing of an API definition body (Swagger 2 / OpenAPI 3) for routes SAM adds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lambdasec.sources.cloudformation.sam_api_events import logical_suffix
from lambdasec.sources.cloudformation.sam_context import Expander, Owner, Route
from lambdasec.sources.cloudformation.sam_marks import copy_dict, keep, key_line, node, put, seq
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = [
    "ANY_METHOD",
    "INTEGRATION",
    "add_authorizer_permission",
    "add_route_method",
    "authorizer_uri",
    "editable_body",
    "integrated_methods",
    "lambda_uri",
    "method_key",
    "security_list",
    "security_names",
    "stage_logical_id",
]

ANY_METHOD = "x-amazon-apigateway-any-method"
INTEGRATION = "x-amazon-apigateway-integration"
_NOT_METHODS = frozenset({"parameters", "summary", "description", "servers", "$ref"})
_INVOKE_PATH = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"


def lambda_uri(route: Route) -> MarkedDict:
    """The `aws_proxy` integration URI invoking the route's function (or its alias)."""
    return node(route.line, [("Fn::Sub", f"{_INVOKE_PATH}{route.function.sub_arn}/invocations")])


def authorizer_uri(function_arn: Any, line: int) -> MarkedDict:
    """The invocation URI of a Lambda authorizer."""
    return node(
        line,
        [("Fn::Sub", [f"{_INVOKE_PATH}${{__FunctionArn__}}/invocations", {"__FunctionArn__": function_arn}])],
    )


def stage_logical_id(api_id: str, stage: Any) -> str:
    """`<Api><Stage>Stage`, `<Api>Stage<digest>` for other names, `<Api>Stage` for intrinsics."""
    if not isinstance(stage, str) or not stage:
        return f"{api_id}Stage"
    if stage.isalnum():
        return f"{api_id}{stage}Stage"
    return f"{api_id}Stage{logical_suffix(stage)}"


def add_authorizer_permission(ex: Expander, owner: Owner, name: str, function_arn: Any, *, line: int) -> None:
    """`<Api><Name>AuthorizerPermission`: API Gateway may invoke a Lambda authorizer of this API."""
    source = {
        "Fn::Sub": [
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*",
            {"__ApiId__": {"Ref": owner.logical_id}},
        ]
    }
    props = node(
        line,
        [
            ("Action", "lambda:InvokeFunction"),
            ("FunctionName", function_arn),
            ("Principal", "apigateway.amazonaws.com"),
            ("SourceArn", source),
        ],
    )
    ex.emit(
        f"{owner.logical_id}{name}AuthorizerPermission",
        "AWS::Lambda::Permission",
        props,
        line=line,
        owner=owner,
    )


def method_key(method: str) -> str:
    """The body's key for an HTTP method (`any` -> `x-amazon-apigateway-any-method`)."""
    lowered = method.lower()
    return ANY_METHOD if lowered in ("any", ANY_METHOD) else lowered


def editable_body(body: Any, line: int) -> MarkedDict:
    """A shallow copy of `body` with a copied `paths` mapping, safe to add routes to."""
    out = copy_dict(body, line)
    paths = out.get("paths")
    put(
        out,
        "paths",
        copy_dict(paths if isinstance(paths, dict) else None, line),
        key_line(out, "paths", line) if "paths" in out else line,
    )
    return out


def integrated_methods(body: MarkedDict) -> Iterator[tuple[str, str, MarkedDict]]:
    """(path, method key, method) for every method with an API Gateway integration, each made writable.

    A path item chosen by `Fn::If` is walked in both branches, as SAM edits both.
    """
    paths: MarkedDict = body["paths"]
    for path, item in list(paths.items()):
        branches = _if_branches(item)
        if branches is None:
            if isinstance(item, dict):
                yield from _item_methods(paths, path, item, path=str(path))
            continue
        choice = copy_dict(item)
        arguments = seq(branches.line, branches, getattr(branches, "item_lines", None))
        choice["Fn::If"] = arguments
        paths[path] = choice
        for index in (1, 2):
            if isinstance(arguments[index], dict):
                yield from _item_methods(arguments, index, arguments[index], path=str(path))


def _if_branches(item: Any) -> MarkedList | None:
    """The `[condition, then, else]` arguments of a path item written as `Fn::If`, else None."""
    if isinstance(item, dict) and len(item) == 1 and isinstance(item.get("Fn::If"), list):
        arguments: MarkedList = item["Fn::If"]
        return arguments if len(arguments) == 3 else None
    return None


def _item_methods(
    holder: Any, at: Any, item: dict[Any, Any], *, path: str
) -> Iterator[tuple[str, str, MarkedDict]]:
    writable: MarkedDict | None = None
    for name, method in list(item.items()):
        if name in _NOT_METHODS or not isinstance(method, dict) or INTEGRATION not in method:
            continue
        if writable is None:
            writable = copy_dict(item)
            holder[at] = writable
        copied = copy_dict(method)
        writable[name] = copied
        yield path, method_key(str(name)), copied


def add_route_method(body: MarkedDict, route: Route, integration: MarkedDict) -> MarkedDict | None:
    """Add `route`'s method with `integration`; None when the body already integrates that path and method."""
    paths: MarkedDict = body["paths"]
    key = method_key(route.method)
    item = paths.get(route.path)
    existing = item.get(key) if isinstance(item, dict) else None
    if isinstance(existing, dict) and INTEGRATION in existing:
        return None
    writable = copy_dict(item if isinstance(item, dict) else None, route.line)
    if route.path not in paths:
        paths.key_lines[route.path] = route.path_line
    paths[route.path] = writable
    method = copy_dict(existing if isinstance(existing, dict) else None, route.line)
    put(method, INTEGRATION, integration, route.line)
    if "responses" not in method:
        put(method, "responses", {}, route.line)
    writable[key] = method
    writable.key_lines[key] = route.line
    return method


def security_names(body: MarkedDict) -> set[str]:
    """Names of the security requirements any method of `body` uses (read-only walk)."""
    names: set[str] = set()
    items: list[Any] = []
    for item in body["paths"].values():
        branches = _if_branches(item)
        items.extend([item] if branches is None else branches[1:])
    for item in items:
        if not isinstance(item, dict):
            continue
        for method in item.values():
            security = method.get("security") if isinstance(method, dict) else None
            if isinstance(security, list):
                names.update(
                    key for requirement in security if isinstance(requirement, dict) for key in requirement
                )
    return names


def security_list(entries: list[tuple[str, Any, int]], line: int) -> MarkedList:
    """A route's `security`: one `{name: scopes}` requirement per entry, each at its own line."""
    return seq(
        line, [node(at, [(name, scopes)]) for name, scopes, at in entries], [at for _, _, at in entries]
    )


def unread_definition(ex: Expander, api: MarkedDict, props: MarkedDict, *, api_id: str, line: int) -> None:
    """Warn about an API definition SAM cannot be followed into; an intrinsic body is kept as given."""
    definition = props.get("DefinitionBody")
    if isinstance(definition, dict):
        ex.warn(
            f"`DefinitionBody` of `{api_id}` is computed by an intrinsic; its routes and auth are unknown",
            key_line(props, "DefinitionBody", line),
        )
        keep(api, props, "DefinitionBody", as_key="Body")
    elif definition is not None:
        ex.warn(
            f"`DefinitionBody` of `{api_id}` must be a mapping; ignored",
            key_line(props, "DefinitionBody", line),
        )
    else:
        ex.warn(
            f"`DefinitionUri` of `{api_id}` is not read; its routes and authorizers are unknown",
            key_line(props, "DefinitionUri", line),
        )
