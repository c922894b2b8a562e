"""LS421 security-group-unrestricted-egress: VPC functions whose security groups let them reach any host."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import (
    Inventory,
    LambdaFunction,
    SecurityGroup,
    SecurityGroupRule,
    SourceKind,
    Unresolved,
    VpcConfig,
)
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label

_ANYWHERE: Final = ("0.0.0.0/0", "::/0")
_ALL_PROTOCOLS: Final = frozenset({"-1", "all"})
_PORT_PROTOCOLS: Final = frozenset({"tcp", "udp", "6", "17"})


@inventory_rule(
    id="LS421",
    name="security-group-unrestricted-egress",
    severity=Severity.MEDIUM,
    category=Category.OPERATIONS,
    cwe=("CWE-923",),
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
    standards=Standards(owasp_serverless=("SAS-6",), practice="network segmentation"),
)
def security_group_unrestricted_egress(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags security groups of VPC functions that allow all outbound traffic to `0.0.0.0/0` or `::/0`,
    including groups that declare no egress rule and so keep the AWS default (all traffic to
    anywhere). Every port of one protocol to anywhere (`tcp` 0-65535) is reported with low severity.

    ## Why is this bad?
    Unrestricted egress is the exfiltration path: code injected into the function (through a
    vulnerable dependency, a deserialization or command injection bug, or a malicious layer) can send
    the data it reads and the role's temporary credentials to any server on the internet, and
    fetch second-stage payloads. Functions are often put in a VPC precisely to protect the data they
    reach; an open egress rule undoes most of that. Limiting egress to the ports and destinations the
    function needs (the database's security group, VPC endpoints, a proxy) closes the path.

    ## Example
    ### SAM
    ```yaml
    OrdersApiSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: orders-api
        VpcId: !Ref Vpc
    ```

    Use instead:

    ```yaml
    OrdersApiSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: orders-api
        VpcId: !Ref Vpc
        SecurityGroupEgress:
          - IpProtocol: tcp
            FromPort: 5432
            ToPort: 5432
            DestinationSecurityGroupId: !Ref DatabaseSecurityGroup
    ```

    ### CloudFormation
    ```yaml
    OrdersApiSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: orders-api
        VpcId: !Ref Vpc
        SecurityGroupEgress:
          - IpProtocol: "-1"
            CidrIp: 0.0.0.0/0
    ```

    Use instead:

    ```yaml
    OrdersApiSecurityGroup:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: orders-api
        VpcId: !Ref Vpc
        SecurityGroupEgress:
          - IpProtocol: tcp
            FromPort: 443
            ToPort: 443
            DestinationPrefixListId: !Ref S3PrefixList    # or a VPC endpoint's security group
    ```

    ### Terraform
    ```hcl
    resource "aws_security_group" "orders_api" {
      vpc_id = aws_vpc.main.id
      egress {
        from_port   = 0
        to_port     = 0
        protocol    = "-1"
        cidr_blocks = ["0.0.0.0/0"]
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_security_group" "orders_api" {
      vpc_id = aws_vpc.main.id
      egress {
        from_port       = 5432
        to_port         = 5432
        protocol        = "tcp"
        security_groups = [aws_security_group.database.id]
      }
    }
    ```

    Terraform removes the default all-traffic egress rule of the groups it creates, so a group without
    `egress` blocks (and without `aws_security_group_rule` or `aws_vpc_security_group_egress_rule`
    resources) allows no outbound traffic and is not reported.

    ### Serverless
    ```yaml
    resources:
      Resources:
        FunctionSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            GroupDescription: functions
            VpcId: !Ref Vpc
    ```

    Use instead:

    ```yaml
    resources:
      Resources:
        FunctionSecurityGroup:
          Type: AWS::EC2::SecurityGroup
          Properties:
            GroupDescription: functions
            VpcId: !Ref Vpc
            SecurityGroupEgress:
              - IpProtocol: tcp
                FromPort: 443
                ToPort: 443
                CidrIp: 10.0.0.0/16
    ```

    ### CDK
    ```ts
    const sg = new ec2.SecurityGroup(this, "OrdersApiSecurityGroup", {
      vpc,
      allowAllOutbound: true,   // the default
    });
    ```

    Use instead:

    ```ts
    const sg = new ec2.SecurityGroup(this, "OrdersApiSecurityGroup", {
      vpc,
      allowAllOutbound: false,
    });
    sg.addEgressRule(ec2.Peer.prefixList(s3PrefixListId), ec2.Port.tcp(443));
    ```

    ## Known problems
    Whether the subnets can actually reach the internet (a NAT gateway, an internet gateway route)
    is not checked: a group is reported even when the route tables block the traffic. `tcp` to
    anywhere on port 443 only is not reported, although it is enough to exfiltrate data. Groups
    referenced by id, or through a parameter, are not in the scanned sources and are reported as
    not evaluated.

    ## References
    - AWS Lambda Developer Guide: Giving Lambda functions access to resources in an Amazon VPC,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    - Amazon VPC User Guide: Security group rules (default outbound rule),
      https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
    - CWE-923: Improper Restriction of Communication Channel to Intended Endpoints,
      https://cwe.mitre.org/data/definitions/923.html
    """
    groups = {group.key: group for group in inv.security_groups}
    for fn in inv.functions:
        match fn.vpc:
            case None:
                continue
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"VPC configuration unknown: {reason}")
                continue
            case VpcConfig(security_group_ids=Unresolved(reason=reason)):
                ctx.unevaluated(fn, reason=f"security groups unknown: {reason}")
                continue
            case VpcConfig(security_group_ids=tuple() as ids):
                refs = list(dict.fromkeys(ids))
        for ref in refs:
            if isinstance(ref, Unresolved):
                ctx.unevaluated(fn, reason=f"security group unknown: {ref.reason}")
            elif ref not in groups:
                ctx.unevaluated(fn, reason=f"security group `{ref}` is not defined in the scanned sources")
            else:
                yield from _check(ctx, fn, groups[ref])


def _check(ctx: RuleContext, fn: LambdaFunction, group: SecurityGroup) -> Iterator[Finding]:
    name = resource_label(group.origin)
    if group.egress is None:
        yield ctx.finding(
            group,
            function=fn.display_name,
            message=(
                f"Security group `{name}` of `{fn.display_name}` declares no egress rule, so it keeps the "
                "AWS default of all outbound traffic to `0.0.0.0/0`: code running in the function can "
                "send its data and credentials to any host on the internet"
            ),
        )
        return
    if isinstance(group.egress, Unresolved):
        ctx.unevaluated(fn, reason=f"egress rules of `{name}` unknown: {group.egress.reason}")
        return
    unknown = False
    for index, rule in enumerate(group.egress):
        verdict = _open(rule)
        if verdict is None:
            unknown = True
        elif verdict:
            cidr, severity, what = verdict
            yield ctx.finding(
                group,
                field=f"egress.{index}",
                function=fn.display_name,
                severity=severity,
                message=(
                    f"Security group `{name}` of `{fn.display_name}` allows {what} to `{cidr}`, so code "
                    "running in the function can send its data and credentials to any host on the internet"
                ),
            )
            return
    if unknown:
        ctx.unevaluated(fn, reason=f"an egress rule of `{name}` is not known statically")


def _open(rule: SecurityGroupRule) -> tuple[str, Severity, str] | tuple[()] | None:
    """(destination, severity, what) for a rule open to anywhere, () for a narrower one, None if unknown."""
    cidrs = [c for c in (rule.cidr_ipv4, rule.cidr_ipv6) if c is not None]
    if not cidrs:
        return ()
    anywhere = next((c for c in cidrs if c in _ANYWHERE), None)
    if anywhere is None:
        return None if any(isinstance(c, Unresolved) for c in cidrs) else ()
    protocol = rule.protocol
    if isinstance(protocol, Unresolved):
        return None
    if protocol.lower() in _ALL_PROTOCOLS:
        return (anywhere, Severity.MEDIUM, "all outbound traffic")
    if protocol.lower() in _PORT_PROTOCOLS:
        ports = (rule.from_port, rule.to_port)
        if any(isinstance(port, Unresolved) for port in ports):
            return None
        if rule.from_port in (None, 0, -1) and rule.to_port in (None, 65535, -1):
            return (anywhere, Severity.LOW, f"every `{protocol}` port")
    return ()
