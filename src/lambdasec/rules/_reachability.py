"""Whether and how a function is publicly reachable (unauthenticated URL or API route), shared by rules."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from enum import StrEnum

from lambdasec.iam.api_access import ApiAccess, anonymous_access
from lambdasec.model import (
    ApiKind,
    ApiRoute,
    AuthorizationKind,
    AuthType,
    FunctionUrl,
    Inventory,
    LambdaFunction,
    Role,
    Throttling,
    Unresolved,
)
from lambdasec.rules.identity.execution_role_admin_access import AdminGrant, admin_grant

__all__ = [
    "EntryKind",
    "PublicEntry",
    "Reachability",
    "api_kind",
    "api_label",
    "function_label",
    "is_throttled",
    "join_and",
    "reachability",
    "role_admin_grant",
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


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicEntry:
    """One unauthenticated way in: a function URL with auth NONE or an API route without authorization.

    `rate_limit` is the steady-state requests per second API Gateway lets through to the function
    on this entry (summed over the stages it is deployed to); None when nothing throttles it.
    """

    kind: EntryKind
    subject: FunctionUrl | ApiRoute
    label: str
    rate_limit: float | None

    def describe(self) -> str:
        """`function URL `X`` or `API route `GET /health``."""
        return f"{self.kind} `{self.label}`"


@dataclass(frozen=True, slots=True, kw_only=True)
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
    """True when a route invokes its function for anyone: no authorizer, no IAM auth, no API key,
    and no resource policy of its REST API that keeps anonymous callers from the internet out.

    CORS preflight (`OPTIONS`) routes are never public in this sense: browsers send them without
    credentials by design. WebSocket routes other than `$connect` are judged on `$connect`, where
    API Gateway checks authorization for the whole connection, so they are never reported themselves.
    """
    if isinstance(route.method, str) and route.method.upper() == "OPTIONS":
        return False
    if api_kind(inv, route) is ApiKind.WEBSOCKET and route.method != CONNECT_ROUTE:
        return False
    match route.authorization:
        case Unresolved() as unknown:
            return unknown
        case AuthorizationKind.NONE:
            pass
        case _:
            return False
    match route.api_key_required:
        case Unresolved() as unknown:
            return unknown
        case True:
            return False
        case False:
            pass
    match route_policy_access(inv, route):
        case None:
            return True
        case Unresolved() as unknown:
            return unknown
        case ApiAccess(public=public):
            return public


def route_policy_access(inv: Inventory, route: ApiRoute) -> ApiAccess | Unresolved | None:
    """What the resource policy of the route's REST API lets anonymous callers do on the route.

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
    access = anonymous_access(api.resource_policy, stages=stages, method=route.method, path=route.path)
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
        match route_is_public(inv, route):
            case True:
                entries.append(
                    PublicEntry(
                        kind=EntryKind.API_ROUTE,
                        subject=route,
                        label=route_label(route),
                        rate_limit=route_rate_limit(inv, route),
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
