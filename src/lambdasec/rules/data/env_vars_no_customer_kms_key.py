"""LS302 env-vars-no-customer-kms-key: sensitive environment variables under the AWS managed key."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.rules._configured import configured
from lambdasec.rules.data._sensitive import SensitiveData


@record
class EnvVarsNoCustomerKmsKeyOptions:
    """Settings of LS302."""

    every_function: bool = False


@inventory_rule(
    id="LS302",
    name="env-vars-no-customer-kms-key",
    severity=Severity.LOW,
    category=Category.DATA,
    cwe=("CWE-311",),
    scope=Scope.FUNCTIONS,
    sources=frozenset(
        {
            SourceKind.SAM,
            SourceKind.CLOUDFORMATION,
            SourceKind.TERRAFORM,
            SourceKind.SERVERLESS,
            SourceKind.CDK,
            SourceKind.TERRAFORM_PLAN,
        }
    ),
    options=EnvVarsNoCustomerKmsKeyOptions,
    standards=Standards(owasp_serverless=("SAS-3",), practice="encryption at rest"),
)
def env_vars_no_customer_kms_key(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags functions whose environment holds sensitive variables (a secret-like name such as
    `DB_PASSWORD` or `API_TOKEN` with a value that is not a pointer to a secret store, or a value shaped
    like a secret) and that set no customer managed KMS key (`KmsKeyArn`). With the `every-function`
    option (set by the `strict` profile) it reports every function with environment variables and no
    `KmsKeyArn`.

    ## Why is this bad?
    Without `KmsKeyArn`, Lambda encrypts environment variables with the AWS managed key `aws/lambda`,
    which every principal of the account may use. Anyone allowed `lambda:GetFunctionConfiguration`
    (granted by many read-only and auditing roles) therefore reads the values in clear. With a customer
    managed key, reading them also needs `kms:Decrypt` on that key, which you grant to few principals
    and which CloudTrail logs. A `{{resolve:secretsmanager:...}}` dynamic reference is counted: it keeps
    the secret out of the template, but CloudFormation writes the resolved value into the environment.
    The severity is medium when a variable's value is a literal or a resolved secret, low when it comes
    from a parameter.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Environment:
          Variables:
            SENDGRID_API_KEY: "{{resolve:secretsmanager:orders/sendgrid:SecretString:api_key}}"
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        KmsKeyArn: !GetAtt EnvironmentKey.Arn
        Environment:
          Variables:
            SENDGRID_API_KEY: "{{resolve:secretsmanager:orders/sendgrid:SecretString:api_key}}"
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            DB_PASSWORD: !Ref DbPassword
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        KmsKeyArn: !GetAtt EnvironmentKey.Arn
        Environment:
          Variables:
            DB_PASSWORD: !Ref DbPassword
    ```

    Better still, keep only the secret's ARN or parameter name in the environment and read the value
    at run time.

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      environment {
        variables = {
          SENDGRID_API_KEY = var.sendgrid_api_key
        }
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      kms_key_arn = aws_kms_key.environment.arn
      environment {
        variables = {
          SENDGRID_API_KEY = var.sendgrid_api_key
        }
      }
    }
    ```

    ### Serverless
    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        environment:
          SENDGRID_API_KEY: ${ssm:/orders/sendgrid-api-key}
    ```

    Use instead:

    ```yaml
    provider:
      kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    functions:
      ordersApi:
        handler: app.handler
        environment:
          SENDGRID_API_KEY: ${ssm:/orders/sendgrid-api-key}
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      environment: { SENDGRID_API_KEY: sendgridApiKey.valueAsString },
    });
    ```

    Use instead:

    ```ts
    const environmentKey = new kms.Key(this, "EnvironmentKey", { enableKeyRotation: true });
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      environment: { SENDGRID_API_KEY: sendgridApiKey.valueAsString },
      environmentEncryption: environmentKey,
    });
    ```

    ## Known problems
    Sensitivity is judged from names and values only (the naming rules of LS301): a secret under a
    neutral name with an unrecognised shape is not seen. Variables whose value is an ARN, an SSM
    parameter path or a secret name are pointers, not secrets, and do not count. A `KmsKeyArn` whose
    value depends on a condition that cannot be evaluated makes the function not evaluated.

    ## Options
    - `every-function` (boolean, default false): report every function that has environment variables
      and no customer managed key, sensitive or not (low severity for the others). The `strict`
      profile sets it.

    ## References
    - AWS Lambda Developer Guide: Securing Lambda environment variables,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
    - AWS Security Hub CSPM controls and checkov CKV_AWS_173: Lambda environment variables encrypted
      with a customer managed key
    - CWE-311: Missing Encryption of Sensitive Data, https://cwe.mitre.org/data/definitions/311.html
    """
    options: EnvVarsNoCustomerKmsKeyOptions = ctx.options or EnvVarsNoCustomerKmsKeyOptions()
    sensitive = SensitiveData(inv)
    for fn in inv.functions:
        names = sensitive.variables(fn)
        if isinstance(names, Unresolved):
            ctx.unevaluated(fn, reason=f"environment unknown: {names.reason}")
            continue
        if not names and not (options.every_function and fn.environment):
            continue
        match configured(fn.kms_key_arn):
            case True:
                continue
            case Unresolved(reason=reason):
                ctx.unevaluated(fn, reason=f"KMS key unknown: {reason}")
                continue
        if not names:
            yield ctx.finding(
                fn,
                field="environment",
                message=(
                    f"Environment of `{fn.display_name}` is encrypted only with the AWS managed key, so "
                    "anyone allowed `lambda:GetFunctionConfiguration` reads its variables"
                ),
            )
            continue
        values = {var.name: var.value for var in fn.environment} if isinstance(fn.environment, tuple) else {}
        known = any(isinstance(values.get(name), str) for name in names)
        listed = ", ".join(f"`{name}`" for name in names)
        yield ctx.finding(
            fn,
            field="environment",
            severity=Severity.MEDIUM if known else Severity.LOW,
            message=(
                f"Environment of `{fn.display_name}` holds sensitive variables ({listed}) encrypted only "
                "with the AWS managed key, so anyone allowed `lambda:GetFunctionConfiguration` reads them"
            ),
        )
