"""Model-level tests of LS411 timeout-above-trigger-limit."""

from __future__ import annotations

import dataclasses

import pytest

from api_factories import make_api, make_route
from factories import make_function, make_inventory, make_url, run
from lambdasec.errors import ConfigError
from lambdasec.model import ApiKind, LambdaFunction, Unresolved
from lambdasec.rules.engine import build_options
from lambdasec.rules.operations.timeout_above_trigger_limit import (
    TimeoutAboveTriggerLimitOptions,
)
from lambdasec.rules.operations.timeout_above_trigger_limit import timeout_above_trigger_limit as rule


def _fn(name: str, timeout: int | Unresolved, line: int = 1) -> LambdaFunction:
    return dataclasses.replace(
        make_function(name, line=line, fields={"timeout_s": line + 1}), timeout_s=timeout
    )


def test_api_functions_above_their_integration_timeout() -> None:
    inv = make_inventory(
        functions=[
            _fn("rest-slow", 30, 10),
            _fn("rest-ok", 29, 20),
            _fn("http-slow", 31, 30),
            _fn("http-ok", 30, 40),
        ],
        apis=[make_api("Rest", name="orders"), make_api("Http", kind=ApiKind.HTTP, name="exports")],
        api_routes=[
            make_route("rest-slow", api="Rest"),
            make_route("rest-ok", api="Rest"),
            make_route("http-slow", api="Http"),
            make_route("http-ok", api="Http"),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS411", 11), ("LS411", 31)}
    messages = sorted(f.message for f in outcome.findings)
    assert messages == [
        "`http-slow` has a 31 s timeout but API Gateway (HTTP API `exports`) stops waiting after 30 s, so "
        "callers get an error while it keeps running and billing for up to 1 s more",
        "`rest-slow` has a 30 s timeout but API Gateway (REST API `orders`) stops waiting after 29 s, so "
        "callers get an error while it keeps running and billing for up to 1 s more",
    ]


def test_the_tightest_api_limit_applies_and_unknown_apis_count_as_30_seconds() -> None:
    inv = make_inventory(
        functions=[_fn("both", 30), _fn("elsewhere", 30), _fn("elsewhere-slow", 31)],
        apis=[make_api("Rest"), make_api("Http", kind=ApiKind.HTTP)],
        api_routes=[
            make_route("both", api="Http"),
            make_route("both", api="Rest", method="POST"),
            make_route("elsewhere", api="NotScanned"),
            make_route("elsewhere-slow", api="NotScanned"),
        ],
    )
    outcome = run(rule, inv)
    assert sorted((f.function, dict(f.properties)["trigger_limit_s"]) for f in outcome.findings) == [
        ("both", "29"),
        ("elsewhere-slow", "30"),
    ]
    assert "stops waiting after 30 s" in next(
        f.message for f in outcome.findings if f.function == "elsewhere-slow"
    )
    assert "but API Gateway stops" in next(
        f.message for f in outcome.findings if f.function == "elsewhere-slow"
    )


def test_function_urls_and_other_triggers_are_not_limits() -> None:
    inv = make_inventory(functions=[_fn("url", 900)], function_urls=[make_url("url")])
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.evaluated == 1


def test_max_timeout_option() -> None:
    inv = make_inventory(
        functions=[_fn("nightly", 900, 5), _fn("short", 60), _fn("api", 120, 50)],
        apis=[make_api()],
        api_routes=[make_route("api", api="OrdersApi")],
    )
    outcome = run(rule, inv, max_timeout=300)
    assert outcome.lines == {("LS411", 6), ("LS411", 51)}
    nightly = next(f for f in outcome.findings if f.function == "nightly")
    assert nightly.message == (
        "`nightly` has a 900 s timeout, above the configured maximum of 300 s, so a stuck or abused "
        "invocation runs and bills that long"
    )
    assert dict(nightly.properties) == {"max_timeout_s": "300", "timeout_s": "900"}
    api = next(f for f in outcome.findings if f.function == "api")
    assert dict(api.properties) == {"timeout_s": "120", "trigger_limit_s": "29"}


def test_unknown_timeout_is_not_evaluated_only_where_it_matters() -> None:
    inv = make_inventory(
        functions=[_fn("api", Unresolved("!Ref Timeout")), _fn("worker", Unresolved("!Ref Timeout"))],
        apis=[make_api()],
        api_routes=[make_route("api")],
    )
    outcome = run(rule, inv)
    assert outcome.findings == []
    assert outcome.coverage.unevaluated == (("api", "timeout unknown: !Ref Timeout"),)
    with_max = run(rule, inv, max_timeout=60)
    assert with_max.coverage.unevaluated == (
        ("api", "timeout unknown: !Ref Timeout"),
        ("worker", "timeout unknown: !Ref Timeout"),
    )


def test_options_are_read_from_kebab_case_config() -> None:
    assert build_options(rule, {"max-timeout": 120}) == TimeoutAboveTriggerLimitOptions(max_timeout=120)
    assert build_options(rule, {}) == TimeoutAboveTriggerLimitOptions(max_timeout=None)
    with pytest.raises(ConfigError, match="max-timeout"):
        build_options(rule, {"max-timeout": "2m"})


def test_integration_timeout_replaces_the_default_limit() -> None:
    inv = make_inventory(
        functions=[_fn("short", 20, 10), _fn("raised", 90, 20), _fn("raised-slow", 150, 30)],
        apis=[make_api("Rest", name="orders")],
        api_routes=[
            dataclasses.replace(make_route("short", api="Rest"), integration_timeout_ms=10_500),
            dataclasses.replace(make_route("raised", api="Rest"), integration_timeout_ms=120_000),
            dataclasses.replace(make_route("raised-slow", api="Rest"), integration_timeout_ms=120_000),
        ],
    )
    outcome = run(rule, inv)
    assert outcome.lines == {("LS411", 11), ("LS411", 31)}
    short = next(f for f in outcome.findings if f.function == "short")
    assert short.message == (
        "`short` has a 20 s timeout but API Gateway (REST API `orders`) with its 10500 ms integration "
        "timeout stops waiting after 10.5 s, so callers get an error while it keeps running and billing "
        "for up to 9.5 s more"
    )
    assert dict(short.properties) == {"timeout_s": "20", "trigger_limit_s": "10.5"}


def test_unknown_integration_timeout_keeps_the_default_limit() -> None:
    route = dataclasses.replace(make_route("api"), integration_timeout_ms=Unresolved("!Ref Millis"))
    inv = make_inventory(functions=[_fn("api", 60)], apis=[make_api()], api_routes=[route])
    (finding,) = run(rule, inv).findings
    assert dict(finding.properties)["trigger_limit_s"] == "29"
