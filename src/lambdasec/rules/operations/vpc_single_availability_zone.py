"""LS420 vpc-single-availability-zone: VPC functions whose subnets are all in one availability zone."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Subnet, Unresolved, VpcConfig
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label

# How a subnet's zone is known: ("name", "us-east-1a"), ("index", "0") or ("expression", "!Ref Az").
Zone = tuple[str, str]


@inventory_rule(
    id="LS420",
    name="vpc-single-availability-zone",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-1357",),
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
    standards=Standards(owasp_serverless=("SAS-6",), security_hub=("Lambda.5",), practice="resilience"),
)
def vpc_single_availability_zone(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions attached to a VPC whose subnets are all in the same availability zone, including
    functions with a single subnet. Zones are compared by name, by position
    (`!Select [0, !GetAZs ""]` and `!Select [1, !GetAZs ""]` are different zones) or by expression
    (two subnets with the same expression are in the same zone).

    ## Why is this bad?
    Lambda runs a VPC function only in the availability zones of its subnets. When that single zone
    is impaired, or runs out of free IP addresses for the function's network interfaces, every
    invocation fails or is throttled, although Lambda itself is still healthy in the region's other
    zones. AWS recommends at least two subnets in different zones for every VPC function
    (Security Hub control Lambda.5).

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA]
          SecurityGroupIds: [!Ref OrdersApiSecurityGroup]
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]   # in two different zones
          SecurityGroupIds: [!Ref OrdersApiSecurityGroup]
    ```

    ### CloudFormation
    ```yaml
    PrivateSubnetA:
      Type: AWS::EC2::Subnet
      Properties:
        AvailabilityZone: !Select [0, !GetAZs ""]
    PrivateSubnetB:
      Type: AWS::EC2::Subnet
      Properties:
        AvailabilityZone: !Select [0, !GetAZs ""]
    ```

    Use instead:

    ```yaml
    PrivateSubnetA:
      Type: AWS::EC2::Subnet
      Properties:
        AvailabilityZone: !Select [0, !GetAZs ""]
    PrivateSubnetB:
      Type: AWS::EC2::Subnet
      Properties:
        AvailabilityZone: !Select [1, !GetAZs ""]
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      vpc_config {
        subnet_ids         = [aws_subnet.private_a.id]
        security_group_ids = [aws_security_group.orders_api.id]
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      vpc_config {
        subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
        security_group_ids = [aws_security_group.orders_api.id]
      }
    }
    ```

    `aws_subnet` zones are compared by name, by zone id, or by position in `data.aws_availability_zones`
    (`names[0]`, `element(..., 1)`).

    ### Serverless
    ```yaml
    provider:
      vpc:
        subnetIds: [subnet-0aaa1111]
        securityGroupIds: [!Ref FunctionSecurityGroup]
    ```

    Use instead:

    ```yaml
    provider:
      vpc:
        subnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]   # subnets in two zones
        securityGroupIds: [!Ref FunctionSecurityGroup]
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      vpc,
      vpcSubnets: { subnets: [privateSubnetA] },
    });
    ```

    Use instead:

    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      vpc,   // a VPC with maxAzs of 2 or more
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    ```

    ## Known problems
    Subnets referenced by id or through a parameter (`List<AWS::EC2::Subnet::Id>`) are not in the
    scanned sources, and subnets that leave the zone to EC2 may or may not share one: such functions
    are reported as not evaluated unless two of their subnets are known to be in different zones.
    A zone given by name and another by position are never compared.

    ## References
    - AWS Lambda Developer Guide: Giving Lambda functions access to resources in an Amazon VPC,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    - AWS Security Hub control Lambda.5: VPC Lambda functions should operate in multiple
      Availability Zones, https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html
    - CWE-1357: Reliance on Insufficiently Trustworthy Component,
      https://cwe.mitre.org/data/definitions/1357.html
    """
    subnets = {subnet.key: subnet for subnet in inv.subnets}
    for fn in inv.functions:
        match fn.vpc:
            case None:
                continue
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"VPC configuration unknown: {reason}")
                continue
            case VpcConfig(subnet_ids=Unresolved(reason=reason)):
                ctx.unevaluated(fn, reason=f"subnets unknown: {reason}")
                continue
            case VpcConfig(subnet_ids=tuple() as ids):
                refs = list(dict.fromkeys(ids))
        if not refs:
            continue
        if len(refs) == 1:
            yield ctx.finding(
                fn,
                field="vpc.subnet_ids",
                message=(
                    f"`{fn.display_name}` runs in the single subnet `{_name(refs[0], subnets)}`, so one "
                    "availability zone failing or running out of IP addresses stops the function"
                ),
            )
            continue
        known = [subnets[ref] for ref in refs if isinstance(ref, str) and ref in subnets]
        zones = [_zone(subnet) for subnet in known]
        if _distinct(zones):
            continue
        missing = [ref for ref in refs if not isinstance(ref, str) or ref not in subnets]
        if missing or None in zones or len(set(zones)) > 1:
            ctx.unevaluated(fn, reason=_why_unknown(missing, known))
            continue
        names = ", ".join(f"`{resource_label(subnet.origin)}`" for subnet in known)
        yield ctx.finding(
            fn,
            field="vpc.subnet_ids",
            message=(
                f"`{fn.display_name}` runs in subnets {names}, all in availability zone "
                f"{_label(known[0])}, so that zone failing or running out of IP addresses stops the function"
            ),
        )


def _name(ref: str | Unresolved, subnets: dict[str, Subnet]) -> str:
    if isinstance(ref, Unresolved):
        return ref.reason
    return resource_label(subnets[ref].origin) if ref in subnets else ref


def _zone(subnet: Subnet) -> Zone | None:
    """How the subnet's zone is known; None when EC2 picks it."""
    if subnet.zone_index is not None:
        return ("index", str(subnet.zone_index))
    match subnet.availability_zone:
        case str() as name:
            return ("name", name)
        case Unresolved(reason=reason):
            return ("expression", reason)
        case None:
            return None


def _distinct(zones: list[Zone | None]) -> bool:
    """True when two zones are known to differ: two names or two positions that are not equal."""
    for kind in ("name", "index"):
        if len({zone for zone in zones if zone is not None and zone[0] == kind}) > 1:
            return True
    return False


def _label(subnet: Subnet) -> str:
    if subnet.zone_index is not None:
        return f'`!Select [{subnet.zone_index}, !GetAZs ""]`'
    zone = subnet.availability_zone
    return f"`{zone.reason if isinstance(zone, Unresolved) else zone}`"


def _why_unknown(missing: list[str | Unresolved], known: list[Subnet]) -> str:
    if missing:
        first = missing[0]
        text = first.reason if isinstance(first, Unresolved) else first
        return f"subnet `{text}` is not defined in the scanned sources"
    unknown = [resource_label(subnet.origin) for subnet in known if _zone(subnet) is None]
    if unknown:
        return f"subnet `{unknown[0]}` leaves its availability zone to EC2"
    return "the subnets' availability zones are expressions that cannot be compared"
