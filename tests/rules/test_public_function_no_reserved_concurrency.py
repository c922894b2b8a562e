"""Model-level tests of LS410 public-function-no-reserved-concurrency and its cost estimate."""

from __future__ import annotations

import dataclasses

import pytest

from api_factories import make_api, make_route, make_stage, rate
from factories import make_function, make_inventory, make_url, run
from lambdasec.data import DataFiles
from lambdasec.errors import ConfigError
from lambdasec.model import Architecture, AuthorizationKind, AuthType, LambdaFunction, Unresolved
from lambdasec.rules.engine import build_options
from lambdasec.rules.operations.public_function_no_reserved_concurrency import (
    PublicFunctionNoReservedConcurrencyOptions,
    estimate_cost,
)
from lambdasec.rules.operations.public_function_no_reserved_concurrency import (
    public_function_no_reserved_concurrency as rule,
)

PRICES = DataFiles().lambda_prices


def _fn(name: str = "orders-api", **changes: object) -> LambdaFunction:
    return dataclasses.replace(make_function(name), **changes)  # type: ignore[arg-type]


def test_cost_at_the_account_limit() -> None:
    cost = estimate_cost(
        memory_mb=1024,
        timeout_s=30,
        architecture="x86_64",
        rate_limit=None,
        account_concurrency=1000,
        prices=PRICES,
    )
    assert cost.concurrency == 1000
    assert cost.gb_seconds_per_hour == 3_600_000
    assert cost.requests_per_hour == 120_000
    assert cost.cost_per_hour == pytest.approx(3_600_000 * 0.0000166667 + 120_000 * 0.0000002)
    assert not cost.throttled


def test_cost_bounded_by_the_api_rate() -> None:
    cost = estimate_cost(
        memory_mb=512,
        timeout_s=10,
        architecture="arm64",
        rate_limit=10,
        account_concurrency=1000,
        prices=PRICES,
    )
    assert (cost.concurrency, cost.throttled) == (100, True)
    assert cost.cost_per_hour == pytest.approx(180_000 * 0.0000133334 + 36_000 * 0.0000002)


def test_a_rate_above_the_account_limit_does_not_raise_the_concurrency() -> None:
    cost = estimate_cost(
        memory_mb=128,
        timeout_s=29,
        architecture="x86_64",
        rate_limit=500,
        account_concurrency=1000,
        prices=PRICES,
    )
    assert (cost.concurrency, cost.throttled) == (1000, False)


def test_public_url_without_reserved_concurrency_is_reported_with_its_cost() -> None:
    fn = _fn(memory_mb=1024, timeout_s=30)
    inv = make_inventory(functions=[fn], function_urls=[make_url(auth_type=AuthType.NONE, key="OrdersUrl")])
    (finding,) = run(rule, inv).findings
    assert finding.message == (
        "`orders-api` is publicly reachable through function URL `OrdersUrl` and has no reserved "
        "concurrency: an attacker can run it at 1,000 concurrent executions (account concurrency limit) "
        "for a worst case of about $60.02 per hour (1024 MB, 30 s timeout, x86_64, "
        "us-east-1 prices of 2026-11-22)"
    )
    assert dict(finding.properties) == {
        "account_concurrency": "1000",
        "architecture": "x86_64",
        "concurrency": "1000",
        "cost_per_hour_usd": "60.02",
        "memory_mb": "1024",
        "prices": "us-east-1 on-demand, retrieved 2026-11-22",
        "reachable_via": "function URL `OrdersUrl`",
        "timeout_s": "30",
    }


def test_throttled_routes_bound_the_concurrency_and_arm64_is_priced_as_such() -> None:
    fn = _fn(memory_mb=512, timeout_s=10, architectures=(Architecture.ARM64,))
    inv = make_inventory(
        functions=[fn],
        apis=[make_api()],
        api_stages=[make_stage(throttling=rate(5))],
        api_routes=[make_route(), make_route(method="POST")],
    )
    (finding,) = run(rule, inv).findings
    props = dict(finding.properties)
    assert (props["concurrency"], props["architecture"], props["cost_per_hour_usd"]) == (
        "100",
        "arm64",
        "2.41",
    )
    assert "through API route `GET /orders` and API route `POST /orders`" in finding.message
    assert "(API rate limit x timeout)" in finding.message


def test_account_concurrency_option_and_unknown_architecture() -> None:
    fn = _fn(architectures=(Unresolved("!Ref Arch"),))
    inv = make_inventory(functions=[fn], function_urls=[make_url(auth_type=AuthType.NONE)])
    (finding,) = run(rule, inv, account_concurrency=200).findings
    props = dict(finding.properties)
    assert (props["concurrency"], props["architecture"], props["account_concurrency"]) == (
        "200",
        "x86_64",
        "200",
    )
    assert props["cost_per_hour_usd"] == f"{200 * 3600 * 0.125 * 0.0000166667 + 200 * 1200 * 0.0000002:.2f}"


def test_unknown_memory_still_reports_without_an_estimate() -> None:
    fn = _fn(memory_mb=Unresolved("!Ref Memory"))
    inv = make_inventory(functions=[fn], function_urls=[make_url(auth_type=AuthType.NONE, key="OrdersUrl")])
    (finding,) = run(rule, inv).findings
    assert finding.message == (
        "`orders-api` is publicly reachable through function URL `OrdersUrl` and has no reserved "
        "concurrency; its worst-case cost is unknown (memory or timeout unknown: !Ref Memory)"
    )
    assert "cost_per_hour_usd" not in dict(finding.properties)


def test_reserved_private_and_unknown_functions() -> None:
    inv = make_inventory(
        functions=[
            _fn("reserved", reserved_concurrency=10),
            _fn("private"),
            _fn("param", reserved_concurrency=Unresolved("!Ref Reserved")),
            _fn("unknown-url"),
            _fn("secured-route"),
        ],
        apis=[make_api()],
        function_urls=[
            make_url("reserved", auth_type=AuthType.NONE, key="ReservedUrl"),
            make_url("private", auth_type=AuthType.AWS_IAM, key="PrivateUrl"),
            make_url("param", auth_type=AuthType.NONE, key="ParamUrl"),
            make_url("unknown-url", auth_type=Unresolved("!Ref Auth"), key="UnknownUrl"),
        ],
        api_routes=[make_route("secured-route", authorization=AuthorizationKind.AWS_IAM)],
    )
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (
        ("param", "reserved concurrency unknown: !Ref Reserved"),
        ("unknown-url", "auth type of function URL `UnknownUrl` unknown: !Ref Auth"),
    )
    assert outcome.coverage.evaluated == 3


def test_account_concurrency_is_read_from_kebab_case_config() -> None:
    assert build_options(rule, {"account-concurrency": 3000}) == PublicFunctionNoReservedConcurrencyOptions(
        account_concurrency=3000
    )
    with pytest.raises(ConfigError, match="account-concurrency"):
        build_options(rule, {"account-concurrency": "lots"})
