"""Model-level tests of the shared reachability helper (public URLs and routes, rates, admin roles)."""

from __future__ import annotations

from api_factories import make_api, make_route, make_stage, rate
from factories import make_function, make_inventory, make_policy, make_role, make_statement, make_url
from lambdasec.model import ApiKind, AuthorizationKind, AuthType, Throttling, Unresolved
from lambdasec.rules._reachability import (
    EntryKind,
    reachability,
    role_admin_grant,
    route_is_public,
    route_rate_limit,
    url_is_public,
)


def test_url_is_public_only_for_auth_none() -> None:
    assert url_is_public(make_url(auth_type=AuthType.NONE)) is True
    assert url_is_public(make_url(auth_type=AuthType.AWS_IAM)) is False
    assert url_is_public(make_url(auth_type=Unresolved("!Ref Auth"))) == Unresolved("!Ref Auth")


def test_route_is_public_needs_no_authorization_and_no_api_key() -> None:
    inv = make_inventory(apis=[make_api()])
    assert route_is_public(inv, make_route()) is True
    assert route_is_public(inv, make_route(api_key_required=True)) is False
    assert route_is_public(inv, make_route(authorization=AuthorizationKind.COGNITO)) is False
    assert route_is_public(inv, make_route(authorization=AuthorizationKind.AWS_IAM)) is False
    assert route_is_public(inv, make_route(authorization=AuthorizationKind.CUSTOM)) is False
    assert route_is_public(inv, make_route(authorization=AuthorizationKind.JWT)) is False


def test_preflight_routes_are_never_public() -> None:
    inv = make_inventory(apis=[make_api()])
    assert route_is_public(inv, make_route(method="OPTIONS")) is False
    assert route_is_public(inv, make_route(method="options")) is False


def test_unknown_authorization_or_api_key_is_unresolved() -> None:
    inv = make_inventory(apis=[make_api()])
    assert route_is_public(inv, make_route(authorization=Unresolved("!Ref Auth"))) == Unresolved("!Ref Auth")
    assert route_is_public(inv, make_route(api_key_required=Unresolved("!Ref Key"))) == Unresolved("!Ref Key")
    assert (
        route_is_public(
            inv, make_route(authorization=AuthorizationKind.AWS_IAM, api_key_required=Unresolved("k"))
        )
        is False
    )


def test_websocket_routes_are_judged_on_connect_only() -> None:
    inv = make_inventory(apis=[make_api("Chat", kind=ApiKind.WEBSOCKET)])
    assert route_is_public(inv, make_route(api="Chat", method="$connect", path="$connect")) is True
    assert route_is_public(inv, make_route(api="Chat", method="sendmessage", path="sendmessage")) is False


def test_route_rate_is_its_own_limit_times_its_stages() -> None:
    route = make_route(throttling=rate(5))
    inv = make_inventory(api_stages=[make_stage(name="prod"), make_stage(name="dev", throttling=rate(100))])
    assert route_rate_limit(inv, route) == 10.0


def test_route_rate_sums_stage_limits_and_is_unlimited_when_one_stage_is() -> None:
    throttled = make_inventory(
        api_stages=[make_stage(name="prod", throttling=rate(50)), make_stage(name="dev", throttling=rate(5))]
    )
    assert route_rate_limit(throttled, make_route()) == 55.0
    mixed = make_inventory(api_stages=[make_stage(name="prod", throttling=rate(50)), make_stage(name="dev")])
    assert route_rate_limit(mixed, make_route()) is None
    assert route_rate_limit(make_inventory(), make_route()) is None


def test_burst_only_or_unknown_rates_count_as_unlimited() -> None:
    burst = make_inventory(api_stages=[make_stage(throttling=Throttling(burst_limit=10))])
    assert route_rate_limit(burst, make_route()) is None
    unknown = make_inventory(
        api_stages=[make_stage(throttling=Throttling(rate_limit=Unresolved("!Ref Rate")))]
    )
    assert route_rate_limit(unknown, make_route()) is None


def test_reachability_lists_every_public_entry_and_unknowns() -> None:
    fn = make_function("orders-api")
    inv = make_inventory(
        functions=[fn],
        apis=[make_api()],
        api_stages=[make_stage(throttling=rate(20))],
        function_urls=[
            make_url("orders-api", auth_type=AuthType.NONE, key="PublicUrl"),
            make_url("orders-api", auth_type=Unresolved("!Ref Auth"), key="ParamUrl"),
        ],
        api_routes=[
            make_route("orders-api"),
            make_route("orders-api", method="POST", authorization=AuthorizationKind.COGNITO),
        ],
    )
    reach = reachability(inv, fn)
    assert [(e.kind, e.label, e.rate_limit) for e in reach.entries] == [
        (EntryKind.FUNCTION_URL, "PublicUrl", None),
        (EntryKind.API_ROUTE, "GET /orders", 20.0),
    ]
    assert reach.unknown == ("auth type of function URL `ParamUrl` unknown: !Ref Auth",)
    assert reach.is_public
    assert reach.rate_limit is None  # the URL is never throttled


def test_reachability_rate_is_the_sum_of_throttled_routes() -> None:
    fn = make_function("orders-api")
    inv = make_inventory(
        functions=[fn],
        apis=[make_api()],
        api_stages=[make_stage(throttling=rate(20))],
        api_routes=[make_route("orders-api"), make_route("orders-api", method="POST")],
    )
    assert reachability(inv, fn).rate_limit == 40.0


def test_role_admin_grant_reuses_the_admin_access_check() -> None:
    admin = make_role(
        "admin-role", key="AdminRole", policies=[make_policy(make_statement(actions=["*"], resources=["*"]))]
    )
    reader = make_role("reader-role", key="ReaderRole", policies=[make_policy(make_statement())])
    inv = make_inventory(
        functions=[
            make_function("a", role="AdminRole"),
            make_function("b", role="ReaderRole"),
            make_function("c", role=None),
        ],
        roles=[admin, reader],
    )
    grant = role_admin_grant(inv, inv.function("a"))
    assert grant is not None
    assert grant.what == "`*` on `*` in policy `inline`"
    assert role_admin_grant(inv, inv.function("b")) is None
    assert role_admin_grant(inv, inv.function("c")) is None
    assert role_admin_grant(inv, None) is None
