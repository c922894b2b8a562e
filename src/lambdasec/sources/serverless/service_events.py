"""Events of other services (ALB, Alexa, IoT, Cognito, Logs, Kafka, MQ) as SAM events or resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from lambdasec.sources.cloudformation.sam_marks import is_intrinsic, key_line, node, put, seq
from lambdasec.sources.serverless.naming import alphanumeric, normalized
from lambdasec.sources.yaml_loader import MarkedDict

if TYPE_CHECKING:
    from lambdasec.sources.serverless.events import EventCompiler

__all__ = [
    "alb",
    "alexa_skill",
    "alexa_smart_home",
    "cloudwatch_log",
    "cognito_user_pool",
    "iot",
    "kafka",
    "mq",
    "msk",
]

_MSK_ACTIONS: Final = ("kafka:DescribeCluster", "kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers")
_ENI_ACTIONS: Final = (
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)
_SECRET_ACTIONS: Final = ("secretsmanager:GetSecretValue",)
# `kafka` event `accessConfigurations` keys -> SourceAccessConfigurations types.
_KAFKA_ACCESS: Final = {
    "vpcSubnet": "VPC_SUBNET",
    "vpcSecurityGroup": "VPC_SECURITY_GROUP",
    "saslPlainAuth": "BASIC_AUTH",
    "saslScram256Auth": "SASL_SCRAM_256_AUTH",
    "saslScram512Auth": "SASL_SCRAM_512_AUTH",
    "clientCertificateTlsAuth": "CLIENT_CERTIFICATE_TLS_AUTH",
    "serverRootCaCertificate": "SERVER_ROOT_CA_CERTIFICATE",
}


def _typed(kind: str, properties: MarkedDict, line: int) -> MarkedDict:
    event = node(line, [("Type", kind)])
    put(event, "Properties", properties, line)
    return event


def _mapping(spec: Any) -> bool:
    return isinstance(spec, dict) and not is_intrinsic(spec)


def _copy(target: MarkedDict, spec: Any, names: dict[str, str], line: int) -> None:
    if _mapping(spec):
        for source, as_key in names.items():
            if source in spec:
                put(target, as_key, spec[source], key_line(spec, source, line))


def alexa_skill(spec: Any, *, line: int) -> MarkedDict | None:
    """`- alexaSkill`, `alexaSkill: <skill id>` or `{appId, enabled}`: Alexa may invoke (for that skill)."""
    if _mapping(spec) and spec.get("enabled") is False:
        return None
    skill = spec.get("appId") if _mapping(spec) else spec
    properties = node(line, [])
    if skill is not None:
        skill_line = key_line(spec, "appId", line) if _mapping(spec) else line
        put(properties, "SkillId", skill, skill_line)
    return _typed("AlexaSkill", properties, line)


def alexa_smart_home(
    compiler: EventCompiler, spec: Any, *, line: int, function: str, index: int
) -> MarkedDict | None:
    """`alexaSmartHome: <skill id>` or `{appId, enabled}`: a permission for the smart home skill."""
    if _mapping(spec) and spec.get("enabled") is False:
        return None
    skill = spec.get("appId") if _mapping(spec) else spec
    if skill is None:
        compiler.diagnostics.warn("`alexaSmartHome` event needs an `appId`", line)
        return None
    compiler.invoke_permission(
        f"{normalized(function)}LambdaPermissionAlexaSmartHome{index}",
        function=function,
        principal="alexa-connectedhome.amazon.com",
        line=line,
        conditions=(("EventSourceToken", skill),),
    )
    return None


def iot(compiler: EventCompiler, spec: Any, *, line: int) -> MarkedDict | None:
    """`iot: {sql, sqlVersion, enabled}`: a topic rule whose action invokes the function."""
    if not _mapping(spec) or "sql" not in spec:
        compiler.diagnostics.warn("`iot` event needs `sql`", line)
        return None
    properties = node(line, [])
    _copy(properties, spec, {"sql": "Sql", "sqlVersion": "AwsIotSqlVersion", "enabled": "Enabled"}, line)
    return _typed("IoTRule", properties, line)


def cognito_user_pool(
    compiler: EventCompiler, spec: Any, *, line: int, function: str, index: int
) -> MarkedDict | None:
    """`cognitoUserPool: {pool, trigger, existing}`: the pool the framework creates (or an existing one)."""
    if not _mapping(spec) or not isinstance(spec.get("pool"), str) or "trigger" not in spec:
        compiler.diagnostics.warn("`cognitoUserPool` event needs a `pool` name and a `trigger`", line)
        return None
    pool = spec["pool"]
    pool_line = key_line(spec, "pool", line)
    if spec.get("existing") is True:
        source = node(
            pool_line,
            [("Fn::Sub", "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/*")],
        )
        compiler.invoke_permission(
            f"{normalized(function)}LambdaPermissionCognitoUserPool{alphanumeric(pool)}{index}",
            function=function,
            principal="cognito-idp.amazonaws.com",
            line=pool_line,
            conditions=(("SourceArn", source),),
        )
        _existing_pool_trigger(compiler, spec, pool=pool, function=function, line=line)
        return None
    pool_id = f"CognitoUserPool{alphanumeric(pool)}"
    compiler.generated(
        pool_id, "AWS::Cognito::UserPool", node(pool_line, [("UserPoolName", pool)]), pool_line
    )
    properties = node(line, [("UserPool", node(pool_line, [("Ref", pool_id)]))])
    put(properties, "Trigger", spec["trigger"], key_line(spec, "trigger", line))
    return _typed("Cognito", properties, line)


def _existing_pool_trigger(
    compiler: EventCompiler, spec: Any, *, pool: str, function: str, line: int
) -> None:
    """The `Custom::CognitoUserPool` resource by which the framework sets the trigger on an existing pool
    (one per function, an entry per trigger)."""
    config = node(line, [])
    put(config, "Trigger", spec["trigger"], key_line(spec, "trigger", line))
    compiler.framework_resource(
        "Custom::CognitoUserPool",
        function=function,
        named=("UserPoolName", pool),
        entries="UserPoolConfigs",
        entry=config,
        line=line,
    )


def cloudwatch_log(compiler: EventCompiler, spec: Any, *, line: int) -> MarkedDict | None:
    """`cloudwatchLog: <group>` or `{logGroup, filter}`: a subscription filter delivering to the function."""
    group = spec.get("logGroup") if _mapping(spec) else spec
    if group is None:
        compiler.diagnostics.warn("`cloudwatchLog` event needs a `logGroup`", line)
        return None
    properties = node(line, [])
    put(properties, "LogGroupName", group, key_line(spec, "logGroup", line) if _mapping(spec) else line)
    pattern = spec.get("filter", "") if _mapping(spec) else ""
    put(properties, "FilterPattern", pattern, key_line(spec, "filter", line) if _mapping(spec) else line)
    return _typed("CloudWatchLogs", properties, line)


def msk(compiler: EventCompiler, spec: Any, *, line: int) -> MarkedDict | None:
    """`msk: {arn, topic, ...}`: an event source mapping on an MSK cluster."""
    if not _mapping(spec) or "arn" not in spec or "topic" not in spec:
        compiler.diagnostics.warn("`msk` event needs a cluster `arn` and a `topic`", line)
        return None
    properties = _polled(spec, line=line, source=("arn", "Stream"))
    put(
        properties,
        "Topics",
        seq(key_line(spec, "topic", line), [spec["topic"]]),
        key_line(spec, "topic", line),
    )
    secret = spec.get("saslScram512")
    if secret is not None:
        secret_line = key_line(spec, "saslScram512", line)
        access = node(secret_line, [("Type", "SASL_SCRAM_512_AUTH"), ("URI", secret)])
        put(properties, "SourceAccessConfigurations", seq(secret_line, [access]), secret_line)
        compiler.grant(_SECRET_ACTIONS, secret, secret_line)
    compiler.grant(_MSK_ACTIONS, spec["arn"], line)
    compiler.grant(_ENI_ACTIONS, "*", line)
    return _typed("MSK", properties, line)


def kafka(compiler: EventCompiler, spec: Any, *, line: int) -> MarkedDict | None:
    """`kafka: {bootstrapServers, topic, accessConfigurations, ...}`: a self-managed Kafka mapping."""
    if not _mapping(spec) or "bootstrapServers" not in spec or "topic" not in spec:
        compiler.diagnostics.warn("`kafka` event needs `bootstrapServers` and a `topic`", line)
        return None
    properties = _polled(spec, line=line, source=None)
    _copy(properties, spec, {"bootstrapServers": "KafkaBootstrapServers"}, line)
    put(
        properties,
        "Topics",
        seq(key_line(spec, "topic", line), [spec["topic"]]),
        key_line(spec, "topic", line),
    )
    configurations = spec.get("accessConfigurations")
    if _mapping(configurations):
        access_line = key_line(spec, "accessConfigurations", line)
        entries = seq(access_line, [])
        for key, value in configurations.items():
            kind = _KAFKA_ACCESS.get(str(key))
            if kind is None:
                continue
            value_line = key_line(configurations, key, access_line)
            for uri in value if isinstance(value, list) else [value]:
                entries.append(node(value_line, [("Type", kind), ("URI", uri)]))
                entries.item_lines.append(value_line)
                if kind not in ("VPC_SUBNET", "VPC_SECURITY_GROUP"):
                    compiler.grant(_SECRET_ACTIONS, uri, value_line)
            if kind == "VPC_SUBNET":
                compiler.grant(_ENI_ACTIONS, "*", value_line)
        put(properties, "SourceAccessConfigurations", entries, access_line)
    return _typed("SelfManagedKafka", properties, line)


def mq(compiler: EventCompiler, spec: Any, *, line: int, kind: str) -> MarkedDict | None:
    """`activemq` / `rabbitmq: {arn, queue, basicAuthArn, ...}`: an event source mapping on a broker."""
    if not _mapping(spec) or "arn" not in spec or "queue" not in spec or "basicAuthArn" not in spec:
        compiler.diagnostics.warn(
            f"`{kind}` event needs a broker `arn`, a `queue` and a `basicAuthArn`", line
        )
        return None
    properties = _polled(spec, line=line, source=("arn", "Broker"))
    properties.pop("StartingPosition", None)
    queue_line = key_line(spec, "queue", line)
    put(properties, "Queues", seq(queue_line, [spec["queue"]]), queue_line)
    auth_line = key_line(spec, "basicAuthArn", line)
    access = node(auth_line, [("Type", "BASIC_AUTH"), ("URI", spec["basicAuthArn"])])
    put(properties, "SourceAccessConfigurations", seq(auth_line, [access]), auth_line)
    compiler.grant(("mq:DescribeBroker",), spec["arn"], line)
    compiler.grant(_SECRET_ACTIONS, spec["basicAuthArn"], auth_line)
    return _typed("MQ", properties, line)


def _polled(spec: Any, *, line: int, source: tuple[str, str] | None) -> MarkedDict:
    """The properties every polled event shares: source, batch size, start position, enabled."""
    properties = node(line, [("StartingPosition", "TRIM_HORIZON")])
    names = {"batchSize": "BatchSize", "startingPosition": "StartingPosition", "enabled": "Enabled"}
    if source is not None:
        names = {source[0]: source[1], **names}
    _copy(properties, spec, names, line)
    if isinstance(properties.get("StartingPosition"), str):
        properties["StartingPosition"] = properties["StartingPosition"].upper()
    return properties


def alb(compiler: EventCompiler, spec: Any, *, line: int, function: str) -> MarkedDict | None:
    """`alb: {listenerArn, priority, conditions}`: a lambda target group, its listener rule and permission."""
    if not _mapping(spec) or "listenerArn" not in spec or "priority" not in spec:
        compiler.diagnostics.warn("`alb` event needs a `listenerArn` and a `priority`", line)
        return None
    listener = spec["listenerArn"]
    listener_line = key_line(spec, "listenerArn", line)
    balancer = alphanumeric(listener.split("/")[-2]) if isinstance(listener, str) and "/" in listener else ""
    target_arn = compiler.target(function, line)
    group_id = f"{normalized(function)}AlbTargetGroup{balancer}"
    group = node(line, [("TargetType", "lambda"), ("Targets", seq(line, [node(line, [("Id", target_arn)])]))])
    compiler.generated(group_id, "AWS::ElasticLoadBalancingV2::TargetGroup", group, line)
    forward = node(line, [("Type", "forward"), ("TargetGroupArn", node(line, [("Ref", group_id)]))])
    rule = node(line, [("Actions", seq(line, [forward])), ("ListenerArn", listener)])
    put(rule, "Priority", spec["priority"], key_line(spec, "priority", line))
    compiler.generated(
        f"{normalized(function)}AlbListenerRule{spec['priority']}",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        rule,
        listener_line,
    )
    compiler.invoke_permission(
        f"{normalized(function)}LambdaPermissionAlb",
        function=function,
        principal="elasticloadbalancing.amazonaws.com",
        line=line,
        conditions=(("SourceArn", node(line, [("Ref", group_id)])),),
    )
    return None
