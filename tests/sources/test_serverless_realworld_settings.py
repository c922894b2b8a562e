"""serverless.yml settings as real services write them: built images, null authorizers, pseudo parameters."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    AuthorizationKind,
    CodeLocation,
    PackageType,
    PolicyDocument,
    SourceKind,
    Unresolved,
)
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.serverless.compile import compile_service
from lambdasec.sources.yaml_events import load_template_text
from serverless_files import load_service


def test_an_image_the_framework_builds_has_no_known_uri(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: images
        provider:
          name: aws
          ecr:
            images:
              browser:
                path: ./
                file: Dockerfile.browser
              existing:
                uri: 111122223333.dkr.ecr.us-east-1.amazonaws.com/base@sha256:def
        functions:
          built:
            image: browser
          named:
            image:
              name: browser
          pulled:
            image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc
          declared:
            image: existing
        """,
    )

    assert diagnostics == ()
    assert {f.name: (f.package_type, f.code) for f in inventory.functions} == {
        "images-dev-built": (
            PackageType.IMAGE,
            CodeLocation(image_uri=Unresolved("image `browser` built from provider.ecr.images")),
        ),
        "images-dev-named": (
            PackageType.IMAGE,
            CodeLocation(image_uri=Unresolved("image `browser` built from provider.ecr.images")),
        ),
        "images-dev-declared": (
            PackageType.IMAGE,
            CodeLocation(image_uri="111122223333.dkr.ecr.us-east-1.amazonaws.com/base@sha256:def"),
        ),
        "images-dev-pulled": (
            PackageType.IMAGE,
            CodeLocation(image_uri="111122223333.dkr.ecr.us-east-1.amazonaws.com/app@sha256:abc"),
        ),
    }


def test_a_null_authorizer_is_no_authorizer(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: login
        provider:
          name: aws
        functions:
          login:
            handler: h.login
            events:
              - http:
                  path: user/login
                  method: post
                  authorizer: null
        """,
    )

    assert diagnostics == ()
    assert [(r.path, r.authorization) for r in inventory.api_routes] == [
        ("/user/login", AuthorizationKind.NONE)
    ]


def test_pseudo_parameters_become_substitutions_with_the_plugin(tmp_path: Path) -> None:
    """`#{AWS::AccountId}` is the account (unknown here), not literal text in the ARN."""
    inventory, _ = load_service(
        tmp_path,
        """\
        service: notifier
        plugins:
          - serverless-pseudo-parameters
        provider:
          name: aws
          region: us-west-2
          iam:
            role:
              statements:
                - Effect: Allow
                  Action: ssm:GetParameter
                  Resource:
                    - arn:aws:ssm:#{AWS::Region}:#{AWS::AccountId}:parameter/notifier/*
                    - arn:aws:ssm:us-west-2:111122223333:parameter/plain
        functions:
          fn:
            handler: h.handler
            environment:
              REGION: "#{AWS::Region}"
        """,
    )

    (function,) = inventory.functions
    assert not isinstance(function.environment, Unresolved)
    assert [(v.name, v.value) for v in function.environment] == [("REGION", "us-west-2")]
    (role,) = inventory.roles
    resources = set()
    for policy in role.policies:
        assert isinstance(policy.document, PolicyDocument)
        for statement in policy.document.statements:
            if statement.actions == ("ssm:GetParameter",):
                assert isinstance(statement.resources, tuple)
                resources.update(statement.resources)
    assert resources == {
        Unresolved("!Sub arn:aws:ssm:us-west-2:${AWS::AccountId}:parameter/notifier/*"),
        "arn:aws:ssm:us-west-2:111122223333:parameter/plain",
    }


def test_an_authorizer_created_elsewhere_still_makes_the_route_authorized(tmp_path: Path) -> None:
    """`authorizer: {type: CUSTOM, authorizerId: ...}`: what runs is unknown, that it is authorized is not."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: composed
        provider:
          name: aws
        stages:
          default:
            params:
              authorizerId: abc123
        functions:
          hello:
            handler: h.hello
            events:
              - http:
                  method: get
                  path: hello
                  authorizer:
                    type: CUSTOM
                    authorizerId: ${param:authorizerId}
              - http:
                  method: get
                  path: pool
                  authorizer:
                    type: COGNITO_USER_POOLS
                    authorizerId: {Ref: PoolAuthorizer}
        """,
    )

    assert diagnostics == ()
    assert sorted((r.path, r.authorization, r.authorizer) for r in inventory.api_routes) == [
        (
            "/hello",
            AuthorizationKind.CUSTOM,
            "serverless.yml#ApiGatewayRestApi/authorizers/ExternalAuthorizer1",
        ),
        (
            "/pool",
            AuthorizationKind.COGNITO,
            "serverless.yml#ApiGatewayRestApi/authorizers/ExternalAuthorizer2",
        ),
    ]


POLLED = """\
service: settings
provider:
  name: aws
  httpApi:
    name: custom-http-name
functions:
  worker:
    handler: h.worker
    ephemeralStorageSize: 2048
    events:
      - httpApi: GET /work
      - sqs:
          arn: arn:aws:sqs:us-east-1:111122223333:jobs
          functionResponseType: ReportBatchItemFailures
          maximumConcurrency: 5
      - stream:
          arn: arn:aws:kinesis:us-east-1:111122223333:stream/clicks
          batchWindow: 10
          maximumRecordAgeInSeconds: 120
          parallelizationFactor: 2
          functionResponseType: ReportBatchItemFailures
"""


def test_function_and_event_settings_reach_the_inventory(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(tmp_path, POLLED)

    assert diagnostics == ()
    (function,) = inventory.functions
    assert function.ephemeral_storage_mb == 2048
    assert [a.name for a in inventory.apis] == ["custom-http-name"]


def test_polled_event_settings_are_compiled(tmp_path: Path) -> None:
    """Settings the inventory does not hold yet are still compiled to the event source mappings."""
    diagnostics = Diagnostics(file="serverless.yml", source=SourceKind.SERVERLESS)
    document = load_template_text(POLLED)
    template = compile_service(document, stage="dev", region="us-east-1", diagnostics=diagnostics)

    events = template["Resources"]["WorkerLambdaFunction"]["Properties"]["Events"]
    assert dict(events["Sqs2"]["Properties"]) == {
        "Queue": "arn:aws:sqs:us-east-1:111122223333:jobs",
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "ScalingConfig": {"MaximumConcurrency": 5},
    }
    assert dict(events["Stream3"]["Properties"]) == {
        "StartingPosition": "TRIM_HORIZON",
        "Stream": "arn:aws:kinesis:us-east-1:111122223333:stream/clicks",
        "MaximumBatchingWindowInSeconds": 10,
        "MaximumRecordAgeInSeconds": 120,
        "ParallelizationFactor": 2,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }
    assert template["Resources"]["ServerlessDeploymentBucket"] == {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            }
        },
    }
    assert diagnostics.items == ()


def test_http_api_authorizers_by_name_id_and_iam(tmp_path: Path) -> None:
    """`authorizer: {id: ...}` (an API created elsewhere) leaves the route authorization unknown, quietly."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: hv
        provider:
          name: aws
          httpApi:
            authorizers:
              customAuth:
                type: request
                functionName: authFn
        functions:
          authFn:
            handler: h.auth
          api:
            handler: h.api
            events:
              - httpApi:
                  method: GET
                  path: /named
                  authorizer:
                    name: customAuth
              - httpApi:
                  method: GET
                  path: /external
                  authorizer:
                    id: abc123
              - httpApi:
                  method: GET
                  path: /iam
                  authorizer:
                    type: aws_iam
        """,
    )

    assert diagnostics == ()
    assert sorted(
        (r.path, r.authorization, r.authorizer) for r in inventory.api_routes if r.path != "/external"
    ) == [
        ("/iam", AuthorizationKind.AWS_IAM, None),
        ("/named", AuthorizationKind.CUSTOM, "serverless.yml#HttpApi/authorizers/CustomAuth"),
    ]
    (external,) = [r for r in inventory.api_routes if r.path == "/external"]
    assert isinstance(external.authorization, Unresolved)
    assert external.authorization.reason.endswith("authorizer id abc123")


def test_each_rate_of_a_schedule_is_a_rule_and_access_logging_can_be_off(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: timed
        provider:
          name: aws
          logs:
            restApi:
              accessLogging: false
              executionLogging: true
        functions:
          tick:
            handler: h.tick
            events:
              - schedule:
                  rate:
                    - cron(0 8 * * ? *)
                    - rate(2 hours)
              - http: GET /tick
        """,
    )

    assert diagnostics == ()
    assert sorted((t.detail, t.origin.line) for t in inventory.push_triggers) == [
        ("cron(0 8 * * ? *)", 12),
        ("rate(2 hours)", 12),
    ]
    assert [(s.name, s.access_logging) for s in inventory.api_stages] == [("dev", False)]


def test_http_events_with_a_non_lambda_integration_do_not_invoke_the_function(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: integrations
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            events:
              - http: {path: proxied, method: get, integration: lambda}
              - http: {path: mocked, method: get, integration: mock}
              - http: {path: forwarded, method: get, integration: http-proxy}
              - http: {path: plain, method: get, integration: HTTP_PROXY}
        """,
    )

    assert diagnostics == ()
    assert [(r.path, r.function) for r in inventory.api_routes] == [
        ("/proxied", "serverless.yml#FnLambdaFunction")
    ]


def test_per_function_roles_with_a_fork_of_the_plugin_and_a_custom_role_name(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: roles
        plugins:
          - serverless-iam-roles-per-function-v4
        provider:
          name: aws
        functions:
          reader:
            handler: h.read
            iamRoleStatementsName: reader-role
            iamRoleStatements:
              - Effect: Allow
                Action: dynamodb:GetItem
                Resource: arn:aws:dynamodb:us-east-1:111122223333:table/items
        """,
    )

    assert diagnostics == ()
    (function,) = inventory.functions
    assert function.role == "serverless.yml#ReaderIamRoleLambdaExecution"
    assert [(r.key, r.name) for r in inventory.roles] == [
        ("serverless.yml#ReaderIamRoleLambdaExecution", "reader-role")
    ]


def test_the_endpoint_type_reaches_the_rest_api(tmp_path: Path) -> None:
    """`provider.endpointType` is kept on the REST API the framework creates (PRIVATE APIs included)."""
    text = """\
service: internal
provider:
  name: aws
  endpointType: private
functions:
  fn:
    handler: h.handler
    events:
      - http: GET /internal
"""
    diagnostics = Diagnostics(file="serverless.yml", source=SourceKind.SERVERLESS)
    template = compile_service(
        load_template_text(text), stage="dev", region="us-east-1", diagnostics=diagnostics
    )

    api = template["Resources"]["ApiGatewayRestApi"]["Properties"]
    assert (api["EndpointConfiguration"], api.key_lines["EndpointConfiguration"]) == ({"Type": "PRIVATE"}, 4)
    assert diagnostics.items == ()


def test_a_per_function_role_carries_its_events_statements_and_boundary(tmp_path: Path) -> None:
    """As the plugin does: the role may poll its queue; `iamPermissionsBoundary` bounds it."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: workers
        plugins:
          - serverless-iam-roles-per-function
        custom:
          serverless-iam-roles-per-function:
            iamGlobalPermissionsBoundary: arn:aws:iam::111122223333:policy/global
        provider:
          name: aws
        functions:
          worker:
            handler: h.work
            iamPermissionsBoundary: arn:aws:iam::111122223333:policy/worker
            iamRoleStatements:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::inputs/*
            events:
              - sqs: arn:aws:sqs:us-east-1:111122223333:jobs
          other:
            handler: h.other
            iamRoleStatements: []
        """,
    )

    assert diagnostics == ()
    roles = {r.key.split("#")[1]: r for r in inventory.roles}
    assert {key: role.permissions_boundary for key, role in roles.items()} == {
        "WorkerIamRoleLambdaExecution": "arn:aws:iam::111122223333:policy/worker",
        "OtherIamRoleLambdaExecution": "arn:aws:iam::111122223333:policy/global",
    }
    actions = set()
    for policy in roles["WorkerIamRoleLambdaExecution"].policies:
        assert isinstance(policy.document, PolicyDocument)
        for statement in policy.document.statements:
            assert isinstance(statement.actions, tuple)
            actions.update(statement.actions)
    assert actions == {
        "logs:CreateLogStream",
        "logs:CreateLogGroup",
        "logs:TagResource",
        "logs:PutLogEvents",
        "s3:GetObject",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
    }


def test_stack_tags_tag_the_functions_under_provider_and_function_tags(tmp_path: Path) -> None:
    inventory, _ = load_service(
        tmp_path,
        """\
        service: tagged
        provider:
          name: aws
          stackTags:
            team: payments
            env: stack
          tags:
            env: provider
        functions:
          fn:
            handler: h.handler
            tags:
              owner: alice
        """,
    )

    (function,) = inventory.functions
    assert function.tags == (("team", "payments"), ("env", "provider"), ("owner", "alice"))


def test_the_dead_letter_plugin_gives_functions_a_dead_letter_queue(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: dlq
        plugins:
          - serverless-plugin-lambda-dead-letter
        provider:
          name: aws
        functions:
          byResource:
            handler: h.a
            deadLetter:
              targetArn:
                GetResourceArn: DeadLetterQueue
          byArn:
            handler: h.b
            deadLetter:
              targetArn: arn:aws:sns:us-east-1:111122223333:failures
          created:
            handler: h.c
            deadLetter:
              sqs: created-dlq
        resources:
          Resources:
            DeadLetterQueue:
              Type: AWS::SQS::Queue
        """,
    )

    assert diagnostics == ()
    assert {f.name: f.dead_letter_target for f in inventory.functions} == {
        "dlq-dev-byResource": Unresolved("!GetAtt DeadLetterQueue.Arn"),
        "dlq-dev-byArn": "arn:aws:sns:us-east-1:111122223333:failures",
        "dlq-dev-created": Unresolved("the SQS dead-letter target the plugin creates"),
    }
