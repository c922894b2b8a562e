"""Maps API Gateway REST and HTTP/WebSocket APIs: APIs, routes to functions, authorizers and stages."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.model import (
    Api,
    ApiKind,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    Authorizer,
    EndpointType,
    Throttling,
    Unresolved,
)
from lambdasec.sources.cloudformation.iam import read_document
from lambdasec.sources.cloudformation.intrinsics import Link, describe
from lambdasec.sources.cloudformation.openapi import read_body
from lambdasec.sources.cloudformation.properties import MISSING, Context, Node, Resource
from lambdasec.sources.cloudformation.references import (
    API_V2,
    GENERATED,
    REST_API,
    function_in_expression,
    integration_target,
    links_in,
)

__all__ = ["ApiOutput", "map_apis"]

_REST_AUTHORIZER: Final = frozenset({"AWS::ApiGateway::Authorizer"})
_V2_AUTHORIZER: Final = frozenset({"AWS::ApiGatewayV2::Authorizer"})
_V2_INTEGRATION: Final = "AWS::ApiGatewayV2::Integration"
_MAX_PATH_DEPTH: Final = 64
_RATE: Final = "ThrottlingRateLimit"
_BURST: Final = "ThrottlingBurstLimit"

# (api key, method, path) -> throttling of that one route, from stage settings
RouteThrottles = dict[tuple[str, str, str], Throttling]


@dataclass(kw_only=True)
class ApiOutput:
    """The API Gateway objects of one template."""

    apis: list[Api] = field(default_factory=list)
    stages: list[ApiStage] = field(default_factory=list)
    routes: list[ApiRoute] = field(default_factory=list)
    authorizers: list[Authorizer] = field(default_factory=list)


def map_apis(
    resources: Iterable[Resource], ctx: Context, *, by_type: Mapping[str, list[Resource]] | None = None
) -> ApiOutput:
    """All API Gateway resources of a template, with stage throttling applied to routes.

    `by_type` is `resources` grouped by type when the caller has grouped them already."""
    if by_type is None:
        grouped: dict[str, list[Resource]] = {}
        for resource in resources:
            grouped.setdefault(resource.type, []).append(resource)
        by_type = grouped
    out = ApiOutput()
    throttles: RouteThrottles = {}
    for resource in by_type.get("AWS::ApiGateway::RestApi", []):
        _rest_api(resource, ctx, out=out)
    for resource in by_type.get("AWS::ApiGatewayV2::Api", []):
        _v2_api(resource, ctx, out=out)
    for resource in by_type.get("AWS::ApiGateway::Authorizer", []):
        out.authorizers.append(_authorizer(resource, ctx, v2=False))
    for resource in by_type.get("AWS::ApiGatewayV2::Authorizer", []):
        out.authorizers.append(_authorizer(resource, ctx, v2=True))
    paths = _ResourcePaths(ctx)
    for resource in by_type.get("AWS::ApiGateway::Method", []):
        route = _method(resource, ctx, paths=paths)
        if route is not None:
            out.routes.append(route)
    integrations = {r.logical_id: r for r in by_type.get(_V2_INTEGRATION, [])}
    for resource in by_type.get("AWS::ApiGatewayV2::Route", []):
        route = _v2_route(resource, ctx, integrations=integrations)
        if route is not None:
            out.routes.append(route)
    for resource in by_type.get("AWS::ApiGateway::Stage", []):
        out.stages.append(_rest_stage(resource, ctx, throttles=throttles))
    for resource in by_type.get("AWS::ApiGateway::Deployment", []):
        stage = _deployment_stage(resource, ctx, throttles=throttles)
        if stage is not None:
            out.stages.append(stage)
    for resource in by_type.get("AWS::ApiGatewayV2::Stage", []):
        out.stages.append(_v2_stage(resource, ctx, throttles=throttles))
    out.routes = [_with_throttling(route, throttles) for route in out.routes]
    for resource in by_type.get("AWS::ApiGateway::UsagePlan", []):
        out.routes = _usage_plan(resource, ctx, routes=out.routes)
    return out


# -- REST APIs -------------------------------------------------------------------------------------


def _rest_api(resource: Resource, ctx: Context, *, out: ApiOutput) -> None:
    p = resource.properties(ctx)
    key = ctx.key(resource.logical_id)
    name = p.text("Name", field="name")
    policy = read_document(p, "Policy", owner=f"{resource.logical_id}/Policy", field="resource_policy")
    body = p.node("Body", field="body")
    title = None
    if isinstance(body, Node):
        declared = read_body(body, api_id=resource.logical_id, api_key=key)
        out.routes.extend(declared.routes)
        out.authorizers.extend(declared.authorizers)
        title = declared.title
        if policy is None:  # the `Policy` property replaces the body's policy
            policy = declared.resource_policy
    elif p.has("BodyS3Location"):
        ctx.diagnostics.warn(
            f"`{resource.logical_id}`: the API definition is in S3 (`BodyS3Location`); "
            "its routes are not scanned",
            p.line_of("BodyS3Location"),
        )
    api_name = name if name is not None else (title if title is not None else GENERATED)
    endpoint_type, vpc_endpoint_ids = _endpoint(p)
    out.apis.append(
        Api(
            key=key,
            kind=ApiKind.REST,
            name=api_name,
            resource_policy=policy,
            endpoint_type=endpoint_type,
            vpc_endpoint_ids=vpc_endpoint_ids,
            origin=resource.origin(ctx, p),
        )
    )


def _endpoint(p: Node) -> tuple[EndpointType | Unresolved | None, tuple[str | Unresolved, ...] | Unresolved]:
    """The REST API's `EndpointConfiguration`: its one endpoint type and its VPC endpoint ids."""
    config = p.node("EndpointConfiguration")
    if config is None:
        return None, ()
    if isinstance(config, Unresolved):
        p.note("endpoint_type", "EndpointConfiguration")
        return config, config
    ids = config.texts("VpcEndpointIds", field="vpc_endpoint_ids")
    types = config.texts("Types", field="endpoint_type", scalar_ok=True)
    if types is None or isinstance(types, Unresolved):
        return types, ids or ()
    unknown = [t for t in types if isinstance(t, Unresolved)]
    if unknown:
        return unknown[0], ids or ()
    known = {t.upper() for t in types if isinstance(t, str)}
    if len(known) != 1:  # API Gateway takes exactly one
        return Unresolved(f"EndpointConfiguration.Types: {', '.join(sorted(known)) or 'empty'}"), ids or ()
    return config.as_choice(known.pop(), EndpointType, key="Types", line=config.line_of("Types")), ids or ()


class _ResourcePaths:
    """Full paths of AWS::ApiGateway::Resource trees (PathPart under ParentId), computed once each."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cache: dict[str, str | Unresolved] = {}

    def of(self, value: Any, depth: int = 0) -> str | Unresolved:
        if isinstance(value, Unresolved):
            return value
        if not isinstance(value, Link):
            return Unresolved(f"resource id {describe(value)}")
        kind = self.ctx.types.get(value.logical_id)
        if kind in REST_API and value.attribute == "RootResourceId":
            return "/"
        if kind != "AWS::ApiGateway::Resource" or value.attribute is not None:
            return Unresolved(value.describe())
        if value.logical_id in self.cache:
            return self.cache[value.logical_id]
        if depth >= _MAX_PATH_DEPTH:
            self.ctx.diagnostics.warn(
                f"`{value.logical_id}`: resource path nests too deeply (a cycle?)",
                self.ctx.resources[value.logical_id].line,
            )
            return Unresolved(f"path of {value.logical_id}")
        self.cache[value.logical_id] = Unresolved(f"path of {value.logical_id}")  # cycle guard
        node = Resource(
            logical_id=value.logical_id,
            type=kind,
            body=self.ctx.resources[value.logical_id],
            line=self.ctx.resources[value.logical_id].line,
        ).properties(self.ctx)
        part = node.text("PathPart")
        parent = self.of(node.value("ParentId"), depth + 1)
        path: str | Unresolved
        if isinstance(part, str) and isinstance(parent, str):
            path = parent.rstrip("/") + "/" + part
        else:
            path = Unresolved(f"path of {value.logical_id}")
        self.cache[value.logical_id] = path
        return path


def _method(resource: Resource, ctx: Context, *, paths: _ResourcePaths) -> ApiRoute | None:
    p = resource.properties(ctx)
    integration = p.node("Integration")
    if not isinstance(integration, Node) or not integration.has("Uri"):
        return None
    function, qualifier = integration_target(
        ctx, integration.data["Uri"], integration_type=integration.text("Type")
    )
    if function is None:
        return None
    integration.note("function", "Uri")
    timeout = integration.integer("TimeoutInMillis", field="integration_timeout_ms")
    method = p.text("HttpMethod", field="method")
    p.note("path", "ResourceId")
    return ApiRoute(
        key=ctx.key(resource.logical_id),
        api=p.required(p.ref("RestApiId", REST_API, field="api"), "RestApiId"),
        method=method.upper() if isinstance(method, str) else p.required(method, "HttpMethod"),
        path=paths.of(p.value("ResourceId")),
        function=function,
        qualifier=qualifier,
        authorization=p.choice("AuthorizationType", AuthorizationKind, field="authorization")
        or AuthorizationKind.NONE,
        authorizer=p.ref("AuthorizerId", _REST_AUTHORIZER, field="authorizer"),
        api_key_required=_or_false(p.flag("ApiKeyRequired", field="api_key_required")),
        integration_timeout_ms=timeout,
        origin=resource.origin(ctx, p),
    )


def _authorizer(resource: Resource, ctx: Context, *, v2: bool) -> Authorizer:
    p = resource.properties(ctx)
    type_key, api_key_name, api_types = (
        ("AuthorizerType", "ApiId", API_V2) if v2 else ("Type", "RestApiId", REST_API)
    )
    kind_text = p.text(type_key, field="kind")
    kind: AuthorizationKind | Unresolved
    match kind_text.upper() if isinstance(kind_text, str) else kind_text:
        case "TOKEN" | "REQUEST":
            kind = AuthorizationKind.CUSTOM
        case "COGNITO_USER_POOLS":
            kind = AuthorizationKind.COGNITO
        case "JWT":
            kind = AuthorizationKind.JWT
        case Unresolved() as unknown:
            kind = unknown
        case None:
            kind = p.missing(type_key)
        case other:
            kind = p.wrong(type_key, "TOKEN, REQUEST, COGNITO_USER_POOLS or JWT", value=other)
    function = None
    if p.has("AuthorizerUri"):
        p.note("function", "AuthorizerUri")
        function = function_in_expression(ctx, p.data["AuthorizerUri"])
    return Authorizer(
        key=ctx.key(resource.logical_id),
        api=p.required(p.ref(api_key_name, api_types, field="api"), api_key_name),
        kind=kind,
        function=function,
        origin=resource.origin(ctx, p),
    )


def _throttling(node: Node, keys: tuple[str, str], *, field: str | None) -> Throttling | None:
    rate_key, burst_key = keys
    rate = node.number(rate_key, field=field)
    burst = node.integer(burst_key, field=field)
    if rate is None and burst is None:
        return None
    return Throttling(rate_limit=rate, burst_limit=burst)


def _method_settings(
    p: Node, *, api: str | Unresolved, throttles: RouteThrottles
) -> Throttling | Unresolved | None:
    """Stage-wide throttling from `MethodSettings` (`/*` and `*`); per-method settings go to `throttles`."""
    settings = p.nodes("MethodSettings")
    if isinstance(settings, Unresolved):
        return settings
    stage_wide: Throttling | None = None
    for setting in settings or []:
        path = setting.text("ResourcePath")
        method = setting.text("HttpMethod")
        if path == "/*" and method == "*":
            stage_wide = _throttling(setting, (_RATE, _BURST), field="throttling")
            p.fields.extend(setting.fields)
        elif isinstance(path, str) and isinstance(method, str) and isinstance(api, str):
            found = _throttling(setting, (_RATE, _BURST), field=None)
            decoded = path[1:].replace("~1", "/") if path.startswith("/") else path
            if found is not None:
                throttles.setdefault((api, method.upper(), decoded), found)
    return stage_wide


def _access_logging(p: Node, key: str) -> bool | Unresolved:
    setting = p.node(key, field="access_logging")
    if setting is None or isinstance(setting, Unresolved):
        return False if setting is None else setting
    destination = setting.value("DestinationArn")
    return destination is not MISSING


def _rest_stage(resource: Resource, ctx: Context, *, throttles: RouteThrottles) -> ApiStage:
    p = resource.properties(ctx)
    api = p.required(p.ref("RestApiId", REST_API, field="api"), "RestApiId")
    return ApiStage(
        key=ctx.key(resource.logical_id),
        api=api,
        name=p.required(p.text("StageName", field="name"), "StageName"),
        throttling=_method_settings(p, api=api, throttles=throttles),
        access_logging=_access_logging(p, "AccessLogSetting"),
        tracing=_or_false(p.flag("TracingEnabled", field="tracing")),
        origin=resource.origin(ctx, p),
    )


def _deployment_stage(resource: Resource, ctx: Context, *, throttles: RouteThrottles) -> ApiStage | None:
    """The stage a Deployment creates when it names one (`StageName`, settings in `StageDescription`)."""
    p = resource.properties(ctx)
    name = p.text("StageName", field="name")
    if name is None:
        return None
    api = p.required(p.ref("RestApiId", REST_API, field="api"), "RestApiId")
    description = p.node("StageDescription")
    throttling: Throttling | Unresolved | None = None
    access_logging: bool | Unresolved = False
    tracing: bool | Unresolved = False
    if isinstance(description, Node):
        throttling = _method_settings(description, api=api, throttles=throttles) or _throttling(
            description, (_RATE, _BURST), field="throttling"
        )
        access_logging = _access_logging(description, "AccessLogSetting")
        tracing = _or_false(description.flag("TracingEnabled", field="tracing"))
    label = name if isinstance(name, str) else "Stage"
    resource_id = f"{resource.logical_id}/{label}"
    return ApiStage(
        key=ctx.key(resource_id),
        api=api,
        name=name,
        throttling=throttling,
        access_logging=access_logging,
        tracing=tracing,
        origin=ctx.origin(resource_id, line=resource.line, fields=p.fields),
    )


def _usage_plan(resource: Resource, ctx: Context, *, routes: list[ApiRoute]) -> list[ApiRoute]:
    """A usage plan throttles every request made with its API keys: routes that require a key."""
    p = resource.properties(ctx)
    throttle = p.node("Throttle")
    if not isinstance(throttle, Node):
        return routes
    limits = _throttling(throttle, ("RateLimit", "BurstLimit"), field="throttling")
    if limits is None:
        return routes
    apis = set()
    stages = p.nodes("ApiStages")
    for stage in stages if isinstance(stages, list) else []:
        if isinstance(stage, Node):
            api = stage.ref("ApiId", REST_API)
            if isinstance(api, str):
                apis.add(api)
    return [
        dataclasses.replace(route, throttling=limits)
        if route.api in apis and route.api_key_required is True and route.throttling is None
        else route
        for route in routes
    ]


# -- HTTP and WebSocket APIs -----------------------------------------------------------------------


def _v2_api(resource: Resource, ctx: Context, *, out: ApiOutput) -> None:
    p = resource.properties(ctx)
    key = ctx.key(resource.logical_id)
    protocol = p.text("ProtocolType", field="kind")
    kind = (
        ApiKind.WEBSOCKET if isinstance(protocol, str) and protocol.upper() == "WEBSOCKET" else ApiKind.HTTP
    )
    title = None
    body = p.node("Body", field="body")
    if isinstance(body, Node):
        declared = read_body(body, api_id=resource.logical_id, api_key=key)
        out.routes.extend(declared.routes)
        out.authorizers.extend(declared.authorizers)
        title = declared.title
    elif p.has("BodyS3Location"):
        ctx.diagnostics.warn(
            f"`{resource.logical_id}`: the API definition is in S3 (`BodyS3Location`); "
            "its routes are not scanned",
            p.line_of("BodyS3Location"),
        )
    if p.has("Target"):
        _quick_create(resource, p, ctx=ctx, out=out, key=key)
    name = p.text("Name", field="name")
    api_name = name if name is not None else (title if title is not None else GENERATED)
    out.apis.append(Api(key=key, kind=kind, name=api_name, origin=resource.origin(ctx, p)))


def _quick_create(resource: Resource, p: Node, *, ctx: Context, out: ApiOutput, key: str) -> None:
    """`Target` on an HTTP API: a default route to the function and an auto-deployed `$default` stage."""
    fields: list[tuple[str, int]] = []
    line = p.line_of("Target")
    if line is not None:
        fields.append(("function", line))
    route_key = p.text("RouteKey") or "$default"
    method, path = _split_route_key(route_key)
    route_id = f"{resource.logical_id}/{route_key if isinstance(route_key, str) else '$default'}"
    out.routes.append(
        ApiRoute(
            key=ctx.key(route_id),
            api=key,
            method=method,
            path=path,
            function=function_in_expression(ctx, p.data["Target"]),
            authorization=AuthorizationKind.NONE,
            origin=ctx.origin(route_id, line=line, fields=fields),
        )
    )
    stage_id = f"{resource.logical_id}/$default"
    out.stages.append(
        ApiStage(
            key=ctx.key(stage_id), api=key, name="$default", origin=ctx.origin(stage_id, line=line, fields=[])
        )
    )


def _split_route_key(route_key: str | Unresolved) -> tuple[str | Unresolved, str | Unresolved]:
    if isinstance(route_key, Unresolved):
        return route_key, route_key
    method, space, path = route_key.partition(" ")
    if not space:
        return ("ANY", route_key) if route_key == "$default" else (route_key, route_key)
    return method.upper(), path.strip()


def _v2_route(resource: Resource, ctx: Context, *, integrations: dict[str, Resource]) -> ApiRoute | None:
    p = resource.properties(ctx)
    raw_target = p.data.get("Target")
    if raw_target is None:
        return None
    integration_ids = {
        link.logical_id for link in _integration_links(ctx, raw_target) if link.logical_id in integrations
    }
    if len(integration_ids) != 1:
        return None
    integration = integrations[next(iter(integration_ids))].properties(ctx)
    if not integration.has("IntegrationUri"):
        return None
    function, qualifier = integration_target(
        ctx, integration.data["IntegrationUri"], integration_type=integration.text("IntegrationType")
    )
    if function is None:
        return None
    p.note("function", "Target")
    route_key = p.required(p.text("RouteKey", field="method"), "RouteKey")
    p.note("path", "RouteKey")
    method, path = _split_route_key(route_key)
    return ApiRoute(
        key=ctx.key(resource.logical_id),
        api=p.required(p.ref("ApiId", API_V2, field="api"), "ApiId"),
        method=method,
        path=path,
        function=function,
        qualifier=qualifier,
        authorization=p.choice("AuthorizationType", AuthorizationKind, field="authorization")
        or AuthorizationKind.NONE,
        authorizer=p.ref("AuthorizerId", _V2_AUTHORIZER, field="authorizer"),
        api_key_required=_or_false(p.flag("ApiKeyRequired", field="api_key_required")),
        integration_timeout_ms=integration.integer("TimeoutInMillis"),
        origin=resource.origin(ctx, p),
    )


def _integration_links(ctx: Context, raw: Any) -> list[Link]:
    """Links to integrations in a route `Target` such as `!Sub integrations/${Integration}`."""
    return [link for link in links_in(ctx, raw) if ctx.types.get(link.logical_id) == _V2_INTEGRATION]


def _v2_stage(resource: Resource, ctx: Context, *, throttles: RouteThrottles) -> ApiStage:
    p = resource.properties(ctx)
    api = p.required(p.ref("ApiId", API_V2, field="api"), "ApiId")
    defaults = p.node("DefaultRouteSettings")
    throttling: Throttling | Unresolved | None = None
    if isinstance(defaults, Node):
        throttling = _throttling(defaults, (_RATE, _BURST), field="throttling")
    elif isinstance(defaults, Unresolved):
        throttling = defaults
    routes = p.node("RouteSettings")
    if isinstance(routes, Node) and isinstance(api, str):
        for route_key, value, line in routes.entries():
            if isinstance(value, dict):
                setting = routes.child(value, route_key, line=line, fields=[])
                found = _throttling(setting, (_RATE, _BURST), field=None)
                method, path = _split_route_key(route_key)
                if found is not None and isinstance(method, str) and isinstance(path, str):
                    throttles.setdefault((api, method, path), found)
    return ApiStage(
        key=ctx.key(resource.logical_id),
        api=api,
        name=p.required(p.text("StageName", field="name"), "StageName"),
        throttling=throttling,
        access_logging=_access_logging(p, "AccessLogSettings"),
        tracing=False,
        origin=resource.origin(ctx, p),
    )


# -- shared ----------------------------------------------------------------------------------------


def _with_throttling(route: ApiRoute, throttles: RouteThrottles) -> ApiRoute:
    if route.throttling is not None or not all(
        isinstance(v, str) for v in (route.api, route.method, route.path)
    ):
        return route
    found = throttles.get((str(route.api), str(route.method), str(route.path)))
    return route if found is None else dataclasses.replace(route, throttling=found)


def _or_false(value: bool | Unresolved | None) -> bool | Unresolved:
    return False if value is None else value
