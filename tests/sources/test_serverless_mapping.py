"""serverless.yml functions, roles, log groups, URLs and events as the model objects the framework creates."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import (
    ApiKind,
    AuthorizationKind,
    AuthType,
    Inventory,
    SourceKind,
    Throttling,
    TracingMode,
    TriggerKind,
    Unresolved,
    VpcConfig,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SHOP = Path(__file__).resolve().parent / "serverless" / "shop" / "serverless.yml"
K = "serverless.yml#"


def _load(path: Path, *, environ: dict[str, str] | None = None) -> Inventory:
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ=environ or {"HOME_DIR": "/home/x"}, options={})
    assert diagnostics == ()
    assert inventory is not None
    return inventory


def _line(marker: str, *, after: int = 0) -> int:
    lines = SHOP.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if marker in text and n > after)


@pytest.fixture(scope="module")
def shop() -> Inventory:
    return _load(SHOP)


def test_functions_get_framework_names_defaults_and_merged_settings(shop: Inventory) -> None:
    api, worker = shop.functions
    assert not isinstance(api.environment, Unresolved)
    assert not isinstance(worker.environment, Unresolved)

    assert (api.key, api.name, worker.name) == (f"{K}ApiLambdaFunction", "shop-dev-api", "shop-dev-worker")
    assert (api.memory_mb, api.timeout_s, worker.timeout_s) == (1024, 6, 30)
    assert api.runtime == "python3.12"
    assert api.handler == "app.handler"
    assert [(v.name, v.value) for v in api.environment] == [
        ("SHARED", "two"),
        ("REGION_NAME", "us-east-1"),
        ("TOKEN", Unresolved("${ssm:/shop/token}")),
        ("HOME_DIR", "/home/x"),
    ]
    assert [(v.name, v.value) for v in worker.environment] == [
        ("SHARED", "one"),
        ("REGION_NAME", "us-east-1"),
    ]
    assert api.origin.source is SourceKind.SERVERLESS
    assert api.origin.line == _line("  api:")
    assert api.origin.line_of("environment.SHARED") == _line("SHARED: two")
    assert worker.origin.line_of("environment.SHARED") == _line("SHARED: one")
    assert api.kms_key_arn == "arn:aws:kms:us-east-1:111122223333:key/abc"
    assert (api.tracing, worker.tracing) == (TracingMode.ACTIVE, TracingMode.PASS_THROUGH)
    assert (api.reserved_concurrency, worker.reserved_concurrency) == (5, None)
    assert api.vpc == VpcConfig(subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-1",))
    assert api.tags == ()
    assert api.role == worker.role == f"{K}IamRoleLambdaExecution"


def test_shared_execution_role_has_log_provider_and_event_statements(shop: Inventory) -> None:
    (role,) = shop.roles
    (policy,) = role.policies

    assert (role.key, role.name) == (f"{K}IamRoleLambdaExecution", "shop-dev-us-east-1-lambdaRole")
    assert role.managed_policy_arns == (
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    )
    assert policy.name == "shop-dev-lambda"
    assert not isinstance(policy.document, Unresolved)
    statements = policy.document.statements
    assert [(s.actions, s.resources, s.origin.line) for s in statements[2:]] == [
        (("s3:GetObject",), ("arn:aws:s3:::shop-dev/*",), _line("- Effect: Allow")),
        (
            ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            ("arn:aws:sqs:us-east-1:111122223333:jobs",),
            _line("- sqs:"),
        ),
        (
            (
                "dynamodb:GetRecords",
                "dynamodb:GetShardIterator",
                "dynamodb:DescribeStream",
                "dynamodb:ListStreams",
            ),
            ("arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/1",),
            _line("- stream:"),
        ),
    ]
    assert [s.actions for s in statements[:2]] == [
        ("logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"),
        ("logs:PutLogEvents",),
    ]
    assert statements[0].resources == (
        Unresolved(
            "!Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}"
            ":log-group:/aws/lambda/shop-dev*:*"
        ),
    )


def test_log_groups_per_function_with_retention(shop: Inventory) -> None:
    assert [(g.key, g.name, g.retention_days) for g in shop.log_groups] == [
        (f"{K}ApiLogGroup", "/aws/lambda/shop-dev-api", 14),
        (f"{K}WorkerLogGroup", "/aws/lambda/shop-dev-worker", 14),
    ]


def test_function_url_with_iam_authorizer(shop: Inventory) -> None:
    (url,) = shop.function_urls

    assert (url.key, url.function, url.auth_type) == (
        f"{K}ApiLambdaFunctionUrl",
        f"{K}ApiLambdaFunction",
        AuthType.AWS_IAM,
    )
    assert url.origin.line_of("auth_type") == _line("authorizer: aws_iam")


def test_rest_and_http_api_routes(shop: Inventory) -> None:
    assert [(a.key, a.kind) for a in shop.apis] == [
        (f"{K}ApiGatewayRestApi", ApiKind.REST),
        (f"{K}HttpApi", ApiKind.HTTP),
    ]
    assert [s.name for s in shop.api_stages] == ["dev", "$default"]
    assert [
        (r.method, r.path, r.authorization, r.authorizer, r.api_key_required) for r in shop.api_routes
    ] == [
        ("GET", "/items/{id}", AuthorizationKind.NONE, None, True),
        ("POST", "/admin", AuthorizationKind.AWS_IAM, None, False),
        ("GET", "/public", AuthorizationKind.NONE, None, False),
        ("POST", "/secure", AuthorizationKind.JWT, f"{K}HttpApi/authorizers/JwtAuth", False),
    ]
    assert [r.origin.line for r in shop.api_routes] == [
        _line("- http:"),
        _line("- http:", after=_line("- http:")),
        _line("- httpApi:"),
        _line("- httpApi:", after=_line("- httpApi:")),
    ]
    assert [(a.key, a.kind) for a in shop.authorizers] == [
        (f"{K}HttpApi/authorizers/JwtAuth", AuthorizationKind.JWT)
    ]


def test_pull_and_push_event_sources(shop: Inventory) -> None:
    assert [(m.kind, m.event_source_arn, m.origin.line) for m in shop.event_source_mappings] == [
        (TriggerKind.SQS, "arn:aws:sqs:us-east-1:111122223333:jobs", _line("- sqs:")),
        (
            TriggerKind.DYNAMODB,
            "arn:aws:dynamodb:us-east-1:111122223333:table/t/stream/1",
            _line("- stream:"),
        ),
    ]
    assert [(t.kind, t.source, t.detail, t.origin.line) for t in shop.push_triggers] == [
        (TriggerKind.S3, "photos", "s3:ObjectCreated:*", _line("- s3:")),
        (TriggerKind.SNS, f"{K}SNSTopicAlerts", None, _line("- sns: alerts")),
        (TriggerKind.SCHEDULE, None, "rate(5 minutes)", _line("- schedule:")),
        (TriggerKind.EVENTBRIDGE, "default", '{"source":["aws.ec2"]}', _line("- eventBridge:")),
    ]
    assert {(p.function, p.principal) for p in shop.permissions} == {
        (f"{K}ApiLambdaFunction", "apigateway.amazonaws.com"),
        (f"{K}WorkerLambdaFunction", "sns.amazonaws.com"),
        (f"{K}WorkerLambdaFunction", "events.amazonaws.com"),
        (f"{K}WorkerLambdaFunction", "s3.amazonaws.com"),
    }


def test_api_access_logs_tracing_and_provisioned_concurrency(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: logged\n"
        "provider:\n"
        "  name: aws\n"
        "  logRetentionInDays: 7\n"
        "  logs:\n"
        "    restApi: true\n"
        "    httpApi: true\n"
        "  tracing:\n"
        "    apiGateway: true\n"
        "functions:\n"
        "  fn:\n"
        "    handler: h.handler\n"
        "    provisionedConcurrency: 2\n"
        "    events:\n"
        "      - http: GET /a\n"
        "      - httpApi: GET /b\n",
        encoding="utf-8",
    )
    inventory = _load(path)

    assert [(s.name, s.access_logging, s.tracing) for s in inventory.api_stages] == [
        ("dev", True, True),
        ("$default", True, False),
    ]
    assert [(g.name, g.retention_days, g.origin.line) for g in inventory.log_groups] == [
        ("/aws/lambda/logged-dev-fn", 7, 11),
        ("/aws/api-gateway/logged-dev", 7, 6),
        ("/aws/http-api/logged-dev", 7, 7),
    ]
    assert [(a.name, a.origin.line) for a in inventory.aliases] == [("provisioned", 13)]


def test_rest_authorizers_and_usage_plan_throttle(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: plan\n"
        "provider:\n"
        "  name: aws\n"
        "  apiGateway:\n"
        "    apiKeys: [partner]\n"
        "    usagePlan:\n"
        "      throttle: {burstLimit: 20, rateLimit: 10}\n"
        "functions:\n"
        "  auth:\n"
        "    handler: auth.handler\n"
        "  fn:\n"
        "    handler: h.handler\n"
        "    events:\n"
        "      - http: {path: a, method: get, private: true}\n"
        "      - http: {path: b, method: get, authorizer: auth}\n"
        "      - http:\n"
        "          path: c\n"
        "          method: get\n"
        "          authorizer: {arn: 'arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_x'}\n",
        encoding="utf-8",
    )
    inventory = _load(path)

    assert [
        (r.path, r.authorization, r.authorizer, r.api_key_required, r.throttling)
        for r in inventory.api_routes
    ] == [
        ("/a", AuthorizationKind.NONE, None, True, Throttling(rate_limit=10.0, burst_limit=20)),
        ("/b", AuthorizationKind.CUSTOM, f"{K}ApiGatewayRestApi/authorizers/Auth", False, None),
        ("/c", AuthorizationKind.COGNITO, f"{K}ApiGatewayRestApi/authorizers/Useast1x", False, None),
    ]
    assert [(a.kind, a.function) for a in inventory.authorizers] == [
        (AuthorizationKind.CUSTOM, f"{K}AuthLambdaFunction"),
        (AuthorizationKind.COGNITO, None),
    ]
