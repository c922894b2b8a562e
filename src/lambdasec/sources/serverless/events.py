"""A function's `events:` as the SAM events (and extra resources) equivalent to what the framework creates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import describe
from lambdasec.sources.cloudformation.sam_marks import (
    get_att,
    is_intrinsic,
    key_line,
    new_dict,
    node,
    put,
    seq,
    single,
)
from lambdasec.sources.serverless import service_events
from lambdasec.sources.serverless.cloudfront import EdgeDistribution, edge_logs_statement
from lambdasec.sources.serverless.naming import alias_id, alphanumeric, function_id, normalized
from lambdasec.sources.serverless.variables import is_unresolved, unresolved
from lambdasec.sources.serverless.websockets import (
    CONNECTIONS_ARN,
    MANAGE_CONNECTIONS,
    WebsocketRoute,
    websocket_route,
)
from lambdasec.sources.yaml_loader import MarkedDict, MarkedList

__all__ = ["HTTP_API_ID", "REST_API_ID", "EventCompiler"]

REST_API_ID: Final = "ApiGatewayRestApi"
HTTP_API_ID: Final = "HttpApi"
_SQS_ACTIONS: Final = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")
_DYNAMODB_ACTIONS: Final = (
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:DescribeStream",
    "dynamodb:ListStreams",
)
_KINESIS_ACTIONS: Final = (
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:DescribeStream",
    "kinesis:ListStreams",
)
# `http` integrations that do not invoke the function.
_NOT_LAMBDA: Final = frozenset({"mock", "http", "http-proxy"})
# Events the framework supports whose resources are not modelled (IoT fleet provisioning).
_NOT_MODELLED: Final = frozenset({"iotFleetProvisioning"})


@dataclass(slots=True, kw_only=True)
class EventCompiler:
    """Collects, over all functions, the resources and role statements the events generate."""

    diagnostics: Diagnostics
    resources: MarkedDict
    rest_authorizers: MarkedDict = field(default_factory=MarkedDict)
    http_authorizers: MarkedDict = field(default_factory=MarkedDict)
    role_statements: list[tuple[Any, int]] = field(default_factory=list)
    # The same statements by the function whose events need them (per-function roles carry their own).
    function_statements: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    _function: str = ""
    websocket_routes: list[WebsocketRoute] = field(default_factory=list)
    # Functions with provisioned concurrency: the framework points their events at the `provisioned` alias.
    aliased: set[str] = field(default_factory=set)
    _more: list[MarkedDict] = field(default_factory=list)
    uses_rest_api: bool = False
    uses_http_api: bool = False
    uses_iam_http_auth: bool = False
    uses_api_keys: bool = False
    # The CloudFront distribution of the service's `cloudFront` events, once there is one.
    edge: EdgeDistribution | None = None
    # `provider.apiGateway.timeoutInMillis`: the integration timeout of `http` events without their own.
    rest_timeout: Any = None

    def compile(self, events: Any, *, function: str) -> MarkedDict:
        """The SAM `Events` of one function (`function` is the serverless key)."""
        out = new_dict(getattr(events, "line", 0))
        self._function = function
        if events is None:
            return out
        if not isinstance(events, list):
            self.diagnostics.error(
                f"`events` of function `{function}` must be a list", getattr(events, "line", None)
            )
            return out
        for index, entry in enumerate(events):
            line = key_line(events, index, 0)
            if isinstance(entry, str) and entry:  # `- alexaSkill`: an event without settings
                entry = node(line, [(entry, None)])
            if not isinstance(entry, dict) or len(entry) != 1:
                self.diagnostics.error(
                    f"event {index + 1} of function `{function}` must be a one-key mapping", line
                )
                continue
            kind, spec = next(iter(entry.items()))
            line = key_line(entry, kind, line)
            name = f"{alphanumeric(str(kind))}{index + 1}"
            event = self._event(str(kind), spec, line=line, function=function, name=name, index=index + 1)
            if event is not None:
                put(out, name, event, line)
            for number, extra in enumerate(self._more, start=2):  # a schedule's further rates
                put(out, f"{name}Rate{number}", extra, line)
            self._more.clear()
        return out

    # -- one event ----------------------------------------------------------------------------

    def _event(
        self, kind: str, spec: Any, *, line: int, function: str, name: str, index: int
    ) -> MarkedDict | None:
        if is_unresolved(spec):
            self.diagnostics.warn(
                f"`{kind}` event of function `{function}` depends on an unknown value", line
            )
            return None
        match kind:
            case "http":
                return self._http(spec, line=line)
            case "httpApi":
                return self._http_api(spec, line=line)
            case "sqs":
                return self._sqs(spec, line=line)
            case "sns":
                return self._sns(spec, line=line)
            case "s3":
                return self._s3(spec, line=line, function=function, name=name)
            case "schedule":
                return self._schedule(spec, line=line)
            case "stream":
                return self._stream(spec, line=line)
            case "eventBridge" | "cloudwatchEvent":
                return self._event_bridge(spec, line=line)
            case "websocket":
                self._websocket(spec, line=line, function=function)
                return None
            case "alb":
                return service_events.alb(self, spec, line=line, function=function)
            case "alexaSkill":
                return service_events.alexa_skill(spec, line=line)
            case "alexaSmartHome":
                return service_events.alexa_smart_home(self, spec, line=line, function=function, index=index)
            case "iot":
                return service_events.iot(self, spec, line=line)
            case "cognitoUserPool":
                return service_events.cognito_user_pool(self, spec, line=line, function=function, index=index)
            case "cloudwatchLog":
                return service_events.cloudwatch_log(self, spec, line=line)
            case "msk":
                return service_events.msk(self, spec, line=line)
            case "cloudFront":
                if self.edge is None:
                    self.edge = EdgeDistribution(diagnostics=self.diagnostics, resources=self.resources)
                    # Lambda@Edge replicas log to groups in the regions they run in, named by their region.
                    self.role_statements.append((edge_logs_statement(line), line))
                self.edge.add(spec, line=line, function=function)
                return None
            case "kafka":
                return service_events.kafka(self, spec, line=line)
            case "activemq" | "rabbitmq":
                return service_events.mq(self, spec, line=line, kind=kind)
            case _ if kind in _NOT_MODELLED:
                self.diagnostics.warn(f"`{kind}` events are not modelled yet; function `{function}`", line)
                return None
            case _:
                self.diagnostics.warn(f"unknown event type `{kind}` on function `{function}`", line)
                return None

    def _websocket(self, spec: Any, *, line: int, function: str) -> None:
        """Collect the route; the framework lets every function post to connections once one exists."""
        route = websocket_route(spec, line=line, function=function, diagnostics=self.diagnostics)
        if route is None:
            return
        if not self.websocket_routes:
            self.grant(MANAGE_CONNECTIONS, CONNECTIONS_ARN, line)
        self.websocket_routes.append(route)

    def _typed(self, kind: str, properties: MarkedDict, line: int) -> MarkedDict:
        event = single(line, "Type", kind)
        put(event, "Properties", properties, line)
        return event

    def _http(self, spec: Any, *, line: int) -> MarkedDict | None:
        if isinstance(spec, str):
            spec = _method_path(spec, line)
        if not isinstance(spec, dict) or "path" not in spec:
            self.diagnostics.warn("`http` event needs `method` and `path`", line)
            return None
        self.uses_rest_api = True
        if str(spec.get("integration", "")).lower().replace("_", "-") in _NOT_LAMBDA:
            return None  # the method answers itself (mock) or proxies elsewhere: the function is not invoked
        properties = single(line, "RestApiId", single(line, "Ref", REST_API_ID))
        put(properties, "Path", _path(spec["path"]), key_line(spec, "path", line))
        put(properties, "Method", str(spec.get("method", "any")).lower(), key_line(spec, "method", line))
        # The framework (v4) sets the integration's `TimeoutInMillis` from the event, else the provider.
        timeout = spec.get("timeoutInMillis") or self.rest_timeout
        if timeout is not None:
            put(properties, "TimeoutInMillis", timeout, key_line(spec, "timeoutInMillis", line))
        auth = MarkedDict(line)
        if spec.get("authorizer") is not None:  # `authorizer: null` is none
            auth_line = key_line(spec, "authorizer", line)
            self._rest_authorizer(spec["authorizer"], auth, line=auth_line)
        if spec.get("private") is True:
            put(auth, "ApiKeyRequired", True, key_line(spec, "private", line))
            self.uses_api_keys = True
        if auth:
            put(properties, "Auth", auth, auth.line or line)
        return self._typed("Api", properties, line)

    def _rest_authorizer(self, value: Any, auth: MarkedDict, *, line: int) -> None:
        """Set the event's `Auth.Authorizer` and register the authorizer on the API."""
        auth.line = line
        if is_unresolved(value):
            put(auth, "Authorizer", value, line)  # a value that cannot be known stays one
            return
        if isinstance(value, str):
            value = {"name": value} if not value.startswith("arn:") else {"arn": value}
        if not isinstance(value, dict):
            self.diagnostics.error("`authorizer` must be a name, an ARN or a mapping", line)
            put(auth, "Authorizer", node(line, [("Fn::lambdasec:Unresolved", "authorizer")]), line)
            return
        kind = str(value.get("type", "")).lower()
        name = value.get("name")
        arn = value.get("arn")
        if kind == "aws_iam" or name == "aws_iam":
            put(auth, "Authorizer", "AWS_IAM", line)
            return
        if "authorizerId" in value:
            # An authorizer created elsewhere: its kind is known, what it runs is not.
            external = f"authorizerId {describe(value['authorizerId'])}"
            auth_name = (
                alphanumeric(name)
                if isinstance(name, str)
                else f"ExternalAuthorizer{len(self.rest_authorizers) + 1}"
            )
            key = "UserPoolArn" if kind == "cognito_user_pools" else "FunctionArn"
            put(self.rest_authorizers, auth_name, node(line, [(key, unresolved(external, line))]), line)
            put(auth, "Authorizer", auth_name, line)
            return
        if not isinstance(name, str):
            name = _arn_name(arn) if isinstance(arn, str) else "Authorizer"
        auth_name = alphanumeric(name) or "Authorizer"
        spec = MarkedDict(line)
        cognito = kind == "cognito_user_pools" or (isinstance(arn, str) and ":cognito-idp:" in arn)
        if cognito:
            put(spec, "UserPoolArn", arn, line)
        else:
            target = arn if arn is not None else node(line, [("Fn::GetAtt", [function_id(name), "Arn"])])
            put(spec, "FunctionArn", target, line)
            if kind == "request":
                put(spec, "FunctionPayloadType", "REQUEST", line)
        put(self.rest_authorizers, auth_name, spec, line)
        put(auth, "Authorizer", auth_name, line)

    def _http_api(self, spec: Any, *, line: int) -> MarkedDict | None:
        if isinstance(spec, str):
            spec = {"method": "*", "path": "*"} if spec.strip() == "*" else _method_path(spec, line)
        if not isinstance(spec, dict):
            self.diagnostics.warn("`httpApi` event needs `method` and `path`", line)
            return None
        self.uses_http_api = True
        properties = node(line, [("ApiId", node(line, [("Ref", HTTP_API_ID)]))])
        path = spec.get("path", "*")
        method = str(spec.get("method", "*"))
        put(properties, "Path", "$default" if path == "*" else _path(path), key_line(spec, "path", line))
        put(properties, "Method", "any" if method == "*" else method.lower(), key_line(spec, "method", line))
        authorizer = spec.get("authorizer")
        if authorizer is not None:
            auth_line = key_line(spec, "authorizer", line)
            auth = MarkedDict(auth_line)
            if isinstance(authorizer, str):
                authorizer = {"name": authorizer}
            if is_unresolved(authorizer):
                put(auth, "Authorizer", authorizer, auth_line)
            elif isinstance(authorizer, dict) and str(authorizer.get("type", "")).lower() == "aws_iam":
                self.uses_iam_http_auth = True
                put(auth, "Authorizer", "AWS_IAM", auth_line)
            elif isinstance(authorizer, dict) and isinstance(authorizer.get("name"), str):
                put(auth, "Authorizer", alphanumeric(authorizer["name"]), auth_line)
                if isinstance(authorizer.get("scopes"), list):
                    put(
                        auth,
                        "AuthorizationScopes",
                        authorizer["scopes"],
                        key_line(authorizer, "scopes", auth_line),
                    )
            elif isinstance(authorizer, dict) and "id" in authorizer:
                # An authorizer of an API created elsewhere (`provider.httpApi.id`): JWT or Lambda, unknown.
                external = f"authorizer id {describe(authorizer['id'])}"
                put(auth, "Authorizer", unresolved(external, auth_line), auth_line)
            else:
                self.diagnostics.warn("`authorizer` of an `httpApi` event must name an authorizer", auth_line)
                put(
                    auth,
                    "Authorizer",
                    node(auth_line, [("Fn::lambdasec:Unresolved", "authorizer")]),
                    auth_line,
                )
            put(properties, "Auth", auth, auth_line)
        return self._typed("HttpApi", properties, line)

    def _sqs(self, spec: Any, *, line: int) -> MarkedDict | None:
        spec = {"arn": spec} if not isinstance(spec, dict) or is_intrinsic(spec) else spec
        arn = spec.get("arn")
        if arn is None:
            self.diagnostics.warn("`sqs` event needs a queue `arn`", line)
            return None
        properties = new_dict(line)
        put(properties, "Queue", arn, key_line(spec, "arn", line))
        _copy(
            properties,
            spec,
            {
                "batchSize": "BatchSize",
                "maximumBatchingWindow": "MaximumBatchingWindowInSeconds",
                "enabled": "Enabled",
            },
            line,
        )
        _response_types(properties, spec, line)
        if "maximumConcurrency" in spec:
            at = key_line(spec, "maximumConcurrency", line)
            put(
                properties,
                "ScalingConfig",
                node(at, [("MaximumConcurrency", spec["maximumConcurrency"])]),
                at,
            )
        self.grant(_SQS_ACTIONS, arn, line)
        return self._typed("SQS", properties, line)

    def _stream(self, spec: Any, *, line: int) -> MarkedDict | None:
        spec = {"arn": spec} if not isinstance(spec, dict) or is_intrinsic(spec) else spec
        arn = spec.get("arn")
        if arn is None:
            self.diagnostics.warn("`stream` event needs a stream `arn`", line)
            return None
        kind = str(spec.get("type", "")).lower() or self._stream_kind(arn)
        if kind not in ("kinesis", "dynamodb"):
            self.diagnostics.warn(
                "`stream` event needs `type: dynamodb` or `type: kinesis` with this `arn`", line
            )
            return None
        properties = node(line, [("StartingPosition", "TRIM_HORIZON")])
        put(properties, "Stream", arn, key_line(spec, "arn", line))
        _copy(
            properties,
            spec,
            {
                "batchSize": "BatchSize",
                "startingPosition": "StartingPosition",
                "enabled": "Enabled",
                "maximumRetryAttempts": "MaximumRetryAttempts",
                "bisectBatchOnFunctionError": "BisectBatchOnFunctionError",
                "batchWindow": "MaximumBatchingWindowInSeconds",
                "maximumRecordAgeInSeconds": "MaximumRecordAgeInSeconds",
                "parallelizationFactor": "ParallelizationFactor",
                "tumblingWindowInSeconds": "TumblingWindowInSeconds",
            },
            line,
        )
        _response_types(properties, spec, line)
        destinations = spec.get("destinations")
        failure = destinations.get("onFailure") if isinstance(destinations, dict) else None
        if failure is not None:
            target = (
                failure.get("arn") if isinstance(failure, dict) and not is_intrinsic(failure) else failure
            )
            failure_line = key_line(destinations, "onFailure", line)
            entries: list[tuple[str, Any]] = [("Destination", target)]
            failure_type = _failure_type(failure, target)
            if failure_type is not None:
                entries.append(("Type", failure_type))
            config = node(failure_line, [("OnFailure", node(failure_line, entries))])
            put(properties, "DestinationConfig", config, failure_line)
        self.grant(_KINESIS_ACTIONS if kind == "kinesis" else _DYNAMODB_ACTIONS, arn, line)
        return self._typed("Kinesis" if kind == "kinesis" else "DynamoDB", properties, line)

    def _stream_kind(self, arn: Any) -> str:
        """`kinesis` or `dynamodb` from the stream's ARN, `Fn::Sub` text or the resource it names; else ""."""
        text = arn.get("Fn::Sub") if isinstance(arn, dict) else arn
        text = text[0] if isinstance(text, list) and text else text
        if isinstance(text, str):
            return "kinesis" if ":kinesis:" in text else "dynamodb" if ":dynamodb:" in text else ""
        target = arn.get("Fn::GetAtt") if isinstance(arn, dict) else None
        target = target.split(".", 1) if isinstance(target, str) else target
        if not isinstance(target, list) or len(target) != 2:
            return ""
        if target[1] == "StreamArn":
            return "dynamodb"
        resource = self.resources.get(target[0])
        kind = resource.get("Type") if isinstance(resource, dict) else None
        return {"AWS::Kinesis::Stream": "kinesis", "AWS::Kinesis::StreamConsumer": "kinesis"}.get(
            str(kind), ""
        )

    def _sns(self, spec: Any, *, line: int) -> MarkedDict | None:
        if isinstance(spec, dict) and not is_intrinsic(spec):
            topic = spec.get("arn", spec.get("topicName"))
            topic_line = key_line(spec, "arn" if "arn" in spec else "topicName", line)
        else:
            topic, topic_line = spec, line
        if topic is None:
            self.diagnostics.warn("`sns` event needs a topic name or `arn`", line)
            return None
        if isinstance(topic, str) and not topic.startswith("arn:"):
            topic_id = f"SNSTopic{alphanumeric(topic)}"
            properties = node(topic_line, [("TopicName", topic)])
            self.generated(topic_id, "AWS::SNS::Topic", properties, topic_line)
            topic = node(topic_line, [("Ref", topic_id)])
        properties = node(line, [])
        put(properties, "Topic", topic, topic_line)
        if isinstance(spec, dict) and "filterPolicy" in spec:
            put(properties, "FilterPolicy", spec["filterPolicy"], key_line(spec, "filterPolicy", line))
        return self._typed("SNS", properties, line)

    def _s3(self, spec: Any, *, line: int, function: str, name: str) -> MarkedDict | None:
        spec = {"bucket": spec} if not isinstance(spec, dict) or is_intrinsic(spec) else spec
        bucket = spec.get("bucket")
        bucket_line = key_line(spec, "bucket", line)
        if not isinstance(bucket, str):
            self.diagnostics.warn("`s3` event needs a bucket name", bucket_line)
            return None
        event_name = spec.get("event", "s3:ObjectCreated:*")
        if spec.get("existing") is True:
            self._existing_bucket(spec, bucket, function=function, name=name, line=bucket_line)
            return None
        bucket_id = f"S3Bucket{alphanumeric(bucket)}"
        self.generated(bucket_id, "AWS::S3::Bucket", single(bucket_line, "BucketName", bucket), bucket_line)
        properties = new_dict(line)
        put(properties, "Bucket", single(bucket_line, "Ref", bucket_id), bucket_line)
        put(properties, "Events", event_name, key_line(spec, "event", line))
        rules = spec.get("rules")
        if isinstance(rules, list):
            filter_rules = seq(key_line(spec, "rules", line), [])
            for index, rule in enumerate(rules):
                if isinstance(rule, dict):
                    for rule_name, value in rule.items():
                        rule_line = key_line(rules, index, line)
                        filter_rules.append(node(rule_line, [("Name", rule_name), ("Value", value)]))
                        filter_rules.item_lines.append(rule_line)
            key_filter = node(filter_rules.line, [("Rules", filter_rules)])
            put(properties, "Filter", node(filter_rules.line, [("S3Key", key_filter)]), filter_rules.line)
        return self._typed("S3", properties, line)

    def _existing_bucket(self, spec: Any, bucket: str, *, function: str, name: str, line: int) -> None:
        """An existing bucket: the framework adds the notification by a `Custom::S3` resource (one per
        function, an entry per event), which also lets S3 invoke the function (the permission here)."""
        config = node(line, [])
        put(config, "Event", spec.get("event", "s3:ObjectCreated:*"), key_line(spec, "event", line))
        rules = spec.get("rules")
        if isinstance(rules, list):
            rule_line = key_line(spec, "rules", line)
            put(config, "Rules", seq(rule_line, [_start_case(rule, rule_line) for rule in rules]), rule_line)
        self.framework_resource(
            "Custom::S3",
            function=function,
            named=("BucketName", bucket),
            entries="BucketConfigs",
            entry=config,
            line=line,
        )
        self.invoke_permission(
            f"{function_id(function)}{name}Permission",
            function=function,
            principal="s3.amazonaws.com",
            line=line,
            conditions=(
                ("SourceArn", f"arn:aws:s3:::{bucket}"),
                ("SourceAccount", node(line, [("Ref", "AWS::AccountId")])),
            ),
        )

    def _schedule(self, spec: Any, *, line: int) -> MarkedDict | None:
        spec = {"rate": spec} if not isinstance(spec, dict) or is_intrinsic(spec) else spec
        rate = spec.get("rate")
        rate_line = key_line(spec, "rate", line)
        rates = rate if isinstance(rate, list) else [rate]
        events: list[MarkedDict] = []
        for index, each in enumerate(rates):
            if each is None:
                continue
            at = key_line(rate, index, rate_line) if isinstance(rate, list) else rate_line
            properties = node(line, [])
            put(properties, "Schedule", each, at)
            _copy(properties, spec, {"enabled": "Enabled", "input": "Input"}, line)
            events.append(self._typed("Schedule", properties, line))
        if not events:
            self.diagnostics.warn("`schedule` event needs a `rate`", line)
            return None
        self._more.extend(events[1:])  # the framework creates one rule per rate
        return events[0]

    def _event_bridge(self, spec: Any, *, line: int) -> MarkedDict | None:
        if not isinstance(spec, dict):
            self.diagnostics.error("`eventBridge` event must be a mapping", line)
            return None
        if "schedule" in spec:
            properties = node(line, [])
            put(properties, "Schedule", spec["schedule"], key_line(spec, "schedule", line))
            _copy(properties, spec, {"enabled": "Enabled", "input": "Input"}, line)
            return self._typed("Schedule", properties, line)
        properties = node(line, [])
        put(
            properties, "Pattern", spec.get("pattern", spec.get("event", {})), key_line(spec, "pattern", line)
        )
        names = {"eventBus": "EventBusName", "input": "Input", "inputPath": "InputPath", "enabled": "Enabled"}
        _copy(properties, spec, names, line)
        return self._typed("EventBridgeRule", properties, line)

    # -- helpers ------------------------------------------------------------------------------

    def invoke_permission(
        self,
        logical_id: str,
        *,
        function: str,
        principal: str,
        line: int,
        conditions: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        """The `AWS::Lambda::Permission` the framework adds so that `principal` may invoke the function's
        target (see `target`), with its conditions (`SourceArn`, `SourceAccount`, `EventSourceToken`)."""
        properties = node(
            line,
            [
                ("Action", "lambda:InvokeFunction"),
                ("FunctionName", self.target(function, line)),
                ("Principal", principal),
                *conditions,
            ],
        )
        self.generated(logical_id, "AWS::Lambda::Permission", properties, line)

    def target(self, function: str, line: int) -> MarkedDict:
        """What an event of `function` invokes: its `provisioned` alias when it has one, else the function."""
        if function in self.aliased:
            return single(line, "Ref", alias_id(function))
        return get_att(line, function_id(function))

    def grant(self, actions: tuple[str, ...], arn: Any, line: int) -> None:
        statement = node(
            line, [("Effect", "Allow"), ("Action", seq(line, list(actions))), ("Resource", seq(line, [arn]))]
        )
        self.role_statements.append((statement, line))
        self.function_statements.setdefault(self._function, []).append((statement, line))

    def framework_resource(
        self,
        kind: str,
        *,
        function: str,
        named: tuple[str, str],
        entries: str,
        entry: MarkedDict,
        line: int,
    ) -> None:
        """Add `entry` to the custom resource (`Custom::S3`, `Custom::CognitoUserPool`) by which the
        framework configures an existing bucket or pool for `function`: one resource per function,
        `<Function>Custom<Name>1`, with the function, the bucket or pool (`named`) and a list of entries."""
        logical_id = f"{normalized(function)}{kind.replace('::', '')}1"
        existing = self.resources.get(logical_id)
        listed = existing.get("Properties", {}).get(entries) if isinstance(existing, dict) else None
        if isinstance(listed, MarkedList):
            listed.append(entry)
            listed.item_lines.append(line)
            return
        properties = node(
            line, [("FunctionName", self.target(function, line)), named, (entries, seq(line, [entry]))]
        )
        self.generated(logical_id, kind, properties, line)

    def generated(self, logical_id: str, kind: str, properties: MarkedDict, line: int) -> None:
        """Add a generated resource; a `resources:` entry of the same id overrides its properties."""
        existing = self.resources.get(logical_id)
        if isinstance(existing, dict):
            merged = MarkedDict(properties.line)
            merged.update(properties)
            merged.key_lines.update(properties.key_lines)
            override = existing.get("Properties")
            if isinstance(override, dict):
                merged.update(override)
                if isinstance(override, MarkedDict):
                    merged.key_lines.update(override.key_lines)
            resource = MarkedDict(getattr(existing, "line", 0) or line)
            resource.update(existing)
            if isinstance(existing, MarkedDict):
                resource.key_lines.update(existing.key_lines)
            resource.setdefault("Type", kind)
            resource.key_lines.setdefault("Type", line)
            put(resource, "Properties", merged, resource.key_lines.get("Properties", line))
            self.resources[logical_id] = resource
            return
        resource = single(line, "Type", kind)
        put(resource, "Properties", properties, line)
        put(self.resources, logical_id, resource, line)


def _start_case(rule: Any, line: int) -> Any:
    """A rule of an existing bucket's notification as the framework passes it on (`prefix` -> `Prefix`)."""
    if not isinstance(rule, dict):
        return rule
    return node(line, [(f"{key[:1].upper()}{key[1:]}", value) for key, value in rule.items()])


def _method_path(text: str, line: int) -> MarkedDict:
    method, _, path = text.strip().partition(" ")
    return node(line, [("method", method), ("path", path.strip() or "/")])


def _path(path: Any) -> Any:
    if isinstance(path, str):
        return "/" + path.strip().lstrip("/")
    return path


def _arn_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def _copy(target: MarkedDict, source: Any, names: dict[str, str], line: int) -> None:
    if not isinstance(source, dict):
        return
    for key, as_key in names.items():
        if key in source:
            put(target, as_key, source[key], key_line(source, key, line))


def _response_types(properties: MarkedDict, spec: Any, line: int) -> None:
    """`functionResponseType: ReportBatchItemFailures` of an `sqs` or `stream` event."""
    if isinstance(spec, dict) and "functionResponseType" in spec:
        at = key_line(spec, "functionResponseType", line)
        put(properties, "FunctionResponseTypes", seq(at, [spec["functionResponseType"]]), at)


def _failure_type(failure: Any, target: Any) -> str | None:
    """The SAM destination type of a stream's `onFailure`: its `type`, else the service of a literal ARN."""
    if isinstance(failure, dict) and not is_intrinsic(failure) and isinstance(failure.get("type"), str):
        return str(failure["type"]).upper()
    if isinstance(target, str) and target.startswith("arn:"):
        service = target.split(":")[2] if target.count(":") >= 2 else ""
        return service.upper() if service in ("sqs", "sns", "s3") else None
    return None
