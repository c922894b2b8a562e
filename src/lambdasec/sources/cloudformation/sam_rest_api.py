"""`AWS::Serverless::Api` (explicit or the implicit `ServerlessRestApi`) -> RestApi, Deployment and Stage."""

from __future__ import annotations

import hashlib
from typing import Any

from lambdasec.sources.cloudformation.intrinsics import describe
from lambdasec.sources.cloudformation.sam_context import Expander, Owner, Route
from lambdasec.sources.cloudformation.sam_marks import (
    copy_dict,
    is_intrinsic,
    keep,
    key_line,
    node,
    put,
    seq,
)
from lambdasec.sources.cloudformation.sam_openapi import (
    INTEGRATION,
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
from lambdasec.sources.cloudformation.sam_resource_policy import add_resource_policies
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["build_rest_api"]

_REST_API_KEYS = (
    "Name",
    "Description",
    "BinaryMediaTypes",
    "MinimumCompressionSize",
    "DisableExecuteApiEndpoint",
    "Mode",
    "ApiKeySourceType",
    "FailOnWarnings",
)
_STAGE_KEYS = (
    "AccessLogSetting",
    "CacheClusterEnabled",
    "CacheClusterSize",
    "Variables",
    "MethodSettings",
    "CanarySetting",
    "TracingEnabled",
    "Tags",
)
_IAM = "AWS_IAM"
_CALLER = "arn:aws:iam::*:user/*"


class _Auth:
    """The API's `Auth` settings with the line of each decision."""

    def __init__(self, ex: Expander, auth: Any, line: int) -> None:
        if auth is not None and not isinstance(auth, dict):
            ex.warn("`Auth` of an API must be a mapping; ignored", line)
            auth = None
        self.raw: Any = auth or {}
        self.line = getattr(auth, "line", 0) or line
        authorizers = self.raw.get("Authorizers")
        if authorizers is not None and not isinstance(authorizers, dict):
            ex.warn("`Auth.Authorizers` must be a mapping; ignored", self.at("Authorizers"))
            authorizers = None
        self.authorizers: Any = authorizers or {}
        self.default = self.raw.get("DefaultAuthorizer")
        if isinstance(self.default, str) and self.default not in (_IAM, *self.authorizers):
            ex.warn(
                f"`DefaultAuthorizer` `{self.default}` is not defined in `Authorizers`",
                self.at("DefaultAuthorizer"),
            )

    def at(self, key: str) -> int:
        return key_line(self.raw, key, self.line) if key in self.raw else self.line

    def scopes(self, name: str, override: Any) -> Any:
        if name in ("NONE", _IAM):
            return []
        if override is not None:
            return override
        spec = self.authorizers.get(name)
        return (spec.get("AuthorizationScopes") if isinstance(spec, dict) else None) or []


# The one usage plan SAM generates for every API with `CreateUsagePlan: SHARED`.
_SHARED_USAGE_PLAN = "ServerlessUsagePlan"


def build_rest_api(ex: Expander, api_id: str, props: Any, *, line: int, implicit: bool) -> None:
    """Emit (or replace `api_id` with) the RestApi, Deployment and Stage, with routes and auth in the Body."""
    owner = Owner.of(api_id, ex.source.get(api_id))
    auth = _Auth(ex, props.get("Auth"), line)
    routes = ex.routes.get(api_id, [])
    definition = props.get("DefinitionBody")
    rest = node(getattr(props, "line", 0) or line)
    body: Any = None
    if definition is None and "DefinitionUri" not in props:
        version = props.get("OpenApiVersion")
        fmt = ("openapi", str(version)) if str(version).startswith("3") else ("swagger", "2.0")
        body = node(
            line, [fmt, ("info", {"version": "1.0", "title": {"Ref": "AWS::StackName"}}), ("paths", {})]
        )
        _add_routes(ex, body, routes, auth)
    elif isinstance(definition, dict) and not is_intrinsic(definition):
        body = editable_body(definition, key_line(props, "DefinitionBody", line))
        _apply_defaults(body, auth)
        if props.get("MergeDefinitions"):
            _add_routes(ex, body, routes, auth)
    else:
        unread_definition(ex, rest, props, api_id=api_id, line=line)
        if "ResourcePolicy" in auth.raw:
            ex.warn(
                "`Auth.ResourcePolicy` is not applied to an API whose definition is not read",
                auth.at("ResourcePolicy"),
            )
    if body is not None:
        _add_definitions(body, auth)
        add_resource_policies(
            ex, body, auth=auth.raw, auth_line=auth.line, routes=routes, stage=props.get("StageName")
        )
        put(rest, "Body", body, key_line(props, "DefinitionBody", line) if definition is not None else line)
    for key in _REST_API_KEYS:
        keep(rest, props, key)
    if "EndpointConfiguration" in props:
        _endpoint_configuration(rest, props, line=line)
    if implicit:
        if not ex.emit(api_id, "AWS::ApiGateway::RestApi", rest, line=line):
            return
    else:
        ex.replace_resource(api_id, "AWS::ApiGateway::RestApi", rest)
    _add_stage(ex, owner, props, body, line=line)
    _add_usage_plan(ex, owner, auth, api_id=api_id, stage_id=stage_logical_id(api_id, props.get("StageName")))
    for name, spec in auth.authorizers.items():
        if (
            isinstance(spec, dict)
            and "FunctionArn" in spec
            and not spec.get("DisableFunctionDefaultPermissions")
        ):
            add_authorizer_permission(
                ex, owner, str(name), spec["FunctionArn"], line=key_line(auth.authorizers, name, auth.line)
            )


def _add_routes(ex: Expander, body: MarkedDict, routes: list[Route], auth: _Auth) -> None:
    for route in routes:
        event_auth = route.auth if isinstance(route.auth, dict) else {}
        integration = node(
            route.line, [("type", "aws_proxy"), ("httpMethod", "POST"), ("uri", lambda_uri(route))]
        )
        if route.timeout is not None:
            put(integration, "timeoutInMillis", route.timeout, route.line)
        method = add_route_method(body, route, integration)
        if method is None:
            ex.warn(
                f"`{route.method.upper()} {route.path}` is defined twice on this API; kept the first",
                route.line,
            )
            continue
        entries: list[tuple[str, Any, int]] = []
        name, at = event_auth.get("Authorizer"), key_line(event_auth, "Authorizer", route.line)
        if name is None and isinstance(auth.default, str):
            name, at = auth.default, auth.at("DefaultAuthorizer")
        if isinstance(name, str):
            if name not in ("NONE", _IAM, *auth.authorizers):
                ex.warn(
                    f"authorizer `{name}` of `{route.function.logical_id}.{route.event}` is not defined in "
                    "the API's `Authorizers`",
                    at,
                )
            entries.append((name, auth.scopes(name, event_auth.get("AuthorizationScopes")), at))
        elif name is not None:  # an authorizer that cannot be known leaves the route's authorization unknown
            entries.append((f"authorizer {describe(name)}", [], at))
        key_required, key_at = (
            event_auth.get("ApiKeyRequired"),
            key_line(event_auth, "ApiKeyRequired", route.line),
        )
        if key_required is None:
            key_required, key_at = auth.raw.get("ApiKeyRequired"), auth.at("ApiKeyRequired")
        if key_required is True:
            entries.append(("api_key", [], key_at))
        if entries:
            put(method, "security", security_list(entries, entries[0][2]), entries[0][2])
        if name == _IAM:
            _mark_iam(method, event_auth, auth, at)


def _mark_iam(method: MarkedDict, event_auth: Any, auth: _Auth, line: int) -> None:
    put(method, "x-amazon-apigateway-auth", {"type": _IAM}, line)
    role = event_auth.get("InvokeRole", auth.raw.get("InvokeRole", "CALLER_CREDENTIALS"))
    if role in (None, "NONE"):
        return
    integration = copy_dict(method[INTEGRATION])
    put(integration, "credentials", _CALLER if role == "CALLER_CREDENTIALS" else role, line)
    method[INTEGRATION] = integration


def _apply_defaults(body: MarkedDict, auth: _Auth) -> None:
    """DefaultAuthorizer and ApiKeyRequired on methods of a hand-written body that do not set their own."""
    if not isinstance(auth.default, str) and auth.raw.get("ApiKeyRequired") is not True:
        return
    names = {_IAM, "NONE", *auth.authorizers}
    for _path, _name, method in integrated_methods(body):
        existing = method.get("security")
        existing = list(existing) if isinstance(existing, list) else []
        entries: list[tuple[str, Any, int]] = []
        has_authorizer = any(isinstance(s, dict) and names & set(s) for s in existing)
        if isinstance(auth.default, str) and not has_authorizer:
            entries.append((auth.default, auth.scopes(auth.default, None), auth.at("DefaultAuthorizer")))
        if auth.raw.get("ApiKeyRequired") is True and not any(
            isinstance(s, dict) and "api_key" in s for s in existing
        ):
            entries.append(("api_key", [], auth.at("ApiKeyRequired")))
        if not entries:
            continue
        security = security_list(entries, entries[0][2])
        old_lines = getattr(existing, "item_lines", None) or [security.line] * len(existing)
        security[:0] = existing
        security.item_lines[:0] = old_lines
        put(method, "security", security, security.line)
        if auth.default == _IAM and not has_authorizer:
            _mark_iam(method, {}, auth, auth.at("DefaultAuthorizer"))


def _add_definitions(body: MarkedDict, auth: _Auth) -> None:
    definitions: list[tuple[str, MarkedDict, int]] = []
    for name, spec in auth.authorizers.items():
        at = key_line(auth.authorizers, name, auth.line)
        if isinstance(spec, dict):
            definitions.append((str(name), _authorizer(spec, at), at))
    used = security_names(body)
    if _IAM in used:
        definitions.append(
            (
                _IAM,
                node(
                    auth.line,
                    [
                        ("type", "apiKey"),
                        ("name", "Authorization"),
                        ("in", "header"),
                        ("x-amazon-apigateway-authtype", "awsSigv4"),
                    ],
                ),
                auth.line,
            )
        )
    if "api_key" in used:
        definitions.append(
            (
                "api_key",
                node(auth.line, [("type", "apiKey"), ("name", "x-api-key"), ("in", "header")]),
                auth.at("ApiKeyRequired"),
            )
        )
    if not definitions:
        return
    openapi3 = "openapi" in body
    holder = copy_dict(body.get("components"), auth.line) if openapi3 else body
    key = "securitySchemes" if openapi3 else "securityDefinitions"
    merged = copy_dict(holder.get(key), auth.line)
    for name, definition, at in definitions:
        if name not in merged:
            put(merged, name, definition, at)
    put(holder, key, merged, key_line(holder, key, auth.line) if key in holder else auth.line)
    if openapi3:
        put(
            body,
            "components",
            holder,
            key_line(body, "components", auth.line) if "components" in body else auth.line,
        )


def _authorizer(spec: Any, line: int) -> MarkedDict:
    identity = spec.get("Identity") if isinstance(spec.get("Identity"), dict) else {}
    if "UserPoolArn" in spec:
        pools = spec["UserPoolArn"] if isinstance(spec["UserPoolArn"], list) else [spec["UserPoolArn"]]
        details = node(line, [("type", "cognito_user_pools"), ("providerARNs", pools)])
        header, authtype = identity.get("Header", "Authorization"), "cognito_user_pools"
    else:
        request = spec.get("FunctionPayloadType") == "REQUEST"
        details = node(
            line,
            [
                ("type", "request" if request else "token"),
                ("authorizerUri", authorizer_uri(spec.get("FunctionArn"), line)),
            ],
        )
        if "ReauthorizeEvery" in identity:
            put(details, "authorizerResultTtlInSeconds", identity["ReauthorizeEvery"], line)
        if spec.get("FunctionInvokeRole") not in (None, "NONE"):
            put(details, "authorizerCredentials", spec["FunctionInvokeRole"], line)
        if request:
            sources = [
                f"{prefix}{item}"
                for key, prefix in (
                    ("Headers", "method.request.header."),
                    ("QueryStrings", "method.request.querystring."),
                    ("StageVariables", "stageVariables."),
                    ("Context", "context."),
                )
                for item in (identity.get(key) or [])
                if isinstance(item, str)
            ]
            if sources:
                put(details, "identitySource", ", ".join(sources), line)
        header, authtype = ("Unused" if request else identity.get("Header", "Authorization")), "custom"
    if "ValidationExpression" in identity:
        put(details, "identityValidationExpression", identity["ValidationExpression"], line)
    return node(
        line,
        [
            ("type", "apiKey"),
            ("name", header),
            ("in", "header"),
            ("x-amazon-apigateway-authtype", authtype),
            ("x-amazon-apigateway-authorizer", details),
        ],
    )


def _endpoint_configuration(rest: MarkedDict, props: Any, *, line: int) -> None:
    """SAM's `EndpointConfiguration` (a type, or `{Type, VPCEndpointIds}`) in the RestApi's shape."""
    endpoint = props["EndpointConfiguration"]
    at = key_line(props, "EndpointConfiguration", line)
    if not (isinstance(endpoint, dict) and not is_intrinsic(endpoint) and endpoint.get("Type") is not None):
        put(rest, "EndpointConfiguration", node(at, [("Types", [endpoint])]), at)
        return
    type_line = key_line(endpoint, "Type", at)
    config = node(at, [("Types", seq(type_line, [endpoint["Type"]]))])
    config.key_lines["Types"] = type_line
    if "VPCEndpointIds" in endpoint:
        keep(config, endpoint, "VPCEndpointIds", as_key="VpcEndpointIds")
    put(rest, "EndpointConfiguration", config, at)


def _add_stage(ex: Expander, owner: Owner, props: Any, body: Any, *, line: int) -> None:
    api_id = owner.logical_id
    paths = sorted(str(p) for p in body.get("paths", {})) if isinstance(body, dict) else []
    digest = hashlib.sha1("\n".join([api_id, *paths]).encode()).hexdigest()[:10]
    deployment_id = f"{api_id}Deployment{digest}"
    entries: list[tuple[str, Any]] = [
        ("RestApiId", {"Ref": api_id}),
        ("Description", f"RestApi deployment id: {digest}"),
    ]
    if not props.get("OpenApiVersion"):
        # SAM's backwards-compatible extra stage named `Stage`; any OpenApiVersion removes it
        entries.append(("StageName", "Stage"))
    deployment = node(line, entries)
    ex.emit(deployment_id, "AWS::ApiGateway::Deployment", deployment, line=line, owner=owner)
    stage_name = props.get("StageName")
    stage_line = key_line(props, "StageName", line) if "StageName" in props else line
    stage = node(stage_line, [("DeploymentId", {"Ref": deployment_id}), ("RestApiId", {"Ref": api_id})])
    keep(stage, props, "StageName")
    for key in _STAGE_KEYS:
        keep(stage, props, key)
    ex.emit(
        stage_logical_id(api_id, stage_name), "AWS::ApiGateway::Stage", stage, line=stage_line, owner=owner
    )


def _add_usage_plan(ex: Expander, owner: Owner, auth: _Auth, *, api_id: str, stage_id: str) -> None:
    """The usage plan SAM generates for `Auth.UsagePlan.CreateUsagePlan: PER_API` or `SHARED` (throttle only).

    The API keys and usage plan keys SAM also generates are not modelled.
    """
    plan = auth.raw.get("UsagePlan") if isinstance(auth.raw, dict) else None
    if not isinstance(plan, dict) or is_intrinsic(plan):
        return
    mode = plan.get("CreateUsagePlan")
    if mode not in ("PER_API", "SHARED"):
        return
    line = auth.at("UsagePlan")
    stage = node(line, [("ApiId", {"Ref": api_id}), ("Stage", {"Ref": stage_id})])
    shared = ex.out.get(_SHARED_USAGE_PLAN) if mode == "SHARED" else None
    if isinstance(shared, dict) and _SHARED_USAGE_PLAN in ex.generated:
        stages = shared["Properties"].get("ApiStages")
        if isinstance(stages, list):
            stages.append(stage)
        return
    props = node(line, [("ApiStages", [stage])])
    keep(props, plan, "Throttle")
    plan_id = f"{api_id}UsagePlan" if mode == "PER_API" else _SHARED_USAGE_PLAN
    ex.emit(plan_id, "AWS::ApiGateway::UsagePlan", props, line=line, owner=owner)
