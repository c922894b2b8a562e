"""Write deterministic synthetic Terraform projects with N functions for the IaC benchmark."""

from __future__ import annotations

import random
import string
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from generate_sam import _APP_PY, _INDEX_MJS, DEFAULT_SEED, Corpus, project_main

# Functions per root module: a project of N functions is N / 100 root modules (stacks).
PER_FILE = 100
_RUNTIMES = (
    ("python3.13", 30),
    ("python3.12", 20),
    ("nodejs22.x", 30),
    ("python3.8", 5),
    ("nodejs16.x", 5),
    ("java21", 10),
)
_HANDLERS = {"python": "app.handler", "nodejs": "index.handler", "java": "bench.Handler::handleRequest"}
_MAIN_TF = """\
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "stage" {
  type    = string
  default = "bench"
}

locals {
  prefix = "bench-${var.stage}"
  tags = {
    project = "bench"
    stage   = var.stage
  }
}

data "aws_iam_policy_document" "lambda_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_dynamodb_table" "bench" {
  name         = "${local.prefix}-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
"""


def generate_file(first: int, count: int, *, seed: int) -> str:
    """The .tf text of functions `first` .. `first + count - 1`; same arguments, same text."""
    rng = random.Random(f"lambdasec-bench-tf:{seed}:{first}:{count}")
    out: list[str] = []
    for index in range(first, first + count):
        out.extend(_function(index, rng))
    return "\n".join(out) + "\n"


def _function(index: int, rng: random.Random) -> list[str]:
    name = f"fn{index:05d}"
    runtime = rng.choices([r for r, _ in _RUNTIMES], weights=[w for _, w in _RUNTIMES])[0]
    family = next(f for f in _HANDLERS if runtime.startswith(f))
    lines = [
        f'resource "aws_lambda_function" "{name}" {{',
        f'  function_name = "${{local.prefix}}-{name}"',
        f"  role          = aws_iam_role.{name}.arn",
        f'  runtime       = "{runtime}"',
        f'  handler       = "{_HANDLERS[family]}"',
        '  filename      = "artifacts/app.zip"',
        f"  memory_size   = {rng.choice((128, 256, 512, 1024))}",
    ]
    if rng.random() < 0.3:
        lines.append(f"  timeout       = {rng.choice((3, 30, 60, 300, 900))}")
    lines.extend(["  tags          = local.tags", *_environment(index, rng), "}", ""])
    lines.extend(_role(name, rng))
    lines.extend(_log_group(name, rng))
    if index % 10 == 7:
        auth = "NONE" if rng.random() < 0.5 else "AWS_IAM"
        lines.extend(
            [
                f'resource "aws_lambda_function_url" "{name}" {{',
                f"  function_name      = aws_lambda_function.{name}.function_name",
                f'  authorization_type = "{auth}"',
                "}",
                "",
            ]
        )
    else:
        lines.extend(_permission(name, index, rng))
    if index % 4 == 1:
        lines.extend(_queue(name))
    return lines


def _environment(index: int, rng: random.Random) -> list[str]:
    lines = [
        "  environment {",
        "    variables = {",
        "      TABLE_NAME = aws_dynamodb_table.bench.name",
        f'      LOG_LEVEL  = "{rng.choice(("DEBUG", "INFO", "WARNING"))}"',
    ]
    lines.extend(
        f'      FEATURE_{flag} = "{rng.choice(("enabled", "disabled"))}"' for flag in range(rng.randint(0, 3))
    )
    roll = rng.random()
    if roll < 0.04:
        lines.append(f'      PAYMENT_SECRET_KEY = "sk_live_{_fake_token(rng, 24)}"')
    elif roll < 0.08:
        lines.append(f'      DB_PASSWORD = "{_fake_token(rng, 16)}"')
    elif roll < 0.2:
        lines.append(f'      API_TOKEN_PARAMETER = "/bench/{index:05d}/api-token"')
    lines.extend(["    }", "  }"])
    return lines


def _fake_token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def _role(name: str, rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.05:
        statement = 'Effect = "Allow", Action = "*", Resource = "*"'
    elif roll < 0.15:
        statement = 'Effect = "Allow", Action = "s3:*", Resource = "*"'
    else:
        statement = (
            'Effect = "Allow", Action = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], '
            "Resource = aws_dynamodb_table.bench.arn"
        )
    return [
        f'resource "aws_iam_role" "{name}" {{',
        f'  name               = "${{local.prefix}}-{name}"',
        "  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json",
        "}",
        "",
        f'resource "aws_iam_role_policy" "{name}" {{',
        '  name   = "app"',
        f"  role   = aws_iam_role.{name}.id",
        "  policy = jsonencode({",
        '    Version   = "2012-10-17"',
        f"    Statement = [{{ {statement} }}]",
        "  })",
        "}",
        "",
        f'resource "aws_iam_role_policy_attachment" "{name}_logs" {{',
        f"  role       = aws_iam_role.{name}.name",
        '  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"',
        "}",
        "",
    ]


def _log_group(name: str, rng: random.Random) -> list[str]:
    lines = [
        f'resource "aws_cloudwatch_log_group" "{name}" {{',
        f'  name              = "/aws/lambda/${{aws_lambda_function.{name}.function_name}}"',
    ]
    if rng.random() < 0.7:
        lines.append(f"  retention_in_days = {rng.choice((7, 14, 30, 365))}")
    return [*lines, "}", ""]


def _permission(name: str, index: int, rng: random.Random) -> list[str]:
    lines = [
        f'resource "aws_lambda_permission" "{name}" {{',
        '  statement_id  = "invoke"',
        '  action        = "lambda:InvokeFunction"',
        f"  function_name = aws_lambda_function.{name}.function_name",
    ]
    if index % 20 == 3:
        lines.append(f'  principal     = "{rng.choice(("*", "123456789012"))}"')
    else:
        lines.extend(
            [
                '  principal     = "sns.amazonaws.com"',
                '  source_arn    = "arn:aws:sns:us-east-1:111122223333:bench-topic"',
            ]
        )
    return [*lines, "}", ""]


def _queue(name: str) -> list[str]:
    return [
        f'resource "aws_sqs_queue" "{name}" {{',
        f'  name = "${{local.prefix}}-{name}"',
        "}",
        "",
        f'resource "aws_lambda_event_source_mapping" "{name}" {{',
        f"  event_source_arn = aws_sqs_queue.{name}.arn",
        f"  function_name    = aws_lambda_function.{name}.arn",
        "  batch_size       = 10",
        "}",
        "",
    ]


def write_corpus(out_dir: Path, *, functions: int, seed: int = DEFAULT_SEED) -> Corpus:
    """Write `functions` functions into `out_dir` as root modules of 100 functions each.

    Each `stack-NNNN/` holds main.tf (provider, locals, shared table and trust policy) and functions.tf,
    the way large Terraform projects split into separately applied root modules. Also writes
    `artifacts/app.zip` (the shared handlers) in each, so every `filename` exists.
    """
    if functions < 1:
        raise ValueError("functions must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    counts: list[int] = []
    for number, first in enumerate(range(0, functions, PER_FILE), start=1):
        count = min(PER_FILE, functions - first)
        stack = out_dir / f"stack-{number:04d}"
        artifacts = stack / "artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(artifacts / "app.zip", "w") as archive:
            archive.writestr("app.py", _APP_PY)
            archive.writestr("index.mjs", _INDEX_MJS)
        main = stack / "main.tf"
        main.write_text(_MAIN_TF, encoding="utf-8")
        path = stack / "functions.tf"
        path.write_text(generate_file(first, count, seed=seed), encoding="utf-8")
        files.extend((main, path))
        counts.extend((0, count))
    return Corpus(root=out_dir, templates=tuple(files), functions=tuple(counts))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write one project per size under --out."""
    return project_main(argv, description=__doc__, prefix="terraform", write=write_corpus)


if __name__ == "__main__":
    sys.exit(main())
