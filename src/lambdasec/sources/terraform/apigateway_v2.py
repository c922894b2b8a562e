"""Maps HTTP and WebSocket API blocks (aws_apigatewayv2_*): APIs, routes, authorizers and stages."""

from __future__ import annotations

import dataclasses
from typing import Final

from lambdasec.model import (
    Api,
    ApiKind,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    Authorizer,
    Throttling,
    Unresolved,
)
from lambdasec.sources.terraform.api_body import read_api_body
from lambdasec.sources.terraform.api_links import (
    ApiLinks,
    ApiParts,
    Readers,
    references_in,
    split_route_key,
    throttling,
)
from lambdasec.sources.terraform.reader import Reader

__all__ = ["API_V2", "map_v2_apis"]

API_V2: Final = frozenset({"aws_apigatewayv2_api"})
_AUTHORIZER: Final = frozenset({"aws_apigatewayv2_authorizer"})
_INTEGRATION: Final = "aws_apigatewayv2_integration"
_RATE: Final = "throttling_rate_limit"
_BURST: Final = "throttling_burst_limit"


def map_v2_apis(readers: Readers, links: ApiLinks, *, out: ApiParts) -> None:
    """Every HTTP/WebSocket API block of the module into `out`; per-route settings go to `out.throttles`."""
    for r in readers("aws_apigatewayv2_api"):
        _api(r, links, out=out)
    for r in readers("aws_apigatewayv2_authorizer"):
        out.authorizers.append(_authorizer(r, links))
    integrations = {r.block.address: r for r in readers(_INTEGRATION)}
    for r in readers("aws_apigatewayv2_route"):
        route = _route(r, links, integrations=integrations)
        if route is not None:
            out.routes.append(route)
    for r in readers("aws_apigatewayv2_stage"):
        out.stages.append(_stage(r, links, out=out))


def _api(r: Reader, links: ApiLinks, *, out: ApiParts) -> None:
    protocol = r.text("protocol_type", field="kind")
    kind = (
        ApiKind.WEBSOCKET if isinstance(protocol, str) and protocol.upper() == "WEBSOCKET" else ApiKind.HTTP
    )
    title = None
    if "body" in r.block.body:
        declared = read_api_body(r, links=links, api_key=r.key)
        out.routes.extend(declared.routes)
        out.authorizers.extend(declared.authorizers)
        title = declared.title
    if "target" in r.block.body and r.value("target") is not None:  # `target = var.target`, null: none
        _quick_create(r, links, out=out)
    name = r.text("name", field="name")
    api_name = name if name is not None else (title if title is not None else Unresolved("name: missing"))
    out.apis.append(Api(key=r.key, kind=kind, name=api_name, origin=r.origin()))


def _quick_create(r: Reader, links: ApiLinks, *, out: ApiParts) -> None:
    """`target` on an HTTP API: a default route to the function and an auto-deployed `$default` stage."""
    line = r.block.attribute_line("target")
    fields = [] if line is None else [("function", line)]
    route_key = r.text("route_key", field="method") or "$default"
    method, path = split_route_key(route_key)
    label = route_key if isinstance(route_key, str) else "$default"
    target = links.function(r.block.body["target"], integration_type="aws_proxy")
    origin = r.origin()
    if target is not None:
        out.routes.append(
            ApiRoute(
                key=f"{r.key}/{label}",
                api=r.key,
                method=method,
                path=path,
                function=target.function,
                qualifier=target.qualifier,
                authorization=AuthorizationKind.NONE,
                origin=dataclasses.replace(
                    origin, line=line, resource=f"{r.block.address}/{label}", fields=tuple(fields)
                ),
            )
        )
    out.stages.append(
        ApiStage(
            key=f"{r.key}/$default",
            api=r.key,
            name="$default",
            origin=dataclasses.replace(origin, line=line, resource=f"{r.block.address}/$default", fields=()),
        )
    )


def _authorizer(r: Reader, links: ApiLinks) -> Authorizer:
    kind_text = r.text("authorizer_type", field="kind")
    kind: AuthorizationKind | Unresolved
    match kind_text.upper() if isinstance(kind_text, str) else kind_text:
        case "REQUEST":
            kind = AuthorizationKind.CUSTOM
        case "JWT":
            kind = AuthorizationKind.JWT
        case Unresolved() as unknown:
            kind = unknown
        case None:
            kind = Unresolved("authorizer_type: required attribute missing")
        case other:
            kind = Unresolved(f"authorizer_type = {other}")
    return Authorizer(
        key=r.key,
        api=_required(links.target(r, "api_id", API_V2, field="api"), "api_id"),
        kind=kind,
        function=links.authorizer_function(r),
        origin=r.origin(),
    )


def _route(r: Reader, links: ApiLinks, *, integrations: dict[str, Reader]) -> ApiRoute | None:
    raw_target = r.block.body.get("target")
    addresses = (
        links.address(ref.address, index=ref.index, scope=r.scope)
        for ref in references_in(raw_target)
        if ref.type == _INTEGRATION
    )
    found = {address for address in addresses if address is not None and address in integrations}
    if len(found) != 1:
        return None
    chosen = integrations[next(iter(found))]
    integration = Reader(block=chosen.block, scope=chosen.scope)
    if "integration_uri" not in integration.block.body:
        return None
    target = links.function(
        integration.block.body["integration_uri"],
        integration_type=integration.block.body.get("integration_type"),
        scope=integration.scope,
    )
    if target is None:
        return None
    timeout = integration.integer("timeout_milliseconds", field="integration_timeout_ms")
    if integration.block.file is r.block.file:
        r.fields.extend(integration.fields)
    r.note("function", r.block.attribute_line("target"))
    route_key = _required(r.text("route_key", field="method"), "route_key")
    r.note("path", r.block.attribute_line("route_key"))
    method, path = split_route_key(route_key)
    authorization = r.choice("authorization_type", AuthorizationKind, field="authorization")
    key_required = r.flag("api_key_required", field="api_key_required")
    return ApiRoute(
        key=r.key,
        api=_required(links.target(r, "api_id", API_V2, field="api"), "api_id"),
        method=method,
        path=path,
        function=target.function,
        qualifier=target.qualifier,
        authorization=AuthorizationKind.NONE if authorization is None else authorization,
        authorizer=links.target(r, "authorizer_id", _AUTHORIZER, field="authorizer"),
        api_key_required=False if key_required is None else key_required,
        integration_timeout_ms=timeout,
        origin=r.origin(),
    )


def _stage(r: Reader, links: ApiLinks, *, out: ApiParts) -> ApiStage:
    api = _required(links.target(r, "api_id", API_V2, field="api"), "api_id")
    defaults = r.nested("default_route_settings")
    stage_wide: Throttling | None = None
    if defaults is not None:
        stage_wide = throttling(r, defaults, rate=_RATE, burst=_BURST, field="throttling")
    for setting in r.nested_all("route_settings"):
        raw_key = r.value("route_key", body=setting)
        route_key = raw_key if isinstance(raw_key, str | Unresolved) else None
        limits = throttling(r, setting, rate=_RATE, burst=_BURST, field=None)
        method, path = split_route_key(route_key) if route_key is not None else (None, None)
        if limits is not None and isinstance(api, str) and isinstance(method, str) and isinstance(path, str):
            out.throttles.setdefault((api, method, path), limits)
    logs = r.nested("access_log_settings")
    if logs is not None:
        r.note("access_logging", r.block.attribute_line("destination_arn", logs))
    return ApiStage(
        key=r.key,
        api=api,
        name=_required(r.text("name", field="name"), "name"),
        throttling=stage_wide,
        access_logging=logs is not None and "destination_arn" in logs,
        tracing=False,
        origin=r.origin(),
    )


def _required(value: str | Unresolved | None, attr: str) -> str | Unresolved:
    return Unresolved(f"{attr}: required attribute missing") if value is None else value
