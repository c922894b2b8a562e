"""API Gateway blocks of one module (REST, HTTP and WebSocket) with route throttling applied."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from lambdasec.model import ApiRoute, PolicyDocument
from lambdasec.sources.terraform.api_links import ApiLinks, ApiParts, Readers, RouteThrottles
from lambdasec.sources.terraform.apigateway import apply_usage_plans, map_rest_apis
from lambdasec.sources.terraform.apigateway_v2 import map_v2_apis
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.hcl import Block

__all__ = ["map_apis"]


def map_apis(
    readers: Readers,
    *,
    scope: Scope,
    blocks: Iterable[Block],
    documents: Mapping[str, PolicyDocument] | None = None,
) -> ApiParts:
    """APIs, stages, routes to functions and authorizers; stage and usage plan limits throttle routes.

    `documents` are the module's `aws_iam_policy_document` data documents, which resource policies name.
    """
    links = ApiLinks(scope=scope, blocks={b.address: b for b in blocks})
    out = ApiParts()
    map_rest_apis(readers, links, out=out, documents=documents)
    map_v2_apis(readers, links, out=out)
    out.routes = [_with_throttling(route, out.throttles) for route in out.routes]
    apply_usage_plans(readers, links, out=out)
    return out


def _with_throttling(route: ApiRoute, throttles: RouteThrottles) -> ApiRoute:
    if route.throttling is not None or not all(
        isinstance(v, str) for v in (route.api, route.method, route.path)
    ):
        return route
    found = throttles.get((str(route.api), str(route.method), str(route.path)))
    return route if found is None else dataclasses.replace(route, throttling=found)
