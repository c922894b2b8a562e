"""Maps REST API blocks (aws_api_gateway_*): APIs, methods with their integrations, authorizers, stages."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from lambdasec.model import (
    Api,
    ApiKind,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    Authorizer,
    EndpointType,
    PolicyDocument,
    Throttling,
    Unresolved,
)
from lambdasec.sources.terraform.api_body import read_api_body
from lambdasec.sources.terraform.api_links import ApiLinks, ApiParts, Readers, reference, throttling
from lambdasec.sources.terraform.api_policy import apply_policy_blocks, rest_api_policy
from lambdasec.sources.terraform.hcl import Block
from lambdasec.sources.terraform.reader import Reader

__all__ = ["REST_API", "apply_usage_plans", "map_rest_apis"]

REST_API: Final = frozenset({"aws_api_gateway_rest_api"})
_RESOURCE: Final = frozenset({"aws_api_gateway_resource"})
_METHOD: Final = frozenset({"aws_api_gateway_method"})
_AUTHORIZER: Final = frozenset({"aws_api_gateway_authorizer"})
_STAGE: Final = frozenset({"aws_api_gateway_stage"})
_MAX_PATH_DEPTH: Final = 64
_AUTHORIZER_KINDS: Final = {
    "TOKEN": AuthorizationKind.CUSTOM,
    "REQUEST": AuthorizationKind.CUSTOM,
    "COGNITO_USER_POOLS": AuthorizationKind.COGNITO,
}


def map_rest_apis(
    readers: Readers,
    links: ApiLinks,
    *,
    out: ApiParts,
    documents: Mapping[str, PolicyDocument] | None = None,
) -> None:
    """Every REST API block of the module into `out`; per-method settings go to `out.throttles`."""
    for r in readers("aws_api_gateway_rest_api"):
        _rest_api(r, links, out=out, documents=documents or {})
    apply_policy_blocks(readers, links, out=out, documents=documents or {})
    for r in readers("aws_api_gateway_authorizer"):
        out.authorizers.append(_authorizer(r, links))
    integrations = readers("aws_api_gateway_integration")
    paths = _Paths(links)
    for r in readers("aws_api_gateway_method"):
        route = _method(r, links, integrations=integrations, paths=paths)
        if route is not None:
            out.routes.append(route)
    stages = {r.block.address: r for r in readers("aws_api_gateway_stage")}
    settings = readers("aws_api_gateway_method_settings")
    for r in stages.values():
        out.stages.append(_stage(r, links, settings=settings, out=out))
    for r in readers("aws_api_gateway_deployment"):
        stage = _deployment_stage(r, links)
        if stage is not None:
            out.stages.append(stage)


def apply_usage_plans(readers: Readers, links: ApiLinks, *, out: ApiParts) -> None:
    """Usage plans throttle every request made with their keys: the routes of their APIs that require one."""
    for r in readers("aws_api_gateway_usage_plan"):
        _usage_plan(r, links, out=out)


def _rest_api(r: Reader, links: ApiLinks, *, out: ApiParts, documents: Mapping[str, PolicyDocument]) -> None:
    name = r.text("name", field="name")
    title = None
    body_policy: PolicyDocument | Unresolved | None = None
    if "body" in r.block.body:
        declared = read_api_body(r, links=links, api_key=r.key)
        out.routes.extend(declared.routes)
        out.authorizers.extend(declared.authorizers)
        title = declared.title
        body_policy = declared.resource_policy
    api_name = name if name is not None else (title if title is not None else Unresolved("name: missing"))
    policy = rest_api_policy(r, documents=documents, body_policy=body_policy)
    endpoint_type, vpc_endpoint_ids = _endpoint(r)
    out.apis.append(
        Api(
            key=r.key,
            kind=ApiKind.REST,
            name=api_name,
            resource_policy=policy,
            endpoint_type=endpoint_type,
            vpc_endpoint_ids=vpc_endpoint_ids,
            origin=r.origin(),
        )
    )


def _endpoint(
    r: Reader,
) -> tuple[EndpointType | Unresolved | None, tuple[str | Unresolved, ...] | Unresolved]:
    """The `endpoint_configuration` block: its one endpoint type and its VPC endpoint ids."""
    config = r.nested("endpoint_configuration")
    if config is None:
        unknown = r.unknown_blocks("endpoint_configuration", field="endpoint_type")
        return unknown, unknown if unknown is not None else ()
    ids = r.texts("vpc_endpoint_ids", field="vpc_endpoint_ids", body=config) or ()
    types = r.texts("types", field="endpoint_type", body=config)
    if types is None or isinstance(types, Unresolved):
        return types, ids
    unknown_types = [t for t in types if isinstance(t, Unresolved)]
    if unknown_types:
        return unknown_types[0], ids
    known = {t.upper() for t in types if isinstance(t, str)}
    if len(known) != 1:  # API Gateway takes exactly one
        return Unresolved(f"endpoint_configuration.types = {sorted(known)}"), ids
    text = known.pop()
    return (EndpointType(text) if text in EndpointType.__members__ else Unresolved(f"types = {text}")), ids


def _authorizer(r: Reader, links: ApiLinks) -> Authorizer:
    kind_text = r.text("type", field="kind")
    kind: AuthorizationKind | Unresolved
    if kind_text is None:
        kind = AuthorizationKind.CUSTOM  # Terraform's default type is TOKEN
    elif isinstance(kind_text, Unresolved):
        kind = kind_text
    else:
        kind = _AUTHORIZER_KINDS.get(kind_text.upper()) or Unresolved(f"type = {kind_text}")
    return Authorizer(
        key=r.key,
        api=_required(links.target(r, "rest_api_id", REST_API, field="api"), "rest_api_id"),
        kind=kind,
        function=links.authorizer_function(r),
        origin=r.origin(),
    )


class _Paths:
    """Full paths of aws_api_gateway_resource trees (path_part under parent_id), computed once each."""

    def __init__(self, links: ApiLinks) -> None:
        self.links = links
        self.cache: dict[str, str | Unresolved] = {}

    def of(self, raw: object, depth: int = 0) -> str | Unresolved:
        ref = reference(raw)
        if ref is None:
            return Unresolved(f"resource id {raw}")
        if ref.type in REST_API and ref.attribute == "root_resource_id":
            return "/"
        block = self.links.blocks.get(ref.address)
        if ref.type not in _RESOURCE or block is None:
            return Unresolved(f"{ref.address}.{ref.attribute}")
        if ref.address in self.cache:
            return self.cache[ref.address]
        self.cache[ref.address] = Unresolved(f"path of {ref.address}")  # cycle guard
        if depth >= _MAX_PATH_DEPTH:
            return self.cache[ref.address]
        part = self.links.scope.resolve(block.body.get("path_part"))
        parent = self.of(block.body.get("parent_id"), depth + 1)
        path: str | Unresolved = Unresolved(f"path of {ref.address}")
        if isinstance(part, str) and isinstance(parent, str):
            path = parent.rstrip("/") + "/" + part
        self.cache[ref.address] = path
        return path


def _method(r: Reader, links: ApiLinks, *, integrations: list[Reader], paths: _Paths) -> ApiRoute | None:
    found = _integration_of(r.block, links, integrations)
    integration = None if found is None else Reader(block=found.block, scope=links.scope)
    if integration is None or "uri" not in integration.block.body:
        return None
    target = links.function(
        integration.block.body["uri"], integration_type=integration.block.body.get("type")
    )
    if target is None:
        return None
    timeout = integration.integer("timeout_milliseconds", field="integration_timeout_ms")
    if integration.block.file is r.block.file:
        r.fields.extend(integration.fields)
        r.note("function", integration.block.attribute_line("uri"))
    method = r.text("http_method", field="method")
    r.note("path", r.block.attribute_line("resource_id"))
    authorization = r.choice("authorization", AuthorizationKind, field="authorization")
    key_required = r.flag("api_key_required", field="api_key_required")
    return ApiRoute(
        key=r.key,
        api=_required(links.target(r, "rest_api_id", REST_API, field="api"), "rest_api_id"),
        method=method.upper() if isinstance(method, str) else _required(method, "http_method"),
        path=paths.of(r.block.body.get("resource_id")),
        function=target.function,
        qualifier=target.qualifier,
        authorization=Unresolved("authorization: required attribute missing")
        if authorization is None
        else authorization,
        authorizer=links.target(r, "authorizer_id", _AUTHORIZER, field="authorizer"),
        api_key_required=False if key_required is None else key_required,
        integration_timeout_ms=timeout,
        origin=r.origin(),
    )


def _integration_of(method: Block, links: ApiLinks, integrations: list[Reader]) -> Reader | None:
    """The integration of a method: the one naming it, else the one on the same API, resource and verb."""
    verb = links.scope.resolve(method.body.get("http_method"))
    for integration in integrations:
        body = integration.block.body
        ref = reference(body.get("http_method"))
        if ref is not None and ref.address == method.address:
            return integration
        other = links.scope.resolve(body.get("http_method"))
        same_place = all(body.get(k) == method.body.get(k) for k in ("rest_api_id", "resource_id"))
        if same_place and isinstance(other, str) and isinstance(verb, str) and other.upper() == verb.upper():
            return integration
    return None


def _stage(r: Reader, links: ApiLinks, *, settings: list[Reader], out: ApiParts) -> ApiStage:
    api = _required(links.target(r, "rest_api_id", REST_API, field="api"), "rest_api_id")
    name = _required(r.text("stage_name", field="name"), "stage_name")
    logs = r.nested("access_log_settings")
    if logs is not None:
        r.note("access_logging", r.block.attribute_line("destination_arn", logs))
    tracing = r.flag("xray_tracing_enabled", field="tracing")
    stage_wide: Throttling | Unresolved | None = None
    for setting in settings:
        if not _applies(setting, stage=r.block, name=name, links=links):
            continue
        path = setting.text("method_path", field="throttling")
        block = setting.nested("settings")
        if block is None or not isinstance(path, str):
            continue
        limits = throttling(
            setting, block, rate="throttling_rate_limit", burst="throttling_burst_limit", field=None
        )
        if limits is None:
            continue
        if path == "*/*":
            stage_wide = limits
        elif isinstance(api, str) and "/" in path:
            resource, _, method = path.rpartition("/")
            out.throttles.setdefault((api, method.upper(), "/" + resource.lstrip("/")), limits)
    return ApiStage(
        key=r.key,
        api=api,
        name=name,
        throttling=stage_wide,
        access_logging=logs is not None and "destination_arn" in logs,
        tracing=False if tracing is None else tracing,
        origin=r.origin(),
    )


def _applies(setting: Reader, *, stage: Block, name: str | Unresolved, links: ApiLinks) -> bool:
    """True when a method settings block names `stage` (by reference or by API and stage name)."""
    raw = setting.block.body.get("stage_name")
    ref = reference(raw)
    if ref is not None and ref.type in _STAGE:
        return ref.address == stage.address
    same_api = setting.block.body.get("rest_api_id") == stage.body.get("rest_api_id")
    return same_api and isinstance(name, str) and links.scope.resolve(raw) == name


def _deployment_stage(r: Reader, links: ApiLinks) -> ApiStage | None:
    """The stage a deployment creates when it names one (`stage_name`), with no settings of its own."""
    if "stage_name" not in r.block.body:
        return None
    name = r.text("stage_name", field="name")
    api = _required(links.target(r, "rest_api_id", REST_API, field="api"), "rest_api_id")
    label = name if isinstance(name, str) else "stage"
    return ApiStage(
        key=f"{r.key}/{label}",
        api=api,
        name=_required(name, "stage_name"),
        origin=dataclasses.replace(r.origin(), resource=f"{r.block.address}/{label}"),
    )


def _usage_plan(r: Reader, links: ApiLinks, *, out: ApiParts) -> None:
    block = r.nested("throttle_settings")
    if block is None:
        return
    limits = throttling(r, block, rate="rate_limit", burst="burst_limit", field="throttling")
    if limits is None:
        return
    apis = set()
    for stage in r.nested_all("api_stages"):
        ref = reference(stage.get("api_id"))
        key = links.key(ref.address) if ref is not None and ref.type in REST_API else None
        if key is not None:
            apis.add(key)
    out.routes[:] = [
        dataclasses.replace(route, throttling=limits)
        if route.api in apis and route.api_key_required is True and route.throttling is None
        else route
        for route in out.routes
    ]


def _required(value: str | Unresolved | None, attr: str) -> str | Unresolved:
    return Unresolved(f"{attr}: required attribute missing") if value is None else value
