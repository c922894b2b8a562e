"""Whether and how a function is publicly reachable (unauthenticated URL or API route), shared by rules."""

from __future__ import annotations

import weakref
from enum import StrEnum

from lambdasec.iam.api_access import ApiAccess, anonymous_access
from lambdasec.model import (
    ApiKind,
    ApiRoute,
    AuthorizationKind,
    AuthType,
    EndpointType,
    FunctionUrl,
    Inventory,
    LambdaFunction,
    Role,
    Throttling,
    Unresolved,
)
from lambdasec.records import record
from lambdasec.rules.identity.execution_role_admin_access import AdminGrant, admin_grant

__all__ = [
    "EntryKind",
    "Exposure",
    "PublicEntry",
    "Reachability",
    "api_kind",
    "api_label",
    "api_unreachable",
    "function_label",
    "is_throttled",
    "join_and",
    "reachability",
    "role_admin_grant",
    "route_exposure",
    "route_is_public",
    "route_label",
    "route_policy_access",
    "route_rate_limit",
    "url_is_public",
]

# The only WebSocket route where API Gateway checks authorization; the others inherit the connection.
CONNECT_ROUTE = "$connect"


class EntryKind(StrEnum):
    """How the public reaches a function."""

    FUNCTION_URL = "function URL"
    API_ROUTE = "API route"


class Exposure(StrEnum):
    """Who can call an API route without credentials."""

    NONE = "no one"
    INTERNET = "anyone on the internet"
    # A private API whose resource policy lets in any VPC endpoint: anyone with an AWS account
    # creates one in a VPC of their own.
    VPC_ENDPOINTS = "anyone through an interface VPC endpoint in any AWS account"


@record
class PublicEntry:
    """One unauthenticated way in: a function URL with auth NONE or an API route without authorization.

    `rate_limit` is the steady-state requests per second API Gateway lets through to the function
    on this entry (summed over the stages it is deployed to); None when nothing throttles it.
    `through_vpc_endpoint` is True for a route of a private API, reached through VPC endpoints.
    """

    kind: EntryKind
    subject: FunctionUrl | ApiRoute
    label: str
    rate_limit: float | None
    through_vpc_endpoint: bool = False

    def describe(self) -> str:
        """`function URL `X`` or `API route `GET /health`` (of a private API: through VPC endpoints)."""
        where = f"{self.kind} `{self.label}`"
        if self.through_vpc_endpoint:
            where += " of a private API (from a VPC endpoint in any AWS account)"
        return where


@record
class Reachability:
    """The public entries of one function, and why others could not be judged."""

    entries: tuple[PublicEntry, ...]
    unknown: tuple[str, ...]

    @property
    def is_public(self) -> bool:
        """True when at least one entry is known to be unauthenticated."""
        return bool(self.entries)

    @property
    def rate_limit(self) -> float | None:
        """Requests per second that reach the function in total; None when any entry is unthrottled."""
        total = 0.0
        for entry in self.entries:
            if entry.rate_limit is None:
                return None
            total += entry.rate_limit
        return total


def url_is_public(url: FunctionUrl) -> bool | Unresolved:
    """True when the URL accepts unauthenticated requests (`AuthType: NONE`)."""
    match url.auth_type:
        case Unresolved() as unknown:
            return unknown
        case AuthType.NONE:
            return True
        case AuthType.AWS_IAM:
            return False


def route_is_public(inv: Inventory, route: ApiRoute) -> bool | Unresolved:
    """True when a route invokes its function for anyone (see `route_exposure`)."""
    exposure = route_exposure(inv, route)
    return exposure if isinstance(exposure, Unresolved) else exposure is not Exposure.NONE


def route_exposure(inv: Inventory, route: ApiRoute) -> Exposure | Unresolved:
    """Who a route invokes its function for: no authorizer, no IAM auth, no API key, and no resource
    policy of its REST API that keeps anonymous callers out.

    A route of a public (edge or regional) API is judged for callers from the internet. A route of a
    private API is reached only through interface VPC endpoints, and only by callers its resource
    policy allows: without a policy by no one; with one that lets in any VPC endpoint, by anyone
    with an AWS account. When the endpoint type is unknown and the two readings differ, the answer
    is Unresolved.

    CORS preflight (`OPTIONS`) routes are never public in this sense: browsers send them without
    credentials by design. WebSocket routes other than `$connect` are judged on `$connect`, where
    API Gateway checks authorization for the whole connection, so they are never reported themselves.
    """
    if isinstance(route.method, str) and route.method.upper() == "OPTIONS":
        return Exposure.NONE
    if api_kind(inv, route) is ApiKind.WEBSOCKET and route.method != CONNECT_ROUTE:
        return Exposure.NONE
    match route.authorization:
        case Unresolved() as unknown:
            return unknown
        case AuthorizationKind.NONE:
            pass
        case _:
            return Exposure.NONE
    match route.api_key_required:
        case Unresolved() as unknown:
            return unknown
        case True:
            return Exposure.NONE
        case False:
            pass
    match _is_private(inv, route):
        case False:
            return _policy_exposure(route_policy_access(inv, route), Exposure.INTERNET)
        case True:
            return _private_exposure(inv, route)
        case Unresolved(reason=reason):
            public = _policy_exposure(route_policy_access(inv, route), Exposure.INTERNET)
            private = _private_exposure(inv, route)
            if public == private:
                return public
            return Unresolved(f"endpoint type of API `{api_label(inv, route.api)}` unknown: {reason}")


def _is_private(inv: Inventory, route: ApiRoute) -> bool | Unresolved:
    """True when the route's API is a private REST API."""
    api = inv.api(route.api)
    if api is None or api.kind is not ApiKind.REST:
        return False
    match api.endpoint_type:
        case Unresolved() as unknown:
            return unknown
        case EndpointType.PRIVATE:
            return True
        case _:
            return False


def _private_exposure(inv: Inventory, route: ApiRoute) -> Exposure | Unresolved:
    access = route_policy_access(inv, route, through_vpc_endpoint=True)
    return Exposure.NONE if access is None else _policy_exposure(access, Exposure.VPC_ENDPOINTS)


def _policy_exposure(access: ApiAccess | Unresolved | None, open_to: Exposure) -> Exposure | Unresolved:
    match access:
        case None:
            return open_to
        case Unresolved() as unknown:
            return unknown
        case ApiAccess(public=public):
            return open_to if public else Exposure.NONE


def api_unreachable(inv: Inventory, ref: str | Unresolved) -> bool | Unresolved:
    """True for a private REST API without a resource policy: no one can call it."""
    api = inv.api(ref)
    if api is None or api.kind is not ApiKind.REST or api.resource_policy is not None:
        return False
    match api.endpoint_type:
        case Unresolved(reason=reason):
            return Unresolved(f"endpoint type of API `{api_label(inv, ref)}` unknown: {reason}")
        case EndpointType.PRIVATE:
            return True
        case _:
            return False


def route_policy_access(
    inv: Inventory, route: ApiRoute, *, through_vpc_endpoint: bool = False
) -> ApiAccess | Unresolved | None:
    """What the resource policy of the route's REST API lets anonymous callers do on the route
    (callers from the internet, or with `through_vpc_endpoint` callers through any VPC endpoint).

    None when the API has no resource policy (or is not in the inventory, or not a REST API).
    """
    api = inv.api(route.api)
    if api is None or api.kind is not ApiKind.REST or api.resource_policy is None:
        return None
    where = f"resource policy of API `{api_label(inv, route.api)}`"
    if isinstance(api.resource_policy, Unresolved):
        return Unresolved(f"{where} unknown: {api.resource_policy.reason}")
    if not isinstance(route.method, str) or not isinstance(route.path, str):
        return Unresolved(f"{where} not judged: the route's method or path is unknown")
    stages = tuple(stage.name for stage in inv.stages_of(route.api))
    access = anonymous_access(
        api.resource_policy,
        stages=stages,
        method=route.method,
        path=route.path,
        through_vpc_endpoint=through_vpc_endpoint,
    )
    return Unresolved(f"{where}: {access.reason}") if isinstance(access, Unresolved) else access


def api_kind(inv: Inventory, route: ApiRoute) -> ApiKind | None:
    """The kind of the route's API, when the API is in the inventory."""
    api = inv.api(route.api)
    return api.kind if api is not None else None


def api_label(inv: Inventory, ref: str | Unresolved) -> str:
    """A name for an API reference: its declared name, else its resource id."""
    api = inv.api(ref)
    if api is not None:
        return api.name if isinstance(api.name, str) else api.origin.resource
    return ref if isinstance(ref, str) else ref.reason


def join_and(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def function_label(inv: Inventory, ref: str | Unresolved) -> str:
    """A name for a function reference: the function's name when in scope, else the reference."""
    fn = inv.function(ref)
    if fn is not None:
        return fn.display_name
    return ref if isinstance(ref, str) else ref.reason


def route_label(route: ApiRoute) -> str:
    """`GET /orders`, or the route's resource id when method or path are unknown."""
    if isinstance(route.method, str) and isinstance(route.path, str):
        if route.method == route.path:
            return route.method
        return f"{route.method} {route.path}"
    return route.origin.resource


def is_throttled(throttling: Throttling | Unresolved | None) -> bool | Unresolved:
    """True when a throttling setting declares a rate or a burst limit."""
    match throttling:
        case None:
            return False
        case Unresolved() as unknown:
            return unknown
        case Throttling(rate_limit=None, burst_limit=None):
            return False
        case Throttling():
            return True


def route_rate_limit(inv: Inventory, route: ApiRoute) -> float | None:
    """Requests per second API Gateway lets through a route, summed over its stages; None if unlimited.

    A per-route (method or usage plan) rate wins over the stage's; a limit that is not a known
    number (burst only, or unresolved) counts as no limit, since the estimate is a worst case.
    """
    own = _rate(route.throttling)
    stages = inv.stages_of(route.api)
    if own is not None:
        return own * max(len(stages), 1)
    if not stages:
        return None
    total = 0.0
    for stage in stages:
        rate = _rate(stage.throttling)
        if rate is None:
            return None
        total += rate
    return total


def _rate(throttling: Throttling | Unresolved | None) -> float | None:
    if isinstance(throttling, Throttling) and isinstance(throttling.rate_limit, int | float):
        return float(throttling.rate_limit)
    return None


_REACHED: dict[int, tuple[weakref.ref[Inventory], dict[int, tuple[LambdaFunction, Reachability]]]] = {}


def reachability(inv: Inventory, fn: LambdaFunction) -> Reachability:
    """Every unauthenticated entry to `fn` (function URLs with auth NONE, public API routes).

    Worked out once per function of an inventory: LS108 and LS410 both ask for every function.
    """
    entry = _REACHED.get(id(inv))
    if entry is None or entry[0]() is not inv:
        entry = _REACHED[id(inv)] = (weakref.ref(inv), {})
        weakref.finalize(inv, _REACHED.pop, id(inv), None)
    found = entry[1].get(id(fn))
    if found is None or found[0] is not fn:
        found = entry[1][id(fn)] = (fn, _reachability(inv, fn))
    return found[1]


def _reachability(inv: Inventory, fn: LambdaFunction) -> Reachability:
    entries: list[PublicEntry] = []
    unknown: list[str] = []
    for url in inv.url_of(fn):
        match url_is_public(url):
            case True:
                label = url.origin.resource
                entries.append(
                    PublicEntry(kind=EntryKind.FUNCTION_URL, subject=url, label=label, rate_limit=None)
                )
            case Unresolved(reason=reason):
                unknown.append(f"auth type of function URL `{url.origin.resource}` unknown: {reason}")
    for route in inv.routes_to(fn):
        match route_exposure(inv, route):
            case Exposure.INTERNET | Exposure.VPC_ENDPOINTS as exposure:
                entries.append(
                    PublicEntry(
                        kind=EntryKind.API_ROUTE,
                        subject=route,
                        label=route_label(route),
                        rate_limit=route_rate_limit(inv, route),
                        through_vpc_endpoint=exposure is Exposure.VPC_ENDPOINTS,
                    )
                )
            case Unresolved(reason=reason):
                unknown.append(f"authorization of API route `{route_label(route)}` unknown: {reason}")
    return Reachability(entries=tuple(entries), unknown=tuple(unknown))


def role_admin_grant(inv: Inventory, fn: LambdaFunction | None) -> AdminGrant | None:
    """Where the execution role of `fn` gets administrator access (LS101's check), if it does."""
    if fn is None:
        return None
    role = inv.role_of(fn)
    if not isinstance(role, Role):
        return None
    grant = admin_grant(inv, role)
    return grant if isinstance(grant, AdminGrant) else None
