"""LS205 layer-version-public: layer versions every AWS account may use."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, LayerPermission, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._labels import resource_label


@inventory_rule(
    id="LS205",
    name="layer-version-public",
    severity=Severity.MEDIUM,
    category=Category.EXPOSURE,
    cwe=("CWE-200",),
    scope=Scope.LAYER_PERMISSIONS,
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
    standards=Standards(owasp_serverless=("SAS-3", "SAS-5"), practice="least privilege"),
)
def layer_version_public(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags layer version permissions (`AWS::Lambda::LayerVersionPermission`) that grant
    `lambda:GetLayerVersion` to every AWS account (`Principal: "*"`) without an `OrganizationId`.

    ## Why is this bad?
    A public layer version can be downloaded by anyone with an AWS account: `GetLayerVersion`
    returns a presigned link to the layer's archive. Layers often carry shared internal code,
    configuration, certificates or credentials, and the code shows attackers how the functions
    that use it work. Anyone may also build on the layer, so a later accidental leak in a new
    version reaches them too. Share with specific accounts, or with your organization through
    `OrganizationId`.

    ## Example
    ### SAM
    ```yaml
    SharedLibsPublic:
      Type: AWS::Lambda::LayerVersionPermission
      Properties:
        LayerVersionArn: !Ref SharedLibs
        Action: lambda:GetLayerVersion
        Principal: "*"
    ```

    Use instead:

    ```yaml
    SharedLibsOrg:
      Type: AWS::Lambda::LayerVersionPermission
      Properties:
        LayerVersionArn: !Ref SharedLibs
        Action: lambda:GetLayerVersion
        Principal: "*"
        OrganizationId: o-a1b2c3d4e5
    ```

    ### CloudFormation
    ```yaml
    SharedLibsPublic:
      Type: AWS::Lambda::LayerVersionPermission
      Properties:
        LayerVersionArn: !Ref SharedLibs
        Action: lambda:GetLayerVersion
        Principal: "*"
    ```

    Use instead:

    ```yaml
    SharedLibsPartner:
      Type: AWS::Lambda::LayerVersionPermission
      Properties:
        LayerVersionArn: !Ref SharedLibs
        Action: lambda:GetLayerVersion
        Principal: "444455556666"
    ```

    ### Terraform
    ```hcl
    resource "aws_lambda_layer_version_permission" "public" {
      layer_name     = aws_lambda_layer_version.shared_libs.layer_arn
      version_number = aws_lambda_layer_version.shared_libs.version
      statement_id   = "public"
      action         = "lambda:GetLayerVersion"
      principal      = "*"
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_layer_version_permission" "org" {
      layer_name      = aws_lambda_layer_version.shared_libs.layer_arn
      version_number  = aws_lambda_layer_version.shared_libs.version
      statement_id    = "org"
      action          = "lambda:GetLayerVersion"
      principal       = "*"
      organization_id = "o-a1b2c3d4e5"
    }
    ```

    ### Serverless
    ```yaml
    layers:
      sharedLibs:
        path: layer
        allowedAccounts:
          - "*"
    ```

    Use instead:

    ```yaml
    layers:
      sharedLibs:
        path: layer
        allowedAccounts:
          - "444455556666"
    ```

    ### CDK
    ```ts
    sharedLibs.addPermission("Public", { accountId: "*" });
    ```

    Use instead:

    ```ts
    sharedLibs.addPermission("Org", { accountId: "*", organizationId: "o-a1b2c3d4e5" });
    ```

    ## Known problems
    An `OrganizationId` counts as restricting even when its value comes from a parameter.
    Permissions whose principal is not known statically are reported as not evaluated. Layers
    published on purpose for everyone (open-source tooling) are findings to suppress with a reason.
    The Serverless Framework's `layers:` cannot name an organization: an organization grant is an
    `AWS::Lambda::LayerVersionPermission` under `resources:`.

    ## References
    - AWS Lambda Developer Guide: Granting layer access to other accounts,
      https://docs.aws.amazon.com/lambda/latest/dg/permissions-layer-cross-account.html
    - AWS Lambda API Reference: AddLayerVersionPermission,
      https://docs.aws.amazon.com/lambda/latest/api/API_AddLayerVersionPermission.html
    - CWE-200: Exposure of Sensitive Information to an Unauthorized Actor,
      https://cwe.mitre.org/data/definitions/200.html
    """
    for grant in inv.layer_permissions:
        match grant.principal:
            case Unresolved(reason=reason):
                ctx.unevaluated(grant, reason=f"principal unknown: {reason}")
            case str() as principal if principal.strip() == "*" and grant.organization_id in (None, "*"):
                yield ctx.finding(
                    grant,
                    field="principal",
                    message=(
                        f"Layer permission `{resource_label(grant.origin)}` lets every AWS account (`*`) "
                        f"download layer `{_layer_name(inv, grant)}` and the code and files bundled in it"
                    ),
                )


def _layer_name(inv: Inventory, grant: LayerPermission) -> str:
    for layer in inv.layers:
        if grant.layer in (layer.key, layer.arn):
            return layer.name if isinstance(layer.name, str) else resource_label(layer.origin)
    return str(grant.layer)
