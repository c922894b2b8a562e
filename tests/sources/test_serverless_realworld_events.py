"""serverless.yml events of other services: Alexa, IoT, Cognito, CloudWatch Logs, Kafka, MQ and WebSockets."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    ApiKind,
    AuthorizationKind,
    Inventory,
    PolicyDocument,
    TriggerKind,
    Unresolved,
)
from serverless_files import load_service


def _statements(inventory: Inventory) -> set[tuple[tuple[str, ...], tuple[object, ...]]]:
    """(actions, resources) of the shared role's inline policy, without the log statements."""
    (role,) = inventory.roles
    out: set[tuple[tuple[str, ...], tuple[object, ...]]] = set()
    for policy in role.policies:
        assert isinstance(policy.document, PolicyDocument)
        for statement in policy.document.statements:
            assert isinstance(statement.actions, tuple) and isinstance(statement.resources, tuple)
            if not any(str(action).startswith("logs:") for action in statement.actions):
                out.add((tuple(map(str, statement.actions)), statement.resources))
    return out


SERVICES = """\
service: events
provider:
  name: aws
  runtime: python3.12
functions:
  skill:
    handler: h.skill
    events:
      - alexaSkill
      - alexaSkill: amzn1.ask.skill.1234
      - alexaSmartHome:
          appId: amzn1.ask.skill.5678
  button:
    handler: h.button
    events:
      - iot:
          sql: "SELECT * FROM 'mybutton'"
  signup:
    handler: h.signup
    events:
      - cognitoUserPool:
          pool: MyUserPool
          trigger: PreSignUp
      - cognitoUserPool:
          pool: Legacy
          trigger: CustomMessage
          existing: true
  logs:
    handler: h.logs
    events:
      - cloudwatchLog: /aws/lambda/other
      - cloudwatchLog:
          logGroup: /aws/lambda/third
          filter: '{$.level = "ERROR"}'
  streams:
    handler: h.streams
    events:
      - msk:
          arn: arn:aws:kafka:us-east-1:111122223333:cluster/orders/abc
          topic: orders
      - kafka:
          topic: payments
          bootstrapServers: [broker-1:9092]
          accessConfigurations:
            saslScram512Auth: arn:aws:secretsmanager:us-east-1:111122223333:secret:kafka
      - rabbitmq:
          arn: arn:aws:mq:us-east-1:111122223333:broker:jobs:b-1
          queue: jobs
          basicAuthArn: arn:aws:secretsmanager:us-east-1:111122223333:secret:mq
"""


def test_service_events_become_permissions_triggers_and_mappings(tmp_path: Path) -> None:
    """`- alexaSkill` alone is an event too; each event is what the framework deploys for it."""
    inventory, diagnostics = load_service(tmp_path, SERVICES)

    assert diagnostics == ()
    assert {
        (p.key.split("#")[1], p.principal, p.event_source_token, p.origin.line) for p in inventory.permissions
    } == {
        ("SkillLambdaFunctionAlexaSkill1Permission", "alexa-appkit.amazon.com", None, 9),
        ("SkillLambdaFunctionAlexaSkill2Permission", "alexa-appkit.amazon.com", "amzn1.ask.skill.1234", 10),
        (
            "SkillLambdaPermissionAlexaSmartHome3",
            "alexa-connectedhome.amazon.com",
            "amzn1.ask.skill.5678",
            11,
        ),
        ("ButtonLambdaFunctionIot1Permission", "iot.amazonaws.com", None, 16),
        ("SignupLambdaFunctionCognitoUserPool1Permission", "cognito-idp.amazonaws.com", None, 21),
        ("SignupLambdaPermissionCognitoUserPoolLegacy2", "cognito-idp.amazonaws.com", None, 25),
        ("LogsLambdaFunctionCloudwatchLog1Permission", "logs.amazonaws.com", None, 31),
        ("LogsLambdaFunctionCloudwatchLog2Permission", "logs.amazonaws.com", None, 32),
    }
    assert {(t.function.split("#")[1], t.kind, t.detail, t.origin.line) for t in inventory.push_triggers} == {
        ("ButtonLambdaFunction", TriggerKind.IOT, "SELECT * FROM 'mybutton'", 16),
        ("SignupLambdaFunction", TriggerKind.COGNITO, "PreSignUp", 21),
        ("SignupLambdaFunction", TriggerKind.COGNITO, "CustomMessage", 24),  # the existing pool
        ("LogsLambdaFunction", TriggerKind.CLOUDWATCH_LOGS, "", 31),
        ("LogsLambdaFunction", TriggerKind.CLOUDWATCH_LOGS, '{$.level = "ERROR"}', 32),
    }
    assert {(m.key.split("#")[1], m.kind, m.event_source_arn) for m in inventory.event_source_mappings} == {
        (
            "StreamsLambdaFunctionMsk1",
            TriggerKind.KAFKA,
            "arn:aws:kafka:us-east-1:111122223333:cluster/orders/abc",
        ),
        ("StreamsLambdaFunctionKafka2", TriggerKind.KAFKA, None),
        (
            "StreamsLambdaFunctionRabbitmq3",
            TriggerKind.MQ,
            "arn:aws:mq:us-east-1:111122223333:broker:jobs:b-1",
        ),
    }
    eni = (
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
    )
    assert _statements(inventory) == {
        (
            ("kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"),
            ("arn:aws:kafka:us-east-1:111122223333:cluster/orders/abc",),
        ),
        (eni, ("*",)),
        (("secretsmanager:GetSecretValue",), ("arn:aws:secretsmanager:us-east-1:111122223333:secret:kafka",)),
        (("mq:DescribeBroker",), ("arn:aws:mq:us-east-1:111122223333:broker:jobs:b-1",)),
        (("secretsmanager:GetSecretValue",), ("arn:aws:secretsmanager:us-east-1:111122223333:secret:mq",)),
    }


def test_existing_buckets_and_pools_are_triggers_set_by_the_frameworks_custom_resources(
    tmp_path: Path,
) -> None:
    """`existing: true`: the framework sets the notification (`Custom::S3`) or the pool trigger
    (`Custom::CognitoUserPool`) at deploy time; each event is a trigger at its own lines."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: uploads
        provider:
          name: aws
          runtime: python3.12
        functions:
          resize:
            handler: app.handler
            events:
              - s3:
                  bucket: legacy-photos
                  event: s3:ObjectCreated:*
                  rules:
                    - prefix: uploads/
                  existing: true
              - s3:
                  bucket: legacy-photos
                  event: s3:ObjectRemoved:*
                  existing: true
          signup:
            handler: app.handler
            events:
              - cognitoUserPool:
                  pool: legacy-users
                  trigger: PreSignUp
                  existing: true
              - cognitoUserPool:
                  pool: legacy-users
                  trigger: PostConfirmation
                  existing: true
        """,
    )

    assert diagnostics == ()
    assert [
        (t.key, t.function, t.kind, t.source, t.detail, t.origin.line, dict(t.origin.fields))
        for t in inventory.push_triggers
    ] == [
        (
            "serverless.yml#ResizeCustomS31/BucketConfigs/0",
            "serverless.yml#ResizeLambdaFunction",
            TriggerKind.S3,
            "legacy-photos",
            "s3:ObjectCreated:*",
            10,
            {"function": 10, "source": 10, "detail": 11},
        ),
        (
            "serverless.yml#ResizeCustomS31/BucketConfigs/1",
            "serverless.yml#ResizeLambdaFunction",
            TriggerKind.S3,
            "legacy-photos",
            "s3:ObjectRemoved:*",
            16,
            {"function": 10, "source": 10, "detail": 17},
        ),
        (
            "serverless.yml#SignupCustomCognitoUserPool1/UserPoolConfigs/0",
            "serverless.yml#SignupLambdaFunction",
            TriggerKind.COGNITO,
            "legacy-users",
            "PreSignUp",
            22,
            {"function": 22, "source": 22, "detail": 24},
        ),
        (
            "serverless.yml#SignupCustomCognitoUserPool1/UserPoolConfigs/1",
            "serverless.yml#SignupLambdaFunction",
            TriggerKind.COGNITO,
            "legacy-users",
            "PostConfirmation",
            26,
            {"function": 22, "source": 22, "detail": 28},
        ),
    ]
    # S3 may invoke the function for that bucket only, as the custom resource allows it.
    assert [
        (p.key, p.principal, p.source_arn) for p in inventory.permissions if p.principal.startswith("s3")
    ] == [
        (
            "serverless.yml#ResizeLambdaFunctionS31Permission",
            "s3.amazonaws.com",
            "arn:aws:s3:::legacy-photos",
        ),
        (
            "serverless.yml#ResizeLambdaFunctionS32Permission",
            "s3.amazonaws.com",
            "arn:aws:s3:::legacy-photos",
        ),
    ]


def test_events_missing_what_they_need_are_warnings(tmp_path: Path) -> None:
    _, diagnostics = load_service(
        tmp_path,
        """\
        service: incomplete
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            events:
              - iot: {}
              - cognitoUserPool: {pool: Users}
              - alexaSmartHome
              - msk: {arn: arn:aws:kafka:us-east-1:111122223333:cluster/c/1}
              - websocket: {authorizer: auth}
        """,
    )

    assert {(d.line, d.message) for d in diagnostics} == {
        (8, "`iot` event needs `sql`"),
        (9, "`cognitoUserPool` event needs a `pool` name and a `trigger`"),
        (10, "`alexaSmartHome` event needs an `appId`"),
        (11, "`msk` event needs a cluster `arn` and a `topic`"),
        (12, "`websocket` event needs a `route`"),
    }


WEBSOCKETS = """\
service: chat
provider:
  name: aws
  runtime: nodejs20.x
functions:
  connect:
    handler: handler.connect
    events:
      - websocket:
          route: $connect
          authorizer:
            name: auth
            identitySource:
              - route.request.querystring.token
  default:
    handler: handler.default
    events:
      - websocket: $default
  auth:
    handler: handler.auth
"""


def test_websocket_routes_are_an_api_with_routes_authorizer_and_permissions(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(tmp_path, WEBSOCKETS)

    assert diagnostics == ()
    assert [(a.key, a.kind, a.name, a.origin.line) for a in inventory.apis] == [
        ("serverless.yml#WebsocketsApi", ApiKind.WEBSOCKET, "dev-chat-websockets", 9)
    ]
    assert [(s.key, s.name) for s in inventory.api_stages] == [
        ("serverless.yml#WebsocketsDeploymentStage", "dev")
    ]
    assert {
        (r.key, r.path, r.function, r.authorization, r.authorizer, r.origin.line)
        for r in inventory.api_routes
    } == {
        (
            "serverless.yml#SconnectWebsocketsRoute",
            "$connect",
            "serverless.yml#ConnectLambdaFunction",
            AuthorizationKind.CUSTOM,
            "serverless.yml#AuthWebsocketsAuthorizer",
            9,
        ),
        (
            "serverless.yml#SdefaultWebsocketsRoute",
            "$default",
            "serverless.yml#DefaultLambdaFunction",
            AuthorizationKind.NONE,
            None,
            18,
        ),
    }
    assert [(a.key, a.function) for a in inventory.authorizers] == [
        ("serverless.yml#AuthWebsocketsAuthorizer", "serverless.yml#AuthLambdaFunction")
    ]
    # The framework's WebSocket permissions name no source API.
    assert {(p.key, p.function, p.principal, p.source_arn) for p in inventory.permissions} == {
        (
            "serverless.yml#ConnectLambdaPermissionWebsockets",
            "serverless.yml#ConnectLambdaFunction",
            "apigateway.amazonaws.com",
            None,
        ),
        (
            "serverless.yml#DefaultLambdaPermissionWebsockets",
            "serverless.yml#DefaultLambdaFunction",
            "apigateway.amazonaws.com",
            None,
        ),
        (
            "serverless.yml#AuthLambdaPermissionWebsocketsAuthorizer",
            "serverless.yml#AuthLambdaFunction",
            "apigateway.amazonaws.com",
            None,
        ),
    }
    assert _statements(inventory) == {
        (("execute-api:ManageConnections",), ("arn:aws:execute-api:*:*:*/@connections/*",))
    }


def test_alb_events_are_a_lambda_target_group_with_a_permission_for_it(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: lb
        provider:
          name: aws
        functions:
          web:
            handler: h.web
            events:
              - alb:
                  listenerArn: arn:aws:elasticloadbalancing:us-east-1:1:listener/app/lb/50dc6c495c0c9188/f2
                  priority: 1
                  conditions:
                    path: /hello
              - alb: {priority: 2}
        """,
    )

    assert {(d.line, d.message) for d in diagnostics} == {
        (13, "`alb` event needs a `listenerArn` and a `priority`")
    }
    assert [(t.kind, t.function, t.source, t.origin.line) for t in inventory.push_triggers] == [
        (
            TriggerKind.ALB,
            "serverless.yml#WebLambdaFunction",
            "serverless.yml#WebAlbTargetGroup50dc6c495c0c9188",
            8,
        )
    ]
    assert [(p.key, p.principal, p.source_arn) for p in inventory.permissions] == [
        (
            "serverless.yml#WebLambdaPermissionAlb",
            "elasticloadbalancing.amazonaws.com",
            Unresolved("!Ref WebAlbTargetGroup50dc6c495c0c9188"),
        )
    ]


def test_events_of_a_function_with_provisioned_concurrency_invoke_its_alias(tmp_path: Path) -> None:
    """The framework points every event at the `provisioned` alias, also those compiled here to resources."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: warm
        provider:
          name: aws
        functions:
          api:
            handler: h.api
            provisionedConcurrency: 2
            events:
              - s3:
                  bucket: uploads
                  existing: true
              - websocket: $connect
              - alexaSkill: amzn1.ask.skill.1
        """,
    )

    assert diagnostics == ()
    assert {(p.key.split("#")[1], p.qualifier) for p in inventory.permissions} == {
        ("ApiLambdaFunctionS31Permission", "provisioned"),
        ("ApiLambdaPermissionWebsockets", "provisioned"),
        ("ApiLambdaFunctionAlexaSkill3Permission", "provisioned"),
    }
    assert [(r.path, r.function, r.qualifier) for r in inventory.api_routes] == [
        ("$connect", "serverless.yml#ApiLambdaFunction", "provisioned")
    ]


def test_stream_types_are_read_from_substitutions_and_referenced_resources(tmp_path: Path) -> None:
    """`#{AWS::Region}`-style ARNs (pseudo parameters plugin) and `!GetAtt` need no `type:`."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: streams
        plugins:
          - serverless-pseudo-parameters
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            events:
              - stream: arn:aws:kinesis:#{AWS::Region}:#{AWS::AccountId}:stream/clicks
              - stream: {arn: {Fn::GetAtt: [Clicks, Arn]}}
              - stream: {arn: {Fn::GetAtt: [Table, StreamArn]}}
              - stream: {arn: {Fn::GetAtt: [Unknown, Arn]}}
        resources:
          Resources:
            Clicks:
              Type: AWS::Kinesis::Stream
              Properties: {ShardCount: 1}
            Table:
              Type: AWS::DynamoDB::Table
              Properties:
                StreamSpecification: {StreamViewType: NEW_IMAGE}
        """,
    )

    assert {(d.line, d.message) for d in diagnostics} == {
        (13, "`stream` event needs `type: dynamodb` or `type: kinesis` with this `arn`")
    }
    assert sorted((m.key.split("#")[1], m.kind) for m in inventory.event_source_mappings) == [
        ("FnLambdaFunctionStream1", TriggerKind.KINESIS),
        ("FnLambdaFunctionStream2", TriggerKind.KINESIS),
        ("FnLambdaFunctionStream3", TriggerKind.DYNAMODB),
    ]


def test_websocket_access_logs_follow_provider_logs(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: chat
        provider:
          name: aws
          logRetentionInDays: 7
          logs:
            websocket: true
        functions:
          connect:
            handler: h.connect
            events:
              - websocket: $connect
        """,
    )

    assert diagnostics == ()
    assert [(s.name, s.access_logging) for s in inventory.api_stages] == [("dev", True)]
    assert ("/aws/websocket/chat-dev", 7, 6) in {
        (g.name, g.retention_days, g.origin.line) for g in inventory.log_groups
    }
