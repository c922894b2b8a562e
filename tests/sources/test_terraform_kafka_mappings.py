"""A self-managed Kafka event source mapping (`self_managed_event_source`, no `event_source_arn`) is a
Kafka trigger; an empty list of those blocks (as a plan writes it) is not one."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import SourceKind, TriggerKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
resource "aws_lambda_function" "consumer" {
  function_name = "consumer"
  role          = "arn:aws:iam::111122223333:role/consumer"
  filename      = "consumer.zip"
}

resource "aws_lambda_event_source_mapping" "kafka" {
  function_name     = aws_lambda_function.consumer.arn
  topics            = ["orders"]
  starting_position = "TRIM_HORIZON"

  self_managed_event_source {
    endpoints = {
      KAFKA_BOOTSTRAP_SERVERS = join(",", var.brokers)
    }
  }

  source_access_configuration {
    type = "SASL_SCRAM_512_AUTH"
    uri  = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:kafka"
  }
}

resource "aws_lambda_event_source_mapping" "none" {
  function_name             = aws_lambda_function.consumer.arn
  self_managed_event_source = []
}
"""


def test_a_self_managed_event_source_is_kafka(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    assert [(m.key, m.kind, m.event_source_arn) for m in output.inventory.event_source_mappings] == [
        ("main.tf#aws_lambda_event_source_mapping.kafka", TriggerKind.KAFKA, None),
        ("main.tf#aws_lambda_event_source_mapping.none", Unresolved("event_source_arn = None"), None),
    ]
