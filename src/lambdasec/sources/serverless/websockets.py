"""`websocket` events as the WebSocket API, routes, integrations, authorizers and permissions they create."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import is_intrinsic, key_line, node, put, seq
from lambdasec.sources.serverless.naming import alias_id, alphanumeric, function_id, normalized
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["WEBSOCKETS_API_ID", "WebsocketRoute", "compile_websockets", "websocket_route"]

WEBSOCKETS_API_ID: Final = "WebsocketsApi"
MANAGE_CONNECTIONS: Final = ("execute-api:ManageConnections",)
CONNECTIONS_ARN: Final = "arn:aws:execute-api:*:*:*/@connections/*"
_DEFAULT_IDENTITY: Final = "route.request.header.Auth"


@record
class WebsocketRoute:
    """One `websocket` event: its route key, function key and authorizer (None: unauthorized)."""

    route: Any
    function: str
    authorizer: MarkedDict | None
    line: int


def websocket_route(
    spec: Any, *, line: int, function: str, diagnostics: Diagnostics
) -> WebsocketRoute | None:
    """`websocket: $connect` or `{route, authorizer}`; None (and a warning) without a route."""
    if isinstance(spec, str):
        return WebsocketRoute(route=spec, function=function, authorizer=None, line=line)
    if not isinstance(spec, dict) or is_intrinsic(spec) or "route" not in spec:
        diagnostics.warn("`websocket` event needs a `route`", line)
        return None
    authorizer = spec.get("authorizer")
    auth_line = key_line(spec, "authorizer", line)
    if isinstance(authorizer, str):
        authorizer = node(auth_line, [("arn" if authorizer.startswith("arn:") else "name", authorizer)])
    elif authorizer is not None and (not isinstance(authorizer, MarkedDict) or is_intrinsic(authorizer)):
        diagnostics.error(
            "`authorizer` of a `websocket` event must be a name, an ARN or a mapping", auth_line
        )
        authorizer = node(auth_line, [("unknown", True)])
    return WebsocketRoute(route=spec["route"], function=function, authorizer=authorizer, line=line)


def _invocation_uri(target: Any, line: int, *, aliased: set[str]) -> MarkedDict:
    """The integration URI invoking a function of the service (by key, its alias if any) or an ARN."""
    prefix = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
    if isinstance(target, str) and not target.startswith("arn:"):
        arn = alias_id(target) if target in aliased else f"{function_id(target)}.Arn"
        return node(line, [("Fn::Sub", f"{prefix}${{{arn}}}/invocations")])
    return node(line, [("Fn::Sub", [f"{prefix}${{Target}}/invocations", {"Target": target}])])


def _permission(function: Any, line: int, *, aliased: set[str]) -> MarkedDict:
    """API Gateway may invoke; the framework sets no SourceArn on WebSocket permissions."""
    target = function
    if _is_key(function):
        target = (
            node(line, [("Ref", alias_id(function))])
            if function in aliased
            else node(line, [("Fn::GetAtt", [function_id(function), "Arn"])])
        )
    return node(
        line,
        [
            ("Action", "lambda:InvokeFunction"),
            ("FunctionName", target),
            ("Principal", "apigateway.amazonaws.com"),
        ],
    )


def _is_key(function: Any) -> bool:
    return isinstance(function, str) and not function.startswith("arn:")


def _resource(kind: str, properties: MarkedDict, line: int) -> MarkedDict:
    resource = node(line, [("Type", kind)])
    put(resource, "Properties", properties, line)
    return resource


def compile_websockets(
    routes: list[WebsocketRoute],
    *,
    provider: MarkedDict,
    service: str,
    stage: str,
    resources: MarkedDict,
    aliased: set[str],
) -> None:
    """Adds the API (unless `provider.apiGateway.websocketApiId` names one), its stage and the routes."""
    settings = provider.get("apiGateway")
    external = settings.get("websocketApiId") if isinstance(settings, dict) else None
    line = routes[0].line
    if external is None:
        selection = "$request.body.action"
        if isinstance(settings, dict) and "websocketsApiRouteSelectionExpression" in settings:
            selection = settings["websocketsApiRouteSelectionExpression"]
        name = provider.get("websocketsApiName", f"{stage}-{service}-websockets")
        api = node(
            line, [("Name", name), ("ProtocolType", "WEBSOCKET"), ("RouteSelectionExpression", selection)]
        )
        put(resources, WEBSOCKETS_API_ID, _resource("AWS::ApiGatewayV2::Api", api, line), line)
        api_id: Any = node(line, [("Ref", WEBSOCKETS_API_ID)])
        stage_properties = node(line, [("ApiId", api_id), ("StageName", stage)])
        _access_logs(
            provider, stage_properties, name=f"/aws/websocket/{service}-{stage}", resources=resources
        )
        put(
            resources,
            "WebsocketsDeploymentStage",
            _resource("AWS::ApiGatewayV2::Stage", stage_properties, line),
            line,
        )
    else:
        api_id = external
    for route in routes:
        _route(route, api_id=api_id, resources=resources, aliased=aliased)


def _route(route: WebsocketRoute, *, api_id: Any, resources: MarkedDict, aliased: set[str]) -> None:
    line = route.line
    integration_id = f"{normalized(route.function)}WebsocketsIntegration"
    integration = node(
        line,
        [
            ("ApiId", api_id),
            ("IntegrationType", "AWS_PROXY"),
            ("IntegrationUri", _invocation_uri(route.function, line, aliased=aliased)),
        ],
    )
    put(resources, integration_id, _resource("AWS::ApiGatewayV2::Integration", integration, line), line)
    permission_id = f"{normalized(route.function)}LambdaPermissionWebsockets"
    put(
        resources,
        permission_id,
        _resource("AWS::Lambda::Permission", _permission(route.function, line, aliased=aliased), line),
        line,
    )
    target = node(line, [("Fn::Join", ["/", ["integrations", node(line, [("Ref", integration_id)])]])])
    properties = node(line, [("ApiId", api_id), ("RouteKey", route.route), ("Target", target)])
    authorizer = route.authorizer
    if authorizer is None:
        put(properties, "AuthorizationType", "NONE", line)
    else:
        auth_line = authorizer.line or line
        put(properties, "AuthorizationType", "CUSTOM", auth_line)
        put(
            properties,
            "AuthorizerId",
            _authorizer(authorizer, api_id=api_id, resources=resources, aliased=aliased),
            auth_line,
        )
    route_key = route.route if isinstance(route.route, str) else "Route"
    route_id = f"{alphanumeric(route_key.replace('$', 'S'))}WebsocketsRoute"
    put(resources, route_id, _resource("AWS::ApiGatewayV2::Route", properties, line), line)


def _authorizer(spec: MarkedDict, *, api_id: Any, resources: MarkedDict, aliased: set[str]) -> MarkedDict:
    """The REQUEST authorizer of a `$connect` route, with its permission; a reference to it."""
    line = spec.line
    if "unknown" in spec:
        return node(line, [("Fn::lambdasec:Unresolved", "authorizer")])
    name = spec.get("name")
    target = spec.get("arn", name)
    if not isinstance(name, str):
        name = target.rsplit(":", 1)[-1] if isinstance(target, str) else "Authorizer"
    authorizer_id = f"{normalized(alphanumeric(name))}WebsocketsAuthorizer"
    identity = spec.get("identitySource", seq(line, [_DEFAULT_IDENTITY]))
    properties = node(
        line,
        [
            ("ApiId", api_id),
            ("Name", name),
            ("AuthorizerType", "REQUEST"),
            ("AuthorizerUri", _invocation_uri(target, line, aliased=aliased)),
            ("IdentitySource", identity if isinstance(identity, list) else seq(line, [identity])),
        ],
    )
    put(resources, authorizer_id, _resource("AWS::ApiGatewayV2::Authorizer", properties, line), line)
    permission_id = f"{normalized(alphanumeric(name))}LambdaPermissionWebsocketsAuthorizer"
    put(
        resources,
        permission_id,
        _resource("AWS::Lambda::Permission", _permission(target, line, aliased=aliased), line),
        line,
    )
    return node(line, [("Ref", authorizer_id)])


def _access_logs(provider: MarkedDict, stage: MarkedDict, *, name: str, resources: MarkedDict) -> None:
    """`provider.logs.websocket`: access logs to the framework's `WebsocketsLogGroup` (unless turned off)."""
    logs = provider.get("logs")
    settings = logs.get("websocket") if isinstance(logs, dict) else None
    if settings in (None, False) or (isinstance(settings, dict) and settings.get("accessLogging") is False):
        return
    line = key_line(logs, "websocket", stage.line)
    group = node(line, [("LogGroupName", name)])
    retention = provider.get("logRetentionInDays")
    if retention is not None:
        put(group, "RetentionInDays", retention, key_line(provider, "logRetentionInDays", line))
    put(resources, "WebsocketsLogGroup", _resource("AWS::Logs::LogGroup", group, line), line)
    destination = node(line, [("Fn::GetAtt", ["WebsocketsLogGroup", "Arn"])])
    settings_node = node(line, [("DestinationArn", destination), ("Format", "$context.requestId")])
    put(stage, "AccessLogSettings", settings_node, line)
