"""Model-level tests of LS208 api-stage-no-throttling."""

from __future__ import annotations

from api_factories import make_api, make_route, make_stage, rate
from factories import make_function, make_inventory, run
from lambdasec.model import Throttling, Unresolved
from lambdasec.rules.exposure.api_stage_no_throttling import api_stage_no_throttling as rule


def test_unthrottled_stage_in_front_of_functions_is_reported() -> None:
    inv = make_inventory(
        functions=[make_function("orders-api"), make_function("orders-admin")],
        apis=[make_api("OrdersApi", name="orders")],
        api_stages=[make_stage(line=7), make_stage(name="live", throttling=rate(50), line=9)],
        api_routes=[make_route("orders-api"), make_route("orders-admin", method="POST")],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS208", 7)}
    (finding,) = outcome.findings
    assert finding.message == (
        "Stage `prod` of API `orders` has no throttling limit in front of `orders-admin` and `orders-api`, "
        "so one client can drive them to the account's concurrency and cost limits"
    )
    assert finding.function is None
    assert dict(finding.properties) == {"functions": "orders-admin,orders-api"}


def test_routes_throttled_on_their_own_leave_only_the_others() -> None:
    inv = make_inventory(
        functions=[make_function("orders-api"), make_function("partner-api")],
        apis=[make_api()],
        api_stages=[make_stage()],
        api_routes=[make_route("orders-api"), make_route("partner-api", method="PUT", throttling=rate(5))],
    )
    (finding,) = run(rule, inv).findings
    assert "in front of `orders-api`, so one client can drive it" in finding.message
    assert finding.function == "orders-api"


def test_stage_is_fine_when_every_route_is_throttled() -> None:
    inv = make_inventory(
        apis=[make_api()],
        api_stages=[make_stage()],
        api_routes=[
            make_route(throttling=rate(5)),
            make_route(method="POST", throttling=Throttling(burst_limit=3)),
        ],
    )
    assert run(rule, inv).findings == []


def test_stage_without_function_routes_is_not_reported() -> None:
    inv = make_inventory(apis=[make_api()], api_stages=[make_stage()])
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.evaluated == 1


def test_unknown_throttling_is_not_evaluated() -> None:
    inv = make_inventory(
        apis=[make_api(), make_api("Other")],
        api_stages=[
            make_stage(throttling=Unresolved("!Ref MethodSettings"), key="ParamStage"),
            make_stage("Other", key="OtherStage"),
        ],
        api_routes=[
            make_route(),
            make_route(api="Other", throttling=Unresolved("!Ref Plan"), key="OtherRoute"),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("ParamStage", "stage throttling unknown: !Ref MethodSettings"),
        ("OtherStage", "throttling of route `OtherRoute` unknown"),
    )
