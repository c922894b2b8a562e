"""Terraform constructs of published Lambda modules: dynamic blocks, conditionals guarding a failing
branch, `for` filters guarding a failing body, documents of counted data blocks, null statement arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import (
    AuthorizationKind,
    Effect,
    EnvVar,
    Inventory,
    Principal,
    PrincipalKind,
    SourceKind,
    Throttling,
    TracingMode,
    TriggerKind,
    Unresolved,
    VpcConfig,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.expressions import Scope


def _load(tmp_path: Path, text: str) -> Inventory:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    return output.inventory


FUNCTION = """
variable "environment_variables" {
  default = { Hello = "World", Serverless = "Terraform" }
}
variable "tracing_mode" {
  default = null
}
variable "vpc" {
  default = { subnets = ["subnet-1"], groups = ["sg-1"] }
}
variable "dlq" {}

resource "aws_lambda_function" "this" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"

  dynamic "environment" {
    for_each = length(keys(var.environment_variables)) == 0 ? [] : [true]
    content {
      variables = var.environment_variables
    }
  }

  dynamic "tracing_config" {
    for_each = var.tracing_mode == null ? [] : [true]
    content {
      mode = var.tracing_mode
    }
  }

  dynamic "vpc_config" {
    for_each = var.vpc != null ? [var.vpc] : []
    iterator = network
    content {
      subnet_ids         = network.value.subnets
      security_group_ids = network.value.groups
    }
  }

  dynamic "dead_letter_config" {
    for_each = var.dlq == null ? [] : [true]
    content {
      target_arn = var.dlq
    }
  }
}
"""


def test_dynamic_blocks_with_a_known_for_each_are_expanded_with_their_iterator(tmp_path: Path) -> None:
    (function,) = _load(tmp_path, FUNCTION).functions
    assert function.environment == (
        EnvVar(name="Hello", value="World", references=()),
        EnvVar(name="Serverless", value="Terraform", references=()),
    )
    assert function.tracing == TracingMode.PASS_THROUGH
    assert function.vpc == VpcConfig(subnet_ids=("subnet-1",), security_group_ids=("sg-1",))
    assert function.dead_letter_target == Unresolved('dynamic "dead_letter_config" block')
    assert dict(function.origin.fields)["environment"] == 20
    assert dict(function.origin.fields)["vpc.subnet_ids"] == 35
    assert dict(function.origin.fields)["dead_letter_target"] == 40


def test_a_dynamic_environment_with_an_unknown_for_each_is_unresolved_not_empty(tmp_path: Path) -> None:
    text = FUNCTION.replace("length(keys(var.environment_variables)) == 0", "var.dlq == null")
    (function,) = _load(tmp_path, text).functions
    assert function.environment == Unresolved('dynamic "environment" block')
    assert dict(function.origin.fields)["environment"] == 17


def test_dynamic_statements_principals_and_conditions_of_a_counted_policy_document(tmp_path: Path) -> None:
    inventory = _load(
        tmp_path,
        """
variable "statements" {
  default = {
    s3_read = { effect = "Deny", actions = ["s3:GetObject"], resources = ["arn:aws:s3:::b/*"] }
    account = {
      actions    = ["sts:AssumeRole"]
      principals = { root = { type = "AWS", identifiers = ["arn:aws:iam::111122223333:root"] } }
      condition  = { external = { test = "StringEquals", variable = "sts:ExternalId", values = ["1"] } }
    }
  }
}

data "aws_iam_policy_document" "inline" {
  count = 1

  dynamic "statement" {
    for_each = var.statements
    content {
      sid         = replace(statement.key, "_", "")
      effect      = lookup(statement.value, "effect", null)
      actions     = lookup(statement.value, "actions", null)
      not_actions = lookup(statement.value, "not_actions", null)
      resources   = lookup(statement.value, "resources", null)

      dynamic "principals" {
        for_each = lookup(statement.value, "principals", [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = lookup(statement.value, "condition", [])
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_policy" "inline" {
  count  = 1
  name   = "inline"
  policy = data.aws_iam_policy_document.inline[0].json
}
""",
    )
    (policy,) = inventory.managed_policies
    assert not isinstance(policy.document, Unresolved)
    account, read = policy.document.statements
    assert (account.sid, account.effect, account.actions, account.not_actions, account.resources) == (
        "account",
        Effect.ALLOW,
        ("sts:AssumeRole",),
        None,
        None,
    )
    root = "arn:aws:iam::111122223333:root"
    assert account.principals == (Principal(kind=PrincipalKind.AWS, values=(root,)),)
    assert [(c.operator, c.key, c.values) for c in account.conditions] == [
        ("StringEquals", "sts:ExternalId", ("1",))
    ]
    assert (read.sid, read.effect, read.actions, read.resources, read.principals, read.conditions) == (
        "s3read",
        Effect.DENY,
        ("s3:GetObject",),
        ("arn:aws:s3:::b/*",),
        None,
        (),
    )
    assert read.origin.line == 18


def test_dynamic_statements_over_an_unknown_collection_leave_an_unknown_statement(tmp_path: Path) -> None:
    inventory = _load(
        tmp_path,
        """
variable "statements" {}

data "aws_iam_policy_document" "inline" {
  statement {
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = var.statements
    content {
      actions = statement.value.actions
    }
  }
}

resource "aws_iam_policy" "inline" {
  name   = "inline"
  policy = data.aws_iam_policy_document.inline.json
}
""",
    )
    (policy,) = inventory.managed_policies
    assert not isinstance(policy.document, Unresolved)
    written, unknown = policy.document.statements
    assert written.actions == ("logs:PutLogEvents",)
    assert unknown.effect == Unresolved('data.aws_iam_policy_document.inline: dynamic "statement" block')
    assert unknown.origin.line == 9


SCOPE = Scope(
    variables={
        "none": None,
        "package": {"bucket": "b"},
        "on": True,
        "entities": ["appsync.amazonaws.com", {"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]}],
        "triggers": {"a": {"on": True, "n": 1}, "b": {"on": False}},
        "vpcs": [{"subnets": [{"id": "s1"}, {"id": "s2"}]}, {"subnets": [{"id": "s3"}]}],
    }
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # a failing result that is not chosen does not matter
        ('${var.none != null ? lookup(var.none, "bucket", null) : "fallback"}', "fallback"),
        ("${var.none == null ? 1 : var.none.key}", 1),
        ("${var.none != null ? var.none.key : var.on ? 2 : 3}", 2),
        ("${var.none == null ? var.on ? 2 : 3 : var.none.key}", 2),
        ('${{a = var.none != null ? var.none.x : 5, b = "q:r"}}', {"a": 5, "b": "q:r"}),
        ('${var.package != null ? lookup(var.package, "bucket", null) : null}', "b"),
        # a failing chosen result is Terraform's error: unknown to us
        (
            "${var.package != null ? var.package.missing : 0}",
            Unresolved("var.package != null ? var.package.missing : 0"),
        ),
        ("${var.unknown ? var.none.key : 1}", Unresolved("var.unknown ? var.none.key : 1")),
        # `for` conditions are read first
        (
            "${[for p in var.entities : { type = p.type, ids = p.identifiers } if !can(tostring(p))]}",
            [{"type": "AWS", "ids": ["arn:aws:iam::1:root"]}],
        ),
        ('${[for p in var.entities : try(tostring(p), "")]}', ["appsync.amazonaws.com", ""]),
        ("${{for k, v in var.triggers : k => v.n if v.on}}", {"a": 1}),
        ("${{for k, v in var.triggers : v.n => k if v.on}}", {"1": "a"}),
        ("${[for p in var.entities : p.type]}", Unresolved("[for p in var.entities : p.type]")),
        # functions and verbs of the same modules
        ('${slice(["lambda", "edgelambda", "x"], 0, var.on ? 2 : 1)}', ["lambda", "edgelambda"]),
        ('${slice(["a", "b"], 0, 3)}', Unresolved('slice(["a", "b"], 0, 3)')),
        ('${format("%v:*", "arn:log")}', "arn:log:*"),
        ('${format("%v", ["a", 1])}', '["a",1]'),
        ("${can(tostring({ a = var.unknown }))}", False),
        ("${tostring(var.unknown)}", Unresolved("tostring(var.unknown)")),
        # nested splats give a list per element
        ("${var.vpcs[*].subnets[*].id}", [["s1", "s2"], ["s3"]]),
        ("${flatten(var.vpcs[*].subnets[*].id)}", ["s1", "s2", "s3"]),
        ("${var.vpcs[*].subnets[*].missing}", Unresolved("var.vpcs[*].subnets[*].missing")),
        ("${var.unknown[*].subnets[*].id}", Unresolved("var.unknown[*].subnets[*].id")),
    ],
)
def test_expressions_of_published_modules(expression: str, expected: object) -> None:
    assert SCOPE.resolve(expression) == expected


def test_arguments_written_in_a_resource_read_as_their_values(tmp_path: Path) -> None:
    """`aws_x.y.arg` is what the block sets; computed attributes and arguments set to null stay unknown."""
    inventory = _load(
        tmp_path,
        """
resource "aws_dynamodb_table" "orders" {
  name     = "orders-${var.stage}"
  hash_key = "id"
}

variable "stage" {
  default = "prod"
}

resource "aws_s3_object" "package" {
  bucket = aws_s3_bucket.code.id
  key    = "builds/app.zip"
}

resource "aws_kinesis_stream" "jobs" {
  count            = 2
  name             = "jobs-${count.index}"
  retention_period = null
  shard_count      = 1
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
  s3_bucket     = aws_s3_object.package.bucket
  s3_key        = aws_s3_object.package.key
  environment {
    variables = {
      TABLE  = aws_dynamodb_table.orders.name
      HASH   = aws_dynamodb_table.orders.hash_key
      ARN    = aws_dynamodb_table.orders.arn
      JOBS   = aws_kinesis_stream.jobs[1].name
      SHARDS = aws_kinesis_stream.jobs[1].shard_count
      KEEP   = aws_kinesis_stream.jobs[0].retention_period
      COUNT  = aws_kinesis_stream.jobs[0].count
      OWN    = aws_lambda_function.f.timeout
    }
  }
  timeout = 30
}
""",
    )
    (function,) = inventory.functions
    assert (function.code.s3_bucket, function.code.s3_key) == (
        Unresolved("aws_s3_object.package.bucket"),
        "builds/app.zip",
    )
    assert [(v.name, v.value) for v in function.environment] == [
        ("TABLE", "orders-prod"),
        ("HASH", "id"),
        ("ARN", Unresolved("aws_dynamodb_table.orders.arn")),
        ("JOBS", Unresolved("aws_kinesis_stream.jobs[1].name")),
        ("SHARDS", "1"),
        ("KEEP", Unresolved("aws_kinesis_stream.jobs[0].retention_period")),
        ("COUNT", Unresolved("aws_kinesis_stream.jobs[0].count")),
        ("OWN", "30"),
    ]


def test_an_instance_of_a_resource_whose_count_is_unknown_is_the_block_itself(tmp_path: Path) -> None:
    """`aws_iam_role.this[0].arn` links to the one object read for a role with an unknown `count`."""
    inventory = _load(
        tmp_path,
        """
variable "enabled" {}

resource "aws_iam_role" "this" {
  count              = var.enabled ? 1 : 0
  name               = "fn"
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "this" {
  count         = var.enabled ? 1 : 0
  function_name = "fn"
  role          = aws_iam_role.this[0].arn
}
""",
    )
    (function,) = inventory.functions
    (role,) = inventory.roles
    assert (function.key, function.role, role.key) == (
        "main.tf#aws_lambda_function.this",
        "main.tf#aws_iam_role.this",
        "main.tf#aws_iam_role.this",
    )


def test_the_service_of_an_event_source_passed_through_a_map_comes_from_the_referenced_type(
    tmp_path: Path,
) -> None:
    """`event_source_arn = each.value.event_source_arn` over a map of queue, table and stream ARNs."""
    inventory = _load(
        tmp_path,
        """
locals {
  sources = {
    sqs      = { event_source_arn = aws_sqs_queue.this.arn }
    dynamodb = { event_source_arn = aws_dynamodb_table.this.stream_arn }
    kinesis  = { event_source_arn = aws_kinesis_stream.this.arn }
    other    = { event_source_arn = aws_s3_bucket.this.arn }
    written  = { event_source_arn = "arn:aws:sqs:eu-west-1:111122223333:jobs" }
  }
}

resource "aws_sqs_queue" "this" {
  name = "q"
}

resource "aws_dynamodb_table" "this" {
  name           = "t"
  stream_enabled = true
}

resource "aws_kinesis_stream" "this" {
  name = "s"
}

resource "aws_s3_bucket" "this" {
  bucket = "b"
}

resource "aws_lambda_event_source_mapping" "this" {
  for_each         = local.sources
  function_name    = "f"
  event_source_arn = each.value.event_source_arn
}
""",
    )
    assert [(m.key, m.kind) for m in inventory.event_source_mappings] == [
        ('main.tf#aws_lambda_event_source_mapping.this["dynamodb"]', TriggerKind.DYNAMODB),
        ('main.tf#aws_lambda_event_source_mapping.this["kinesis"]', TriggerKind.KINESIS),
        (
            'main.tf#aws_lambda_event_source_mapping.this["other"]',
            Unresolved("event source ${each.value.event_source_arn}"),
        ),
        ('main.tf#aws_lambda_event_source_mapping.this["sqs"]', TriggerKind.SQS),
        ('main.tf#aws_lambda_event_source_mapping.this["written"]', TriggerKind.SQS),
    ]


API_MODULE = """
variable "integrations" {
  default = {}
}
variable "authorizers" {
  default = {}
}
variable "target" {
  default = null
}

resource "aws_apigatewayv2_api" "this" {
  count         = 1
  name          = "http"
  protocol_type = "HTTP"
  target        = var.target
}

resource "aws_apigatewayv2_stage" "default" {
  count  = 1
  api_id = aws_apigatewayv2_api.this[0].id
  name   = "$default"

  dynamic "route_settings" {
    for_each = {
      for k, v in var.integrations : k => v
      if (!contains(keys(v), "create_route") || v.create_route == true)
      && length(setintersection(["throttling_rate_limit"], keys(v))) > 0
    }
    content {
      route_key              = route_settings.key
      throttling_rate_limit  = route_settings.value.throttling_rate_limit
      throttling_burst_limit = try(route_settings.value.throttling_burst_limit, null)
    }
  }
}

resource "aws_apigatewayv2_route" "this" {
  for_each           = var.integrations
  api_id             = aws_apigatewayv2_api.this[0].id
  route_key          = each.key
  authorization_type = try(each.value.authorization_type, "NONE")
  authorizer_id      = try(aws_apigatewayv2_authorizer.this[each.value.authorizer_key].id, null)
  target             = "integrations/${aws_apigatewayv2_integration.this[each.key].id}"
}

resource "aws_apigatewayv2_integration" "this" {
  for_each         = var.integrations
  api_id           = aws_apigatewayv2_api.this[0].id
  integration_type = try(each.value.type, try(each.value.lambda_arn, "") != "" ? "AWS_PROXY" : "MOCK")
  integration_uri  = try(each.value.lambda_arn, null)
}

resource "aws_apigatewayv2_authorizer" "this" {
  for_each        = var.authorizers
  api_id          = aws_apigatewayv2_api.this[0].id
  authorizer_type = each.value.authorizer_type
  name            = each.key
}
"""

API_CALLER = """
module "api" {
  source = "./api"

  authorizers = { cognito = { authorizer_type = "JWT" } }
  integrations = {
    "$default" = { lambda_arn = aws_lambda_function.f.arn }
    "GET /jwt" = {
      lambda_arn            = aws_lambda_function.f.arn
      authorization_type    = "JWT"
      authorizer_key        = "cognito"
      throttling_rate_limit = 80
    }
  }
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
}
"""


def test_routes_of_a_module_built_api_link_to_their_api_integration_authorizer_and_throttling(
    tmp_path: Path,
) -> None:
    """An HTTP API module with `count` on the API and `for_each` routes and integrations keyed by route."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "main.tf").write_text(API_MODULE, encoding="utf-8")
    (tmp_path / "main.tf").write_text(API_CALLER, encoding="utf-8")
    items = tuple(
        InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM)
        for name in ("main.tf", "api/main.tf")
    )
    output = TerraformSource().load(items, root=tmp_path)
    assert output.diagnostics == ()
    inventory = output.inventory
    api = "api/main.tf#module.api.aws_apigatewayv2_api.this[0]"
    assert [a.key for a in inventory.apis] == [api]
    assert [(s.key, s.api) for s in inventory.api_stages] == [
        ("api/main.tf#module.api.aws_apigatewayv2_stage.default[0]", api)
    ]
    assert [(a.key, a.api) for a in inventory.authorizers] == [
        ('api/main.tf#module.api.aws_apigatewayv2_authorizer.this["cognito"]', api)
    ]
    assert [
        (r.key, r.api, r.method, r.path, r.function, r.authorization, r.authorizer, r.throttling)
        for r in inventory.api_routes
    ] == [
        (
            'api/main.tf#module.api.aws_apigatewayv2_route.this["$default"]',
            api,
            "ANY",
            "$default",
            "main.tf#aws_lambda_function.f",
            AuthorizationKind.NONE,
            None,
            None,
        ),
        (
            'api/main.tf#module.api.aws_apigatewayv2_route.this["GET /jwt"]',
            api,
            "GET",
            "/jwt",
            "main.tf#aws_lambda_function.f",
            AuthorizationKind.JWT,
            'api/main.tf#module.api.aws_apigatewayv2_authorizer.this["cognito"]',
            Throttling(rate_limit=80.0, burst_limit=None),
        ),
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('${!contains(keys(var.package), "create_route") || var.package.create_route}', True),
        ('${contains(keys(var.package), "create_route") && var.package.create_route}', False),
        ("${var.on && var.package.missing}", Unresolved("var.on && var.package.missing")),
        ('${setintersection(["a", "bucket"], keys(var.package))}', ["bucket"]),
    ],
)
def test_a_decided_logical_operator_does_not_read_its_failing_right_operand(
    expression: str, expected: object
) -> None:
    assert SCOPE.resolve(expression) == expected


def test_file_and_templatefile_read_local_files_from_the_root_modules_directory(tmp_path: Path) -> None:
    """Policies kept next to the configuration: `file("${path.module}/x.json")`, `templatefile(...)`."""
    (tmp_path / "fn" / "policies").mkdir(parents=True)
    (tmp_path / "fn" / "policies" / "trust.json").write_text(
        '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
        ' "Principal": {"Service": "lambda.amazonaws.com"}}]}',
        encoding="utf-8",
    )
    (tmp_path / "fn" / "policies" / "access.json.tpl").write_text(
        '{"Statement": [{"Effect": "Allow", "Action": "${action}", "Resource": "${table}"}]}',
        encoding="utf-8",
    )
    (tmp_path / "fn" / "policies" / "loop.json.tpl").write_text(
        '{"Statement": [%{ for a in actions }{"Action": "${a}"}%{ endfor }]}', encoding="utf-8"
    )
    (tmp_path / "fn" / "main.tf").write_text(
        """
variable "table" {}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = file("${path.module}/policies/trust.json")
}

resource "aws_iam_role_policy" "access" {
  role   = aws_iam_role.r.id
  policy = templatefile("${path.module}/policies/access.json.tpl", {
    action = "dynamodb:*"
    table  = var.table
  })
}

resource "aws_iam_policy" "loop" {
  name   = "loop"
  policy = templatefile("${path.module}/policies/loop.json.tpl", { actions = ["s3:GetObject"] })
}

resource "aws_iam_policy" "missing" {
  name   = "missing"
  policy = file("${path.module}/policies/none.json")
}

resource "aws_iam_policy" "outside" {
  name   = "outside"
  policy = file("../../outside.json")
}
""",
        encoding="utf-8",
    )
    (tmp_path / "main.tf").write_text(
        'module "fn" {\n  source = "./fn"\n  table  = "arn:aws:dynamodb:eu-west-1:111122223333:table/t"\n}\n',
        encoding="utf-8",
    )
    items = tuple(
        InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM)
        for name in ("main.tf", "fn/main.tf")
    )
    output = TerraformSource().load(items, root=tmp_path)
    assert output.diagnostics == ()
    (role,) = output.inventory.roles
    assert not isinstance(role.trust_policy, Unresolved)
    (trust,) = role.trust_policy.statements
    assert (trust.actions, trust.principals) == (
        ("sts:AssumeRole",),
        (Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",)),),
    )
    (inline,) = role.policies
    assert not isinstance(inline.document, Unresolved)
    (access,) = inline.document.statements
    assert (access.actions, access.resources) == (
        ("dynamodb:*",),
        ("arn:aws:dynamodb:eu-west-1:111122223333:table/t",),
    )
    assert [(p.name, p.document) for p in output.inventory.managed_policies] == [
        (
            "loop",
            Unresolved(
                'templatefile("${path.module}/policies/loop.json.tpl", { actions = ["s3:GetObject"] })'
            ),
        ),
        ("missing", Unresolved('file("${path.module}/policies/none.json")')),
        ("outside", Unresolved('file("../../outside.json")')),
    ]


def test_a_package_an_archive_writes_and_data_source_arguments_are_known(tmp_path: Path) -> None:
    """`filename = "payload.zip"` is the package `data "archive_file"` writes to `payload.zip`; a data
    source's arguments (`data.archive_file.x.output_path`) are what it is read with, its results not."""
    inventory = _load(
        tmp_path,
        """
data "archive_file" "zip" {
  type        = "zip"
  source_file = "${path.module}/src/handler.py"
  output_path = "payload.zip"
}

data "aws_iam_policy" "vpc" {
  arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"
}

resource "aws_lambda_function" "by_output" {
  function_name = "by-output"
  role          = "arn:aws:iam::111122223333:role/r"
  filename      = "payload.zip"
}

resource "aws_lambda_function" "other" {
  function_name = "other"
  role          = "arn:aws:iam::111122223333:role/r"
  filename      = "other.zip"
  environment {
    variables = {
      PACKAGE = data.archive_file.zip.output_path
      HASH    = data.archive_file.zip.output_base64sha256
      POLICY  = data.aws_iam_policy.vpc.arn
      BODY    = data.aws_iam_policy.vpc.policy
    }
  }
}
""",
    )
    by_output, other = inventory.functions
    assert (by_output.code.local_path, other.code.local_path) == ("src/handler.py", "other.zip")
    assert [(v.name, v.value) for v in other.environment] == [
        ("PACKAGE", "payload.zip"),
        ("HASH", Unresolved("data.archive_file.zip.output_base64sha256")),
        ("POLICY", "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"),
        ("BODY", Unresolved("data.aws_iam_policy.vpc.policy")),
    ]


def test_modules_reading_each_others_outputs_resolve_by_value(tmp_path: Path) -> None:
    """`lambda.db_name = module.table.name` while `table.after = module.lambda.function_name`: no cycle
    in Terraform (values, not whole modules, depend on each other); a real cycle stays Unresolved."""
    files = {
        "main.tf": """
module "table" {
  source = "./table"
  name   = "events"
  after  = module.lambda.function_name
  loop   = module.lambda.echo
}

module "lambda" {
  source  = "./lambda"
  db_name = module.table.name
  echo    = module.table.loop
}
""",
        "table/main.tf": """
variable "name" {}
variable "after" {}
variable "loop" {}

resource "aws_dynamodb_table" "t" {
  name = var.name
}

output "name" {
  value = aws_dynamodb_table.t.name
}

output "loop" {
  value = var.loop
}
""",
        "lambda/main.tf": """
variable "db_name" {}
variable "echo" {}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
  environment {
    variables = {
      TABLE = var.db_name
      ECHO  = var.echo
    }
  }
}

output "function_name" {
  value = aws_lambda_function.f.function_name
}

output "echo" {
  value = var.echo
}
""",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    items = tuple(InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM) for name in files)
    output = TerraformSource().load(items, root=tmp_path)
    assert output.diagnostics == ()
    (function,) = output.inventory.functions
    assert [(v.name, v.value) for v in function.environment] == [
        ("TABLE", "events"),
        ("ECHO", Unresolved("module.lambda.echo depends on itself")),
    ]


def test_template_object_keys_and_optional_attributes_of_a_map_of_functions(tmp_path: Path) -> None:
    """`"${var.name}" = {...}` keys are evaluated; a `map(object({... optional(...)}))` input gets the
    attributes it leaves out as null or their default, as Terraform converts it to the declared type."""
    files = {
        "main.tf": """
variable "worker" {
  default = "worker-prod"
}

module "lambda" {
  source = "./lambda"
  functions = {
    "${var.worker}" = { handler = "index.handler" }
    (upper("api")) = { handler = "api.handler", layers = ["arn:aws:lambda:eu-west-1:111122223333:layer:x:1"] }
  }
}
""",
        "lambda/main.tf": """
variable "functions" {
  type = map(object({
    handler = string
    layers  = optional(list(string))
    timeout = optional(number, 30)
  }))
}

resource "aws_lambda_function" "f" {
  for_each      = var.functions
  function_name = each.key
  role          = "arn:aws:iam::111122223333:role/r"
  handler       = each.value.handler
  layers        = each.value.layers
  timeout       = each.value.timeout
}
""",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    items = tuple(InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM) for name in files)
    output = TerraformSource().load(items, root=tmp_path)
    assert output.diagnostics == ()
    assert [(f.key, f.name, f.handler, f.layers, f.timeout_s) for f in output.inventory.functions] == [
        (
            'lambda/main.tf#module.lambda.aws_lambda_function.f["API"]',
            "API",
            "api.handler",
            ("arn:aws:lambda:eu-west-1:111122223333:layer:x:1",),
            30,
        ),
        (
            'lambda/main.tf#module.lambda.aws_lambda_function.f["worker-prod"]',
            "worker-prod",
            "index.handler",
            (),
            30,
        ),
    ]


def test_an_empty_permissions_boundary_is_no_boundary(tmp_path: Path) -> None:
    """Modules default `permissions_boundary = var.permissions_boundary` to "": no boundary is set."""
    inventory = _load(
        tmp_path,
        """
variable "permissions_boundary" {
  default = ""
}

resource "aws_iam_role" "none" {
  name                 = "none"
  assume_role_policy   = "{}"
  permissions_boundary = var.permissions_boundary
}

resource "aws_iam_role" "set" {
  name                 = "set"
  assume_role_policy   = "{}"
  permissions_boundary = "arn:aws:iam::111122223333:policy/boundary"
}
""",
    )
    assert [(r.name, r.permissions_boundary) for r in inventory.roles] == [
        ("none", None),
        ("set", "arn:aws:iam::111122223333:policy/boundary"),
    ]


def test_json_syntax_arrays_of_block_bodies_and_dynamic_blocks(tmp_path: Path) -> None:
    """`"provider": {"aws": [{}]}` (cdktf output) and `"dynamic": {"environment": {...}}` in `.tf.json`."""
    text = """{
  "provider": {"aws": [{}, {"alias": "edge", "region": "us-east-1"}]},
  "variable": {"env": {"default": {"STAGE": "prod"}}},
  "resource": {
    "aws_lambda_function": {
      "f": [{
        "function_name": "f",
        "role": "arn:aws:iam::111122223333:role/r",
        "dynamic": {
          "environment": {
            "for_each": "${var.env == null ? [] : [var.env]}",
            "content": {"variables": "${environment.value}"}
          }
        }
      }]
    }
  }
}
"""
    (tmp_path / "main.tf.json").write_text(text, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf.json", display="main.tf.json", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    (function,) = output.inventory.functions
    assert (function.key, function.origin.line, function.environment) == (
        "main.tf.json#aws_lambda_function.f",
        6,
        (EnvVar(name="STAGE", value="prod", references=()),),
    )


def test_a_jsonencode_environment_value_is_its_json_text(tmp_path: Path) -> None:
    """`CONFIG = jsonencode({...})`: Terraform's text (compact, sorted keys, `<>&` escaped)."""
    inventory = _load(
        tmp_path,
        """
variable "db" {}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
  environment {
    variables = {
      CONFIG  = jsonencode({ retries = 3, hosts = ["a<b>", "c&d"], debug = false })
      PARTIAL = jsonencode({ db = var.db })
    }
  }
}
""",
    )
    (function,) = inventory.functions
    assert [(v.name, v.value) for v in function.environment] == [
        ("CONFIG", '{"debug":false,"hosts":["a\\u003cb\\u003e","c\\u0026d"],"retries":3}'),
        ("PARTIAL", Unresolved("var.db")),
    ]


def test_python_hcl2_single_quoted_list_strings_in_conditionals(tmp_path: Path) -> None:
    """A file only python-hcl2 reads (a `(key) =` object key) writes `c ? [var.x] : []` as
    `c ? ['${var.x}'] : []`; the quoted reference is still the value."""
    inventory = _load(
        tmp_path,
        """
variable "vpc" {
  default = { subnets = ["subnet-1"], groups = ["sg-1"] }
}

locals {
  by_subnet = { (var.vpc.subnets[0]) = "a" }
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
  dynamic "vpc_config" {
    for_each = var.vpc != null ? [var.vpc] : []
    content {
      subnet_ids         = vpc_config.value.subnets
      security_group_ids = vpc_config.value.groups
    }
  }
}
""",
    )
    (function,) = inventory.functions
    assert function.vpc == VpcConfig(subnet_ids=("subnet-1",), security_group_ids=("sg-1",))


def test_an_instance_of_a_module_call_whose_count_is_unknown_is_the_one_read(tmp_path: Path) -> None:
    """`module.fn[0].name` of `module "fn" { count = var.flag ? 1 : 0 }` with an unknown flag."""
    files = {
        "main.tf": """
variable "flag" {}

module "fn" {
  count  = var.flag ? 1 : 0
  source = "./fn"
}

resource "aws_lambda_permission" "p" {
  function_name = module.fn[0].name
  action        = "lambda:InvokeFunction"
  principal     = "sns.amazonaws.com"
}
""",
        "fn/main.tf": """
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
}

output "name" {
  value = aws_lambda_function.f.function_name
}
""",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    items = tuple(InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM) for name in files)
    output = TerraformSource().load(items, root=tmp_path)
    (permission,) = output.inventory.permissions
    assert permission.function == "fn/main.tf#module.fn.aws_lambda_function.f"
