"""What invokes functions: event source mappings and push triggers (S3, SNS, EventBridge, Scheduler, Logs)."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import EventSourceMapping, Origin, PushTrigger, SourceKind, TriggerKind, Unresolved
from sources.cfn.load import diagnostics, fields, line, load

TRIGGERS = """
Parameters:
  StreamArn: {Type: String}
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: worker, Role: r}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Worker, FunctionVersion: "1", Name: live}
  Queue: {Type: AWS::SQS::Queue}
  Table: {Type: AWS::DynamoDB::Table}
  FromQueue:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Worker
      EventSourceArn: !GetAtt Queue.Arn
      BatchSize: 10
      Enabled: false
      DestinationConfig: {OnFailure: {Destination: arn:aws:sqs:us-east-1:123456789012:failed}}
      MaximumRetryAttempts: 2
  FromStream:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Live
      EventSourceArn: !GetAtt Table.StreamArn
  FromKinesis:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      EventSourceArn: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
  FromParameter:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      EventSourceArn: !Ref StreamArn
  FromKafka:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      SelfManagedEventSource: {Endpoints: {KafkaBootstrapServers: [b1:9092]}}
      Topics: [orders]
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: uploads
      NotificationConfiguration:
        LambdaConfigurations:
          - Event: s3:ObjectCreated:*
            Function: !GetAtt Worker.Arn
        QueueConfigurations:
          - Event: s3:ObjectCreated:*
            Queue: !GetAtt Queue.Arn
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - {Protocol: lambda, Endpoint: !GetAtt Worker.Arn}
        - {Protocol: email, Endpoint: ops@example.com}
  Subscription:
    Type: AWS::SNS::Subscription
    Properties:
      Protocol: lambda
      TopicArn: !Ref Topic
      Endpoint: !Ref Live
      FilterPolicy: {kind: [order]}
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets:
        - {Id: run, Arn: !GetAtt Worker.Arn}
        - {Id: queue, Arn: !GetAtt Queue.Arn}
  OnEvent:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: orders
      EventPattern: {source: [app.orders]}
      Targets:
        - Id: handle
          Arn: !Sub arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Worker}
  Schedule:
    Type: AWS::Scheduler::Schedule
    Properties:
      ScheduleExpression: cron(0 3 * * ? *)
      FlexibleTimeWindow: {Mode: "OFF"}
      Target: {Arn: !GetAtt Worker.Arn, RoleArn: arn:aws:iam::123456789012:role/s}
  LogsToLambda:
    Type: AWS::Logs::SubscriptionFilter
    Properties:
      LogGroupName: /aws/lambda/other
      FilterPattern: ERROR
      DestinationArn: !GetAtt Worker.Arn
"""


def origin(resource: str, needle: str, *, nth: int = 1) -> Origin:
    return Origin(
        source=SourceKind.CLOUDFORMATION,
        file="template.yaml",
        line=line(TRIGGERS, needle, nth=nth),
        resource=resource,
    )


def test_event_source_mappings(tmp_path: Path) -> None:
    out = load(tmp_path, TRIGGERS)
    assert diagnostics(out) == set()
    mappings = {m.origin.resource: m for m in out.inventory.event_source_mappings}
    assert mappings["FromQueue"] == EventSourceMapping(
        key="template.yaml#FromQueue",
        function="template.yaml#Worker",
        kind=TriggerKind.SQS,
        event_source_arn="template.yaml#Queue",
        batch_size=10,
        enabled=False,
        on_failure_destination="arn:aws:sqs:us-east-1:123456789012:failed",
        maximum_retry_attempts=2,
        origin=origin("FromQueue", "  FromQueue:"),
    )
    assert fields(mappings["FromQueue"]) == {
        "function": line(TRIGGERS, "FunctionName: !Ref Worker", nth=2),
        "event_source_arn": line(TRIGGERS, "EventSourceArn: !GetAtt Queue.Arn"),
        "batch_size": line(TRIGGERS, "BatchSize"),
        "enabled": line(TRIGGERS, "Enabled: false"),
        "on_failure_destination": line(TRIGGERS, "DestinationConfig"),
        "maximum_retry_attempts": line(TRIGGERS, "MaximumRetryAttempts"),
    }
    kinds = {name: (m.function, m.kind) for name, m in mappings.items()}
    assert kinds == {
        "FromQueue": ("template.yaml#Worker", TriggerKind.SQS),
        "FromStream": ("template.yaml#Worker", TriggerKind.DYNAMODB),
        "FromKinesis": ("worker", TriggerKind.KINESIS),
        "FromParameter": ("worker", Unresolved("service of parameter StreamArn has no default")),
        "FromKafka": ("worker", TriggerKind.KAFKA),
    }


def test_push_triggers(tmp_path: Path) -> None:
    out = load(tmp_path, TRIGGERS)
    triggers = {t.key: t for t in out.inventory.push_triggers}
    assert triggers == {
        "template.yaml#Uploads/LambdaConfigurations/0": PushTrigger(
            key="template.yaml#Uploads/LambdaConfigurations/0",
            function="template.yaml#Worker",
            kind=TriggerKind.S3,
            source="uploads",
            detail="s3:ObjectCreated:*",
            origin=origin("Uploads/LambdaConfigurations/0", "- Event: s3:ObjectCreated:*"),
        ),
        "template.yaml#Subscription": PushTrigger(
            key="template.yaml#Subscription",
            function="template.yaml#Worker",
            kind=TriggerKind.SNS,
            source="template.yaml#Topic",
            detail='{"kind":["order"]}',
            origin=origin("Subscription", "  Subscription:", nth=2),
        ),
        "template.yaml#Topic/Subscription/0": PushTrigger(
            key="template.yaml#Topic/Subscription/0",
            function="template.yaml#Worker",
            kind=TriggerKind.SNS,
            source="template.yaml#Topic",
            origin=origin("Topic/Subscription/0", "- {Protocol: lambda"),
        ),
        "template.yaml#Nightly/Targets/run": PushTrigger(
            key="template.yaml#Nightly/Targets/run",
            function="template.yaml#Worker",
            kind=TriggerKind.SCHEDULE,
            source=None,
            detail="rate(1 day)",
            origin=origin("Nightly/Targets/run", "- {Id: run"),
        ),
        "template.yaml#OnEvent/Targets/handle": PushTrigger(
            key="template.yaml#OnEvent/Targets/handle",
            function="template.yaml#Worker",
            kind=TriggerKind.EVENTBRIDGE,
            source="orders",
            detail='{"source":["app.orders"]}',
            origin=origin("OnEvent/Targets/handle", "- Id: handle"),
        ),
        "template.yaml#Schedule": PushTrigger(
            key="template.yaml#Schedule",
            function="template.yaml#Worker",
            kind=TriggerKind.SCHEDULE,
            source=None,
            detail="cron(0 3 * * ? *)",
            origin=origin("Schedule", "  Schedule:"),
        ),
        "template.yaml#LogsToLambda": PushTrigger(
            key="template.yaml#LogsToLambda",
            function="template.yaml#Worker",
            kind=TriggerKind.CLOUDWATCH_LOGS,
            source="/aws/lambda/other",
            detail="ERROR",
            origin=origin("LogsToLambda", "  LogsToLambda:"),
        ),
    }
    assert fields(triggers["template.yaml#Uploads/LambdaConfigurations/0"]) == {
        "source": line(TRIGGERS, "BucketName: uploads"),
        "function": line(TRIGGERS, "Function: !GetAtt Worker.Arn"),
        "detail": line(TRIGGERS, "- Event: s3:ObjectCreated:*"),
    }
    (worker,) = out.inventory.functions
    assert len(out.inventory.push_triggers_of(worker)) == 7


MORE = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: r}
  Targets:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: lambda
      Targets: [{Id: !GetAtt Fn.Arn}]
  Instances:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {TargetType: instance, Targets: [{Id: i-123}]}
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      LambdaConfig:
        PreSignUp: !GetAtt Fn.Arn
        KMSKeyID: arn:aws:kms:us-east-1:123456789012:key/k
        CustomEmailSender: {LambdaArn: !GetAtt Fn.Arn, LambdaVersion: V1_0}
  Rule:
    Type: AWS::IoT::TopicRule
    Properties:
      TopicRulePayload:
        Sql: SELECT * FROM 'devices/+'
        Actions:
          - Lambda: {FunctionArn: !GetAtt Fn.Arn}
          - Sqs: {QueueUrl: q, RoleArn: r}
"""


def test_load_balancer_cognito_and_iot_triggers(tmp_path: Path) -> None:
    out = load(tmp_path, MORE)
    assert diagnostics(out) == set()
    found = [
        (t.key, t.function, t.kind, t.source, t.detail, t.origin.line) for t in out.inventory.push_triggers
    ]
    assert found == [
        (
            "template.yaml#Targets/Targets/0",
            "template.yaml#Fn",
            TriggerKind.ALB,
            "template.yaml#Targets",
            None,
            line(MORE, "Targets: [{Id"),
        ),
        (
            "template.yaml#Pool/LambdaConfig/PreSignUp",
            "template.yaml#Fn",
            TriggerKind.COGNITO,
            "template.yaml#Pool",
            "PreSignUp",
            line(MORE, "PreSignUp"),
        ),
        (
            "template.yaml#Pool/LambdaConfig/CustomEmailSender",
            "template.yaml#Fn",
            TriggerKind.COGNITO,
            "template.yaml#Pool",
            "CustomEmailSender",
            line(MORE, "CustomEmailSender"),
        ),
        (
            "template.yaml#Rule/Actions/0",
            "template.yaml#Fn",
            TriggerKind.IOT,
            "template.yaml#Rule",
            "SELECT * FROM 'devices/+'",
            line(MORE, "- Lambda:"),
        ),
    ]


CUSTOM = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: resize, Role: r}
  Uploads: {Type: AWS::S3::Bucket}
  UploadsNotifications:
    Type: Custom::S3BucketNotifications
    Properties:
      ServiceToken: !GetAtt BucketNotificationsHandler.Arn
      BucketName: !Ref Uploads
      NotificationConfiguration:
        LambdaFunctionConfigurations:
          - Events: [s3:ObjectCreated:*, s3:ObjectRemoved:*]
            LambdaFunctionArn: !GetAtt Fn.Arn
          - Events: [s3:ObjectRestore:Completed]
      Managed: true
  ImportedNotifications:
    Type: Custom::S3BucketNotifications
    Properties:
      ServiceToken: !GetAtt BucketNotificationsHandler.Arn
      BucketName: legacy-photos
      NotificationConfiguration:
        LambdaFunctionConfigurations:
          - Events: [s3:ObjectCreated:Put]
            LambdaFunctionArn: !GetAtt Fn.Arn
      Managed: false
  FnCustomS31:
    Type: Custom::S3
    Properties:
      ServiceToken: !GetAtt CustomDashresourceDashexistingDashs3LambdaFunction.Arn
      FunctionName: resize
      BucketName: archive
      BucketConfigs:
        - Event: s3:ObjectCreated:*
          Rules: [{Prefix: in/}]
  FnCustomCognitoUserPool1:
    Type: Custom::CognitoUserPool
    Properties:
      ServiceToken: !GetAtt CustomDashresourceDashexistingDashcupLambdaFunction.Arn
      FunctionName: resize
      UserPoolName: legacy-users
      UserPoolConfigs:
        - Trigger: PreSignUp
  Unrelated:
    Type: Custom::S3
    Properties: {ServiceToken: !GetAtt Fn.Arn, Path: reports/}
"""


def test_custom_resources_that_set_notifications_and_pool_triggers(tmp_path: Path) -> None:
    """The CDK's `Custom::S3BucketNotifications` (for every `addEventNotification`) and the Serverless
    Framework's `Custom::S3` / `Custom::CognitoUserPool` (existing bucket / pool) are triggers; another
    custom resource of the same type name is not."""
    out = load(tmp_path, CUSTOM)
    assert diagnostics(out) == {
        (
            "warning",
            "template.yaml",
            line(CUSTOM, "- Events: [s3:ObjectRestore"),
            "`UploadsNotifications`: required property "
            "`NotificationConfiguration.LambdaFunctionConfigurations[1].LambdaFunctionArn` is missing",
        )
    }
    found = [
        (t.key, t.function, t.kind, t.source, t.detail, t.origin.line) for t in out.inventory.push_triggers
    ]
    assert found == [
        (
            "template.yaml#UploadsNotifications/LambdaFunctionConfigurations/0",
            "template.yaml#Fn",
            TriggerKind.S3,
            "template.yaml#Uploads",
            "s3:ObjectCreated:*,s3:ObjectRemoved:*",
            line(CUSTOM, "- Events: [s3:ObjectCreated:*"),
        ),
        (
            "template.yaml#ImportedNotifications/LambdaFunctionConfigurations/0",
            "template.yaml#Fn",
            TriggerKind.S3,
            "legacy-photos",
            "s3:ObjectCreated:Put",
            line(CUSTOM, "- Events: [s3:ObjectCreated:Put"),
        ),
        (
            "template.yaml#FnCustomS31/BucketConfigs/0",
            "resize",  # the framework names the function
            TriggerKind.S3,
            "archive",
            "s3:ObjectCreated:*",
            line(CUSTOM, "- Event: s3:ObjectCreated:*"),
        ),
        (
            "template.yaml#FnCustomCognitoUserPool1/UserPoolConfigs/0",
            "resize",
            TriggerKind.COGNITO,
            "legacy-users",
            "PreSignUp",
            line(CUSTOM, "- Trigger: PreSignUp"),
        ),
    ]
    (function,) = out.inventory.functions
    assert [t.key for t in out.inventory.push_triggers_of(function)] == [t[0] for t in found]
