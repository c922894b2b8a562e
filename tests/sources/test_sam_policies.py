"""SAM transform: the generated execution role, `Policies` in all its forms, and the policy template data."""

from __future__ import annotations

import json
from datetime import date

from lambdasec.data import DataFiles
from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.cloudformation.sam_policies import managed_policy_arn, policy_templates
from lambdasec.sources.yaml_loader import load_yaml


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


ROLE = """\
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Runtime: python3.12
      Tracing: Active
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [sg-1]
      DeadLetterQueue:
        Type: SNS
        TargetArn: !Ref Topic
      PermissionsBoundary: arn:aws:iam::111122223333:policy/boundary
      RolePath: /app/
      Policies:
        - AmazonS3ReadOnlyAccess
        - arn:aws:iam::111122223333:policy/custom
        - DynamoDBCrudPolicy:
            TableName: !Ref Table
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: "*"
        - AWSLambdaVPCAccessExecutionRole
"""


def test_generated_role_shape() -> None:
    role = expand(ROLE).template["Resources"]["FnRole"]
    assert role["Type"] == "AWS::IAM::Role"
    table_arn = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${tableName}"
    assert plain(role["Properties"]) == {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": ["sts:AssumeRole"],
                    "Effect": "Allow",
                    "Principal": {"Service": ["lambda.amazonaws.com"]},
                }
            ],
        },
        "ManagedPolicyArns": [
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            "arn:aws:iam::111122223333:policy/custom",
        ],
        "Policies": [
            {
                "PolicyName": "DeadLetterQueuePolicy",
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{"Action": "sns:Publish", "Resource": {"Ref": "Topic"}, "Effect": "Allow"}],
                },
            },
            {
                "PolicyName": "FnRolePolicy2",
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": [
                                "dynamodb:GetItem",
                                "dynamodb:DeleteItem",
                                "dynamodb:PutItem",
                                "dynamodb:Scan",
                                "dynamodb:Query",
                                "dynamodb:UpdateItem",
                                "dynamodb:BatchWriteItem",
                                "dynamodb:BatchGetItem",
                                "dynamodb:DescribeTable",
                                "dynamodb:ConditionCheckItem",
                            ],
                            "Resource": [
                                {"Fn::Sub": [table_arn, {"tableName": {"Ref": "Table"}}]},
                                {"Fn::Sub": [f"{table_arn}/index/*", {"tableName": {"Ref": "Table"}}]},
                            ],
                        }
                    ]
                },
            },
            {
                "PolicyName": "FnRolePolicy3",
                "PolicyDocument": {
                    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
                },
            },
        ],
        "Path": "/app/",
        "PermissionsBoundary": "arn:aws:iam::111122223333:policy/boundary",
        "Tags": [{"Key": "lambda:createdBy", "Value": "SAM"}],
    }


def test_role_lines_point_at_what_caused_each_part() -> None:
    template = load_yaml(ROLE)
    role = expand_sam(template, file="t.yaml").template["Resources"]["FnRole"]["Properties"]
    assert role["ManagedPolicyArns"].item_lines == [4, 10, 11, 20, 21]
    policies = role["Policies"]
    assert policies.item_lines == [14, 22, 24]
    assert role.key_lines["PermissionsBoundary"] == 17
    assert role.key_lines["Path"] == 18
    crud = policies[1]["PolicyDocument"]
    assert crud.line == 22
    assert crud["Statement"].item_lines == [22]
    assert crud["Statement"][0].line == 22
    table_ref = crud["Statement"][0]["Resource"][0]["Fn::Sub"][1]["tableName"]
    assert (
        table_ref
        is template["Resources"]["Fn"]["Properties"]["Policies"][2]["DynamoDBCrudPolicy"]["TableName"]
    )
    inline = policies[2]["PolicyDocument"]
    assert inline is template["Resources"]["Fn"]["Properties"]["Policies"][3]
    assert inline["Statement"].item_lines == [25]


def test_single_string_and_single_document_policies() -> None:
    text = """\
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Policies: AWSLambdaExecute
  B:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Policies:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
"""
    resources = expand(text).template["Resources"]
    a = resources["ARole"]["Properties"]
    assert plain(a["ManagedPolicyArns"]) == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/AWSLambdaExecute",
    ]
    assert a["ManagedPolicyArns"].item_lines == [2, 7]
    b = resources["BRole"]["Properties"]
    assert plain(b["Policies"]) == [
        {
            "PolicyName": "BRolePolicy0",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            },
        }
    ]
    assert b["Policies"].item_lines == [13]


def test_conditional_policies() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Policies:
        - !If [IsProd, AmazonS3ReadOnlyAccess, !Ref AWS::NoValue]
        - !If
          - IsProd
          - SQSPollerPolicy: {QueueName: q}
          - !Ref AWS::NoValue
"""
    role = expand(text).template["Resources"]["FnRole"]["Properties"]
    assert plain(role["ManagedPolicyArns"][1]) == {
        "Fn::If": ["IsProd", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", {"Ref": "AWS::NoValue"}]
    }
    conditional = plain(role["Policies"][0])
    assert conditional["Fn::If"][0] == "IsProd"
    assert conditional["Fn::If"][1]["PolicyName"] == "FnRolePolicy1"
    assert conditional["Fn::If"][1]["PolicyDocument"]["Statement"][0]["Action"] == [
        "sqs:ChangeMessageVisibility",
        "sqs:ChangeMessageVisibilityBatch",
        "sqs:DeleteMessage",
        "sqs:DeleteMessageBatch",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert conditional["Fn::If"][2] == {"Ref": "AWS::NoValue"}
    assert role["Policies"].item_lines == [9]


def test_policy_problems_are_warnings_with_lines() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Policies:
        - NoSuchPolicyTemplate: {}
        - DynamoDBCrudPolicy: {}
        - S3ReadPolicy: bucket
        - 42
        - Effect: Allow
          Action: "*"
  Numbered:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Policies: 42
"""
    result = expand(text)
    assert sorted((d.line, d.message) for d in result.diagnostics) == [
        (8, "unknown SAM policy template `NoSuchPolicyTemplate`; ignored"),
        (9, "policy template `DynamoDBCrudPolicy` lacks parameter(s) `TableName`; ignored"),
        (10, "parameters of policy template `S3ReadPolicy` must be a mapping; ignored"),
        (11, "policy entry `42` is not a managed policy, a document or a template; ignored"),
        (12, "policy entry is a mapping with neither `Statement` nor a single policy template name; ignored"),
        (19, "`Policies` must be a string, a mapping or a list, not int; ignored"),
    ]
    assert {d.file for d in result.diagnostics} == {"template.yaml"}
    assert plain(result.template["Resources"]["FnRole"]["Properties"]["ManagedPolicyArns"]) == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    assert "Policies" not in result.template["Resources"]["FnRole"]["Properties"]


def test_policy_template_data_file_records_its_source() -> None:
    raw = DataFiles().load_json("sam_policy_templates.json")
    assert raw["_source"]["package"] == "aws-sam-translator"
    assert raw["_source"]["version"].count(".") == 2
    assert date.fromisoformat(raw["_generated"]) > date(2025, 1, 1)
    templates = policy_templates()
    assert len(templates) > 70
    assert templates["S3ReadPolicy"]["Parameters"] == ["BucketName"]
    assert templates["AMIDescribePolicy"] == {
        "Parameters": [],
        "Statement": [{"Action": ["ec2:DescribeImages"], "Effect": "Allow", "Resource": "*"}],
    }


def test_managed_policy_names_resolve_to_their_path() -> None:
    assert managed_policy_arn("AWSLambdaExecute") == "arn:aws:iam::aws:policy/AWSLambdaExecute"
    assert (
        managed_policy_arn("AWSLambdaSQSQueueExecutionRole")
        == "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
    )
    assert managed_policy_arn("arn:aws:iam::1:policy/x") == "arn:aws:iam::1:policy/x"
