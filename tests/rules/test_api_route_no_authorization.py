"""Model-level tests of LS207 api-route-no-authorization."""

from __future__ import annotations

from api_factories import make_api, make_route
from factories import make_function, make_inventory, run
from lambdasec.model import ApiKind, AuthorizationKind, Unresolved
from lambdasec.rules.exposure.api_route_no_authorization import api_route_no_authorization as rule


def test_open_route_is_reported_at_its_authorization_line() -> None:
    inv = make_inventory(
        functions=[make_function("orders-api")],
        apis=[make_api("OrdersApi", name="orders")],
        api_routes=[
            make_route("orders-api", line=10, fields={"authorization": 12}),
            make_route("orders-api", method="POST", authorization=AuthorizationKind.COGNITO, line=20),
            make_route("orders-api", method="PUT", api_key_required=True, line=30),
            make_route("orders-api", method="OPTIONS", line=40),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS207", 12)}
    (finding,) = outcome.findings
    assert finding.message == (
        "Route `GET /orders` of API `orders` invokes `orders-api` with no authorizer, IAM authorization "
        "or API key, so anyone on the internet can call it"
    )
    assert finding.function == "orders-api"
    assert finding.resource.type == "api_route"
    assert outcome.coverage.evaluated == 4


def test_unknown_authorization_is_not_evaluated() -> None:
    inv = make_inventory(
        apis=[make_api()],
        api_routes=[
            make_route(authorization=Unresolved("!Ref AuthType"), key="ParamMethod"),
            make_route(api_key_required=Unresolved("!Ref KeyRequired"), key="KeyMethod"),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("ParamMethod", "authorization unknown: !Ref AuthType"),
        ("KeyMethod", "authorization unknown: !Ref KeyRequired"),
    )


def test_websocket_connect_route_is_judged_and_the_others_are_not() -> None:
    inv = make_inventory(
        apis=[make_api("Chat", kind=ApiKind.WEBSOCKET)],
        api_routes=[
            make_route(api="Chat", method="$connect", path="$connect", key="Connect", line=5),
            make_route(api="Chat", method="sendmessage", path="sendmessage", key="Send", line=9),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS207", 5)}
    assert outcome.findings[0].message.startswith("Route `$connect` of API `Chat` invokes `orders-api`")


def test_route_to_a_function_outside_the_scan_names_the_reference() -> None:
    inv = make_inventory(
        apis=[make_api()], api_routes=[make_route("arn:aws:lambda:us-east-1:1:function:other")]
    )
    (finding,) = run(rule, inv).findings
    assert "invokes `arn:aws:lambda:us-east-1:1:function:other`" in finding.message
    assert finding.function is None
