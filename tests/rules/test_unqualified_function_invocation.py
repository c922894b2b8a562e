"""Model-level tests of LS602 unqualified-function-invocation."""

from __future__ import annotations

from factories import make_function, make_inventory, make_origin, make_permission, run
from lambdasec.model import (
    Alias,
    ApiRoute,
    ApiStage,
    AuthorizationKind,
    EventSourceMapping,
    TriggerKind,
    Unresolved,
)
from lambdasec.rules.supply_chain.unqualified_function_invocation import (
    unqualified_function_invocation as rule,
)


def mapping(key: str, function: str, qualifier: str | Unresolved | None) -> EventSourceMapping:
    return EventSourceMapping(
        key=key,
        function=function,
        qualifier=qualifier,
        kind=TriggerKind.SQS,
        event_source_arn="arn:aws:sqs:us-east-1:1:q",
        origin=make_origin(key, 40, fields={"function": 42}),
    )


def alias(function: str, name: str = "live") -> Alias:
    return Alias(
        key=f"{function}-{name}",
        function=function,
        name=name,
        function_version="1",
        origin=make_origin(f"{function}-{name}"),
    )


def route(key: str, function: str, *, api: str, qualifier: str | None = None) -> ApiRoute:
    return ApiRoute(
        key=key,
        api=api,
        method="GET",
        path="/orders",
        function=function,
        qualifier=qualifier,
        authorization=AuthorizationKind.AWS_IAM,
        origin=make_origin(key, 50, fields={"function": 51}),
    )


def stage(api: str, name: str | Unresolved) -> ApiStage:
    return ApiStage(key=f"{api}-stage", api=api, name=name, origin=make_origin(f"{api}-stage"))


def test_bindings_to_latest_next_to_an_alias_are_reported() -> None:
    inv = make_inventory(
        functions=[make_function("worker")],
        aliases=[alias("worker")],
        event_source_mappings=[
            mapping("Unqualified", "worker", None),
            mapping("Latest", "worker", "$LATEST"),
            mapping("Live", "worker", "live"),
        ],
        permissions=[make_permission("worker", principal="events.amazonaws.com", key="FromEvents", line=60)],
    )
    result = run(rule, inv)
    assert [(f.resource.id, f.location.line) for f in result.findings] == [
        ("Unqualified", 42),
        ("Latest", 42),
        ("FromEvents", 60),
    ]
    assert result.findings[0].message == (
        "Event source mapping `Unqualified` invokes `worker` unqualified (`$LATEST`) although it has alias "
        "`live`, so every code upload reaches it at once, bypassing the alias's releases"
    )
    assert result.findings[2].message.startswith(
        "Permission `FromEvents` lets `events.amazonaws.com` invoke `worker` unqualified"
    )


def test_routes_in_production_named_stages_without_an_alias() -> None:
    inv = make_inventory(
        functions=[make_function("api")],
        api_stages=[
            stage("prod-api", "Prod"),
            stage("dev-api", "dev"),
            stage("param-api", Unresolved("!Ref S")),
        ],
        api_routes=[
            route("ProdRoute", "api", api="prod-api"),
            route("ReleasedRoute", "api", api="prod-api", qualifier="live"),
            route("DevRoute", "api", api="dev-api"),
            route("ParamRoute", "api", api="param-api"),
        ],
        event_source_mappings=[mapping("NoAliasMapping", "api", None)],
    )
    result = run(rule, inv)
    assert [f.message for f in result.findings] == [
        "API route `GET /orders` in stage `Prod` invokes `api` unqualified (`$LATEST`), so every code "
        "upload reaches production traffic at once"
    ]
    assert result.coverage.unevaluated == (("api", "stage name of the API of `ParamRoute` unknown: !Ref S"),)
    custom = run(rule, inv, **{"production-stages": ["dev"]})
    assert [f.resource.id for f in custom.findings] == ["DevRoute"]


def test_unknown_qualifiers_are_not_evaluated() -> None:
    inv = make_inventory(
        functions=[make_function("worker")],
        aliases=[alias("worker")],
        event_source_mappings=[mapping("FromParam", "worker", Unresolved("!Ref AliasName"))],
    )
    result = run(rule, inv)
    assert result.findings == []
    assert result.coverage.unevaluated == (("worker", "qualifier of `FromParam` unknown: !Ref AliasName"),)
