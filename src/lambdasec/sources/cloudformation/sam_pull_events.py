"""Poll-based SAM events (SQS, Kinesis, DynamoDB, MSK, MQ, Kafka, DocumentDB) -> event source mappings."""

from __future__ import annotations

from typing import Any

from lambdasec.sources.cloudformation.sam_context import Event, Expander
from lambdasec.sources.cloudformation.sam_marks import copy_dict, keep, node, put
from lambdasec.sources.cloudformation.sam_policies import managed_policy_arn
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["EVENT_TYPE_KEY", "PULL_EVENTS", "pull_event"]

# Metadata key on a generated mapping: the SAM event type, which names the source service even when
# the source ARN is not known (`Queue: !ImportValue shared-queue-arn`).
EVENT_TYPE_KEY = "lambdasec:EventType"

# Event type -> (property holding the source ARN, managed policy SAM attaches to the generated role).
PULL_EVENTS: dict[str, tuple[str | None, str | None]] = {
    "SQS": ("Queue", "service-role/AWSLambdaSQSQueueExecutionRole"),
    "Kinesis": ("Stream", "service-role/AWSLambdaKinesisExecutionRole"),
    "DynamoDB": ("Stream", "service-role/AWSLambdaDynamoDBExecutionRole"),
    "MSK": ("Stream", "service-role/AWSLambdaMSKExecutionRole"),
    "MQ": ("Broker", None),
    "SelfManagedKafka": (None, None),
    "DocumentDB": ("Cluster", None),
}
_PASS_THROUGH = (
    "StartingPosition",
    "StartingPositionTimestamp",
    "BatchSize",
    "Enabled",
    "MaximumBatchingWindowInSeconds",
    "MaximumRetryAttempts",
    "BisectBatchOnFunctionError",
    "MaximumRecordAgeInSeconds",
    "ParallelizationFactor",
    "Topics",
    "Queues",
    "SourceAccessConfigurations",
    "TumblingWindowInSeconds",
    "FunctionResponseTypes",
    "FilterCriteria",
    "KmsKeyArn",
    "ScalingConfig",
    "ProvisionedPollerConfig",
    "MetricsConfig",
    "LoggingConfig",
)
_AUTH_TYPES = (
    "SASL_SCRAM_256_AUTH",
    "SASL_SCRAM_512_AUTH",
    "BASIC_AUTH",
    "CLIENT_CERTIFICATE_TLS_AUTH",
    "SERVER_ROOT_CA_CERTIFICATE",
)
_ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
]
_DESTINATIONS = {"SQS": ("SQSPolicy", "sqs:SendMessage"), "SNS": ("SNSPolicy", "sns:publish")}


def pull_event(ex: Expander, event: Event, kind: str) -> None:
    """Emit `<Fn><Event>` (an event source mapping) and add the poller permissions to the generated role."""
    arn_key, managed = PULL_EVENTS[kind]
    if arn_key is not None and event.props.get(arn_key) is None:
        ex.warn(f"event `{event.fn.logical_id}.{event.name}` lacks `{arn_key}`; ignored", event.line)
        return
    line = event.line
    mapping = node(line, [("FunctionName", event.fn.name_ref(line))])
    if arn_key is not None:
        keep(mapping, event.props, arn_key, as_key="EventSourceArn")
    for key in [key for key in _PASS_THROUGH if key in event.props]:
        keep(mapping, event.props, key)
    _kafka_fields(event, mapping, kind)
    destination_statement = _destination(event, mapping)
    if ex.emit(event.logical_id, "AWS::Lambda::EventSourceMapping", mapping, line=line, owner=event.fn):
        emitted = ex.out[event.logical_id]
        metadata = emitted.get("Metadata")
        metadata = metadata if isinstance(metadata, MarkedDict) else node(line)
        put(metadata, EVENT_TYPE_KEY, kind, line)
        put(emitted, "Metadata", metadata, line)
    parts = event.parts
    if parts is None:
        return
    if managed is not None:
        parts.add_managed(managed_policy_arn(managed), line)
    name, statements = _statements(event, kind)
    if statements:
        parts.add_statements(name, statements, line)
    if destination_statement is not None:
        parts.add_statements(*destination_statement, event.at("DestinationConfig"))


def _kafka_fields(event: Event, mapping: Any, kind: str) -> None:
    props, line = event.props, event.line
    if "KafkaBootstrapServers" in props:
        endpoints = {"Endpoints": {"KafkaBootstrapServers": props["KafkaBootstrapServers"]}}
        put(mapping, "SelfManagedEventSource", endpoints, event.at("KafkaBootstrapServers"))
    config = node(line)
    keep(config, props, "ConsumerGroupId")
    keep(config, props, "SchemaRegistryConfig")
    if config and kind in ("MSK", "SelfManagedKafka"):
        key = "AmazonManagedKafkaEventSourceConfig" if kind == "MSK" else "SelfManagedKafkaEventSourceConfig"
        put(mapping, key, config, line)
    if kind == "DocumentDB":
        docdb = node(line)
        for key in ("DatabaseName", "CollectionName", "FullDocument"):
            keep(docdb, props, key)
        put(mapping, "DocumentDBEventSourceConfig", docdb, line)


def _destination(event: Event, mapping: Any) -> tuple[str, list[Any]] | None:
    """Copy `DestinationConfig` without SAM's `Type`, which only decides the role statement SAM adds."""
    config = event.props.get("DestinationConfig")
    on_failure = config.get("OnFailure") if isinstance(config, dict) else None
    if not isinstance(on_failure, dict):
        return None
    at = event.at("DestinationConfig")
    stripped = copy_dict(on_failure, at)
    stripped.pop("Type", None)
    stripped.key_lines.pop("Type", None)
    copied = copy_dict(config, at)
    put(copied, "OnFailure", stripped, getattr(config, "key_lines", {}).get("OnFailure", at))
    put(mapping, "DestinationConfig", copied, at)
    target = on_failure.get("Destination")
    kind = on_failure.get("Type")
    if kind in _DESTINATIONS:
        suffix, action = _DESTINATIONS[kind]
        return f"{event.logical_id}{suffix}", [
            node(at, [("Action", action), ("Effect", "Allow"), ("Resource", target)])
        ]
    if kind == "S3":
        return f"{event.logical_id}S3Policy", [
            node(
                at,
                [
                    ("Action", "s3:PutObject"),
                    ("Effect", "Allow"),
                    ("Resource", {"Fn::Join": ["/", [target, "*"]]}),
                ],
            ),
            node(at, [("Action", "s3:ListBucket"), ("Effect", "Allow"), ("Resource", target)]),
        ]
    return None


def _statements(event: Event, kind: str) -> tuple[str, list[Any]]:
    props, line = event.props, event.line
    configs = props.get("SourceAccessConfigurations")
    configs = [c for c in configs if isinstance(c, dict)] if isinstance(configs, list) else []
    uris = [c.get("URI") for c in configs if c.get("Type") in _AUTH_TYPES and c.get("URI") is not None]
    statements: list[Any] = []
    if kind == "MQ":
        name = (
            f"{event.logical_id}AMQPolicy" if props.get("DynamicPolicyName") else "SamAutoGeneratedAMQPolicy"
        )
        statements = [_allow(["secretsmanager:GetSecretValue"], uri, line) for uri in uris[:1]]
        statements.append(_allow(["mq:DescribeBroker"], props["Broker"], line))
    elif kind == "MSK":
        name = "MSKExecutionRolePolicy"
        statements = [
            _allow(["secretsmanager:GetSecretValue"], c.get("URI"), line)
            for c in configs
            if c.get("Type") == "CLIENT_CERTIFICATE_TLS_AUTH" and c.get("URI") is not None
        ]
    elif kind == "SelfManagedKafka":
        name = "SelfManagedKafkaExecutionRolePolicy"
        statements = [_allow(["secretsmanager:GetSecretValue"], uri, line) for uri in uris]
        if any(c.get("Type") == "VPC_SUBNET" for c in configs):
            statements.append(_allow(_ENI_ACTIONS, "*", line))
    elif kind == "DocumentDB":
        name = "SamAutoGeneratedDocumentDBPolicy"
        statements = [_allow(["secretsmanager:GetSecretValue"], uri, line) for uri in uris[:1]]
        statements += [
            _allow(
                ["rds:DescribeDBClusterParameters"],
                {"Fn::Sub": "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:cluster-pg:*"},
                line,
            ),
            _allow(
                ["rds:DescribeDBSubnetGroups"],
                {"Fn::Sub": "arn:${AWS::Partition}:rds:${AWS::Region}:${AWS::AccountId}:subgrp:*"},
                line,
            ),
            _allow(["rds:DescribeDBClusters"], props["Cluster"], line),
            _allow(_ENI_ACTIONS, "*", line),
        ]
    else:
        return "", []
    kms = props.get("SecretsManagerKmsKeyId")
    if isinstance(kms, str) and kind != "MSK":
        key_arn = {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/" + kms}
        statements.append(_allow(["kms:Decrypt"], key_arn, line))
    return name, statements


def _allow(actions: list[str], resource: Any, line: int) -> Any:
    return node(line, [("Action", actions), ("Effect", "Allow"), ("Resource", resource)])
