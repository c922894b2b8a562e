"""Maps who may invoke a function: AWS::Lambda::Permission and AWS::Lambda::Url."""

from __future__ import annotations

from lambdasec.model import AuthType, Condition, Cors, FunctionUrl, Permission, Unresolved
from lambdasec.sources.cloudformation.properties import Context, Node, Resource
from lambdasec.sources.cloudformation.references import function_target

__all__ = ["IMPLICIT_MARK", "map_function_url", "map_permission"]

# Metadata flag the SAM expansion sets on resources that SAM creates implicitly (e.g. event permissions).
IMPLICIT_MARK = "lambdasec:implicit"


def map_permission(resource: Resource, ctx: Context) -> Permission:
    """An AWS::Lambda::Permission: one statement of the function's resource-based policy."""
    p = resource.properties(ctx)
    target = function_target(p, "FunctionName", field="function")
    conditions: tuple[Condition, ...] = ()
    data = p.data  # a permission sets few of the optional properties: absent ones are skipped cheaply
    via_url = p.flag("InvokedViaFunctionUrl", field="conditions") if "InvokedViaFunctionUrl" in data else None
    if via_url is True:
        conditions = (Condition(operator="Bool", key="lambda:InvokedViaFunctionUrl", values=("true",)),)
    metadata = resource.body.get("Metadata")
    return Permission(
        key=ctx.key(resource.logical_id),
        function=target.function if target else p.missing("FunctionName"),
        qualifier=target.qualifier if target else None,
        action=p.required(p.text("Action", field="action"), "Action"),
        principal=p.required(p.text("Principal", field="principal"), "Principal"),
        source_arn=p.text("SourceArn", field="source_arn") if "SourceArn" in data else None,
        source_account=p.text("SourceAccount", field="source_account") if "SourceAccount" in data else None,
        principal_org_id=p.text("PrincipalOrgID", field="principal_org_id")
        if "PrincipalOrgID" in data
        else None,
        function_url_auth_type=p.choice("FunctionUrlAuthType", AuthType, field="function_url_auth_type")
        if "FunctionUrlAuthType" in data
        else None,
        event_source_token=p.text("EventSourceToken", field="event_source_token")
        if "EventSourceToken" in data
        else None,
        conditions=conditions,
        implicit=isinstance(metadata, dict) and metadata.get(IMPLICIT_MARK) is True,
        origin=resource.origin(ctx, p, distinct=True),  # each property above records its own pointer once
    )


def map_function_url(resource: Resource, ctx: Context) -> FunctionUrl:
    """An AWS::Lambda::Url."""
    p = resource.properties(ctx)
    target = function_target(p, "TargetFunctionArn", field="function")
    qualifier = p.text("Qualifier", field="qualifier")
    return FunctionUrl(
        key=ctx.key(resource.logical_id),
        function=target.function if target else p.missing("TargetFunctionArn"),
        qualifier=qualifier if qualifier is not None else (target.qualifier if target else None),
        auth_type=p.required(p.choice("AuthType", AuthType, field="auth_type"), "AuthType"),
        cors=_cors(p),
        invoke_mode=p.text("InvokeMode", field="invoke_mode") or "BUFFERED",
        origin=resource.origin(ctx, p),
    )


def _cors(p: Node) -> Cors | Unresolved | None:
    cors = p.node("Cors", field="cors")
    if cors is None or isinstance(cors, Unresolved):
        return cors
    return Cors(
        allow_origins=cors.texts("AllowOrigins", field="cors.allow_origins") or (),
        allow_credentials=_or_false(cors.flag("AllowCredentials", field="cors.allow_credentials")),
        allow_methods=cors.texts("AllowMethods", field="cors.allow_methods") or (),
        allow_headers=cors.texts("AllowHeaders", field="cors.allow_headers") or (),
    )


def _or_false(value: bool | Unresolved | None) -> bool | Unresolved:
    return False if value is None else value
