"""Push triggers whose target is one instance of a counted function (`aws_lambda_function.f[each.key].arn`,
`[count.index]`, `[0]`): EventBridge targets, Scheduler schedules and log subscription filters."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import SourceKind, TriggerKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
locals {
  jobs = { nightly = "cron(0 3 * * ? *)" }
}

resource "aws_lambda_function" "job" {
  for_each      = local.jobs
  function_name = "job-${each.key}"
  role          = "arn:aws:iam::111122223333:role/app"
  filename      = "app.zip"
}

resource "aws_lambda_function" "counted" {
  count         = 2
  function_name = "counted-${count.index}"
  role          = "arn:aws:iam::111122223333:role/app"
  filename      = "app.zip"
}

resource "aws_cloudwatch_event_rule" "job" {
  for_each            = local.jobs
  schedule_expression = each.value
}

resource "aws_cloudwatch_event_target" "job" {
  for_each = local.jobs
  rule     = aws_cloudwatch_event_rule.job[each.key].name
  arn      = aws_lambda_function.job[each.key].arn
}

resource "aws_scheduler_schedule" "counted" {
  count               = 2
  schedule_expression = "rate(1 hour)"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_lambda_function.counted[count.index].arn
    role_arn = "arn:aws:iam::111122223333:role/scheduler"
  }
}

resource "aws_cloudwatch_log_subscription_filter" "first" {
  name            = "first"
  log_group_name  = "/app/audit"
  filter_pattern  = ""
  destination_arn = aws_lambda_function.counted[0].arn
}
"""


def test_triggers_of_function_instances(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    assert sorted((t.key, t.function, t.kind) for t in output.inventory.push_triggers) == [
        (
            'main.tf#aws_cloudwatch_event_target.job["nightly"]',
            'main.tf#aws_lambda_function.job["nightly"]',
            TriggerKind.SCHEDULE,
        ),
        (
            "main.tf#aws_cloudwatch_log_subscription_filter.first",
            "main.tf#aws_lambda_function.counted[0]",
            TriggerKind.CLOUDWATCH_LOGS,
        ),
        (
            "main.tf#aws_scheduler_schedule.counted[0]",
            "main.tf#aws_lambda_function.counted[0]",
            TriggerKind.SCHEDULE,
        ),
        (
            "main.tf#aws_scheduler_schedule.counted[1]",
            "main.tf#aws_lambda_function.counted[1]",
            TriggerKind.SCHEDULE,
        ),
    ]
