"""Lambda@Edge in Terraform: `lambda_function_association` blocks of a distribution as push triggers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, TriggerKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform_plan import map_plan, parse_plan

MAIN = """\
resource "aws_lambda_function" "edge" {
  function_name = "edge"
  role          = "arn:aws:iam::111122223333:role/edge"
  publish       = true
}

resource "aws_lambda_function" "resize" {
  count         = 1
  function_name = "resize"
  role          = "arn:aws:iam::111122223333:role/edge"
  publish       = true
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.edge.function_name
  function_version = aws_lambda_function.edge.version
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  default_cache_behavior {
    target_origin_id = "site"
    lambda_function_association {
      event_type   = "viewer-request"
      lambda_arn   = aws_lambda_function.edge.qualified_arn
      include_body = false
    }
    lambda_function_association {
      event_type = "origin-response"
      lambda_arn = "${aws_lambda_function.edge.arn}:${aws_lambda_function.edge.version}"
    }
  }
  ordered_cache_behavior {
    path_pattern     = "/img/*"
    target_origin_id = "site"
    lambda_function_association {
      event_type = "origin-request"
      lambda_arn = aws_lambda_function.resize[0].qualified_arn
    }
    dynamic "lambda_function_association" {
      for_each = { "viewer-response" = aws_lambda_alias.live.arn }
      content {
        event_type = lambda_function_association.key
        lambda_arn = lambda_function_association.value
      }
    }
  }
  ordered_cache_behavior {
    path_pattern     = "/api/*"
    target_origin_id = "site"
  }
}

resource "aws_cloudfront_distribution" "paused" {
  enabled = false
  default_cache_behavior {
    target_origin_id = "site"
    lambda_function_association {
      event_type = "viewer-request"
      lambda_arn = "arn:aws:lambda:us-east-1:111122223333:function:other:7"
    }
  }
}
"""
KEY = "main.tf#"
CDN = KEY + "aws_cloudfront_distribution.cdn"


def _inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "main.tf"
    path.write_text(MAIN, encoding="utf-8")
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )
    assert output.diagnostics == ()
    return output.inventory


def _line(marker: str, *, nth: int = 1) -> int:
    found = [n for n, text in enumerate(MAIN.splitlines(), start=1) if marker in text]
    return found[nth - 1]


def test_each_association_is_a_cloudfront_trigger_of_the_function_behind_the_version(tmp_path: Path) -> None:
    inv = _inventory(tmp_path)

    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.enabled, t.origin.line) for t in inv.push_triggers
    } == {
        CDN + "/default_cache_behavior/lambda_function_association/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "aws_lambda_function.edge",
            CDN,
            "viewer-request",
            True,
            _line("lambda_function_association {"),
        ),
        CDN + "/default_cache_behavior/lambda_function_association/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "aws_lambda_function.edge",
            CDN,
            "origin-response",
            True,
            _line("lambda_function_association {", nth=2),
        ),
        CDN + "/ordered_cache_behavior/0/lambda_function_association/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "aws_lambda_function.resize[0]",
            CDN,
            "origin-request",
            True,
            _line("lambda_function_association {", nth=3),
        ),
        CDN + "/ordered_cache_behavior/0/lambda_function_association/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "aws_lambda_function.edge",
            CDN,
            "viewer-response",
            True,
            _line("content {"),
        ),
        KEY + "aws_cloudfront_distribution.paused/default_cache_behavior/lambda_function_association/0": (
            TriggerKind.CLOUDFRONT,
            "arn:aws:lambda:us-east-1:111122223333:function:other",
            KEY + "aws_cloudfront_distribution.paused",
            "viewer-request",
            False,
            _line("lambda_function_association {", nth=4),
        ),
    }
    first = inv.push_triggers[0]
    assert (
        first.origin.resource
        == "aws_cloudfront_distribution.cdn/default_cache_behavior/lambda_function_association/0"
    )
    assert dict(first.origin.fields) == {
        "function": _line("lambda_arn   = aws_lambda_function.edge.qualified_arn"),
        "detail": _line('event_type   = "viewer-request"'),
        "enabled": _line("enabled = true"),
    }
    edge = inv.function(KEY + "aws_lambda_function.edge")
    assert edge is not None
    assert [t.detail for t in inv.push_triggers_of(edge)] == [
        "viewer-request",
        "origin-response",
        "viewer-response",
    ]


def test_a_version_built_from_two_functions_is_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(
        MAIN.replace(
            '"${aws_lambda_function.edge.arn}:${aws_lambda_function.edge.version}"',
            '"${aws_lambda_function.edge.arn}:${aws_lambda_function.resize[0].version}"',
        ),
        encoding="utf-8",
    )
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )
    second = output.inventory.push_triggers[1]

    assert second.detail == "origin-response"
    assert isinstance(second.function, Unresolved)


def _resource(kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": values,
    }


def _configured(kind: str, name: str, expressions: dict[str, Any]) -> dict[str, Any]:
    return {
        "address": f"{kind}.{name}",
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider_config_key": "aws",
        "expressions": expressions,
    }


def _association(event: str, function: str) -> dict[str, Any]:
    references = [f"aws_lambda_function.{function}.qualified_arn", f"aws_lambda_function.{function}"]
    return {"event_type": {"constant_value": event}, "lambda_arn": {"references": references}}


def test_plan_associations_join_the_planned_and_the_deployed_versions() -> None:
    """A version created with the plan is unknown until apply; one already deployed is a literal ARN."""
    function = {
        "handler": "index.handler",
        "runtime": "nodejs20.x",
        "role": "arn:aws:iam::111122223333:role/e",
    }
    distribution = _resource(
        "aws_cloudfront_distribution",
        "cdn",
        {
            "enabled": True,
            "default_cache_behavior": [
                {
                    "target_origin_id": "site",
                    "lambda_function_association": [{"event_type": "viewer-request"}],
                }
            ],
            "ordered_cache_behavior": [
                {
                    "path_pattern": "/img/*",
                    "target_origin_id": "site",
                    "lambda_function_association": [
                        {
                            "event_type": "origin-request",
                            "include_body": True,
                            "lambda_arn": "arn:aws:lambda:us-east-1:111122223333:function:resize:3",
                        }
                    ],
                }
            ],
        },
    )
    raw = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    _resource("aws_lambda_function", "edge", {"function_name": "edge", **function}),
                    _resource("aws_lambda_function", "resize", {"function_name": "resize", **function}),
                    distribution,
                ]
            }
        },
        "resource_changes": [
            {
                "address": "aws_cloudfront_distribution.cdn",
                "change": {
                    "actions": ["create"],
                    "after_unknown": {
                        "default_cache_behavior": [{"lambda_function_association": [{"lambda_arn": True}]}]
                    },
                },
            }
        ],
        "configuration": {
            "provider_config": {"aws": {"name": "aws"}},
            "root_module": {
                "resources": [
                    _configured("aws_lambda_function", "edge", {"function_name": {"constant_value": "edge"}}),
                    _configured(
                        "aws_lambda_function", "resize", {"function_name": {"constant_value": "resize"}}
                    ),
                    _configured(
                        "aws_cloudfront_distribution",
                        "cdn",
                        {
                            "enabled": {"constant_value": True},
                            "default_cache_behavior": [
                                {"lambda_function_association": [_association("viewer-request", "edge")]}
                            ],
                            "ordered_cache_behavior": [
                                {"lambda_function_association": [_association("origin-request", "resize")]}
                            ],
                        },
                    ),
                ]
            },
        },
    }
    plan = parse_plan(json.dumps(raw, indent=1), display="plan.json")
    assert not isinstance(plan, Diagnostic)
    inv = map_plan(plan)
    cdn = "plan.json#aws_cloudfront_distribution.cdn"

    assert {t.key: (t.kind, t.function, t.source, t.detail, t.origin.line) for t in inv.push_triggers} == {
        cdn + "/default_cache_behavior/lambda_function_association/0": (
            TriggerKind.CLOUDFRONT,
            "plan.json#aws_lambda_function.edge",
            cdn,
            "viewer-request",
            plan.resources[2].line,
        ),
        cdn + "/ordered_cache_behavior/0/lambda_function_association/0": (
            TriggerKind.CLOUDFRONT,
            "arn:aws:lambda:us-east-1:111122223333:function:resize",
            cdn,
            "origin-request",
            plan.resources[2].line,
        ),
    }
    resize = inv.function("plan.json#aws_lambda_function.resize")
    assert resize is not None
    assert inv.function(inv.push_triggers[1].function) is resize


MODULE = """\
variable "enabled" {
  default = true
}

variable "edge_functions" {
  default = { auth = { event_type = "viewer-request" } }
}

locals {
  headers_lambda_arn = var.enabled ? aws_lambda_function.headers[0].qualified_arn : ""
}

resource "aws_lambda_function" "headers" {
  count         = var.enabled ? 1 : 0
  function_name = "headers"
  role          = "arn:aws:iam::111122223333:role/edge"
}

resource "aws_lambda_function" "custom" {
  for_each      = var.edge_functions
  function_name = "edge-${each.key}"
  role          = "arn:aws:iam::111122223333:role/edge"
}

resource "aws_cloudfront_distribution" "site" {
  enabled = true
  default_cache_behavior {
    target_origin_id = "s3"
    lambda_function_association {
      event_type = "viewer-response"
      lambda_arn = local.headers_lambda_arn
    }
    dynamic "lambda_function_association" {
      for_each = var.edge_functions
      content {
        event_type = lambda_function_association.value["event_type"]
        lambda_arn = aws_lambda_function.custom[lambda_function_association.key].qualified_arn
      }
    }
  }
}
"""


def test_versions_through_a_local_and_a_dynamic_block_name_their_functions(tmp_path: Path) -> None:
    """A module's edge functions: one behind a conditional local, others per `for_each` key."""
    path = tmp_path / "main.tf"
    path.write_text(MODULE, encoding="utf-8")
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )

    assert output.diagnostics == ()
    assert [(t.function, t.detail) for t in output.inventory.push_triggers] == [
        (KEY + "aws_lambda_function.headers[0]", "viewer-response"),
        (KEY + 'aws_lambda_function.custom["auth"]', "viewer-request"),
    ]


def test_a_module_output_is_not_taken_for_the_callers_function_of_the_same_address(tmp_path: Path) -> None:
    """`module.edge.qualified_arn` is the module's `aws_lambda_function.this`, not the caller's."""
    (tmp_path / "edge").mkdir()
    (tmp_path / "edge" / "main.tf").write_text(
        'resource "aws_lambda_function" "this" {\n'
        '  function_name = "edge"\n'
        '  role          = "arn:aws:iam::111122223333:role/edge"\n'
        "}\n"
        'output "qualified_arn" {\n  value = aws_lambda_function.this.qualified_arn\n}\n',
        encoding="utf-8",
    )
    root = (
        'module "edge" {\n  source = "./edge"\n}\n\n'
        "locals {\n  edge_arn = module.edge.qualified_arn\n}\n\n"
        'resource "aws_lambda_function" "this" {\n'
        '  function_name = "origin"\n'
        '  role          = "arn:aws:iam::111122223333:role/edge"\n'
        "}\n\n"
        'resource "aws_cloudfront_distribution" "cdn" {\n'
        "  enabled = true\n"
        "  default_cache_behavior {\n"
        '    target_origin_id = "s3"\n'
        "    lambda_function_association {\n"
        '      event_type = "viewer-request"\n'
        "      lambda_arn = module.edge.qualified_arn\n"
        "    }\n"
        "    lambda_function_association {\n"
        '      event_type = "origin-request"\n'
        "      lambda_arn = local.edge_arn\n"
        "    }\n"
        "  }\n"
        "}\n"
    )
    (tmp_path / "main.tf").write_text(root, encoding="utf-8")
    files = tuple(
        InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM)
        for name in ("main.tf", "edge/main.tf")
    )
    output = TerraformSource().load(files, root=tmp_path)

    assert [(t.detail, t.function) for t in output.inventory.push_triggers] == [
        ("viewer-request", Unresolved("aws_lambda_function.this.qualified_arn")),
        ("origin-request", Unresolved("aws_lambda_function.this.qualified_arn")),
    ]
