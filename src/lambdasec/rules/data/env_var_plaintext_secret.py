"""LS301 env-var-plaintext-secret: secrets written as literal environment variable values."""

from __future__ import annotations

from collections.abc import Iterator

from lambdasec.findings import Category, Finding, Severity, Standards
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.rules._api import RuleContext, Scope, inventory_rule
from lambdasec.secrets import SecretMatch, find_secrets


@inventory_rule(
    id="LS301",
    name="env-var-plaintext-secret",
    severity=Severity.HIGH,
    category=Category.DATA,
    cwe=("CWE-798", "CWE-312"),
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
    standards=Standards(owasp_serverless=("SAS-3",), practice="secrets management"),
)
def env_var_plaintext_secret(inv: Inventory, ctx: RuleContext) -> Iterator[Finding]:
    """
    ## What it does
    Flags function environment variables whose value is a literal secret: a password, token, API
    key or private key written into the template, recognised by the variable's name
    (`DB_PASSWORD`, `STRIPE_API_KEY`, `authToken`...) or by the value's shape (AWS access keys,
    Stripe, Slack and GitHub tokens, PEM private keys, JSON Web Tokens, URLs with a password).

    ## Why is this bad?
    A secret in an environment variable is stored in plain text in the template, in version
    control, in every deployment artifact and in the function configuration, where anyone with
    `lambda:GetFunctionConfiguration` (a read-only permission many roles have) can read it. It
    cannot be rotated without a redeploy, and a leaked template or repository leaks the secret.

    ## Example
    ### SAM
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Environment:
          Variables:
            DB_PASSWORD: hunter2-prod-2024
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Serverless::Function
      Properties:
        Environment:
          Variables:
            DB_PASSWORD_SECRET_ARN: !Ref DbPasswordSecret   # read it at run time
        Policies:
          - AWSSecretsManagerGetSecretValuePolicy:
              SecretArn: !Ref DbPasswordSecret
    ```

    ### CloudFormation
    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            DB_PASSWORD: hunter2-prod-2024
    ```

    Use instead:

    ```yaml
    OrdersApi:
      Type: AWS::Lambda::Function
      Properties:
        Environment:
          Variables:
            DB_PASSWORD: "{{resolve:secretsmanager:prod/orders/db:SecretString:password}}"
    ```

    A dynamic reference keeps the secret out of the template, but CloudFormation still writes the
    resolved value into the function configuration; reading the secret at run time with the
    Secrets Manager SDK or the Parameters and Secrets Lambda extension is better still.

    ### Terraform
    ```hcl
    resource "aws_lambda_function" "orders_api" {
      environment {
        variables = {
          DB_PASSWORD = "hunter2-prod-2024"
        }
      }
    }
    ```

    Use instead:

    ```hcl
    resource "aws_lambda_function" "orders_api" {
      environment {
        variables = {
          DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db_password.arn # read it at run time
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
          DB_PASSWORD: hunter2-prod-2024
    ```

    Use instead:

    ```yaml
    functions:
      ordersApi:
        handler: app.handler
        environment:
          DB_PASSWORD_SECRET_ARN: !Ref DbPasswordSecret   # read it at run time
    ```

    ### CDK
    ```ts
    new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      environment: { DB_PASSWORD: "hunter2-prod-2024" },
    });
    ```

    Use instead:

    ```ts
    const dbPassword = secretsmanager.Secret.fromSecretNameV2(this, "DbPassword", "orders/db-password");
    const fn = new lambda.Function(this, "OrdersApi", {
      runtime: lambda.Runtime.PYTHON_3_13,
      handler: "app.handler",
      code: lambda.Code.fromAsset("src"),
      environment: { DB_PASSWORD_SECRET_ARN: dbPassword.secretArn }, // read it at run time
    });
    dbPassword.grantRead(fn);
    ```

    ## Known problems
    Values that come from parameters, `!Sub` with references or other unresolved expressions are
    never reported, even when the parameter default is a secret. A secret split across several
    variables, or one under a neutral name with an unrecognised shape, is not found. Placeholder
    values such as `changeme` or `<password>` are ignored on purpose.

    ## References
    - AWS Lambda Developer Guide: Securing environment variables,
      https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
    - AWS Secrets Manager: Use AWS Secrets Manager secrets in AWS Lambda functions,
      https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    - CWE-798: Use of Hard-coded Credentials, https://cwe.mitre.org/data/definitions/798.html
    - CWE-312: Cleartext Storage of Sensitive Information, https://cwe.mitre.org/data/definitions/312.html
    """
    seen: dict[tuple[tuple[str, str], ...], list[SecretMatch]] = {}  # functions often share their variables
    for fn in inv.functions:
        if isinstance(fn.environment, Unresolved):
            ctx.unevaluated(fn, reason=f"environment unknown: {fn.environment.reason}")
            continue
        literals = tuple([(var.name, var.value) for var in fn.environment if isinstance(var.value, str)])
        matches = seen.get(literals)
        if matches is None:
            matches = seen[literals] = find_secrets(literals)
        for match in matches:
            yield ctx.finding(
                fn,
                field=f"environment.{match.name}",
                message=(
                    f"Environment variable `{match.name}` of `{fn.display_name}` holds {match.kind} "
                    f"in plain text (`{match.masked}`)"
                ),
                properties={"secret_kind": match.kind, "masked_value": match.masked},
            )
