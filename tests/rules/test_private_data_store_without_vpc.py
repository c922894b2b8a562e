"""Model-level tests of LS422 private-data-store-without-vpc."""

from __future__ import annotations

import dataclasses

import pytest

from factories import make_function, make_inventory, make_origin, make_policy, make_role, make_statement, run
from lambdasec.model import (
    DataStore,
    DataStoreKind,
    Effect,
    EnvVar,
    LambdaFunction,
    Unresolved,
    ValueReference,
    VpcConfig,
)
from lambdasec.rules.operations.private_data_store_without_vpc import private_data_store_without_vpc as rule

DB = DataStore(key="db", kind=DataStoreKind.RDS_CLUSTER, name="orders", origin=make_origin("OrdersDb"))
CACHE = DataStore(key="cache", kind=DataStoreKind.ELASTICACHE, name="sessions", origin=make_origin("Cache"))


def with_env(name: str, *variables: EnvVar) -> LambdaFunction:
    return dataclasses.replace(make_function(name, line=7), environment=variables)


def ref(name: str, key: str, attribute: str | None) -> EnvVar:
    return EnvVar(
        name=name,
        value=Unresolved(f"!GetAtt {key}.{attribute}"),
        references=(ValueReference(key=key, attribute=attribute),),
    )


def test_endpoint_references_are_reported_once_per_function_at_its_line() -> None:
    fn = with_env(
        "api",
        ref("DB_HOST", "db", "Endpoint.Address"),
        ref("DB_PORT", "db", "Endpoint.Port"),
        ref("CACHE", "cache", "PrimaryEndPoint.Address"),
    )
    result = run(rule, make_inventory(functions=[fn], data_stores=[DB, CACHE]))
    assert result.lines == {("LS422", 7)}
    assert result.findings[0].message == (
        "`api` connects to a data store that lives in a VPC (RDS DB cluster `OrdersDb` in `DB_HOST`, "
        "`DB_PORT`; ElastiCache cluster `Cache` in `CACHE`) but has no VPC configuration, so the store has "
        "to accept connections from the internet"
    )


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("orders.c9akciq32.us-east-1.rds.amazonaws.com", "an RDS endpoint"),
        ("proxy.proxy-c9akciq32.eu-west-1.rds.amazonaws.com.cn", "an RDS endpoint"),
        ("sessions.abc123.ng.0001.use1.cache.amazonaws.com", "an ElastiCache endpoint"),
        ("search-orders-abc.us-east-1.es.amazonaws.com", "an OpenSearch endpoint"),
        ("orders-abc.aos.us-east-1.on.aws", "an OpenSearch endpoint"),
        ("clustercfg.orders.abc.memorydb.us-east-1.amazonaws.com", "a MemoryDB endpoint"),
        ("wg.111122223333.us-east-1.redshift-serverless.amazonaws.com", "a Redshift Serverless endpoint"),
        ("docdb-1.cluster-abc.us-east-1.docdb.amazonaws.com", "a DocumentDB endpoint"),
    ],
)
def test_literal_endpoints_are_recognised(host: str, kind: str) -> None:
    fn = with_env("api", EnvVar(name="HOST", value=f"postgres://{host}:5432/app"))
    (finding,) = run(rule, make_inventory(functions=[fn])).findings
    assert f"({kind} `{host}` in `HOST`)" in finding.message


def test_names_data_api_and_vpc_functions_are_not_reported() -> None:
    in_vpc = dataclasses.replace(
        with_env("in-vpc", ref("DB_HOST", "db", "Endpoint.Address")),
        vpc=VpcConfig(subnet_ids=("a", "b"), security_group_ids=("sg",)),
    )
    functions = [
        in_vpc,
        with_env(
            "name-only",
            EnvVar(name="DB", value=Unresolved("!Ref db"), references=(ValueReference(key="db"),)),
        ),
        with_env("data-api", EnvVar(name="URL", value="https://rds-data.us-east-1.amazonaws.com")),
    ]
    result = run(rule, make_inventory(functions=functions, data_stores=[DB], roles=[make_role()]))
    assert result.findings == []
    assert result.coverage.evaluated == 3


@pytest.mark.parametrize(
    ("actions", "effect", "reported"),
    [
        (("rds-db:connect",), Effect.ALLOW, ["rds-db:connect"]),
        (("rds-db:*",), Effect.ALLOW, ["rds-db:connect"]),
        (
            ("ElastiCache:Connect", "memorydb:Conn*"),
            Effect.ALLOW,
            ["elasticache:connect", "memorydb:connect"],
        ),
        (("*",), Effect.ALLOW, []),
        (("rds-data:*", "rds:*", "redshift:GetClusterCredentials", "es:ESHttpGet"), Effect.ALLOW, []),
        (("rds-db:connect",), Effect.DENY, []),
    ],
)
def test_role_actions_that_only_serve_to_connect(
    actions: tuple[str, ...], effect: Effect, reported: list[str]
) -> None:
    role = make_role(policies=[make_policy(make_statement(actions=actions, effect=effect))])
    result = run(rule, make_inventory(functions=[make_function("api")], roles=[role]))
    assert [f.message for f in result.findings] == (
        [
            "`api` connects to a data store that lives in a VPC ("
            + "; ".join(f"its role allows `{a}`" for a in reported)
            + ") but has no VPC configuration, so the store has to accept connections from the internet"
        ]
        if reported
        else []
    )


def test_unknown_environment_role_or_vpc_is_not_evaluated() -> None:
    functions = [
        dataclasses.replace(make_function("env"), environment=Unresolved("!If [Prod, ...]")),
        make_function("role", role=Unresolved("!Ref RoleArn")),
        dataclasses.replace(make_function("vpc"), vpc=Unresolved("!Ref Vpc")),
        make_function("outside-role", role="arn:aws:iam::1:role/other"),
    ]
    result = run(rule, make_inventory(functions=functions))
    assert result.findings == []
    assert result.coverage.unevaluated == (
        ("env", "environment unknown: !If [Prod, ...]"),
        ("role", "execution role unknown: !Ref RoleArn"),
        ("vpc", "VPC configuration unknown: !Ref Vpc"),
        (
            "outside-role",
            "execution role unknown: role `arn:aws:iam::1:role/other` is not defined in the scanned sources",
        ),
    )
