"""Identity rules on the statements SAM writes from its policy templates: named by template, AWS's text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.scan import ScanRequest, scan

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: pass
      Policies:
        - SQSPollerPolicy:
            QueueName: jobs
        - VPCAccessPolicy: {}
        - CloudWatchDashboardPolicy: {}
        - SSMParameterReadPolicy:
            ParameterName: app/config
        - Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Action: [cloudwatch:PutDashboard, sqs:DeleteMessageBatch]
              Resource: "*"
"""


def _identity_findings(tmp_path: Path) -> list[tuple[str, int | None, str]]:
    (tmp_path / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(), today=date(2026, 11, 22)))
    return sorted((f.rule, f.location.line, f.message) for f in result.findings if f.rule < "LS112")


def test_template_statements_are_named_by_template_and_the_users_own_are_kept(tmp_path: Path) -> None:
    assert _identity_findings(tmp_path) == [
        (
            "LS103",
            13,
            "Execution role `WorkerRole` of `Worker` allows `cloudwatch:PutDashboard` on `*` (the SAM policy "
            "template `CloudWatchDashboardPolicy`); `cloudwatch:PutDashboard` on `*` (a statement of policy "
            "`WorkerRolePolicy4`), so a compromised function can change every resource of those types "
            "instead of only its own",
        ),
        (
            "LS111",
            19,
            "Execution role `WorkerRole` of `Worker` names actions that grant nothing: "
            "`sqs:DeleteMessageBatch` is not an action of `sqs` (did you mean `sqs:DeleteMessage`?) "
            "(Action of a statement of policy `WorkerRolePolicy4`), so the policy does not do what it says",
        ),
    ]
