"""Judging roles with equal policies once (the role book) never changes what the identity rules report."""

from __future__ import annotations

import itertools

from factories import make_function, make_inventory, make_policy, make_role, make_statement, run
from lambdasec.model import Effect, Inventory, PolicyKind, Role, Statement, Unresolved
from lambdasec.rules._api import Rule
from lambdasec.rules.identity.execution_role_cannot_write_logs import execution_role_cannot_write_logs
from lambdasec.rules.identity.execution_role_credential_exposure import execution_role_credential_exposure
from lambdasec.rules.identity.execution_role_data_exfiltration import execution_role_data_exfiltration
from lambdasec.rules.identity.execution_role_privilege_escalation import execution_role_privilege_escalation
from lambdasec.rules.identity.execution_role_resource_exposure import execution_role_resource_exposure
from lambdasec.rules.identity.execution_role_service_wildcard import execution_role_service_wildcard
from lambdasec.rules.identity.execution_role_write_on_any_resource import (
    execution_role_write_on_any_resource,
)
from lambdasec.rules.identity.policy_unknown_action import policy_unknown_action

RULES = (
    execution_role_service_wildcard,
    execution_role_write_on_any_resource,
    execution_role_privilege_escalation,
    execution_role_data_exfiltration,
    execution_role_credential_exposure,
    execution_role_resource_exposure,
    execution_role_cannot_write_logs,
    policy_unknown_action,
)
S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
POOL: tuple[tuple[str, str, Effect], ...] = (
    ("s3:*", "*", Effect.ALLOW),
    ("sqs:SendMessage", "*", Effect.ALLOW),
    ("kms:Decrypt", "*", Effect.ALLOW),
    ("iam:PassRole", "*", Effect.ALLOW),
    ("lambda:CreateFunction", "*", Effect.ALLOW),
    ("lambda:InvokeFunction", "*", Effect.ALLOW),
    ("s3:GetObjet", "arn:aws:s3:::orders/*", Effect.ALLOW),
    ("s3:*", "*", Effect.DENY),
    ("logs:*", "*", Effect.DENY),
)


def _statements(combo: tuple[int, ...], base: int) -> list[Statement]:
    return [
        make_statement(effect=POOL[i][2], actions=[POOL[i][0]], resources=[POOL[i][1]], line=base + 3 * n)
        for n, i in enumerate(combo)
    ]


def _roles() -> list[Role]:
    """Roles of every pair of pool statements, each twice at other lines, with managed policies."""
    roles: list[Role] = []
    combos = list(itertools.combinations(range(len(POOL)), 2))
    for copy in range(2):
        for number, combo in enumerate(combos):
            base = 1000 * copy + 40 * number
            key = f"Role{copy}x{number}"
            sam_managed = make_policy(
                kind=PolicyKind.AWS_MANAGED,
                name="AmazonS3FullAccess",
                arn=S3_FULL,
                document=Unresolved("AWS managed"),
                line=base + 30,
            )
            roles.append(
                make_role(
                    name=key,
                    key=key,
                    policies=[
                        make_policy(*_statements(combo, base + 1), name=f"{key}Policy", line=base),
                        sam_managed,
                    ]
                    if number % 3 == 0
                    else [make_policy(*_statements(combo, base + 1), name=f"{key}Policy", line=base)],
                    managed_policy_arns=[BASIC] if number % 2 else [],
                    line=base,
                    fields={"managed_policy_arns.0": base + 35},
                )
            )
    return roles


def _inventory(roles: list[Role]) -> Inventory:
    return make_inventory(functions=[make_function(f"fn-{r.key}", role=r.key) for r in roles], roles=roles)


def _report(rule: Rule, inventory: Inventory) -> set[tuple[str | None, int | None, str, str]]:
    outcome = run(rule, inventory)
    found = {(f.function, f.location.line, f.message, f.severity.value) for f in outcome.findings}
    return found | {
        (resource, None, reason, "unevaluated") for resource, reason in outcome.coverage.unevaluated
    }


def test_grouped_roles_report_exactly_what_each_role_reports_alone() -> None:
    roles = _roles()
    together = _inventory(roles)
    for rule in RULES:
        alone: set[tuple[str | None, int | None, str, str]] = set()
        for role in roles:
            alone |= _report(rule, _inventory([role]))
        assert _report(rule, together) == alone, rule.id
