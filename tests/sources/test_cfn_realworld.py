"""Constructs of published SAM and CloudFormation templates that the source must read as AWS does."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthorizationKind, AuthType, TriggerKind, Unresolved
from sources.cfn.load import diagnostics, line, load

EVENT_SOURCE_ARNS = """
Parameters:
  Prefix: {Type: String}
Resources:
  Cluster:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      EventSourceArn: !Sub arn:${AWS::Partition}:kafka:${AWS::Region}:123456789012:cluster/orders/abc-1
  Queue:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      EventSourceArn: !Join [":", [arn, aws, sqs, !Ref AWS::Region, !Ref AWS::AccountId, jobs]]
  Stream:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      EventSourceArn: !Join ["", ["arn:aws:kinesis:", !Ref AWS::Region, ":123456789012:stream/clicks"]]
  Other:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: worker
      EventSourceArn: !Sub ${Prefix}:stream/clicks
"""


def test_event_source_kind_comes_from_the_literal_service_of_a_built_arn(tmp_path: Path) -> None:
    """An ARN built with Sub or Join names its service even when the region and account are unknown."""
    output = load(tmp_path, EVENT_SOURCE_ARNS)
    kinds = {m.key.rsplit("#", 1)[1]: m.kind for m in output.inventory.event_source_mappings}
    assert kinds == {
        "Cluster": TriggerKind.KAFKA,
        "Queue": TriggerKind.SQS,
        "Stream": TriggerKind.KINESIS,
        "Other": Unresolved("service of !Sub ${Prefix}:stream/clicks"),
    }
    assert diagnostics(output) == set()


NO_TRANSFORM = """
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: pass
"""


def test_serverless_resources_without_the_transform_are_read_as_sam(tmp_path: Path) -> None:
    """A template that omits the SAM transform still has its functions scanned, with a warning."""
    output = load(tmp_path, NO_TRANSFORM)
    assert [fn.key for fn in output.inventory.functions] == ["template.yaml#Worker"]
    assert [role.key for role in output.inventory.roles] == ["template.yaml#WorkerRole"]
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            2,
            "`AWS::Serverless::*` resources without `Transform: AWS::Serverless-2016-10-31`, which "
            "CloudFormation needs to deploy them; read as SAM",
        )
    }


FOREACH = """
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Parameters:
  Tables: {Type: CommaDelimitedList, Default: "orders,user-events"}
  Unknown: {Type: CommaDelimitedList}
Mappings:
  Handlers:
    orders: {Handler: orders.handler}
    user-events: {Handler: events.handler}
Resources:
  Fn::ForEach::Workers:
    - Table
    - !Ref Tables
    - "&{Table}Worker":
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.12
          InlineCode: pass
          Handler: !FindInMap [Handlers, !Ref Table, Handler]
          Environment:
            Variables:
              TABLE: !Sub ${Table}-table
          Fn::ForEach::Urls:
            - Auth
            - [NONE]
            - FunctionUrlConfig: {AuthType: !Ref Auth}
  Fn::ForEach::Missing:
    - Name
    - !Ref Unknown
    - ${Name}Function:
        Type: AWS::Lambda::Function
        Properties: {Runtime: python3.12, Handler: a.b, Role: r}
"""


def test_foreach_loops_of_the_language_extensions_generate_their_resources(tmp_path: Path) -> None:
    """Each collection item yields the fragment, with the identifier replaced in keys, Ref and Sub."""
    output = load(tmp_path, FOREACH)
    functions = {fn.origin.resource: fn for fn in output.inventory.functions}
    assert sorted(functions) == ["ordersWorker", "usereventsWorker"]
    assert functions["ordersWorker"].handler == "orders.handler"
    assert functions["usereventsWorker"].handler == "events.handler"
    assert [(v.name, v.value) for v in functions["usereventsWorker"].environment] == [
        ("TABLE", "user-events-table")
    ]
    assert functions["ordersWorker"].origin.line == line(FOREACH, '"&{Table}Worker"')
    assert sorted((url.origin.resource, url.auth_type) for url in output.inventory.function_urls) == [
        ("ordersWorkerUrl", AuthType.NONE),
        ("usereventsWorkerUrl", AuthType.NONE),
    ]
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            line(FOREACH, "Fn::ForEach::Missing"),
            "the collection of `Fn::ForEach::Missing` is not known; the resources it generates are not "
            "scanned",
        )
    }


OPTIONAL_DESTINATIONS = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  CreateTopic: {Type: String, Default: "true"}
  UseQueue: {Type: String, Default: "true"}
Conditions:
  TopicCreationEnabled: !Equals [!Ref CreateTopic, "true"]
  QueueGiven: !Equals [!Ref UseQueue, "true"]
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: pass
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: SQS
            Destination: !If [QueueGiven, arn:aws:sqs:us-east-1:123456789012:done, !Ref AWS::NoValue]
          OnFailure:
            Type: SNS
            Destination: !If [TopicCreationEnabled, !Ref AWS::NoValue, arn:aws:sns:us-east-1:123456789012:x]
"""


def test_a_destination_that_is_no_value_under_a_condition_is_the_queue_or_topic_sam_creates(
    tmp_path: Path,
) -> None:
    """SAM creates the SQS queue or SNS topic of a destination whose `!If` branch is `AWS::NoValue`."""
    output = load(tmp_path, OPTIONAL_DESTINATIONS)
    (fn,) = output.inventory.functions
    assert fn.on_failure_destination == Unresolved("!Ref WorkerEventInvokeConfigOnFailureTopic")
    assert fn.on_success_destination == "arn:aws:sqs:us-east-1:123456789012:done"
    assert output.inventory.queues == ()
    assert diagnostics(output) == set()


def test_the_created_destination_is_left_out_when_its_condition_is_false(tmp_path: Path) -> None:
    """With the defaults flipped, the given ARN is used and the queue SAM would create exists."""
    text = OPTIONAL_DESTINATIONS.replace('Default: "true"}', 'Default: "false"}')
    output = load(tmp_path, text)
    (fn,) = output.inventory.functions
    assert fn.on_failure_destination == "arn:aws:sns:us-east-1:123456789012:x"
    assert fn.on_success_destination == Unresolved("!GetAtt WorkerEventInvokeConfigOnSuccessQueue.Arn")
    assert [queue.key for queue in output.inventory.queues] == [
        "template.yaml#WorkerEventInvokeConfigOnSuccessQueue"
    ]
    assert diagnostics(output) == set()


CONNECTORS = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::SimpleTable
  Topic:
    Type: AWS::SNS::Topic
  Jobs:
    Type: AWS::SQS::Queue
    Connectors:
      ToWorker:
        Properties:
          Destination: {Id: Worker}
          Permissions: [Read, Write]
  Api:
    Type: AWS::Serverless::Function
    Connectors:
      TableAccess:
        Properties:
          Destination:
            - Id: Orders
            - Type: AWS::SNS::Topic
              Arn: arn:aws:sns:us-east-1:123456789012:external
          Permissions: [Write]
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: pass}
  Worker:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: worker.handler, InlineCode: pass}
  TopicToWorker:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Topic}
      Destination: {Id: Worker}
      Permissions: [Write]
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties: {DefinitionUri: flow.asl.json}
  FlowToWorker:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Flow}
      Destination: {Id: Worker}
      Permissions: [Write]
  WorkerToStream:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Worker}
      Destination: {Type: AWS::Kinesis::Stream, Arn: arn:aws:kinesis:us-east-1:123456789012:stream/s}
      Permissions: [Write]
  Dangling:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Api}
      Destination: {Id: Missing}
      Permissions: [Read]
"""


def test_connectors_grant_the_function_role_and_the_invoking_service_what_sam_generates(
    tmp_path: Path,
) -> None:
    """Embedded and standalone connectors become managed policies on roles and Lambda permissions."""
    output = load(tmp_path, CONNECTORS)
    inventory = output.inventory
    policies = {
        policy.key.rsplit("#", 1)[1]: [(s.actions, s.resources) for s in policy.document.statements]
        for policy in inventory.managed_policies
    }
    write = (
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:PartiQLDelete",
        "dynamodb:PartiQLInsert",
        "dynamodb:PartiQLUpdate",
    )
    assert policies == {
        "JobsToWorkerPolicy": [
            (("sqs:ReceiveMessage", "sqs:GetQueueAttributes"), (Unresolved("!GetAtt Jobs.Arn"),)),
            (("sqs:DeleteMessage",), (Unresolved("!GetAtt Jobs.Arn"),)),
        ],
        "ApiTableAccessDestination0Policy": [
            (write, (Unresolved("!GetAtt Orders.Arn"), Unresolved("!Sub ${Orders.Arn}/index/*"))),
        ],
        "ApiTableAccessDestination1Policy": [
            (("sns:Publish",), ("arn:aws:sns:us-east-1:123456789012:external",)),
        ],
    }
    attached = {role.key.rsplit("#", 1)[1]: role.managed_policy_arns[1:] for role in inventory.roles}
    assert attached == {
        "ApiRole": (
            "template.yaml#ApiTableAccessDestination0Policy",
            "template.yaml#ApiTableAccessDestination1Policy",
        ),
        "WorkerRole": ("template.yaml#JobsToWorkerPolicy",),
    }
    (grant,) = inventory.permissions
    assert (grant.key, grant.function, grant.principal, grant.source_arn, grant.origin.line) == (
        "template.yaml#TopicToWorkerWriteLambdaPermission",
        "template.yaml#Worker",
        "sns.amazonaws.com",
        Unresolved("!Ref Topic"),
        line(CONNECTORS, "TopicToWorker:"),
    )
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            line(CONNECTORS, "WorkerToStream:"),
            "connector `WorkerToStream` from AWS::Lambda::Function to AWS::Kinesis::Stream is not modelled; "
            "the access it grants is unknown",
        ),
        (
            "warning",
            "template.yaml",
            line(CONNECTORS, "Dangling:"),
            "Destination `Missing` of connector `Dangling` is not in the template",
        ),
        # The state machine's definition file is not there: which functions it invokes is not known.
        (
            "warning",
            "template.yaml",
            line(CONNECTORS, "DefinitionUri: flow.asl.json"),
            "cannot read included file `flow.asl.json`: No such file or directory",
        ),
        (
            "warning",
            "template.yaml",
            line(CONNECTORS, "DefinitionUri: flow.asl.json"),
            "`Flow`: the state machine's definition cannot be read; the functions it invokes are not known",
        ),
    }


NESTED = """
Transform: AWS::Serverless-2016-10-31
Resources:
  FromRepository:
    Type: AWS::Serverless::Application
    Properties:
      Location:
        ApplicationId: arn:aws:serverlessrepo:us-east-1:123456789012:applications/hello
        SemanticVersion: 1.0.2
  Local:
    Type: AWS::Serverless::Application
    Properties:
      Location: nested/template.yaml
  Packaged:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub https://s3.${AWS::Region}.amazonaws.com/artifacts/${AWS::StackName}.yaml
  Unpackaged:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./stacks/api.yaml
"""


def test_nested_templates_outside_the_scanned_files_are_warnings(tmp_path: Path) -> None:
    """Applications and stacks whose template is remote are named; local ones are scanned as files."""
    output = load(tmp_path, NESTED)
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            line(NESTED, "FromRepository:"),
            "nested application `FromRepository` is not scanned: its template is the Serverless "
            "Application Repository application "
            "`arn:aws:serverlessrepo:us-east-1:123456789012:applications/hello`",
        ),
        (
            "warning",
            "template.yaml",
            line(NESTED, "Packaged:"),
            "nested stack `Packaged` is not scanned: its template is "
            "`!Sub https://s3.${AWS::Region}.amazonaws.com/artifacts/${AWS::StackName}.yaml`",
        ),
    }


INCLUDED_API = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: api/openapi.yaml}
  Missing:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform: {Name: AWS::Include, Parameters: {Location: api/missing.yaml}}
  Orders:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, InlineCode: pass}
"""
OPENAPI = """
openapi: 3.0.1
info: {title: orders, version: "1"}
paths:
  /admin:
    post:
      security: [{sigv4: []}]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: {"Fn::Sub": "INVOKE_URI"}
components:
  securitySchemes:
    sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
""".replace(
    "INVOKE_URI",
    "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Orders.Arn}/invocations",
)


def test_a_local_aws_include_snippet_is_read_in_place_of_the_transform(tmp_path: Path) -> None:
    """An OpenAPI body included from a file next to the template gives its routes, at the include's line."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "openapi.yaml").write_text(OPENAPI)
    output = load(tmp_path, INCLUDED_API)
    routes = [
        (r.key, r.method, r.path, r.function, r.authorization, r.origin.line)
        for r in output.inventory.api_routes
    ]
    assert routes == [
        (
            "template.yaml#Api/POST /admin",
            "POST",
            "/admin",
            "template.yaml#Orders",
            AuthorizationKind.AWS_IAM,
            line(INCLUDED_API, "Fn::Transform:"),
        )
    ]
    include_line = line(INCLUDED_API, "Fn::Transform:", nth=2)
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            include_line,
            "cannot read included file `api/missing.yaml`: No such file or directory",
        ),
        ("warning", "template.yaml", include_line, "Fn::Transform macros are not expanded"),
        (
            "warning",
            "template.yaml",
            line(INCLUDED_API, "DefinitionBody:", nth=2),
            "`DefinitionBody` of `Missing` is computed by an intrinsic; its routes and auth are unknown",
        ),
    }


IMPORTED_SOURCES = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: pass
      Events:
        Jobs:
          Type: SQS
          Properties: {Queue: !ImportValue shared-jobs-queue-arn}
        Changes:
          Type: DynamoDB
          Properties: {Stream: !ImportValue orders-stream-arn, StartingPosition: LATEST}
  Broker:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Worker
      EventSourceArn: !ImportValue broker-arn
      Queues: [orders]
  Unknown:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Worker
      EventSourceArn: !ImportValue something-arn
"""


def test_the_sam_event_type_or_a_service_specific_property_names_an_imported_source(tmp_path: Path) -> None:
    """A source ARN imported from another stack still has the service its SAM event or properties tell."""
    output = load(tmp_path, IMPORTED_SOURCES)
    kinds = {m.key.rsplit("#", 1)[1]: m.kind for m in output.inventory.event_source_mappings}
    assert kinds == {
        "WorkerJobs": TriggerKind.SQS,
        "WorkerChanges": TriggerKind.DYNAMODB,
        "Broker": TriggerKind.MQ,
        "Unknown": Unresolved("service of !ImportValue something-arn"),
    }
    assert diagnostics(output) == set()


def test_an_included_file_outside_the_scanned_directory_is_not_read(tmp_path: Path) -> None:
    """A Location climbing out of the scanned root stays unexpanded, with a warning."""
    root = tmp_path / "repo"
    (tmp_path / "secret.yaml").write_text(OPENAPI)
    text = INCLUDED_API.replace("api/openapi.yaml", "../secret.yaml").replace(
        "api/missing.yaml", "../../a.yaml"
    )
    output = load(root, text)
    assert output.inventory.api_routes == ()
    messages = {(d[2], d[3]) for d in diagnostics(output) if "outside" in d[3]}
    assert messages == {
        (
            line(text, "Fn::Transform:"),
            "included file `../secret.yaml` is outside the scanned directory; not read",
        ),
        (
            line(text, "Fn::Transform:", nth=2),
            "included file `../../a.yaml` is outside the scanned directory; not read",
        ),
    }
