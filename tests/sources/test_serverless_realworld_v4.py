"""serverless.yml of v4-era services: integration timeouts, serverless-lift queues, v4 resolver variables."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Unresolved
from serverless_files import load_service


def test_http_integration_timeout_comes_from_the_event_else_the_provider(tmp_path: Path) -> None:
    """A streaming `http` event raising its integration timeout, and `provider.apiGateway.timeoutInMillis`."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: mcp
        provider:
          name: aws
          runtime: nodejs22.x
          endpointType: REGIONAL
          apiGateway:
            timeoutInMillis: 60000
        functions:
          mcp:
            handler: src/lambda.handler
            timeout: 120
            events:
              - http:
                  method: POST
                  path: /mcp
                  timeoutInMillis: 120000
                  response:
                    transferMode: stream
              - http:
                  method: GET
                  path: /mcp
        """,
    )
    assert diagnostics == ()
    routes = {(route.method, route.path): route for route in inventory.api_routes}
    assert {key: route.integration_timeout_ms for key, route in routes.items()} == {
        ("POST", "/mcp"): 120000,
        ("GET", "/mcp"): 60000,
    }
    assert routes["POST", "/mcp"].origin.line == 13


def test_http_integration_timeout_is_unset_without_either(tmp_path: Path) -> None:
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: plain
        provider:
          name: aws
          runtime: nodejs22.x
        functions:
          api:
            handler: h.api
            events:
              - http: GET /
        """,
    )
    assert diagnostics == ()
    assert [route.integration_timeout_ms for route in inventory.api_routes] == [None]


LIFT = """\
service: jobs
provider:
  name: aws
  runtime: nodejs22.x
plugins:
  - serverless-lift
constructs:
  jobs:
    type: queue
    maxRetries: 5
    batchSize: 10
    worker:
      handler: worker.handler
      timeout: 10
  emails:
    type: queue
    worker: mailer
  site:
    type: static-website
    path: public
functions:
  mailer:
    handler: mail.handler
"""


def test_lift_queue_workers_are_functions_polling_queues_with_dead_letter_queues(tmp_path: Path) -> None:
    """serverless-lift `queue` constructs: an inline worker becomes `<id>Worker`, a named one subscribes."""
    inventory, diagnostics = load_service(tmp_path, LIFT)
    assert [(d.message, d.line) for d in diagnostics] == [
        ("`constructs.site` (serverless-lift `static-website`) is not modelled", 18)
    ]
    assert sorted((fn.name, fn.timeout_s, fn.origin.line) for fn in inventory.functions) == [
        ("jobs-dev-jobsWorker", 10, 12),
        ("jobs-dev-mailer", 6, 22),
    ]
    key = "serverless.yml#"
    assert sorted(
        (m.function.removeprefix(key), str(m.event_source_arn).removeprefix(key), m.batch_size, m.origin.line)
        for m in inventory.event_source_mappings
    ) == [
        ("JobsWorkerLambdaFunction", "jobsQueueCEDBAE3E", 10, 8),
        ("MailerLambdaFunction", "emailsQueueF057328A", 1, 15),
    ]
    assert sorted((q.name, str(q.dead_letter_target).removeprefix(key)) for q in inventory.queues) == [
        ("jobs-dev-emails", "emailsDlq47F8494C"),
        ("jobs-dev-emails-dlq", "None"),
        ("jobs-dev-jobs", "jobsDlqD18CF374"),
        ("jobs-dev-jobs-dlq", "None"),
    ]


def test_lift_worker_whose_events_are_not_a_list_keeps_them_reported(tmp_path: Path) -> None:
    """A function a queue construct names as its worker, whose `events` are not a list (a mapping, an
    unresolved variable): they are reported as they are without Lift, never replaced by the queue event."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: jobs
        provider:
          name: aws
          runtime: nodejs22.x
        plugins:
          - serverless-lift
        functions:
          api:
            handler: h.api
            events: ${ssm:/events}
        constructs:
          jobs:
            type: queue
            worker: api
        """,
    )
    assert [(d.message, d.line) for d in diagnostics] == [("`events` of function `api` must be a list", 10)]
    assert [fn.name for fn in inventory.functions] == ["jobs-dev-api"]


def test_v4_resolver_names_with_dashes_are_variables_and_the_partition_comes_from_the_region(
    tmp_path: Path,
) -> None:
    """A `stages.<stage>.resolvers` provider named `aws-account-1`, and `${aws:partition}`."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: resolvers
        frameworkVersion: '4'
        stages:
          default:
            resolvers:
              aws-account-1:
                type: aws
                region: us-west-2
        provider:
          name: aws
          runtime: nodejs22.x
          region: cn-north-1
          environment:
            SHARED: ${aws-account-1:ssm:/shared/value}
            OTHER_ACCOUNT: ${aws-account-1:accountId}
            TOPIC: arn:${aws:partition}:sns:${aws:region}:123456789012:alerts
        functions:
          f:
            handler: h.f
        """,
    )
    assert diagnostics == ()
    (function,) = inventory.functions
    assert [(env.name, env.value) for env in function.environment] == [
        ("SHARED", Unresolved("${aws-account-1:ssm:/shared/value}")),
        ("OTHER_ACCOUNT", Unresolved("${aws-account-1:accountId}")),
        ("TOPIC", "arn:aws-cn:sns:cn-north-1:123456789012:alerts"),
    ]


def test_undeclared_dashed_variable_sources_are_reported(tmp_path: Path) -> None:
    _, diagnostics = load_service(
        tmp_path,
        """\
        service: undeclared
        provider:
          name: aws
          runtime: nodejs22.x
          environment:
            SHARED: ${aws-account-2:ssm:/shared/value}
        functions:
          f:
            handler: h.f
        """,
    )
    assert [(d.message, d.line) for d in diagnostics] == [
        ("unknown variable source `aws-account-2` in `${aws-account-2:ssm:/shared/value}`", 6)
    ]


def test_sections_whose_resources_are_not_modelled_are_reported(tmp_path: Path) -> None:
    """v4's `ai` (Bedrock AgentCore gateways invoking functions as tools)."""
    inventory, diagnostics = load_service(
        tmp_path,
        """\
        service: tools
        provider:
          name: aws
          runtime: nodejs24.x
        plugins:
          - serverless-step-functions
        functions:
          calculator:
            handler: handlers/calculator.handler
        ai:
          tools:
            calculator:
              function: calculator
        stepFunctions:
          stateMachines:
            flow:
              definition:
                StartAt: Add
                States:
                  Add:
                    Type: Task
                    Resource: !GetAtt calculator.Arn
                    End: true
        """,
    )
    # serverless-step-functions state machines are modelled: the task invoking `calculator` is a trigger.
    assert [(d.message, d.line) for d in diagnostics] == [
        ("`ai` (Bedrock AgentCore agents, tools and gateways) is not modelled", 10),
    ]
    assert [(t.kind, t.detail) for t in inventory.push_triggers] == [("stepfunctions", "Add")]
    assert [fn.name for fn in inventory.functions] == ["tools-dev-calculator"]
