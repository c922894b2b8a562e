"""SAM connectors (`AWS::Serverless::Connector`, embedded `Connectors`) that involve a Lambda function."""

# A connector grants `Read`/`Write` between a source and destination resource. SAM turns it into an IAM
# managed policy on a role (the function's own role, or the destination function's role for a queue or
# table stream feeding it) or into an `AWS::Lambda::Permission` for a service that invokes the function.
# Only the pairs that involve a Lambda function are expanded (from SAM's connector profiles); pairs that
# do not involve one are left alone, and a connector whose resources or permissions cannot be read is a
# warning. Generated resources point at the connector's line.

from __future__ import annotations

from typing import Any, Final

from lambdasec.records import record
from lambdasec.sources.cloudformation.intrinsics import UNRESOLVED_KEY
from lambdasec.sources.cloudformation.sam_context import Expander, Owner
from lambdasec.sources.cloudformation.sam_marks import key_line, node, seq

__all__ = ["expand_connectors"]

_LAMBDA: Final = "AWS::Lambda::Function"
_CONNECTOR: Final = "AWS::Serverless::Connector"
# The CloudFormation type SAM resources become, for profile lookups.
_TYPES: Final = {
    "AWS::Serverless::Function": _LAMBDA,
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
    "AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
    "AWS::Serverless::Api": "AWS::ApiGateway::RestApi",
    "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
}
# How `%{X.Arn}` is written for a resource referenced by logical id: `Ref` or `GetAtt .Arn`.
_ARN_BY_REF: Final = frozenset({"AWS::SNS::Topic", "AWS::StepFunctions::StateMachine"})
_S3_READ: Final = (
    "s3:GetObject",
    "s3:GetObjectAcl",
    "s3:GetObjectLegalHold",
    "s3:GetObjectRetention",
    "s3:GetObjectTorrent",
    "s3:GetObjectVersion",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionTorrent",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions",
    "s3:ListMultipartUploadParts",
)
_S3_WRITE: Final = (
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutObject",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:RestoreObject",
)
_TABLE_READ: Final = (
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:BatchGetItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PartiQLSelect",
)
_TABLE_WRITE: Final = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLDelete",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
)
_EXECUTIONS: Final = (
    "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:%{Destination.Name}:*"
)

# (actions, resources) per access category; resources use SAM's `%{Destination.Arn}` placeholders.
_Grants = dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]
# A function calling another resource: a policy on the function's (the source's) role.
_FROM_FUNCTION: Final[dict[str, _Grants]] = {
    "AWS::S3::Bucket": {
        "Read": ((_S3_READ, ("%{Destination.Arn}", "%{Destination.Arn}/*")),),
        "Write": ((_S3_WRITE, ("%{Destination.Arn}", "%{Destination.Arn}/*")),),
    },
    "AWS::DynamoDB::Table": {
        "Read": ((_TABLE_READ, ("%{Destination.Arn}", "%{Destination.Arn}/index/*")),),
        "Write": ((_TABLE_WRITE, ("%{Destination.Arn}", "%{Destination.Arn}/index/*")),),
    },
    "AWS::SQS::Queue": {
        "Read": ((("sqs:ReceiveMessage", "sqs:GetQueueAttributes"), ("%{Destination.Arn}",)),),
        "Write": (
            (
                ("sqs:DeleteMessage", "sqs:SendMessage", "sqs:ChangeMessageVisibility", "sqs:PurgeQueue"),
                ("%{Destination.Arn}",),
            ),
        ),
    },
    "AWS::SNS::Topic": {"Write": ((("sns:Publish",), ("%{Destination.Arn}",)),)},
    "AWS::StepFunctions::StateMachine": {
        "Read": (
            (("states:DescribeStateMachine", "states:ListExecutions"), ("%{Destination.Arn}",)),
            (
                (
                    "states:DescribeExecution",
                    "states:DescribeStateMachineForExecution",
                    "states:GetExecutionHistory",
                ),
                (_EXECUTIONS,),
            ),
        ),
        "Write": (
            (("states:StartExecution", "states:StartSyncExecution"), ("%{Destination.Arn}",)),
            (("states:StopExecution",), (_EXECUTIONS,)),
        ),
    },
    "AWS::Events::EventBus": {"Write": ((("events:PutEvents",), ("%{Destination.Arn}",)),)},
    _LAMBDA: {"Write": ((("lambda:InvokeAsync", "lambda:InvokeFunction"), ("%{Destination.Arn}",)),)},
    "AWS::Location::PlaceIndex": {
        "Read": (
            (
                (
                    "geo:DescribePlaceIndex",
                    "geo:GetPlace",
                    "geo:SearchPlaceIndexForPosition",
                    "geo:SearchPlaceIndexForSuggestions",
                    "geo:SearchPlaceIndexForText",
                ),
                ("%{Destination.Arn}",),
            ),
        )
    },
}
# A queue or table stream feeding a function: a policy on the function's (the destination's) role.
_TO_FUNCTION_ROLE: Final[dict[str, _Grants]] = {
    "AWS::SQS::Queue": {
        "Read": ((("sqs:ReceiveMessage", "sqs:GetQueueAttributes"), ("%{Source.Arn}",)),),
        "Write": ((("sqs:DeleteMessage",), ("%{Source.Arn}",)),),
    },
    "AWS::DynamoDB::Table": {
        "Read": (
            (
                (
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                    "dynamodb:ListStreams",
                ),
                ("%{Source.Arn}/stream/*",),
            ),
        )
    },
}
_API_SOURCE: Final = (
    "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:%{Source.ResourceId}/*"
)
# A service invoking a function (`Write`): principal and source ARN of the Lambda permission.
_INVOKERS: Final = {
    "AWS::Events::Rule": ("events.amazonaws.com", "%{Source.Arn}"),
    "AWS::SNS::Topic": ("sns.amazonaws.com", "%{Source.Arn}"),
    "AWS::S3::Bucket": ("s3.amazonaws.com", "%{Source.Arn}"),
    "AWS::ApiGateway::RestApi": ("apigateway.amazonaws.com", _API_SOURCE),
    "AWS::ApiGatewayV2::Api": ("apigateway.amazonaws.com", _API_SOURCE),
}


# Callers of a function whose connector only grants their own role `lambda:InvokeFunction`: nothing about
# the function changes, and their roles are not modelled.
_CALLER_ROLE_ONLY: Final = frozenset({"AWS::StepFunctions::StateMachine", "AWS::AppSync::DataSource"})


@record(kw_only=False)
class _End:
    """One side of a connector: its CloudFormation type and how to refer to it."""

    type: str
    logical_id: str | None
    arn: Any
    role: Any = None  # the role name expression, for a function


_Ends = tuple[_End, _End]


def expand_connectors(ex: Expander) -> None:
    """Emit what every connector of the template that involves a function generates."""
    for logical_id, resource in list(ex.source.items()):
        if not isinstance(resource, dict):
            continue
        is_connector = resource.get("Type") == _CONNECTOR
        embedded = resource.get("Connectors")
        if not is_connector and embedded is None:
            continue  # most resources: no owner to build
        owner = Owner.of(logical_id, resource)
        if is_connector:
            line = ex.resource_line(logical_id)
            props = resource.get("Properties")
            if not isinstance(props, dict):
                ex.warn(f"connector `{logical_id}` needs `Properties`; not expanded", line)
                continue
            _expand(ex, logical_id, props=props, source=props.get("Source"), owner=owner, line=line)
        if embedded is None:
            continue
        if not isinstance(embedded, dict):
            ex.warn(
                f"`Connectors` of `{logical_id}` must be a mapping; not expanded",
                ex.resource_line(logical_id),
            )
            continue
        for name, connector in embedded.items():
            line = key_line(embedded, name, ex.resource_line(logical_id))
            props = connector.get("Properties") if isinstance(connector, dict) else None
            if not isinstance(props, dict):
                ex.warn(f"connector `{name}` of `{logical_id}` needs `Properties`; not expanded", line)
                continue
            connector_id = f"{logical_id}{name}"
            _expand(ex, connector_id, props=props, source={"Id": logical_id}, owner=owner, line=line)


def _expand(ex: Expander, connector_id: str, *, props: Any, source: Any, owner: Owner, line: int) -> None:
    permissions = props.get("Permissions")
    if isinstance(permissions, str):
        permissions = [permissions]
    if not isinstance(permissions, list) or not all(p in ("Read", "Write") for p in permissions):
        ex.warn(f"connector `{connector_id}` needs `Permissions` Read and/or Write; not expanded", line)
        return
    destinations = props.get("Destination")
    listed = destinations if isinstance(destinations, list) else [destinations]
    start = _end(ex, source, connector_id=connector_id, side="Source", line=line)
    if start is None:
        return
    for index, destination in enumerate(listed):
        end = _end(ex, destination, connector_id=connector_id, side="Destination", line=line)
        if end is None:
            continue
        suffix = f"Destination{index}" if isinstance(destinations, list) else ""
        resource_id = f"{connector_id}{suffix}"
        _connect(ex, resource_id, ends=(start, end), permissions=permissions, owner=owner, line=line)


def _end(ex: Expander, reference: Any, *, connector_id: str, side: str, line: int) -> _End | None:
    """The connector side `reference` (`{Id}` or `{Type, Arn}`), or None with a warning."""
    if isinstance(reference, dict) and isinstance(reference.get("Id"), str):
        logical_id = reference["Id"]
        resource = ex.source.get(logical_id)
        declared = resource.get("Type") if isinstance(resource, dict) else None
        if not isinstance(declared, str):
            ex.warn(f"{side} `{logical_id}` of connector `{connector_id}` is not in the template", line)
            return None
        kind = _TYPES.get(declared, declared)
        arn: Any = {"Ref": logical_id} if kind in _ARN_BY_REF else {"Fn::GetAtt": [logical_id, "Arn"]}
        role = reference.get("RoleName")
        if role is None and kind == _LAMBDA:
            role = _role_name(logical_id, resource=resource, declared=declared)
        return _End(type=kind, logical_id=logical_id, arn=arn, role=role)
    if isinstance(reference, dict) and isinstance(reference.get("Type"), str):
        kind = reference["Type"]
        return _End(type=kind, logical_id=None, arn=reference.get("Arn"), role=reference.get("RoleName"))
    ex.warn(f"{side} of connector `{connector_id}` needs `Id`, or `Type` and `Arn`; not expanded", line)
    return None


def _role_name(logical_id: str, *, resource: Any, declared: str) -> Any:
    """The name of a function's execution role: SAM's generated role, or the role its `Role` names."""
    props = resource.get("Properties")
    role = props.get("Role") if isinstance(props, dict) else None
    if role is None:
        return {"Ref": f"{logical_id}Role"} if declared != _LAMBDA else None
    attribute = role.get("Fn::GetAtt") if isinstance(role, dict) and len(role) == 1 else None
    if isinstance(attribute, str):
        attribute = attribute.split(".", 1)
    if isinstance(attribute, list) and len(attribute) == 2 and attribute[1] == "Arn":
        return {"Ref": attribute[0]}
    return None


def _connect(
    ex: Expander, resource_id: str, *, ends: _Ends, permissions: list[str], owner: Owner, line: int
) -> None:
    start, end = ends
    if start.type == _LAMBDA and end.type in _FROM_FUNCTION:
        grants, role_of = _FROM_FUNCTION[end.type], start
    elif end.type == _LAMBDA and start.type in _TO_FUNCTION_ROLE:
        grants, role_of = _TO_FUNCTION_ROLE[start.type], end
    elif end.type == _LAMBDA and start.type in _INVOKERS:
        if "Write" in permissions:
            _permission(ex, resource_id, ends=ends, owner=owner, line=line)
        return
    else:
        if start.type == _LAMBDA or (end.type == _LAMBDA and start.type not in _CALLER_ROLE_ONLY):
            ex.warn(
                f"connector `{resource_id}` from {start.type} to {end.type} is not modelled; "
                "the access it grants is unknown",
                line,
            )
        return
    if role_of.role is None:
        ex.warn(f"connector `{resource_id}`: the role of the function is not known; not expanded", line)
        return
    statements = [
        node(
            line,
            [
                ("Effect", "Allow"),
                ("Action", list(actions)),
                ("Resource", [_fill(text, ends=ends) for text in resources]),
            ],
        )
        for category in permissions
        for actions, resources in grants.get(category, ())
    ]
    if not statements:
        ex.warn(
            f"connector `{resource_id}` grants no {'/'.join(permissions)} access for these resources", line
        )
        return
    document = node(line, [("Version", "2012-10-17"), ("Statement", seq(line, statements))])
    properties = node(line, [("PolicyDocument", document), ("Roles", [role_of.role])])
    ex.emit(f"{resource_id}Policy", "AWS::IAM::ManagedPolicy", properties, line=line, owner=owner)


def _permission(ex: Expander, resource_id: str, *, ends: _Ends, owner: Owner, line: int) -> None:
    start, end = ends
    principal, source_arn = _INVOKERS[start.type]
    items: list[tuple[str, Any]] = [
        ("Action", "lambda:InvokeFunction"),
        ("FunctionName", end.arn),
        ("Principal", principal),
        ("SourceArn", _fill(source_arn, ends=ends)),
    ]
    if start.type == "AWS::S3::Bucket":
        items.append(("SourceAccount", {"Ref": "AWS::AccountId"}))
    permission = node(line, items)
    ex.emit(
        f"{resource_id}WriteLambdaPermission", "AWS::Lambda::Permission", permission, line=line, owner=owner
    )


def _fill(text: str, *, ends: _Ends) -> Any:
    """A profile text with its `%{...}` placeholders as the expression CloudFormation evaluates."""
    start, end = ends
    unknown = {UNRESOLVED_KEY: "a connector resource given by `Type` without `Arn`"}
    values = {
        "%{Source.Arn}": start.arn if start.arn is not None else unknown,
        "%{Destination.Arn}": end.arn if end.arn is not None else unknown,
        "%{Source.ResourceId}": {"Ref": start.logical_id} if start.logical_id else unknown,
        "%{Destination.Name}": {"Fn::GetAtt": [end.logical_id, "Name"]} if end.logical_id else unknown,
    }
    if text in values:
        return values[text]
    variables: dict[str, Any] = {}
    for placeholder, value in values.items():
        if placeholder in text:
            inline = _sub_text(value)
            if inline is None:
                inline = "${Connector" + str(len(variables)) + "}"
                variables[inline[2:-1]] = value
            text = text.replace(placeholder, inline)
    return {"Fn::Sub": [text, variables]} if variables else {"Fn::Sub": text}


def _sub_text(value: Any) -> str | None:
    """How `value` is written inside an `Fn::Sub` text: a literal, `${Id}` or `${Id.Attribute}`."""
    if isinstance(value, str):
        return value.replace("${", "${!")
    if isinstance(value, dict) and len(value) == 1:
        reference = value.get("Ref")
        if isinstance(reference, str):
            return "${" + reference + "}"
        attribute = value.get("Fn::GetAtt")
        if isinstance(attribute, list) and len(attribute) == 2 and all(isinstance(a, str) for a in attribute):
            return "${" + ".".join(attribute) + "}"
    return None
