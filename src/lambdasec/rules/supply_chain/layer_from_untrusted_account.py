"""LS603 layer-from-untrusted-account: functions that load layers published by accounts nobody trusted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from lambdasec.data.layer_publishers import layer_publishers
from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._accounts import arn_account
from lambdasec.rules._api import RuleContext, Scope, inventory_rule

# A layer ARN, also inside an expression such as `!Sub arn:aws:lambda:${AWS::Region}:017000801446:layer:...`.
_LAYER_ARN: Final = re.compile(
    r"arn:(?:\$\{[^}]*\}|[^:\s]*):lambda:(?:\$\{[^}]*\}|[^:\s]*):"
    r"(?P<account>\d{12}|\$\{AWS::AccountId\}|\$\{data\.aws_caller_identity\.[\w-]+\.account_id\})"
    r":layer:(?P<name>[A-Za-z0-9_-]+)"
)
# The account deployed to: CloudFormation's pseudo parameter, Terraform's caller identity.
_OWN_ACCOUNT: Final = re.compile(r"^\$\{(?:AWS::AccountId|data\.aws_caller_identity\.[\w-]+\.account_id)\}$")


@record
class LayerFromUntrustedAccountOptions:
    """Settings of LS603."""

    trusted_accounts: tuple[str, ...] = ()
    trust_known_publishers: bool = True


@inventory_rule(
    id="LS603",
    name="layer-from-untrusted-account",
    severity=Severity.MEDIUM,
    category=Category.SUPPLY_CHAIN,
    cwe=("CWE-829",),
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
    options=LayerFromUntrustedAccountOptions,
    standards=Standards(owasp_serverless=("SAS-9",), practice="supply-chain trust"),
)
def layer_from_untrusted_account(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags function layers published by an AWS account that is neither the template's own account,
    nor listed in the `trusted-accounts` option, nor one of the well-known layer publishers in
    lambdasec's dated publisher table (Powertools for AWS Lambda, CloudWatch Lambda Insights, Datadog).

    ## Why is this bad?
    A layer is code that Lambda extracts into `/opt` and that runs inside the function, with the
    function's execution role, its environment variables and its event data. Whoever controls the
    publishing account controls that code: a layer from an unknown or personal account (copied from a
    blog post, a forum answer, or an old template) is a third-party dependency that no review,
    lock file or vulnerability scanner sees, and a new version of it can be published at any time.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Layers:
          - arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3
    ```

    Use instead:

    ```yaml
    FastJsonLayer:
      Type: AWS::Serverless::LayerVersion
      Properties:
        ContentUri: layers/fast-json/   # vendored and reviewed in your repository

    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Layers:
          - !Ref FastJsonLayer
    ```

    or, when the publisher is one you trust, list its account:
    `[tool.lambdasec.options.LS603] trusted-accounts = ["999988887777"]`.

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Layers:
          - arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Layers:
          - !Ref FastJsonLayer          # an AWS::Lambda::LayerVersion built from reviewed code
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      layers = ["arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3"]
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_layer_version" "fast_json" {
      layer_name = "fast-json"
      filename   = "layers/fast-json.zip"
    }

    resource "aws_lambda_function" "orders_api" {
      layers = [aws_lambda_layer_version.fast_json.arn]
    }
    ```

    Layers of the deploying account (`${data.aws_caller_identity.current.account_id}`) are trusted.

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        layers:
          - arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3
    ```

    Use instead:

    ```yaml
    layers:
      fastJson:
        path: layers/fast-json

    functions:
      ordersApi:
        handler: app.handler
        layers:
          - !Ref FastJsonLambdaLayer
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      layers: [
        lambda.LayerVersion.fromLayerVersionArn(
          this, "FastJson", "arn:aws:lambda:us-east-1:999988887777:layer:fast-json:3"),
      ],
    });
    ```

    Use instead:

    ```ts
    const fastJson = new lambda.LayerVersion(this, "FastJsonLayer", {
      code: lambda.Code.fromAsset("layers/fast-json"),   // built from reviewed code
      compatibleRuntimes: [lambda.Runtime.PYTHON_3_13],
    });
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      layers: [fastJson],
    });
    ```

    ## Known problems
    The template's own account is only recognised when the ARN uses `${AWS::AccountId}`, the layer
    is declared in the scanned sources, or the function's ARN is known (a live account, or a Terraform
    plan that reads its provider's account and region) and names the same account; list your account
    ids in `trusted-accounts` when templates spell them out. The account is read from the ARN text,
    also inside `!Sub` expressions; a layer given through a parameter or an SSM lookup is reported as
    not evaluated. The publisher table
    (`lambdasec/data/layer_publishers.json`) lists only accounts whose ids the publishers document;
    Lambda Insights uses a different account in some regions, which may be missing.

    ## Options
    - `trusted-accounts` (list of account ids, default empty): accounts whose layers are accepted,
      typically your own and your organization's shared-tooling accounts.
    - `trust-known-publishers` (boolean, default true): accept the accounts of the publisher table.

    ## References
    - AWS Lambda Developer Guide: Managing Lambda dependencies with layers,
      https://docs.aws.amazon.com/lambda/latest/dg/chapter-layers.html
    - AWS Lambda Developer Guide: Layer permissions (cross-account layers),
      https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
    - CWE-829: Inclusion of Functionality from Untrusted Control Sphere,
      https://cwe.mitre.org/data/definitions/829.html
    """
    options: LayerFromUntrustedAccountOptions = ctx.options or LayerFromUntrustedAccountOptions()
    trusted: dict[str, str] = dict(layer_publishers(ctx.data.load_json("layer_publishers.json")))
    if not options.trust_known_publishers:
        trusted.clear()
    trusted.update(dict.fromkeys(options.trusted_accounts, "trusted-accounts"))
    own = {layer.key for layer in inv.layers} | {
        layer.arn for layer in inv.layers if isinstance(layer.arn, str)
    }
    for fn in inv.functions:
        if isinstance(fn.layers, Unresolved):
            ctx.unevaluated(fn, reason=f"layers unknown: {fn.layers.reason}")
            continue
        for index, layer in enumerate(fn.layers):
            if isinstance(layer, str) and layer in own:
                continue
            text = layer.reason if isinstance(layer, Unresolved) else layer
            match = _LAYER_ARN.search(text)
            if match is None:
                ctx.unevaluated(fn, reason=f"layer account unknown: {text}")
                continue
            account = match["account"]
            if _OWN_ACCOUNT.match(account) or account in trusted or account == arn_account(fn.arn):
                continue
            yield ctx.finding(
                fn,
                field=f"layers.{index}",
                message=(
                    f"`{fn.display_name}` loads layer `{text}` from account `{account}`, which is not "
                    "trusted (`trusted-accounts`), so code that account publishes runs inside the function "
                    "with its role"
                ),
                properties={"account": account},
            )
