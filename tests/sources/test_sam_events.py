"""SAM transform: non-API events -> permissions, mappings, rules, subscriptions, bucket notifications."""

from __future__ import annotations

import copy
import json

from lambdasec.sources.cloudformation.sam import SamExpansion, expand_sam
from lambdasec.sources.yaml_loader import load_yaml


def expand(text: str) -> SamExpansion:
    return expand_sam(load_yaml(text), file="template.yaml")


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


HEAD = """\
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    DependsOn: Other
    Properties:
      BucketName: uploads
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events:
"""


def with_events(events: str) -> SamExpansion:
    return expand(HEAD + events)


def test_s3_event_adds_a_notification_to_a_copy_of_the_bucket_and_a_permission() -> None:
    events = """\
        Upload:
          Type: S3
          Properties:
            Bucket: !Ref Bucket
            Events: [s3:ObjectCreated:*, s3:ObjectRemoved:*]
            Filter:
              S3Key:
                Rules: [{Name: prefix, Value: in/}]
"""
    template = load_yaml(HEAD + events)
    original_bucket = copy.deepcopy(template["Resources"]["Bucket"])
    resources = expand_sam(template, file="t.yaml").template["Resources"]
    assert template["Resources"]["Bucket"] == original_bucket
    filter_ = {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}]}}
    assert plain(resources["Bucket"]) == {
        "Type": "AWS::S3::Bucket",
        "DependsOn": ["Other", "FnUploadPermission"],
        "Properties": {
            "BucketName": "uploads",
            "NotificationConfiguration": {
                "LambdaConfigurations": [
                    {
                        "Event": "s3:ObjectCreated:*",
                        "Function": {"Fn::GetAtt": ["Fn", "Arn"]},
                        "Filter": filter_,
                    },
                    {
                        "Event": "s3:ObjectRemoved:*",
                        "Function": {"Fn::GetAtt": ["Fn", "Arn"]},
                        "Filter": filter_,
                    },
                ]
            },
        },
    }
    assert plain(resources["FnUploadPermission"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "Fn"},
        "Principal": "s3.amazonaws.com",
        "SourceAccount": {"Ref": "AWS::AccountId"},
    }
    notifications = resources["Bucket"]["Properties"]["NotificationConfiguration"]["LambdaConfigurations"]
    assert notifications.item_lines == [13, 13]
    assert resources.key_lines["FnUploadPermission"] == 13


def test_s3_event_on_a_bucket_outside_the_template_is_a_warning() -> None:
    result = with_events("""\
        Upload:
          Type: S3
          Properties:
            Bucket: my-existing-bucket
            Events: s3:ObjectCreated:*
""")
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (16, "S3 events must `!Ref` a bucket defined in the same template; ignored")
    ]
    assert sorted(result.template["Resources"]) == ["Bucket", "Fn", "FnRole"]


def test_poll_events_create_mappings_and_role_permissions() -> None:
    resources = with_events("""\
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Q.Arn
            BatchSize: 5
            FunctionResponseTypes: [ReportBatchItemFailures]
        Stream:
          Type: Kinesis
          Properties:
            Stream: arn:aws:kinesis:us-east-1:111122223333:stream/s
            StartingPosition: LATEST
            DestinationConfig:
              OnFailure:
                Type: SNS
                Destination: !Ref FailTopic
        Broker:
          Type: MQ
          Properties:
            Broker: arn:aws:mq:us-east-1:111122223333:broker:b
            Queues: [orders]
            SourceAccessConfigurations:
              - Type: BASIC_AUTH
                URI: !Ref BrokerSecret
""").template["Resources"]
    assert plain(resources["FnQueue"]) == {
        "Type": "AWS::Lambda::EventSourceMapping",
        "Metadata": {"lambdasec:EventType": "SQS"},
        "Properties": {
            "FunctionName": {"Ref": "Fn"},
            "EventSourceArn": {"Fn::GetAtt": ["Q", "Arn"]},
            "BatchSize": 5,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
        },
    }
    assert plain(resources["FnStream"]["Properties"]) == {
        "FunctionName": {"Ref": "Fn"},
        "EventSourceArn": "arn:aws:kinesis:us-east-1:111122223333:stream/s",
        "StartingPosition": "LATEST",
        "DestinationConfig": {"OnFailure": {"Destination": {"Ref": "FailTopic"}}},
    }
    assert resources["FnStream"]["Properties"].key_lines["EventSourceArn"] == 22
    role = resources["FnRole"]["Properties"]
    assert plain(role["ManagedPolicyArns"]) == [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
    ]
    assert role["ManagedPolicyArns"].item_lines == [7, 13, 19]
    assert plain(role["Policies"]) == [
        {
            "PolicyName": "FnStreamSNSPolicy",
            "PolicyDocument": {
                "Statement": [{"Action": "sns:publish", "Effect": "Allow", "Resource": {"Ref": "FailTopic"}}]
            },
        },
        {
            "PolicyName": "SamAutoGeneratedAMQPolicy",
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": ["secretsmanager:GetSecretValue"],
                        "Effect": "Allow",
                        "Resource": {"Ref": "BrokerSecret"},
                    },
                    {
                        "Action": ["mq:DescribeBroker"],
                        "Effect": "Allow",
                        "Resource": "arn:aws:mq:us-east-1:111122223333:broker:b",
                    },
                ]
            },
        },
    ]
    assert role["Policies"].item_lines == [24, 28]


def test_sns_schedule_and_rule_events() -> None:
    resources = with_events("""\
        Topic:
          Type: SNS
          Properties:
            Topic: !Ref Alerts
            FilterPolicy: {severity: [high]}
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            Enabled: false
            Input: '{"full": true}'
        Changes:
          Type: EventBridgeRule
          Properties:
            EventBusName: custom
            Pattern:
              source: [aws.ec2]
""").template["Resources"]
    assert plain(resources["FnTopic"]) == {
        "Type": "AWS::SNS::Subscription",
        "Properties": {
            "TopicArn": {"Ref": "Alerts"},
            "FilterPolicy": {"severity": ["high"]},
            "Protocol": "lambda",
            "Endpoint": {"Fn::GetAtt": ["Fn", "Arn"]},
        },
    }
    assert plain(resources["FnTopicPermission"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "Fn"},
        "Principal": "sns.amazonaws.com",
        "SourceArn": {"Ref": "Alerts"},
    }
    assert plain(resources["FnNightly"]["Properties"]) == {
        "ScheduleExpression": "rate(1 day)",
        "State": "DISABLED",
        "Targets": [
            {"Arn": {"Fn::GetAtt": ["Fn", "Arn"]}, "Id": "FnNightlyLambdaTarget", "Input": '{"full": true}'}
        ],
    }
    assert plain(resources["FnNightlyPermission"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "Fn"},
        "Principal": "events.amazonaws.com",
        "SourceArn": {"Fn::GetAtt": ["FnNightly", "Arn"]},
    }
    assert plain(resources["FnChanges"]["Properties"]) == {
        "EventBusName": "custom",
        "EventPattern": {"source": ["aws.ec2"]},
        "Targets": [{"Arn": {"Fn::GetAtt": ["Fn", "Arn"]}, "Id": "FnChangesLambdaTarget"}],
    }
    assert resources.key_lines["FnNightly"] == 18
    assert resources.key_lines["FnChangesPermission"] == 24


def test_schedule_v2_gets_a_scheduler_role_instead_of_a_permission() -> None:
    resources = with_events("""\
        Tick:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(5 minutes)
""").template["Resources"]
    assert sorted(resources) == ["Bucket", "Fn", "FnRole", "FnTick", "FnTickRole"]
    assert plain(resources["FnTick"]["Properties"]) == {
        "ScheduleExpression": "rate(5 minutes)",
        "Name": "FnTick",
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": {"Fn::GetAtt": ["Fn", "Arn"]}, "RoleArn": {"Fn::GetAtt": ["FnTickRole", "Arn"]}},
    }
    assert plain(resources["FnTickRole"]["Properties"]) == {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": ["sts:AssumeRole"],
                    "Effect": "Allow",
                    "Principal": {"Service": ["scheduler.amazonaws.com"]},
                }
            ],
        },
        "Policies": [
            {
                "PolicyName": "FnTickLambdaPolicy",
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Action": "lambda:InvokeFunction",
                            "Effect": "Allow",
                            "Resource": {"Fn::GetAtt": ["Fn", "Arn"]},
                        }
                    ]
                },
            }
        ],
    }


def test_logs_iot_and_alexa_events() -> None:
    resources = with_events("""\
        Logs:
          Type: CloudWatchLogs
          Properties:
            LogGroupName: /app
            FilterPattern: ERROR
        Things:
          Type: IoTRule
          Properties:
            Sql: SELECT * FROM 'topic'
        Skill:
          Type: AlexaSkill
""").template["Resources"]
    assert plain(resources["FnLogs"]) == {
        "Type": "AWS::Logs::SubscriptionFilter",
        "DependsOn": ["FnLogsPermission"],
        "Properties": {
            "DestinationArn": {"Fn::GetAtt": ["Fn", "Arn"]},
            "FilterPattern": "ERROR",
            "LogGroupName": "/app",
        },
    }
    assert plain(resources["FnLogsPermission"]["Properties"]["Principal"]) == "logs.amazonaws.com"
    assert plain(resources["FnThings"]["Properties"]["TopicRulePayload"]) == {
        "RuleDisabled": False,
        "Actions": [{"Lambda": {"FunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}}}],
        "Sql": "SELECT * FROM 'topic'",
    }
    assert plain(resources["FnSkillPermission"]["Properties"]) == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": {"Ref": "Fn"},
        "Principal": "alexa-appkit.amazon.com",
    }


def test_events_point_at_the_alias_when_one_is_published() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      AutoPublishAlias: live
      Events:
        Q:
          Type: SQS
          Properties: {Queue: arn:aws:sqs:us-east-1:111122223333:q}
        Tick:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
"""
    resources = expand(text).template["Resources"]
    assert plain(resources["FnQ"]["Properties"]["FunctionName"]) == {"Ref": "FnAliaslive"}
    assert plain(resources["FnTick"]["Properties"]["Targets"][0]["Arn"]) == {"Ref": "FnAliaslive"}
    assert plain(resources["FnTickPermission"]["Properties"]["FunctionName"]) == {"Ref": "FnAliaslive"}


def test_malformed_events_are_warnings() -> None:
    result = with_events("""\
        NoType:
          Properties: {}
        BadProps:
          Type: SQS
          Properties: queue
        Unknown:
          Type: Carrier
        Missing:
          Type: SQS
          Properties: {BatchSize: 1}
""")
    assert sorted((d.line, d.message) for d in result.diagnostics) == [
        (13, "event `NoType` of `Fn` must be a mapping with a `Type`; ignored"),
        (15, "`Properties` of event `BadProps` must be a mapping; ignored"),
        (18, "event type `Carrier` of `Fn.Unknown` is not expanded; ignored"),
        (20, "event `Fn.Missing` lacks `Queue`; ignored"),
    ]
    assert sorted(result.template["Resources"]) == ["Bucket", "Fn", "FnRole"]


def test_events_that_are_not_a_mapping() -> None:
    result = expand("""\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://b/k
      Handler: a.b
      Events: [Api]
""")
    assert [(d.line, d.message) for d in result.diagnostics] == [
        (7, "`Events` of `Fn` must be a mapping; events ignored")
    ]
