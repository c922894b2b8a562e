"""Builders for API Gateway model objects (APIs, stages, routes), for model-level rule tests."""

from __future__ import annotations

from collections.abc import Mapping

from factories import make_origin
from lambdasec.model import (
    Api,
    ApiKind,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    AuthType,
    Cors,
    FunctionUrl,
    Throttling,
    Unresolved,
)


def make_api(key: str = "OrdersApi", *, kind: ApiKind = ApiKind.REST, name: str | None = None) -> Api:
    """An API whose name defaults to its key."""
    return Api(key=key, kind=kind, name=name or key, origin=make_origin(key))


def make_stage(
    api: str = "OrdersApi",
    *,
    name: str = "prod",
    key: str | None = None,
    throttling: Throttling | Unresolved | None = None,
    access_logging: bool | Unresolved = False,
    line: int = 1,
    fields: Mapping[str, int] | None = None,
) -> ApiStage:
    """A stage of `api`."""
    resource = key or f"{api}{name}Stage"
    return ApiStage(
        key=resource,
        api=api,
        name=name,
        throttling=throttling,
        access_logging=access_logging,
        origin=make_origin(resource, line, fields=fields),
    )


def make_route(
    function: str = "orders-api",
    *,
    api: str = "OrdersApi",
    method: str | Unresolved = "GET",
    path: str | Unresolved = "/orders",
    authorization: AuthorizationKind | Unresolved = AuthorizationKind.NONE,
    api_key_required: bool | Unresolved = False,
    throttling: Throttling | Unresolved | None = None,
    key: str | None = None,
    line: int = 1,
    fields: Mapping[str, int] | None = None,
) -> ApiRoute:
    """A route of `api` invoking `function`."""
    resource = key or f"{api}/{method} {path}"
    return ApiRoute(
        key=resource,
        api=api,
        method=method,
        path=path,
        function=function,
        authorization=authorization,
        api_key_required=api_key_required,
        throttling=throttling,
        origin=make_origin(resource, line, fields=fields),
    )


def make_cors_url(
    function: str = "orders-api",
    *,
    cors: Cors | Unresolved | None,
    auth_type: AuthType | Unresolved = AuthType.AWS_IAM,
    key: str | None = None,
    fields: Mapping[str, int] | None = None,
) -> FunctionUrl:
    """A function URL of `function` with the given CORS settings."""
    resource = key or f"{function}Url"
    return FunctionUrl(
        key=resource,
        function=function,
        auth_type=auth_type,
        cors=cors,
        origin=make_origin(resource, 1, fields=fields),
    )


def rate(rate_limit: float | None = 10.0, burst_limit: int | None = None) -> Throttling:
    """A throttling setting."""
    return Throttling(rate_limit=rate_limit, burst_limit=burst_limit)
