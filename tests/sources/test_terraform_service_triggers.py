"""Terraform Cognito user pool hooks, IoT rule actions and load balancer targets as push triggers."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Inventory, SourceKind, TriggerKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
resource "aws_lambda_function" "hook" {
  function_name = "hook"
  role          = "arn:aws:iam::111122223333:role/app"
}

resource "aws_cognito_user_pool" "users" {
  name = "users"
  lambda_config {
    pre_sign_up       = aws_lambda_function.hook.arn
    post_confirmation = "arn:aws:lambda:us-east-1:111122223333:function:welcome"
    kms_key_id        = "arn:aws:kms:us-east-1:111122223333:key/abc"
    custom_email_sender {
      lambda_arn     = aws_lambda_function.hook.arn
      lambda_version = "V1_0"
    }
  }
}

resource "aws_iot_topic_rule" "telemetry" {
  name        = "telemetry"
  enabled     = true
  sql         = "SELECT * FROM 'devices/+/telemetry'"
  sql_version = "2016-03-23"
  lambda {
    function_arn = aws_lambda_function.hook.arn
  }
  sns {
    target_arn = "arn:aws:sns:us-east-1:111122223333:alerts"
    role_arn   = "arn:aws:iam::111122223333:role/iot"
  }
}

resource "aws_lb_target_group" "hook" {
  name        = "hook"
  target_type = "lambda"
}

resource "aws_lb_target_group_attachment" "hook" {
  target_group_arn = aws_lb_target_group.hook.arn
  target_id        = aws_lambda_function.hook.arn
}

resource "aws_lb_target_group_attachment" "instance" {
  target_group_arn = aws_lb_target_group.hook.arn
  target_id        = "i-0123456789abcdef0"
}
"""
KEY = "main.tf#"
HOOK = KEY + "aws_lambda_function.hook"


def _inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "main.tf"
    path.write_text(MAIN, encoding="utf-8")
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )
    assert output.diagnostics == ()
    return output.inventory


def _line(marker: str) -> int:
    found = [n for n, text in enumerate(MAIN.splitlines(), start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


def test_service_triggers(tmp_path: Path) -> None:
    triggers = {t.origin.resource: t for t in _inventory(tmp_path).push_triggers}
    assert {name: (t.function, t.kind, t.source, t.detail) for name, t in triggers.items()} == {
        "aws_cognito_user_pool.users/lambda_config/pre_sign_up": (
            HOOK,
            TriggerKind.COGNITO,
            KEY + "aws_cognito_user_pool.users",
            "pre_sign_up",
        ),
        "aws_cognito_user_pool.users/lambda_config/post_confirmation": (
            "arn:aws:lambda:us-east-1:111122223333:function:welcome",
            TriggerKind.COGNITO,
            KEY + "aws_cognito_user_pool.users",
            "post_confirmation",
        ),
        "aws_cognito_user_pool.users/lambda_config/custom_email_sender": (
            HOOK,
            TriggerKind.COGNITO,
            KEY + "aws_cognito_user_pool.users",
            "custom_email_sender",
        ),
        "aws_iot_topic_rule.telemetry/lambda/0": (
            HOOK,
            TriggerKind.IOT,
            KEY + "aws_iot_topic_rule.telemetry",
            "SELECT * FROM 'devices/+/telemetry'",
        ),
        "aws_lb_target_group_attachment.hook": (HOOK, TriggerKind.ALB, "aws_lb_target_group.hook", None),
    }
    assert triggers["aws_cognito_user_pool.users/lambda_config/pre_sign_up"].origin.line == _line(
        "pre_sign_up       = aws_lambda_function.hook.arn"
    )
    assert triggers["aws_iot_topic_rule.telemetry/lambda/0"].origin.line == _line("  lambda {")
