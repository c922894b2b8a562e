"""LS423 function-not-in-vpc: functions not attached to a VPC (Security Hub Lambda.3)."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved, VpcConfig
from lambdasec.rules._api import RuleContext, Scope, inventory_rule


@inventory_rule(
    id="LS423",
    name="function-not-in-vpc",
    severity=Severity.LOW,
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
    standards=Standards(
        owasp_serverless=("SAS-6",), security_hub=("Lambda.3",), practice="network segmentation"
    ),
)
def function_not_in_vpc(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions that are not attached to a VPC (no `VpcConfig`, or one with no subnets and no
    security groups). It checks every function, whatever it reaches: the `fsbp` and `strict` profiles
    run it, `default` does not (LS422 private-data-store-without-vpc reports the functions for which
    the VPC matters).

    ## Why is this bad?
    A function outside a VPC reaches the internet directly and cannot be limited by security groups,
    network ACLs or VPC endpoint policies, so a compromised handler can send data anywhere. AWS
    Security Hub control Lambda.3 requires every function to be in a VPC; compliance baselines
    (NIST 800-53 SC-7, PCI DSS) inherit it.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: python3.13
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
          SecurityGroupIds: [!Ref OrdersApiSecurityGroup]
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.13
        VpcConfig:
          SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
          SecurityGroupIds: [!Ref OrdersApiSecurityGroup]
    ```

    The execution role then needs the ENI permissions of `AWSLambdaVPCAccessExecutionRole`, and the
    function reaches AWS APIs through VPC endpoints or a NAT gateway.

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      function_name = "orders-api"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      function_name = "orders-api"
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
    ```

    Use instead:

    ```yaml
    provider:
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
    });
    ```

    Use instead:

    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [ordersApiSecurityGroup],
    });
    ```

    ## Known problems
    A `VpcConfig` chosen by a condition that cannot be evaluated is reported as not evaluated.
    Functions that call only public SaaS endpoints gain little from a VPC; outside compliance
    baselines, prefer the `default` profile, which leaves this rule off.

    ## References
    - AWS Security Hub: [Lambda.3] Lambda functions should be in a VPC,
      https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html
    - AWS Lambda Developer Guide: Giving Lambda functions access to resources in an Amazon VPC,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
    - CWE-923: Improper Restriction of Communication Channel to Intended Endpoints,
      https://cwe.mitre.org/data/definitions/923.html
    """
    for fn in inv.functions:
        match fn.vpc:
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"VPC configuration unknown: {reason}")
            case None:
                yield ctx.finding(
                    fn,
                    message=(
                        f"`{fn.display_name}` is not attached to a VPC, so no security group or network "
                        "ACL limits where it can connect"
                    ),
                )
            case VpcConfig():
                pass
