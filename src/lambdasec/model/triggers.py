"""What invokes a function: event source mappings, push triggers and API routes with their APIs."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.model.iam import PolicyDocument
from lambdasec.model.origin import Origin
from lambdasec.model.values import Unresolved
from lambdasec.records import record

MaybeStr = str | Unresolved
MaybeInt = int | Unresolved


class TriggerKind(StrEnum):
    """The service that delivers events."""

    SQS = "sqs"
    KINESIS = "kinesis"
    DYNAMODB = "dynamodb"
    KAFKA = "kafka"
    MQ = "mq"
    DOCUMENTDB = "documentdb"
    S3 = "s3"
    SNS = "sns"
    EVENTBRIDGE = "eventbridge"
    SCHEDULE = "schedule"
    COGNITO = "cognito"
    IOT = "iot"
    ALB = "alb"
    CLOUDWATCH_LOGS = "cloudwatch-logs"
    CLOUDFRONT = "cloudfront"
    STEP_FUNCTIONS = "stepfunctions"
    OTHER = "other"

    @property
    def is_asynchronous(self) -> bool:
        """True for services that invoke asynchronously (where a DLQ or on-failure destination applies)."""
        return self in _ASYNC


_ASYNC = frozenset(
    {
        TriggerKind.S3,
        TriggerKind.SNS,
        TriggerKind.EVENTBRIDGE,
        TriggerKind.SCHEDULE,
        TriggerKind.IOT,
        TriggerKind.CLOUDWATCH_LOGS,
    }
)


@record
class EventSourceMapping:
    """A poll-based event source (SQS, Kinesis, DynamoDB streams, Kafka, MQ).

    `enabled` is False for a mapping that is declared but paused: Lambda polls nothing for it.
    """

    key: str
    function: MaybeStr
    kind: TriggerKind | Unresolved
    qualifier: MaybeStr | None = None
    event_source_arn: MaybeStr | None
    batch_size: MaybeInt | None = None
    enabled: bool | Unresolved = True
    on_failure_destination: MaybeStr | None = None
    maximum_retry_attempts: MaybeInt | None = None
    origin: Origin


@record
class PushTrigger:
    """A service that pushes events to the function: S3 notification, SNS subscription, EventBridge rule.

    `enabled` is False when the trigger is declared but switched off (a rule or schedule in state
    `DISABLED`, a disabled IoT topic rule): it stays in the inventory, but it does not invoke the function.
    """

    key: str
    function: MaybeStr
    kind: TriggerKind
    source: MaybeStr | None
    detail: MaybeStr | None = None
    enabled: bool | Unresolved = True
    origin: Origin


class ApiKind(StrEnum):
    """Flavour of API Gateway."""

    REST = "rest"
    HTTP = "http"
    WEBSOCKET = "websocket"


class AuthorizationKind(StrEnum):
    """How a route authenticates callers."""

    NONE = "NONE"
    AWS_IAM = "AWS_IAM"
    COGNITO = "COGNITO_USER_POOLS"
    CUSTOM = "CUSTOM"
    JWT = "JWT"


class EndpointType(StrEnum):
    """Where a REST API's endpoint is reachable from (`EndpointConfiguration.Types`)."""

    EDGE = "EDGE"
    REGIONAL = "REGIONAL"
    PRIVATE = "PRIVATE"


@record
class Throttling:
    """Steady-state rate and burst limits."""

    rate_limit: float | Unresolved | None = None
    burst_limit: MaybeInt | None = None


@record
class Api:
    """An API Gateway REST, HTTP or WebSocket API.

    `resource_policy` is a REST API's resource policy (who may call `execute-api:Invoke` on its
    methods): None when the API has none, Unresolved when it cannot be read. HTTP and WebSocket
    APIs have none.

    `endpoint_type` is a REST API's declared endpoint type: None when not declared (API Gateway's
    default is EDGE), always None for HTTP and WebSocket APIs. A PRIVATE API is reachable only through
    interface VPC endpoints, and only for the callers its resource policy allows (without a policy,
    by no one). `vpc_endpoint_ids` are the VPC endpoints associated with a private API (its
    `VpcEndpointIds`): they give callers an alias host name, but grant no access by themselves.
    """

    key: str
    kind: ApiKind
    name: MaybeStr
    resource_policy: PolicyDocument | Unresolved | None = None
    endpoint_type: EndpointType | Unresolved | None = None
    vpc_endpoint_ids: tuple[MaybeStr, ...] | Unresolved = ()
    origin: Origin


@record
class ApiStage:
    """A deployed stage of an API with its throttling and logging settings."""

    key: str
    api: MaybeStr
    name: MaybeStr
    throttling: Throttling | Unresolved | None = None
    access_logging: bool | Unresolved = False
    tracing: bool | Unresolved = False
    origin: Origin


@record
class Authorizer:
    """An API authorizer (Lambda, Cognito, JWT)."""

    key: str
    api: MaybeStr
    kind: AuthorizationKind | Unresolved
    function: MaybeStr | None = None
    origin: Origin


@record
class ApiRoute:
    """A method and path of an API that invokes a function."""

    key: str
    api: MaybeStr
    method: MaybeStr
    path: MaybeStr
    function: MaybeStr
    qualifier: MaybeStr | None = None
    authorization: AuthorizationKind | Unresolved
    authorizer: MaybeStr | None = None
    api_key_required: bool | Unresolved = False
    throttling: Throttling | Unresolved | None = None
    integration_timeout_ms: MaybeInt | None = None
    origin: Origin
