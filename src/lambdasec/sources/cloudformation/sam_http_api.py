"""`AWS::Serverless::HttpApi` (explicit or the implicit `ServerlessHttpApi`) -> ApiGatewayV2 Api and Stage."""

from __future__ import annotations

from typing import Any

from lambdasec.sources.cloudformation.intrinsics import describe
from lambdasec.sources.cloudformation.sam_context import Expander, Owner, Route
from lambdasec.sources.cloudformation.sam_marks import copy_dict, is_intrinsic, keep, key_line, node, put
from lambdasec.sources.cloudformation.sam_openapi import (
    add_authorizer_permission,
    add_route_method,
    authorizer_uri,
    editable_body,
    integrated_methods,
    lambda_uri,
    security_list,
    security_names,
    stage_logical_id,
    unread_definition,
)
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["build_http_api"]

_IAM = "AWS_IAM"
_DEFAULT_STAGE = "$default"
_STAGE_KEYS = ("StageVariables", "AccessLogSettings", "DefaultRouteSettings", "RouteSettings")
_CORS_KEYS = {
    "AllowOrigins": "allowOrigins",
    "AllowHeaders": "allowHeaders",
    "AllowMethods": "allowMethods",
    "ExposeHeaders": "exposeHeaders",
    "AllowCredentials": "allowCredentials",
    "MaxAge": "maxAge",
}


def build_http_api(ex: Expander, api_id: str, props: Any, *, line: int, implicit: bool) -> None:
    """Emit (or replace `api_id` with) the HTTP API and its stage, with routes and authorizers in the Body."""
    owner = Owner.of(api_id, ex.source.get(api_id))
    auth: Any = props.get("Auth")
    if auth is not None and not isinstance(auth, dict):
        ex.warn("`Auth` of an HTTP API must be a mapping; ignored", key_line(props, "Auth", line))
        auth = None
    auth = auth or MarkedDict(line)
    auth_line = getattr(auth, "line", 0) or line
    authorizers: Any = auth.get("Authorizers") if isinstance(auth.get("Authorizers"), dict) else {}
    api = node(getattr(props, "line", 0) or line)
    definition = props.get("DefinitionBody")
    body: MarkedDict | None = None
    if definition is None and "DefinitionUri" not in props:
        info = {"version": "1.0", "title": {"Ref": "AWS::StackName"}}
        tags = [{"name": "httpapi:createdBy", "x-amazon-apigateway-tag-value": "SAM"}]
        body = node(line, [("openapi", "3.0.1"), ("info", info), ("paths", {}), ("tags", tags)])
    elif isinstance(definition, dict) and not is_intrinsic(definition):
        body = editable_body(definition, key_line(props, "DefinitionBody", line))
    else:
        unread_definition(ex, api, props, api_id=api_id, line=line)
    if body is not None:
        _add_routes(ex, body, ex.routes.get(api_id, []), auth, authorizers)
        _apply_default(body, auth, authorizers)
        _add_schemes(body, auth, authorizers, auth_line)
        _add_cors(body, props, line)
        put(api, "Body", body, key_line(props, "DefinitionBody", line) if definition is not None else line)
    for key in ("Description", "FailOnWarnings", "DisableExecuteApiEndpoint", "Name"):
        keep(api, props, key)
    if implicit:
        if not ex.emit(api_id, "AWS::ApiGatewayV2::Api", api, line=line):
            return
    else:
        ex.replace_resource(api_id, "AWS::ApiGatewayV2::Api", api)
    _add_stage(ex, owner, props, line=line)
    for name, spec in authorizers.items():
        if isinstance(spec, dict) and "FunctionArn" in spec and spec.get("EnableFunctionDefaultPermissions"):
            add_authorizer_permission(
                ex, owner, str(name), spec["FunctionArn"], line=key_line(authorizers, name, auth_line)
            )


def _add_routes(ex: Expander, body: MarkedDict, routes: list[Route], auth: Any, authorizers: Any) -> None:
    for route in routes:
        integration = node(
            route.line,
            [
                ("type", "aws_proxy"),
                ("httpMethod", "POST"),
                ("uri", lambda_uri(route)),
                ("payloadFormatVersion", route.payload_format_version or "2.0"),
            ],
        )
        if route.timeout is not None:
            put(integration, "timeoutInMillis", route.timeout, route.line)
        method = add_route_method(body, route, integration)
        if method is None:
            continue
        if route.path == _DEFAULT_STAGE and route.method == "any":
            put(method, "isDefaultRoute", True, route.line)
        event_auth = route.auth if isinstance(route.auth, dict) else {}
        name = event_auth.get("Authorizer")
        if name is None:
            continue
        at = key_line(event_auth, "Authorizer", route.line)
        if not isinstance(
            name, str
        ):  # an authorizer that cannot be known leaves the route's authorization unknown
            put(method, "security", security_list([(f"authorizer {describe(name)}", [], at)], at), at)
            continue
        if name not in ("NONE", _IAM, *authorizers):
            ex.warn(
                f"authorizer `{name}` of `{route.function.logical_id}.{route.event}` is not defined in the "
                "API's `Authorizers`",
                at,
            )
        scopes = _scopes(str(name), event_auth.get("AuthorizationScopes"), authorizers)
        put(method, "security", security_list([(str(name), scopes, at)], at), at)
        if name == _IAM:
            put(method, "x-amazon-apigateway-auth", {"type": _IAM}, at)


def _scopes(name: str, override: Any, authorizers: Any) -> Any:
    if name in ("NONE", _IAM):
        return []
    if override:
        return override
    spec = authorizers.get(name)
    return (spec.get("AuthorizationScopes") if isinstance(spec, dict) else None) or []


def _apply_default(body: MarkedDict, auth: Any, authorizers: Any) -> None:
    default = auth.get("DefaultAuthorizer")
    if not isinstance(default, str):
        return
    at = key_line(auth, "DefaultAuthorizer", getattr(auth, "line", 0))
    for _path, _name, method in integrated_methods(body):
        if method.get("security"):
            continue
        put(method, "security", security_list([(default, _scopes(default, None, authorizers), at)], at), at)
        if default == _IAM:
            put(method, "x-amazon-apigateway-auth", {"type": _IAM}, at)


def _add_schemes(body: MarkedDict, auth: Any, authorizers: Any, line: int) -> None:
    schemes: list[tuple[str, MarkedDict, int]] = []
    for name, spec in authorizers.items():
        at = key_line(authorizers, name, line)
        if isinstance(spec, dict):
            schemes.append((str(name), _authorizer(spec, at), at))
    used = security_names(body)
    if auth.get("EnableIamAuthorizer") is True or _IAM in used:
        at = key_line(auth, "EnableIamAuthorizer", line) if "EnableIamAuthorizer" in auth else line
        schemes.append(
            (
                _IAM,
                node(
                    at,
                    [
                        ("type", "apiKey"),
                        ("name", "Authorization"),
                        ("in", "header"),
                        ("x-amazon-apigateway-authtype", "awsSigv4"),
                    ],
                ),
                at,
            )
        )
    if not schemes:
        return
    components = copy_dict(body.get("components"), line)
    merged = copy_dict(components.get("securitySchemes"), line)
    for name, scheme, at in schemes:
        if name not in merged:
            put(merged, name, scheme, at)
    put(components, "securitySchemes", merged, line)
    put(body, "components", components, key_line(body, "components", line) if "components" in body else line)


def _authorizer(spec: Any, line: int) -> MarkedDict:
    if "JwtConfiguration" in spec:
        details = node(line, [("type", "jwt")])
        keep(details, spec, "JwtConfiguration", as_key="jwtConfiguration")
        keep(details, spec, "IdentitySource", as_key="identitySource")
        return node(line, [("type", "oauth2"), ("x-amazon-apigateway-authorizer", details)])
    details = node(
        line, [("type", "request"), ("authorizerUri", authorizer_uri(spec.get("FunctionArn"), line))]
    )
    if spec.get("FunctionInvokeRole") not in (None, "NONE"):
        put(details, "authorizerCredentials", spec["FunctionInvokeRole"], line)
    identity = spec.get("Identity") if isinstance(spec.get("Identity"), dict) else {}
    if "ReauthorizeEvery" in identity:
        put(details, "authorizerResultTtlInSeconds", identity["ReauthorizeEvery"], line)
    sources = [
        f"{prefix}{item}"
        for key, prefix in (
            ("Headers", "$request.header."),
            ("QueryStrings", "$request.querystring."),
            ("StageVariables", "$stageVariables."),
            ("Context", "$context."),
        )
        for item in (identity.get(key) or [])
        if isinstance(item, str)
    ]
    if sources:
        put(details, "identitySource", sources, line)
    keep(details, spec, "AuthorizerPayloadFormatVersion", as_key="authorizerPayloadFormatVersion")
    keep(details, spec, "EnableSimpleResponses", as_key="enableSimpleResponses")
    return node(
        line,
        [
            ("type", "apiKey"),
            ("name", "Unused"),
            ("in", "header"),
            ("x-amazon-apigateway-authorizer", details),
        ],
    )


def _add_cors(body: MarkedDict, props: Any, line: int) -> None:
    cors = props.get("CorsConfiguration")
    if not cors:
        return
    at = key_line(props, "CorsConfiguration", line)
    out = node(at)
    if isinstance(cors, dict) and not is_intrinsic(cors):
        for key, as_key in _CORS_KEYS.items():
            keep(out, cors, key, as_key=as_key)
    elif cors is True:
        put(out, "allowOrigins", ["*"], at)
        put(out, "allowHeaders", ["*"], at)
        put(out, "allowMethods", ["*"], at)
    else:
        return
    put(body, "x-amazon-apigateway-cors", out, at)


def _add_stage(ex: Expander, owner: Owner, props: Any, *, line: int) -> None:
    stage_name = props.get("StageName", _DEFAULT_STAGE)
    stage_line = key_line(props, "StageName", line) if "StageName" in props else line
    stage = node(stage_line, [("ApiId", {"Ref": owner.logical_id}), ("StageName", stage_name)])
    if "StageName" in props:
        stage.key_lines["StageName"] = stage_line
    for key in _STAGE_KEYS:
        keep(stage, props, key)
    put(stage, "AutoDeploy", True, stage_line)
    tags = copy_dict(props.get("Tags"), stage_line)
    put(tags, "httpapi:createdBy", "SAM", stage_line)
    put(stage, "Tags", tags, key_line(props, "Tags", stage_line) if "Tags" in props else stage_line)
    stage_id = (
        f"{owner.logical_id}ApiGatewayDefaultStage"
        if stage_name == _DEFAULT_STAGE
        else stage_logical_id(owner.logical_id, stage_name)
    )
    ex.emit(stage_id, "AWS::ApiGatewayV2::Stage", stage, line=stage_line, owner=owner)
