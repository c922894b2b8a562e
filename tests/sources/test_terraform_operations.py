"""Terraform push triggers, queues, trails, invoke configs, tags and alias bindings mapped to the model."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    DataEventSelector,
    Inventory,
    LambdaFunction,
    PushTrigger,
    SourceKind,
    TriggerKind,
    Unresolved,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
variable "redrive" {}
variable "tags" {}

provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = {
      owner = "platform"
      team  = "core"
    }
  }
}

provider "aws" {
  alias = "other"
  default_tags {
    tags = { ignored = "yes" }
  }
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/app"
  tags = {
    team = "orders"
  }
}

resource "aws_lambda_function" "from_var" {
  function_name = "from-var"
  role          = "arn:aws:iam::111122223333:role/app"
  tags          = var.tags
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.worker.function_name
  function_version = "3"
}

resource "aws_lambda_function_event_invoke_config" "worker" {
  function_name          = aws_lambda_function.worker.function_name
  maximum_retry_attempts = 1
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed.arn
    }
    on_success {
      destination = "arn:aws:sns:us-east-1:111122223333:done"
    }
  }
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_alias.live.arn
    events              = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
  }
  queue {
    queue_arn = aws_sqs_queue.failed.arn
    events    = ["s3:ObjectCreated:*"]
  }
}

resource "aws_sns_topic_subscription" "lambda" {
  topic_arn     = aws_sns_topic.alerts.arn
  protocol      = "lambda"
  endpoint      = aws_lambda_function.worker.arn
  filter_policy = jsonencode({ kind = ["alert"] })
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "rate(1 day)"
}

resource "aws_cloudwatch_event_rule" "placed" {
  name           = "placed"
  event_bus_name = "orders"
  event_pattern  = jsonencode({ source = ["orders"] })
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.worker.arn
}

resource "aws_cloudwatch_event_target" "placed" {
  rule = "placed"
  arn  = "arn:aws:lambda:us-east-1:111122223333:function:worker"
}

resource "aws_cloudwatch_event_target" "elsewhere" {
  rule = "defined-elsewhere"
  arn  = aws_lambda_function.worker.arn
}

resource "aws_cloudwatch_event_target" "to_queue" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_sqs_queue.failed.arn
}

resource "aws_scheduler_schedule" "hourly" {
  group_name          = "reports"
  schedule_expression = "rate(1 hour)"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_lambda_function.worker.arn
    role_arn = "arn:aws:iam::111122223333:role/scheduler"
  }
}

resource "aws_cloudwatch_log_subscription_filter" "errors" {
  name            = "errors"
  log_group_name  = "/app/orders"
  filter_pattern  = "ERROR"
  destination_arn = aws_lambda_function.worker.arn
}

resource "aws_cloudwatch_log_subscription_filter" "to_kinesis" {
  name            = "to-kinesis"
  log_group_name  = "/app/orders"
  filter_pattern  = ""
  destination_arn = "arn:aws:kinesis:us-east-1:111122223333:stream/logs"
}

resource "aws_sqs_queue" "failed" {
  name = "failed"
}

resource "aws_sqs_queue" "orders" {
  name           = "orders"
  redrive_policy = <<-EOT
    {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:111122223333:dlq", "maxReceiveCount": 3}
  EOT
}

resource "aws_sqs_queue" "from_var" {
  redrive_policy = var.redrive
}

resource "aws_sqs_queue" "separate" {
  name = "separate"
}

resource "aws_sqs_queue_redrive_policy" "separate" {
  queue_url = aws_sqs_queue.separate.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.failed.arn
    maxReceiveCount     = 4
  })
}

resource "aws_lambda_event_source_mapping" "live" {
  function_name    = aws_lambda_alias.live.arn
  event_source_arn = aws_sqs_queue.orders.arn
}

resource "aws_lambda_permission" "qualified" {
  action        = "lambda:InvokeFunction"
  function_name = "arn:aws:lambda:us-east-1:111122223333:function:worker:blue"
  principal     = "events.amazonaws.com"
}

resource "aws_cloudtrail" "audit" {
  name = "audit"
  event_selector {
    data_resource {
      type   = "AWS::Lambda::Function"
      values = [aws_lambda_function.worker.arn, "arn:aws:lambda"]
    }
  }
  advanced_event_selector {
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
  }
  advanced_event_selector {
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}

resource "aws_cloudtrail" "excluding" {
  name           = "excluding"
  enable_logging = false
  advanced_event_selector {
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
    field_selector {
      field           = "resources.ARN"
      not_starts_with = ["arn:aws:lambda:us-east-1:111122223333:function:internal-"]
    }
  }
}
"""
KEY = "main.tf#"


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


def _function(inventory: Inventory, name: str) -> LambdaFunction:
    return next(f for f in inventory.functions if f.name == name)


def test_push_triggers(tmp_path: Path) -> None:
    triggers = {t.origin.resource: t for t in _inventory(tmp_path).push_triggers}
    assert sorted(triggers) == [
        "aws_cloudwatch_event_target.elsewhere",
        "aws_cloudwatch_event_target.nightly",
        "aws_cloudwatch_event_target.placed",
        "aws_cloudwatch_log_subscription_filter.errors",
        "aws_s3_bucket_notification.uploads/lambda_function/0",
        "aws_scheduler_schedule.hourly",
        "aws_sns_topic_subscription.lambda",
    ]
    s3 = triggers["aws_s3_bucket_notification.uploads/lambda_function/0"]
    assert s3 == PushTrigger(
        key=KEY + "aws_s3_bucket_notification.uploads/lambda_function/0",
        function=KEY + "aws_lambda_function.worker",  # through the alias
        kind=TriggerKind.S3,
        source="aws_s3_bucket.uploads",
        detail="s3:ObjectCreated:*,s3:ObjectRemoved:*",
        origin=s3.origin,
    )
    assert s3.origin.line == _line("  lambda_function {")
    assert s3.origin.line_of("function") == _line("lambda_function_arn = aws_lambda_alias.live.arn")
    sns = triggers["aws_sns_topic_subscription.lambda"]
    assert (sns.function, sns.kind, sns.source, sns.detail) == (
        KEY + "aws_lambda_function.worker",
        TriggerKind.SNS,
        KEY + "aws_sns_topic.alerts",
        '{"kind":["alert"]}',
    )
    nightly = triggers["aws_cloudwatch_event_target.nightly"]
    assert (nightly.kind, nightly.source, nightly.detail) == (TriggerKind.SCHEDULE, None, "rate(1 day)")
    placed = triggers["aws_cloudwatch_event_target.placed"]
    assert (placed.function, placed.kind, placed.source, placed.detail) == (
        "arn:aws:lambda:us-east-1:111122223333:function:worker",
        TriggerKind.EVENTBRIDGE,
        "orders",
        '{"source":["orders"]}',
    )
    hourly = triggers["aws_scheduler_schedule.hourly"]
    assert (hourly.function, hourly.kind, hourly.source, hourly.detail) == (
        KEY + "aws_lambda_function.worker",
        TriggerKind.SCHEDULE,
        "reports",
        "rate(1 hour)",
    )
    errors = triggers["aws_cloudwatch_log_subscription_filter.errors"]
    assert (errors.function, errors.kind, errors.source, errors.detail) == (
        KEY + "aws_lambda_function.worker",
        TriggerKind.CLOUDWATCH_LOGS,
        "/app/orders",
        "ERROR",
    )
    elsewhere = triggers["aws_cloudwatch_event_target.elsewhere"]
    reason = Unresolved("rule `defined-elsewhere` is not defined in the module")
    assert (elsewhere.kind, elsewhere.source, elsewhere.detail) == (TriggerKind.EVENTBRIDGE, reason, reason)


def test_event_invoke_config_applies_to_its_function(tmp_path: Path) -> None:
    worker = _function(_inventory(tmp_path), "worker")
    assert worker.on_failure_destination == KEY + "aws_sqs_queue.failed"
    assert worker.on_success_destination == "arn:aws:sns:us-east-1:111122223333:done"
    assert worker.maximum_retry_attempts == 1
    assert worker.origin.line_of("on_failure_destination") == _line("destination = aws_sqs_queue.failed.arn")


def test_tags_merge_the_default_provider_tags(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    assert _function(inventory, "worker").tags == (("owner", "platform"), ("team", "orders"))
    assert _function(inventory, "from-var").tags == Unresolved("var.tags")


def test_queue_redrive_policies(tmp_path: Path) -> None:
    queues = {q.origin.resource: q for q in _inventory(tmp_path).queues}
    assert queues["aws_sqs_queue.failed"].dead_letter_target is None
    assert queues["aws_sqs_queue.orders"].dead_letter_target == "arn:aws:sqs:us-east-1:111122223333:dlq"
    assert queues["aws_sqs_queue.from_var"].dead_letter_target == Unresolved("var.redrive")
    assert queues["aws_sqs_queue.from_var"].name == Unresolved("generated by Terraform")
    assert queues["aws_sqs_queue.separate"].dead_letter_target == KEY + "aws_sqs_queue.failed"


def test_bindings_through_an_alias_or_a_qualified_arn(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    (mapping,) = inventory.event_source_mappings
    assert (mapping.function, mapping.qualifier, mapping.kind) == (
        KEY + "aws_lambda_function.worker",
        "live",
        TriggerKind.SQS,
    )
    (permission,) = inventory.permissions
    assert (permission.function, permission.qualifier) == (
        "arn:aws:lambda:us-east-1:111122223333:function:worker",
        "blue",
    )


def test_trails_with_basic_and_advanced_selectors(tmp_path: Path) -> None:
    trails = {t.origin.resource: t for t in _inventory(tmp_path).trails}
    audit = trails["aws_cloudtrail.audit"]
    assert audit.is_logging is True
    assert audit.data_events == (
        DataEventSelector(
            resource_type="AWS::Lambda::Function",
            arn_prefixes=(KEY + "aws_lambda_function.worker", "arn:aws:lambda"),
        ),
        DataEventSelector(resource_type="AWS::S3::Object"),
    )
    assert audit.origin.line_of("data_events") == _line("  event_selector {")
    excluding = trails["aws_cloudtrail.excluding"]
    assert excluding.is_logging is False
    assert excluding.data_events == (
        DataEventSelector(
            resource_type="AWS::Lambda::Function",
            arn_prefixes=Unresolved("advanced event selector excludes resources by ARN"),
        ),
    )
