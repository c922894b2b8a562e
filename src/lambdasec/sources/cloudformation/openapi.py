"""Reads the routes and authorizers of an API's OpenAPI/Swagger `Body` (REST and HTTP APIs)."""

# A path item or a method written as `Fn::If` whose condition is not known gives the routes of both
# branches: rules see every route the API may have. A route both branches declare is listed once per
# branch, the second named with its condition (`RestApi/GET /x (unless Legacy)`) so keys stay unique.

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.model import ApiRoute, AuthorizationKind, Authorizer, PolicyDocument, Unresolved
from lambdasec.records import record
from lambdasec.sources.cloudformation.iam import read_document
from lambdasec.sources.cloudformation.intrinsics import NO_VALUE, Resolver
from lambdasec.sources.cloudformation.properties import Context, Node
from lambdasec.sources.cloudformation.references import (
    function_in_expression,
    integration_target,
)
from lambdasec.sources.yaml_loader import line_of

__all__ = ["BodyApi", "UriTargets", "read_body"]

INTEGRATION: Final = "x-amazon-apigateway-integration"
POLICY: Final = "x-amazon-apigateway-policy"
_ANY_METHOD: Final = "x-amazon-apigateway-any-method"
_METHODS: Final = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "trace", _ANY_METHOD}
)
_AUTHORIZER_KINDS: Final = {
    "cognito_user_pools": AuthorizationKind.COGNITO,
    "token": AuthorizationKind.CUSTOM,
    "request": AuthorizationKind.CUSTOM,
    "jwt": AuthorizationKind.JWT,
}
_IAM_AUTHTYPES: Final = frozenset({"awssigv4", "aws_iam"})
# `Fn::If` nested deeper than this in a path item is not followed (guards hostile input).
_MAX_BRANCH_DEPTH: Final = 8


@dataclass(kw_only=True)
class BodyApi:
    """What a body declares: title, routes to functions, authorizers and the REST API's resource policy."""

    title: str | None = None
    routes: list[ApiRoute] = field(default_factory=list)
    authorizers: list[Authorizer] = field(default_factory=list)
    resource_policy: PolicyDocument | Unresolved | None = None


@record
class UriTargets:
    """How a body's URIs name functions: `integration(uri, type)` gives (function or None when the
    integration is not a Lambda one, qualifier); `authorizer(uri)` the function of an authorizer.

    The default reads CloudFormation expressions; another source passes its own (Terraform references).
    """

    integration: Callable[[Any, Any], tuple[str | Unresolved | None, str | Unresolved | None]]
    authorizer: Callable[[Any], str | Unresolved]


def _cloudformation_targets(ctx: Context) -> UriTargets:
    def integration(raw: Any, kind: Any) -> tuple[str | Unresolved | None, str | Unresolved | None]:
        return integration_target(ctx, raw, integration_type=kind)

    return UriTargets(integration=integration, authorizer=lambda raw: function_in_expression(ctx, raw))


@record(kw_only=False)
class _Scheme:
    """How one security scheme authenticates."""

    kind: AuthorizationKind | Unresolved | None  # None: the scheme is an API key, not an authorizer
    authorizer: str | None = None


def read_body(body: Node, *, api_id: str, api_key: str, targets: UriTargets | None = None) -> BodyApi:
    """Routes (method + path -> function) and authorizers of an OpenAPI 3 or Swagger 2 body."""
    ctx = body.ctx
    uris = targets if targets is not None else _cloudformation_targets(ctx)
    out = BodyApi()
    info = body.node("info")
    if isinstance(info, Node):
        title = info.text("title")
        out.title = title if isinstance(title, str) else None
    out.resource_policy = read_document(body, POLICY, owner=f"{api_id}/Body/{POLICY}")
    schemes = _schemes(body, api_id=api_id, api_key=api_key, out=out, uris=uris)
    global_security = body.items("security")
    paths = body.node("paths")
    if not isinstance(paths, Node):
        return out
    taken: set[str] = set()
    for path, method_name, op, line, label in _operations(paths):
        verb = "ANY" if method_name.lower() == _ANY_METHOD else method_name.upper()
        resource = f"{api_id}/{verb} {path}"
        if resource in taken and label:
            resource = f"{resource} ({label})"
        route = _route(
            op,
            line=line,
            path=path,
            verb=verb,
            resource=resource,
            api_key=api_key,
            schemes=schemes,
            global_security=global_security,
            uris=uris,
        )
        if route is not None:
            taken.add(resource)
            out.routes.append(route)
    return out


def _operations(paths: Node) -> Iterator[tuple[str, str, Node, int | None, str]]:
    """(path, method key, operation, line, conditions) of every operation of every path item."""
    resolver = paths.ctx.resolver
    for path, raw_item, path_line in paths.entries():
        for item, item_label in _branches(paths.data.get(path), raw_item, resolver):
            operations = paths.child(item, path, line=line_of(item) or path_line, fields=[])
            for method_name, raw_operation, line in operations.entries():
                if method_name.lower() not in _METHODS:
                    continue
                for operation, label in _branches(operations.data.get(method_name), raw_operation, resolver):
                    op = operations.child(operation, method_name, line=line, fields=[])
                    yield path, method_name, op, line, ", ".join(text for text in (item_label, label) if text)


def _branches(
    raw: Any, value: Any, resolver: Resolver, depth: int = 0
) -> Iterator[tuple[dict[Any, Any], str]]:
    """The mappings a path item or operation may be (`value` is `raw` resolved), each with the conditions
    under which it is ("" when always): both branches of an `Fn::If` whose condition is not known."""
    if isinstance(value, dict):
        yield value, ""
        return
    arg = raw.get("Fn::If") if isinstance(raw, dict) and len(raw) == 1 else None
    if (
        not isinstance(value, Unresolved)
        or not isinstance(arg, list)
        or len(arg) != 3
        or depth >= _MAX_BRANCH_DEPTH
    ):
        return
    name = arg[0]
    truth = resolver.condition(name, line=line_of(raw))
    for branch, holds, label in ((arg[1], True, f"if {name}"), (arg[2], False, f"unless {name}")):
        if truth is not holds and not isinstance(truth, Unresolved):
            continue
        resolved = resolver.resolve(branch)
        if resolved is NO_VALUE:
            continue
        for mapping, inner in _branches(branch, resolved, resolver, depth + 1):
            if isinstance(truth, Unresolved):
                yield mapping, f"{label}, {inner}" if inner else label
            else:
                yield mapping, inner


def _schemes(body: Node, *, api_id: str, api_key: str, out: BodyApi, uris: UriTargets) -> dict[str, _Scheme]:
    holder: Node | Unresolved | None = body
    key = "securityDefinitions"
    if body.has("openapi"):
        holder, key = body.node("components"), "securitySchemes"
    if not isinstance(holder, Node):
        return {}
    definitions = holder.node(key)
    if not isinstance(definitions, Node):
        return {}
    schemes: dict[str, _Scheme] = {}
    for name, spec, line in definitions.entries():
        if not isinstance(spec, dict):
            continue
        scheme = definitions.child(spec, name, line=line, fields=[])
        schemes[name] = _scheme(
            scheme, name=name, line=line, api_id=api_id, api_key=api_key, out=out, uris=uris
        )
    return schemes


def _scheme(
    scheme: Node, *, name: str, line: int | None, api_id: str, api_key: str, out: BodyApi, uris: UriTargets
) -> _Scheme:
    ctx = scheme.ctx
    authorizer = scheme.node("x-amazon-apigateway-authorizer")
    if isinstance(authorizer, Node):
        kind_text = authorizer.text("type", field="kind")
        kind: AuthorizationKind | Unresolved
        if isinstance(kind_text, str):
            kind = _AUTHORIZER_KINDS.get(kind_text.lower()) or scheme.wrong(
                "x-amazon-apigateway-authorizer.type",
                "token, request, cognito_user_pools or jwt",
                value=kind_text,
            )
        else:
            kind = kind_text if isinstance(kind_text, Unresolved) else AuthorizationKind.CUSTOM
        function = None
        if authorizer.has("authorizerUri"):
            authorizer.note("function", "authorizerUri")
            function = uris.authorizer(authorizer.data["authorizerUri"])
        resource = f"{api_id}/authorizers/{name}"
        out.authorizers.append(
            Authorizer(
                key=ctx.key(resource),
                api=api_key,
                kind=kind,
                function=function,
                origin=ctx.origin(resource, line=line, fields=authorizer.fields),
            )
        )
        return _Scheme(kind, ctx.key(resource))
    authtype = scheme.text("x-amazon-apigateway-authtype")
    if isinstance(authtype, str) and authtype.lower() in _IAM_AUTHTYPES:
        return _Scheme(AuthorizationKind.AWS_IAM)
    kind_name = scheme.text("type")
    if kind_name == "apiKey" and authtype is None:
        return _Scheme(None)
    return _Scheme(Unresolved(f"security scheme {name}"))


def _route(
    op: Node,
    *,
    line: int | None,
    path: str,
    verb: str,
    resource: str,
    api_key: str,
    schemes: dict[str, _Scheme],
    global_security: Any,
    uris: UriTargets,
) -> ApiRoute | None:
    ctx = op.ctx
    integration = op.node(INTEGRATION)
    if not isinstance(integration, Node) or not integration.has("uri"):
        return None
    function, qualifier = uris.integration(integration.data["uri"], integration.text("type"))
    if function is None:
        return None
    integration.note("function", "uri")
    timeout = integration.integer("timeoutInMillis", field="integration_timeout_ms")
    if integration.fields is not op.fields:  # a nested mapping records into its parent's list already
        op.fields.extend(integration.fields)
    authorization, authorizer, key_required = _authorization(
        op, schemes=schemes, global_security=global_security
    )
    if line is not None:
        op.fields.extend((("method", line), ("path", line)))
    return ApiRoute(
        key=ctx.key(resource),
        api=api_key,
        method=verb,
        path=path,
        function=function,
        qualifier=qualifier,
        authorization=authorization,
        authorizer=authorizer,
        api_key_required=key_required,
        integration_timeout_ms=timeout,
        origin=ctx.origin(resource, line=line, fields=op.fields),
    )


def _authorization(
    op: Node, *, schemes: dict[str, _Scheme], global_security: Any
) -> tuple[AuthorizationKind | Unresolved, str | None, bool | Unresolved]:
    """The method's authorization as API Gateway imports its security requirements.

    API Gateway does not read the list as alternatives: a method gets the authorizer one requirement names
    and requires an API key when any requirement names the `api_key` scheme (SAM writes
    `[{Auth: []}, {api_key: []}]` for an authorizer plus `ApiKeyRequired`). Of several authorizers the
    weakest is kept.
    """
    explicit = op.node("x-amazon-apigateway-auth", field="authorization")
    iam = isinstance(explicit, Node) and op.ctx.resolver.resolve(explicit.data.get("type")) == "AWS_IAM"
    op.note("authorization", "security")
    requirements = op.items("security") if op.has("security") else global_security
    if isinstance(requirements, Unresolved):
        return requirements, None, Unresolved(requirements.reason)
    alternatives = (
        [item for item, _ in requirements] if isinstance(requirements, list) and requirements else []
    )
    if not alternatives or not all(isinstance(a, dict) for a in alternatives):
        if alternatives:
            return Unresolved("security requirements are not mappings"), None, False
        return (AuthorizationKind.AWS_IAM if iam else AuthorizationKind.NONE), None, False
    options = [_alternative(dict(a), schemes) for a in alternatives]
    authenticated = [option for option in options if option[0] is not AuthorizationKind.NONE]
    kind, authorizer, _ = min(authenticated or options, key=_exposure)
    key_required = any(option[2] for option in options)
    if iam and kind is AuthorizationKind.NONE:
        kind = AuthorizationKind.AWS_IAM
    return kind, authorizer, key_required


def _exposure(option: tuple[AuthorizationKind | Unresolved, str | None, bool]) -> int:
    """0 for an open alternative, 1 for an API key alone, 2 for anything that authenticates."""
    kind, _, key_required = option
    if kind is AuthorizationKind.NONE:
        return 1 if key_required else 0
    return 2


def _alternative(
    requirement: dict[Any, Any], schemes: dict[str, _Scheme]
) -> tuple[AuthorizationKind | Unresolved, str | None, bool]:
    kind: AuthorizationKind | Unresolved = AuthorizationKind.NONE
    authorizer: str | None = None
    key_required = False
    for name in requirement:
        scheme = schemes.get(str(name))
        if scheme is None:
            if name == "AWS_IAM":
                kind = AuthorizationKind.AWS_IAM
            elif name != "NONE":
                kind = Unresolved(f"undefined security scheme {name}")
            continue
        if scheme.kind is None:
            key_required = True
        elif kind is AuthorizationKind.NONE or isinstance(kind, Unresolved):
            kind, authorizer = scheme.kind, scheme.authorizer
    return kind, authorizer, key_required
