"""LS422 private-data-store-without-vpc: functions outside any VPC that connect to VPC data stores."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Final, TypeGuard

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import (
    DataStore,
    Effect,
    Inventory,
    LambdaFunction,
    Role,
    SourceKind,
    Unresolved,
)
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label

# Endpoint host names of VPC data stores, by the service part of the name.
_ENDPOINT: Final = re.compile(
    r"[a-z0-9.-]*?\.(?:(?P<plain>rds|cache|es|redshift|redshift-serverless|docdb|docdb-elastic)\.amazonaws\.com"
    r"|memorydb\.[a-z0-9-]+\.amazonaws\.com|aos\.[a-z0-9-]+\.on\.aws)(?:\.cn)?",
    re.IGNORECASE,
)
_ENDPOINT_KINDS: Final[Mapping[str, str]] = {
    "rds": "an RDS endpoint",
    "cache": "an ElastiCache endpoint",
    "es": "an OpenSearch endpoint",
    "redshift": "a Redshift endpoint",
    "redshift-serverless": "a Redshift Serverless endpoint",
    "docdb": "a DocumentDB endpoint",
    "docdb-elastic": "a DocumentDB endpoint",
}
# Attributes that name where to connect (`Endpoint.Address`, `RedisEndpoint.Port`, `DomainEndpoint`).
_ENDPOINT_ATTRIBUTE: Final = re.compile(r"endpoint|address|port", re.IGNORECASE)
# IAM actions that only serve to open a network connection to a VPC data store.
_CONNECT_ACTIONS: Final = ("rds-db:connect", "elasticache:connect", "memorydb:connect")


@inventory_rule(
    id="LS422",
    name="private-data-store-without-vpc",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-668",),
    scope=Scope.FUNCTIONS,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.TERRAFORM_PLAN,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
        }
    ),
    standards=Standards(
        owasp_serverless=("SAS-6",), security_hub=("Lambda.3",), practice="network segmentation"
    ),
)
def private_data_store_without_vpc(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions without VPC configuration that connect to a data store that lives in a VPC: an RDS
    or Aurora database, ElastiCache, MemoryDB, an OpenSearch domain, Redshift or DocumentDB. The
    connection is recognised from environment variables that hold such a store's endpoint
    (`!GetAtt OrdersDb.Endpoint.Address`, or a literal `*.rds.amazonaws.com` host name) and from
    execution-role actions that only serve to connect (`rds-db:connect`, `elasticache:Connect`,
    `memorydb:Connect`). Functions that are simply not in a VPC are never reported.

    ## Why is this bad?
    These data stores accept connections only inside their VPC unless they are made public. A
    function outside the VPC can only reach one over its public endpoint, so for the function to
    work the database or cache has to be publicly accessible and its security group open to the
    internet (Lambda has no fixed source addresses), and every query and credential crosses the
    internet. Attaching the function to the store's VPC keeps the store private and lets its
    security group admit only the function's security group.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Environment:
          Variables:
            DB_HOST: !GetAtt OrdersDb.Endpoint.Address
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Environment:
          Variables:
            DB_HOST: !GetAtt OrdersDb.Endpoint.Address
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
          SecurityGroupIds: [!Ref OrdersApiSecurityGroup]
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            CACHE_HOST: !GetAtt SessionCache.RedisEndpoint.Address
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            CACHE_HOST: !GetAtt SessionCache.RedisEndpoint.Address
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
          SecurityGroupIds: [!Ref OrdersApiSecurityGroup]
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      environment {
        variables = {
          DB_HOST = aws_db_instance.orders.address
        }
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      environment {
        variables = {
          DB_HOST = aws_db_instance.orders.address
        }
      }
      vpc_config {
        subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
        security_group_ids = [aws_security_group.orders_api.id]
      }
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        environment:
          DB_HOST: !GetAtt OrdersDb.Endpoint.Address
    ```

    Use instead:

    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        environment:
          DB_HOST: !GetAtt OrdersDb.Endpoint.Address
        vpc:
          subnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
          securityGroupIds: [!Ref FunctionSecurityGroup]
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      environment: { CACHE_HOST: sessionCache.attrRedisEndpointAddress },
    });
    ```

    Use instead:

    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      environment: { CACHE_HOST: sessionCache.attrRedisEndpointAddress },
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [ordersApiSecurityGroup],
    });
    ```

    ## Known problems
    Connections configured elsewhere (a secret holding the host name, code that looks the endpoint
    up) are not seen. Redshift and OpenSearch permissions (`redshift:GetClusterCredentials`,
    `es:ESHttp*`) are not used as evidence because the Redshift Data API and public OpenSearch
    domains work without a VPC; the RDS Data API (`rds-data:*`) is likewise never reported. AWS
    managed policies whose text is not known are not searched. A function whose environment or
    execution role cannot be determined is reported as not evaluated.

    ## References
    - AWS Lambda Developer Guide: Giving Lambda functions access to resources in an Amazon VPC,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    - Amazon RDS User Guide: Scenarios for accessing a DB instance in a VPC,
      https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.Scenarios.html
    - CWE-668: Exposure of Resource to Wrong Sphere, https://cwe.mitre.org/data/definitions/668.html
    """
    stores = {store.key: store for store in inv.data_stores}
    by_role: dict[str, list[str]] = {}  # connect actions per role key: many functions share a role
    for fn in inv.functions:
        if fn.vpc is not None:
            if isinstance(fn.vpc, Unresolved):
                ctx.unevaluated(fn, reason=f"VPC configuration unknown: {fn.vpc.reason}")
            continue
        evidence = [*_environment_evidence(fn, stores), *_role_evidence(inv, fn, by_role)]
        if evidence:
            shown = "; ".join(evidence[:3]) + ("; ..." if len(evidence) > 3 else "")
            yield ctx.finding(
                fn,
                message=(
                    f"`{fn.display_name}` connects to a data store that lives in a VPC ({shown}) but has no "
                    "VPC configuration, so the store has to accept connections from the internet"
                ),
            )
            continue
        unknown = _unknown(inv, fn)
        if unknown is not None:
            ctx.unevaluated(fn, reason=unknown)


def _environment_evidence(fn: LambdaFunction, stores: Mapping[str, DataStore]) -> Iterator[str]:
    """`RDS DB instance `Db` (`DB_HOST`, `DB_PORT`)`, one per store or literal endpoint."""
    if isinstance(fn.environment, Unresolved):
        return
    found: dict[str, list[str]] = {}
    for var in fn.environment:
        store = (
            next(
                (
                    stores[ref.key]
                    for ref in var.references
                    if ref.key in stores
                    and ref.attribute is not None
                    and _ENDPOINT_ATTRIBUTE.search(ref.attribute)
                ),
                None,
            )
            if var.references and stores  # most variables reference nothing: no generator for them
            else None
        )
        if store is not None:
            found.setdefault(f"{store.kind.describe()} `{resource_label(store.origin)}`", []).append(var.name)
            continue
        value = var.value
        if not _may_name_endpoint(value):
            continue
        match = _ENDPOINT.search(value)
        if match is not None:
            kind = _ENDPOINT_KINDS.get((match["plain"] or "").lower())
            if kind is None:
                kind = "a MemoryDB endpoint" if "memorydb" in match[0].lower() else "an OpenSearch endpoint"
            found.setdefault(f"{kind} `{match[0]}`", []).append(var.name)
    for what, names in found.items():
        yield f"{what} in " + ", ".join(f"`{name}`" for name in names)


def _may_name_endpoint(value: str | Unresolved) -> TypeGuard[str]:
    """False when `value` cannot hold an endpoint host name (`_ENDPOINT` needs one of these suffixes)."""
    if not isinstance(value, str):
        return False
    text = value.casefold()  # as `re.IGNORECASE` compares: a long s (U+017F) is an `s`
    return "amazonaws.com" in text or ".on.aws" in text


def _role_evidence(inv: Inventory, fn: LambdaFunction, by_role: dict[str, list[str]]) -> Iterator[str]:
    role = inv.role_of(fn)
    if not isinstance(role, Role):
        return
    actions = by_role.get(role.key)
    if actions is None:
        actions = by_role[role.key] = _allowed_connect_actions(role)
    for action in actions:
        yield f"its role allows `{action}`"


def _allowed_connect_actions(role: Role) -> list[str]:
    found: dict[str, None] = {}
    for policy in role.policies:
        if isinstance(policy.document, Unresolved):
            continue
        for statement in policy.document.statements:
            if statement.effect is not Effect.ALLOW or not isinstance(statement.actions, tuple):
                continue
            for pattern in statement.actions:
                if isinstance(pattern, str):
                    found.update(dict.fromkeys(_connect_actions_named(pattern)))
    return list(found)


@lru_cache(maxsize=4096)
def _connect_actions_named(pattern: str) -> tuple[str, ...]:
    """The connect actions an IAM action pattern names, in `_CONNECT_ACTIONS` order."""
    return tuple(a for a in _CONNECT_ACTIONS if _matches(pattern, a))


def _matches(pattern: str, action: str) -> bool:
    """True when an IAM action pattern names `action` within its own service (`*` alone does not count)."""
    service, _, name = pattern.lower().partition(":")
    wanted_service, _, wanted_name = action.partition(":")
    return service == wanted_service and fnmatchcase(wanted_name, name)


def _unknown(inv: Inventory, fn: LambdaFunction) -> str | None:
    if isinstance(fn.environment, Unresolved):
        return f"environment unknown: {fn.environment.reason}"
    role = inv.role_of(fn)
    if isinstance(role, Unresolved):
        return f"execution role unknown: {role.reason}"
    return None
