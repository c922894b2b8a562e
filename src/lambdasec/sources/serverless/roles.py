"""The execution roles the framework creates: the shared `IamRoleLambdaExecution` and per-function roles."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.cloudformation.sam_marks import key_line, new_list, node, put, seq, single
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["VPC_ACCESS_POLICY", "execution_role", "logs_statements", "statements_of"]

VPC_ACCESS_POLICY: Final = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"


def logs_statements(log_groups: list[Any], line: int) -> list[MarkedDict]:
    """The statements letting functions write their log groups (`/aws/lambda/...` names or prefixes).

    A group whose name is not known (not a string) stands for its ARNs as it is.
    """
    prefix = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
    streams = seq(line, [_group_arn(prefix, group, ":*", line) for group in log_groups])
    events = seq(line, [_group_arn(prefix, group, ":*:*", line) for group in log_groups])
    create = node(
        line,
        [
            ("Effect", "Allow"),
            ("Action", seq(line, ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:TagResource"])),
            ("Resource", streams),
        ],
    )
    put_events = node(
        line, [("Effect", "Allow"), ("Action", seq(line, ["logs:PutLogEvents"])), ("Resource", events)]
    )
    return [create, put_events]


def _group_arn(prefix: str, group: Any, suffix: str, line: int) -> Any:
    return single(line, "Fn::Sub", f"{prefix}{group}{suffix}") if isinstance(group, str) else group


def statements_of(value: Any) -> list[tuple[Any, int]]:
    """The statements of a `statements` / `iamRoleStatements` list, each with its line."""
    if not isinstance(value, list):
        return []
    return [(item, key_line(value, index, 0)) for index, item in enumerate(value)]


def execution_role(
    *,
    line: int,
    role_name: Any,
    policy_name: str,
    statements: list[tuple[Any, int]],
    managed: list[tuple[Any, int]],
    extra: dict[str, Any],
) -> MarkedDict:
    """An `AWS::IAM::Role` Lambda may assume, with one inline policy and the managed policy ARNs."""
    trust = node(
        line,
        [
            ("Version", "2012-10-17"),
            (
                "Statement",
                seq(
                    line,
                    [
                        node(
                            line,
                            [
                                ("Effect", "Allow"),
                                ("Principal", single(line, "Service", seq(line, ["lambda.amazonaws.com"]))),
                                ("Action", seq(line, ["sts:AssumeRole"])),
                            ],
                        )
                    ],
                ),
            ),
        ],
    )
    statement_list = new_list(line)
    for statement, statement_line in statements:
        statement_list.append(statement)
        statement_list.item_lines.append(statement_line)
    document = node(line, [("Version", "2012-10-17"), ("Statement", statement_list)])
    policy = node(line, [("PolicyName", policy_name), ("PolicyDocument", document)])
    properties = node(line, [("Path", "/")])
    if role_name is not None:
        put(properties, "RoleName", role_name, line)
    put(properties, "AssumeRolePolicyDocument", trust, line)
    put(properties, "Policies", seq(line, [policy]), line)
    if managed:
        put(
            properties, "ManagedPolicyArns", seq(line, [m for m, _ in managed], [n for _, n in managed]), line
        )
    for key, value in extra.items():
        put(properties, key, value, line)
    return node(line, [("Type", "AWS::IAM::Role"), ("Properties", properties)])
