"""SAM transform: AWS::Serverless::Function -> AWS::Lambda::Function, versions, aliases, invoke config."""

from __future__ import annotations

import copy
import json

from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, load_yaml


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def line(text: str, fragment: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `fragment`."""
    hits = [n for n, content in enumerate(text.splitlines(), start=1) if fragment in content]
    return hits[nth - 1]


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


FUNCTION = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Condition: IsProd
    Metadata:
      lambdasec:
        ignore: [LS101]
    Properties:
      FunctionName: orders
      CodeUri: src/orders/
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 512
      Timeout: 30
      KmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/k
      Tracing: Active
      ReservedConcurrentExecutions: 5
      Architectures: [arm64]
      EphemeralStorage:
        Size: 1024
      Layers:
        - !Ref SharedLayer
      CodeSigningConfigArn: !Ref Signing
      LoggingConfig:
        LogFormat: JSON
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [sg-1]
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt Queue.Arn
      Environment:
        Variables:
          DB_PASSWORD: hunter2
          TABLE: !Ref Table
      Tags:
        team: orders
"""


def test_function_properties_are_copied_renamed_and_marked() -> None:
    result = expand(FUNCTION)
    assert result.diagnostics == ()
    fn = result.template["Resources"]["Fn"]
    assert fn["Type"] == "AWS::Lambda::Function"
    assert fn["Condition"] == "IsProd"
    assert plain(fn["Metadata"]) == {"lambdasec": {"ignore": ["LS101"]}}
    assert plain(fn["Properties"]) == {
        "FunctionName": "orders",
        "Handler": "app.handler",
        "Runtime": "python3.12",
        "MemorySize": 512,
        "Timeout": 30,
        "VpcConfig": {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]},
        "Environment": {"Variables": {"DB_PASSWORD": "hunter2", "TABLE": {"Ref": "Table"}}},
        "KmsKeyArn": "arn:aws:kms:us-east-1:111122223333:key/k",
        "ReservedConcurrentExecutions": 5,
        "Layers": [{"Ref": "SharedLayer"}],
        "Architectures": ["arm64"],
        "EphemeralStorage": {"Size": 1024},
        "CodeSigningConfigArn": {"Ref": "Signing"},
        "LoggingConfig": {"LogFormat": "JSON"},
        "Code": {"lambdasec:LocalPath": "src/orders/"},
        "Tags": [{"Key": "lambda:createdBy", "Value": "SAM"}, {"Key": "team", "Value": "orders"}],
        "TracingConfig": {"Mode": "Active"},
        "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Queue", "Arn"]}},
        "Role": {"Fn::GetAtt": ["FnRole", "Arn"]},
    }


def test_generated_resources_carry_the_condition_and_suppressions() -> None:
    role = expand(FUNCTION).template["Resources"]["FnRole"]
    assert role["Condition"] == "IsProd"
    assert plain(role["Metadata"]) == {"lambdasec": {"ignore": ["LS101"]}}
    assert role["Metadata"].key_lines == {"lambdasec": line(FUNCTION, "lambdasec:")}


def test_function_line_marks_point_at_the_sam_lines() -> None:
    props = expand(FUNCTION).template["Resources"]["Fn"]["Properties"]
    assert isinstance(props, MarkedDict)
    assert props.key_lines["Runtime"] == line(FUNCTION, "Runtime: python3.12")
    assert props.key_lines["Code"] == line(FUNCTION, "CodeUri:")
    assert props["Code"].key_lines == {"lambdasec:LocalPath": line(FUNCTION, "CodeUri:")}
    assert props.key_lines["TracingConfig"] == line(FUNCTION, "Tracing: Active")
    assert props["TracingConfig"].key_lines == {"Mode": line(FUNCTION, "Tracing: Active")}
    assert props.key_lines["DeadLetterConfig"] == line(FUNCTION, "DeadLetterQueue:")
    assert props["DeadLetterConfig"].key_lines == {"TargetArn": line(FUNCTION, "TargetArn:")}
    variables = props["Environment"]["Variables"]
    assert variables.key_lines == {
        "DB_PASSWORD": line(FUNCTION, "DB_PASSWORD"),
        "TABLE": line(FUNCTION, "TABLE:"),
    }
    tags = props["Tags"]
    assert isinstance(tags, MarkedList)
    assert tags.item_lines == [line(FUNCTION, "Fn:"), line(FUNCTION, "team: orders")]
    resources = expand(FUNCTION).template["Resources"]
    assert resources.key_lines["Fn"] == line(FUNCTION, "Fn:")
    assert resources.key_lines["FnRole"] == line(FUNCTION, "Fn:")


def test_input_template_is_not_mutated_and_unchanged_subtrees_are_reused() -> None:
    template = load_yaml(FUNCTION)
    before = copy.deepcopy(template)
    result = expand_sam(template, file="template.yaml")
    assert template == before
    assert result.template is not template
    assert result.template["Resources"]["Queue"] is template["Resources"]["Queue"]
    props = template["Resources"]["Fn"]["Properties"]
    assert result.template["Resources"]["Fn"]["Properties"]["Environment"] is props["Environment"]


def test_transform_and_globals_are_removed_and_other_transforms_kept() -> None:
    text = """\
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Globals:
  Function:
    Runtime: python3.12
Resources: {}
"""
    out = expand(text).template
    assert plain(out) == {"Transform": ["AWS::LanguageExtensions"], "Resources": {}}
    assert out["Transform"].item_lines == [1]


def code_of(properties: str) -> object:
    text = f"""\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.12
{properties}"""
    return plain(expand(text).template["Resources"]["Fn"]["Properties"].get("Code"))


def test_code_locations() -> None:
    assert code_of("      CodeUri: s3://bucket/key.zip\n") == {"S3Bucket": "bucket", "S3Key": "key.zip"}
    assert code_of("      CodeUri: s3://b/k.zip?versionId=3\n") == {
        "S3Bucket": "b",
        "S3Key": "k.zip",
        "S3ObjectVersion": "3",
    }
    assert code_of("      CodeUri: {Bucket: b, Key: k, Version: v}\n") == {
        "S3Bucket": "b",
        "S3Key": "k",
        "S3ObjectVersion": "v",
    }
    assert code_of("      CodeUri: ./handler\n") == {"lambdasec:LocalPath": "./handler"}
    assert code_of("      InlineCode: print(1)\n") == {"ZipFile": "print(1)"}
    assert code_of("") == {"lambdasec:LocalPath": "."}
    assert code_of("      PackageType: Image\n      ImageUri: 1.dkr.ecr/x:1\n") == {
        "ImageUri": "1.dkr.ecr/x:1"
    }


def test_unusable_code_uri_is_a_warning() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      CodeUri: !Ref CodeParam
"""
    result = expand(text)
    assert "Code" not in result.template["Resources"]["Fn"]["Properties"]
    assert [(d.level, d.file, d.line, d.message) for d in result.diagnostics] == [
        (
            "warning",
            "template.yaml",
            6,
            "`CodeUri` of `Fn` is not a path, an S3 URI or a Bucket/Key mapping; code location unknown",
        )
    ]


def test_tracing_disabled_and_given_role() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Runtime: python3.12
      Tracing: Disabled
      Role: arn:aws:iam::111122223333:role/existing
"""
    resources = expand(text).template["Resources"]
    assert sorted(resources) == ["Fn"]
    props = resources["Fn"]["Properties"]
    assert "TracingConfig" not in props
    assert props["Role"] == "arn:aws:iam::111122223333:role/existing"
    assert props.key_lines["Role"] == 9


ALIAS = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Runtime: python3.12
      AutoPublishAlias: live-v_1
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 2
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        MaximumEventAgeInSeconds: 60
        DestinationConfig:
          OnSuccess:
            Type: SNS
          OnFailure:
            Type: SQS
            Destination: arn:aws:sqs:us-east-1:111122223333:failed
"""


def test_auto_publish_alias_creates_version_and_alias() -> None:
    resources = expand(ALIAS).template["Resources"]
    versions = [k for k in resources if k.startswith("FnVersion")]
    assert len(versions) == 1
    version_id = versions[0]
    assert len(version_id) == len("FnVersion") + 10
    assert plain(resources[version_id]) == {
        "Type": "AWS::Lambda::Version",
        "DeletionPolicy": "Retain",
        "Properties": {"FunctionName": {"Ref": "Fn"}},
    }
    assert plain(resources["FnAliasliveDvU1"]) == {
        "Type": "AWS::Lambda::Alias",
        "Properties": {
            "Name": "live-v_1",
            "FunctionName": {"Ref": "Fn"},
            "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]},
            "ProvisionedConcurrencyConfig": {"ProvisionedConcurrentExecutions": 2},
        },
    }
    assert resources.key_lines["FnAliasliveDvU1"] == 8
    assert resources.key_lines[version_id] == 8


def test_event_invoke_config_with_destinations_and_role_policies() -> None:
    resources = expand(ALIAS).template["Resources"]
    assert plain(resources["FnEventInvokeConfig"]) == {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "DependsOn": ["FnAliasliveDvU1"],
        "Properties": {
            "FunctionName": {"Ref": "Fn"},
            "Qualifier": "live-v_1",
            "MaximumEventAgeInSeconds": 60,
            "MaximumRetryAttempts": 0,
            "DestinationConfig": {
                "OnSuccess": {"Destination": {"Ref": "FnEventInvokeConfigOnSuccessTopic"}},
                "OnFailure": {"Destination": "arn:aws:sqs:us-east-1:111122223333:failed"},
            },
        },
    }
    assert plain(resources["FnEventInvokeConfigOnSuccessTopic"]) == {
        "Type": "AWS::SNS::Topic",
        "Properties": {},
    }
    policies = plain(resources["FnRole"]["Properties"]["Policies"])
    assert policies == [
        {
            "PolicyName": "FnEventInvokeConfigOnSuccessSNSPolicy",
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "sns:publish",
                        "Effect": "Allow",
                        "Resource": {"Ref": "FnEventInvokeConfigOnSuccessTopic"},
                    }
                ]
            },
        },
        {
            "PolicyName": "FnEventInvokeConfigOnFailureSQSPolicy",
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": "sqs:SendMessage",
                        "Effect": "Allow",
                        "Resource": "arn:aws:sqs:us-east-1:111122223333:failed",
                    }
                ]
            },
        },
    ]
    assert resources["FnRole"]["Properties"]["Policies"].item_lines == [15, 17]


def test_bad_shapes_are_warnings_and_skipped() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      AutoPublishAlias: !Ref AliasName
      DeadLetterQueue:
        Type: Kinesis
        TargetArn: x
      FunctionUrlConfig: NONE
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: Carrier
  Broken:
    Type: AWS::Serverless::Function
    Properties: [1, 2]
"""
    result = expand(text)
    assert sorted((d.line, d.message) for d in result.diagnostics) == [
        (7, "`AutoPublishAlias` must be an alias name (letters, digits, - and _); no alias generated"),
        (8, "`DeadLetterQueue` needs `Type` (SQS or SNS) and `TargetArn`; ignored"),
        (11, "`FunctionUrlConfig` must be a mapping; no function URL generated"),
        (14, "`OnFailure` needs `Type` SQS, SNS, EventBridge, Lambda or S3Bucket; ignored"),
        (18, "`Properties` of `Broken` must be a mapping; resource skipped"),
    ]
    resources = result.template["Resources"]
    assert sorted(resources) == ["Fn", "FnEventInvokeConfig", "FnRole"]
    assert "DeadLetterConfig" not in resources["Fn"]["Properties"]
    assert plain(resources["FnEventInvokeConfig"]["Properties"]["DestinationConfig"]) == {}
