"""AWS::Lambda::Function and what hangs off it, mapped to the model with origins and field lines."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    Alias,
    Architecture,
    AuthType,
    CodeLocation,
    CodeSigningConfig,
    Condition,
    Cors,
    EnvVar,
    FunctionUrl,
    FunctionVersion,
    LayerPermission,
    LayerVersion,
    Origin,
    PackageType,
    Permission,
    SourceKind,
    TracingMode,
    Unresolved,
    UntrustedArtifactPolicy,
    VpcConfig,
)
from sources.cfn.load import diagnostics, fields, line, load

FULL = """
Parameters:
  Env:
    Type: String
    Default: prod
  KeyArn:
    Type: String
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub orders-${Env}
      Runtime: python3.12
      Handler: app.handler
      Code:
        S3Bucket: artifacts
        S3Key: orders.zip
      MemorySize: 1024
      Timeout: "30"
      EphemeralStorage: {Size: 2048}
      Environment:
        Variables:
          TABLE: !Ref Table
          STAGE: !Ref Env
          DB_PASSWORD: hunter2
      KmsKeyArn: !Ref KeyArn
      TracingConfig: {Mode: Active}
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: [!Ref Sg, sg-123]
      ReservedConcurrentExecutions: 5
      DeadLetterConfig: {TargetArn: !GetAtt Dlq.Arn}
      Layers:
        - !Ref Shared
        - arn:aws:lambda:us-east-1:123456789012:layer:x:1
      CodeSigningConfigArn: !GetAtt Signing.CodeSigningConfigArn
      Architectures: [arm64]
      Role: !GetAtt OrdersRole.Arn
      LoggingConfig: {LogGroup: !Ref Logs}
      Tags:
        - {Key: team, Value: orders}
  Table: {Type: AWS::DynamoDB::Table}
  Dlq: {Type: AWS::SQS::Queue}
  Sg: {Type: AWS::EC2::SecurityGroup}
  Shared:
    Type: AWS::Lambda::LayerVersion
    Properties:
      LayerName: shared
      CompatibleRuntimes: [python3.12]
  Signing:
    Type: AWS::Lambda::CodeSigningConfig
    Properties:
      AllowedPublishers:
        SigningProfileVersionArns: [arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/abc]
      CodeSigningPolicies: {UntrustedArtifactOnDeployment: Enforce}
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: []}
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /custom/orders
  Failures:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Orders
      Qualifier: $LATEST
      MaximumRetryAttempts: 0
      DestinationConfig:
        OnFailure: {Destination: !GetAtt Dlq.Arn}
        OnSuccess: {Destination: arn:aws:sns:us-east-1:123456789012:done}
"""


def test_function_with_every_setting(tmp_path: Path) -> None:
    out = load(tmp_path, FULL)
    assert diagnostics(out) == set()
    (fn,) = out.inventory.functions
    assert fn.key == "template.yaml#Orders"
    assert fn.name == "orders-prod"
    assert fn.runtime == "python3.12"
    assert fn.handler == "app.handler"
    assert fn.package_type is PackageType.ZIP
    assert fn.code == CodeLocation(s3_bucket="artifacts", s3_key="orders.zip")
    assert (fn.memory_mb, fn.timeout_s, fn.ephemeral_storage_mb) == (1024, 30, 2048)
    assert fn.environment == (
        EnvVar(name="TABLE", value=Unresolved("!Ref Table")),
        EnvVar(name="STAGE", value="prod"),
        EnvVar(name="DB_PASSWORD", value="hunter2"),
    )
    assert fn.kms_key_arn == Unresolved("parameter KeyArn has no default")
    assert fn.tracing is TracingMode.ACTIVE
    assert fn.vpc == VpcConfig(
        subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("template.yaml#Sg", "sg-123")
    )
    assert fn.reserved_concurrency == 5
    assert fn.dead_letter_target == Unresolved("!GetAtt Dlq.Arn")
    assert fn.on_failure_destination == Unresolved("!GetAtt Dlq.Arn")
    assert fn.on_success_destination == "arn:aws:sns:us-east-1:123456789012:done"
    assert fn.maximum_retry_attempts == 0
    assert fn.layers == ("template.yaml#Shared", "arn:aws:lambda:us-east-1:123456789012:layer:x:1")
    assert fn.code_signing_config == "template.yaml#Signing"
    assert fn.architectures == (Architecture.ARM64,)
    assert fn.role == "template.yaml#OrdersRole"
    assert fn.log_group_name == "/custom/orders"
    assert fn.tags == (("team", "orders"),)
    assert fn.origin == Origin(
        source=SourceKind.CLOUDFORMATION, file="template.yaml", line=8, resource="Orders"
    )
    assert fields(fn) == {
        "name": line(FULL, "FunctionName"),
        "runtime": line(FULL, "Runtime:"),
        "handler": line(FULL, "Handler:"),
        "code": line(FULL, "Code:"),
        "memory_mb": line(FULL, "MemorySize"),
        "timeout_s": line(FULL, "Timeout"),
        "ephemeral_storage_mb": line(FULL, "EphemeralStorage"),
        "environment": line(FULL, "Environment:"),
        "environment.TABLE": line(FULL, "TABLE:"),
        "environment.STAGE": line(FULL, "STAGE:"),
        "environment.DB_PASSWORD": line(FULL, "DB_PASSWORD"),
        "kms_key_arn": line(FULL, "KmsKeyArn"),
        "tracing": line(FULL, "TracingConfig"),
        "vpc": line(FULL, "VpcConfig"),
        "vpc.subnet_ids": line(FULL, "SubnetIds"),
        "vpc.subnet_ids.0": line(FULL, "SubnetIds"),
        "vpc.subnet_ids.1": line(FULL, "SubnetIds"),
        "vpc.security_group_ids": line(FULL, "SecurityGroupIds"),
        "vpc.security_group_ids.0": line(FULL, "SecurityGroupIds"),
        "vpc.security_group_ids.1": line(FULL, "SecurityGroupIds"),
        "reserved_concurrency": line(FULL, "ReservedConcurrentExecutions"),
        "dead_letter_target": line(FULL, "DeadLetterConfig"),
        "layers": line(FULL, "Layers:"),
        "layers.0": line(FULL, "- !Ref Shared"),
        "layers.1": line(FULL, "layer:x:1"),
        "code_signing_config": line(FULL, "CodeSigningConfigArn"),
        "architectures": line(FULL, "Architectures"),
        "architectures.0": line(FULL, "Architectures"),
        "role": line(FULL, "Role: !GetAtt"),
        "log_group_name": line(FULL, "LoggingConfig"),
        "tags": line(FULL, "Tags:"),
        "maximum_retry_attempts": line(FULL, "MaximumRetryAttempts"),
        "on_failure_destination": line(FULL, "OnFailure"),
        "on_success_destination": line(FULL, "OnSuccess"),
    }


def test_layers_signing_config(tmp_path: Path) -> None:
    inv = load(tmp_path, FULL).inventory
    assert inv.layers == (
        LayerVersion(
            key="template.yaml#Shared",
            name="shared",
            compatible_runtimes=("python3.12",),
            origin=Origin(
                source=SourceKind.CLOUDFORMATION,
                file="template.yaml",
                line=line(FULL, "  Shared:"),
                resource="Shared",
            ),
        ),
    )
    assert inv.code_signing_configs == (
        CodeSigningConfig(
            key="template.yaml#Signing",
            signing_profile_version_arns=("arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/abc",),
            untrusted_artifact_on_deployment=UntrustedArtifactPolicy.ENFORCE,
            origin=Origin(
                source=SourceKind.CLOUDFORMATION,
                file="template.yaml",
                line=line(FULL, "  Signing:"),
                resource="Signing",
            ),
        ),
    )
    assert fields(inv.code_signing_configs[0])["untrusted_artifact_on_deployment"] == line(
        FULL, "CodeSigningPolicies"
    )


def test_defaults_are_what_aws_applies(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Resources:
          Bare:
            Type: AWS::Lambda::Function
            Properties:
              Role: arn:aws:iam::123456789012:role/bare
              Code: {ZipFile: "def handler(e, c): pass"}
        """,
    )
    (fn,) = out.inventory.functions
    assert fn.name == Unresolved("generated by CloudFormation")
    assert (fn.runtime, fn.handler) == (None, None)
    assert fn.code == CodeLocation(inline=True)
    assert (fn.memory_mb, fn.timeout_s, fn.ephemeral_storage_mb) == (128, 3, 512)
    assert fn.environment == ()
    assert fn.tracing is TracingMode.PASS_THROUGH
    assert (fn.vpc, fn.kms_key_arn, fn.reserved_concurrency, fn.dead_letter_target) == (
        None,
        None,
        None,
        None,
    )
    assert fn.layers == ()
    assert fn.architectures == (Architecture.X86_64,)
    assert fn.role == "arn:aws:iam::123456789012:role/bare"
    assert fn.tags == ()


def test_code_locations(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Resources:
          Packaged:
            Type: AWS::Lambda::Function
            Properties: {Code: ../src/orders/, Role: r}
          FromSam:
            Type: AWS::Lambda::Function
            Properties: {Code: {"lambdasec:LocalPath": ./handlers}, Role: r}
          Image:
            Type: AWS::Lambda::Function
            Properties:
              PackageType: Image
              Code: {ImageUri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1}
              Role: r
          S3Uri:
            Type: AWS::Lambda::Function
            Properties: {Code: s3://bucket/path/app.zip, Role: r}
        """,
        name="infra/stack.yaml",
    )
    codes = {fn.origin.resource: (fn.package_type, fn.code) for fn in out.inventory.functions}
    assert codes == {
        "Packaged": (PackageType.ZIP, CodeLocation(local_path="src/orders")),
        "FromSam": (PackageType.ZIP, CodeLocation(local_path="infra/handlers")),
        "Image": (
            PackageType.IMAGE,
            CodeLocation(image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"),
        ),
        "S3Uri": (PackageType.ZIP, CodeLocation(s3_bucket="bucket", s3_key="path/app.zip")),
    }
    assert {fn.key for fn in out.inventory.functions} == {
        "infra/stack.yaml#Packaged",
        "infra/stack.yaml#FromSam",
        "infra/stack.yaml#Image",
        "infra/stack.yaml#S3Uri",
    }


def test_unresolved_settings_and_conditions(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Parameters:
          Tracing: {Type: String}
          Stage: {Type: String, Default: dev}
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Role: r
              TracingConfig: {Mode: !Ref Tracing}
              MemorySize: !If [IsProd, 2048, 256]
              ReservedConcurrentExecutions: !If [IsProd, 100, !Ref AWS::NoValue]
              Environment: !If [IsProd, {Variables: {A: "1"}}, !ImportValue shared-env]
              VpcConfig: {SubnetIds: [], SecurityGroupIds: []}
          ProdOnly:
            Type: AWS::Lambda::Function
            Condition: IsProd
            Properties: {Role: r}
        """,
    )
    (fn,) = out.inventory.functions
    assert fn.tracing == Unresolved("parameter Tracing has no default")
    assert fn.memory_mb == 256
    assert fn.reserved_concurrency is None
    assert fn.environment == Unresolved("!ImportValue shared-env")  # IsProd is false for the default stage
    assert fn.vpc is None
    assert diagnostics(out) == set()


def test_permission(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Role: r}
          Live:
            Type: AWS::Lambda::Alias
            Properties: {FunctionName: !Ref Fn, FunctionVersion: !GetAtt V1.Version, Name: live}
          V1:
            Type: AWS::Lambda::Version
            Properties: {FunctionName: !Ref Fn}
          FromBucket:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !GetAtt Fn.Arn
              Principal: s3.amazonaws.com
              SourceArn: !GetAtt Bucket.Arn
              SourceAccount: !Ref AWS::AccountId
          Public:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunctionUrl
              FunctionName: !Ref Live
              Principal: "*"
              FunctionUrlAuthType: NONE
          ViaUrl:
            Type: AWS::Lambda::Permission
            Metadata: {"lambdasec:implicit": true}
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: other-function
              Principal: "*"
              InvokedViaFunctionUrl: true
              PrincipalOrgID: o-abc
          Qualified:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: arn:aws:lambda:us-east-1:123456789012:function:other:prod
              Principal: events.amazonaws.com
          Bucket: {Type: AWS::S3::Bucket}
        """,
    )
    assert diagnostics(out) == set()
    perms = {p.origin.resource: p for p in out.inventory.permissions}
    assert (perms["Qualified"].function, perms["Qualified"].qualifier) == (
        "arn:aws:lambda:us-east-1:123456789012:function:other:prod",
        "prod",
    )
    assert perms["FromBucket"] == Permission(
        key="template.yaml#FromBucket",
        function="template.yaml#Fn",
        action="lambda:InvokeFunction",
        principal="s3.amazonaws.com",
        source_arn=Unresolved("!GetAtt Bucket.Arn"),
        source_account=Unresolved("!Ref AWS::AccountId"),
        origin=Origin(source=SourceKind.CLOUDFORMATION, file="template.yaml", line=11, resource="FromBucket"),
    )
    assert fields(perms["FromBucket"]) == {
        "function": 15,
        "action": 14,
        "principal": 16,
        "source_arn": 17,
        "source_account": 18,
    }
    assert perms["Public"].function == "template.yaml#Fn"
    assert perms["Public"].qualifier == "live"
    assert perms["Public"].function_url_auth_type is AuthType.NONE
    assert perms["ViaUrl"].function == "other-function"
    assert perms["ViaUrl"].implicit is True
    assert perms["ViaUrl"].principal_org_id == "o-abc"
    assert perms["ViaUrl"].conditions == (
        Condition(operator="Bool", key="lambda:InvokedViaFunctionUrl", values=("true",)),
    )
    assert out.inventory.versions == (
        FunctionVersion(
            key="template.yaml#V1",
            function="template.yaml#Fn",
            origin=Origin(source=SourceKind.CLOUDFORMATION, file="template.yaml", line=8, resource="V1"),
        ),
    )
    assert out.inventory.aliases == (
        Alias(
            key="template.yaml#Live",
            function="template.yaml#Fn",
            name="live",
            function_version="template.yaml#V1",
            origin=Origin(source=SourceKind.CLOUDFORMATION, file="template.yaml", line=5, resource="Live"),
        ),
    )


URLS = """
        Parameters:
          Auth: {Type: String}
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties: {Role: r}
          Url:
            Type: AWS::Lambda::Url
            Properties:
              TargetFunctionArn: !GetAtt Fn.Arn
              AuthType: NONE
              Cors:
                AllowOrigins: ["*"]
                AllowCredentials: true
                AllowMethods: [GET]
          UrlFromParameter:
            Type: AWS::Lambda::Url
            Properties:
              TargetFunctionArn: arn:aws:lambda:us-east-1:123456789012:function:other
              Qualifier: live
              AuthType: !Ref Auth
              InvokeMode: RESPONSE_STREAM
"""


def test_function_url_with_cors(tmp_path: Path) -> None:
    out = load(tmp_path, URLS)
    urls = {u.origin.resource: u for u in out.inventory.function_urls}
    assert urls["Url"] == FunctionUrl(
        key="template.yaml#Url",
        function="template.yaml#Fn",
        auth_type=AuthType.NONE,
        cors=Cors(allow_origins=("*",), allow_credentials=True, allow_methods=("GET",)),
        origin=Origin(
            source=SourceKind.CLOUDFORMATION, file="template.yaml", line=line(URLS, "  Url:"), resource="Url"
        ),
    )
    assert fields(urls["Url"]) == {
        "function": line(URLS, "TargetFunctionArn: !GetAtt"),
        "auth_type": line(URLS, "AuthType: NONE"),
        "cors": line(URLS, "Cors:"),
        "cors.allow_origins": line(URLS, "AllowOrigins"),
        "cors.allow_origins.0": line(URLS, "AllowOrigins"),
        "cors.allow_credentials": line(URLS, "AllowCredentials"),
        "cors.allow_methods": line(URLS, "AllowMethods"),
        "cors.allow_methods.0": line(URLS, "AllowMethods"),
    }
    assert urls["UrlFromParameter"] == FunctionUrl(
        key="template.yaml#UrlFromParameter",
        function="arn:aws:lambda:us-east-1:123456789012:function:other",
        qualifier="live",
        auth_type=Unresolved("parameter Auth has no default"),
        invoke_mode="RESPONSE_STREAM",
        origin=Origin(
            source=SourceKind.CLOUDFORMATION,
            file="template.yaml",
            line=line(URLS, "UrlFromParameter:"),
            resource="UrlFromParameter",
        ),
    )
    assert out.inventory.url_of(out.inventory.functions[0]) == (urls["Url"],)


def test_layer_permission(tmp_path: Path) -> None:
    out = load(
        tmp_path,
        """
        Resources:
          Shared:
            Type: AWS::Lambda::LayerVersion
            Properties: {Content: {S3Bucket: b, S3Key: k}}
          Everyone:
            Type: AWS::Lambda::LayerVersionPermission
            Properties:
              Action: lambda:GetLayerVersion
              LayerVersionArn: !Ref Shared
              Principal: "*"
        """,
    )
    assert out.inventory.layers[0].name == Unresolved("generated by CloudFormation")
    assert out.inventory.layer_permissions == (
        LayerPermission(
            key="template.yaml#Everyone",
            layer="template.yaml#Shared",
            principal="*",
            origin=Origin(
                source=SourceKind.CLOUDFORMATION, file="template.yaml", line=5, resource="Everyone"
            ),
        ),
    )


def test_inventory_joins_work_on_the_keys(tmp_path: Path) -> None:
    inv = load(tmp_path, FULL).inventory
    (fn,) = inv.functions
    role = inv.role_of(fn)
    assert role is not None and not isinstance(role, Unresolved)
    assert role.key == "template.yaml#OrdersRole"
    assert inv.functions_using(role) == (fn,)


def test_invoke_config_by_name_and_url_on_an_alias(tmp_path: Path) -> None:
    text = """
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties: {FunctionName: orders, Role: r}
      Live:
        Type: AWS::Lambda::Alias
        Properties: {FunctionName: !Ref Fn, FunctionVersion: $LATEST, Name: live}
      Retries:
        Type: AWS::Lambda::EventInvokeConfig
        Properties: {FunctionName: orders, Qualifier: $LATEST, MaximumRetryAttempts: 1}
      Url:
        Type: AWS::Lambda::Url
        Properties: {TargetFunctionArn: !Ref Live, AuthType: AWS_IAM}
    """
    out = load(tmp_path, text)
    assert diagnostics(out) == set()
    (fn,) = out.inventory.functions
    assert fn.maximum_retry_attempts == 1
    assert fields(fn)["maximum_retry_attempts"] == line(text, "MaximumRetryAttempts")
    (url,) = out.inventory.function_urls
    assert (url.function, url.qualifier, url.auth_type) == ("template.yaml#Fn", "live", AuthType.AWS_IAM)
    assert out.inventory.aliases[0].function_version == "$LATEST"
