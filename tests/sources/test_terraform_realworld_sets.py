"""Terraform sets (`toset(...)`, `set(...)` variables): iterated with each element as its own key."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import PolicyDocument, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.calls import SetValue
from lambdasec.sources.terraform.expressions import Scope


def _load(root: Path, text: str) -> SourceOutput:
    (root / "main.tf").write_text(text, encoding="utf-8")
    found = discover([root])
    return TerraformSource().load(found.files, root=found.root)


def test_a_dynamic_block_over_a_set_has_the_element_as_its_key(tmp_path: Path) -> None:
    """`dynamic "statement" { for_each = toset(...) }` with `statement.key` in the content: Terraform
    gives the element (key is identical to value for a set), in the set's order, duplicates dropped."""
    output = _load(
        tmp_path,
        """
variable "buckets" {
  type    = set(string)
  default = ["logs", "data", "logs"]
}

data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = toset(["s3:PutObject", "s3:GetObject"])
    content {
      sid       = replace(statement.key, ":", "")
      actions   = [statement.value]
      resources = ["*"]
    }
  }
  dynamic "statement" {
    for_each = var.buckets
    iterator = bucket
    content {
      sid       = bucket.key
      actions   = ["s3:ListBucket"]
      resources = ["arn:aws:s3:::${bucket.value}"]
    }
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
""",
    )
    [policy] = output.inventory.managed_policies
    assert isinstance(policy.document, PolicyDocument)
    assert [(s.sid, s.actions, s.resources) for s in policy.document.statements] == [
        ("s3GetObject", ("s3:GetObject",), ("*",)),
        ("s3PutObject", ("s3:PutObject",), ("*",)),
        ("data", ("s3:ListBucket",), ("arn:aws:s3:::data",)),
        ("logs", ("s3:ListBucket",), ("arn:aws:s3:::logs",)),
    ]


def test_for_each_over_a_set_makes_each_key_the_element(tmp_path: Path) -> None:
    output = _load(
        tmp_path,
        """
variable "stages" {
  type    = set(string)
  default = ["prod", "dev"]
}

resource "aws_lambda_function" "f" {
  for_each      = var.stages
  function_name = "fn-${each.key}-${each.value}"
  role          = "r"
  filename      = "app.zip"
}
""",
    )
    assert [(f.key, f.name) for f in output.inventory.functions] == [
        ('main.tf#aws_lambda_function.f["dev"]', "fn-dev-dev"),
        ('main.tf#aws_lambda_function.f["prod"]', "fn-prod-prod"),
    ]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('${{for k, v in toset(["b", "a", "b"]) : k => v}}', {"a": "a", "b": "b"}),
        ('${[for k, v in toset(["b", "a"]) : k]}', ["a", "b"]),
        ('${[for k, v in ["b", "a"] : k]}', [0, 1]),
        ('${toset(["b", "a", "b"])}', ["a", "b"]),
        ('${tolist(toset(["b", "a"]))[0]}', "a"),
        ('${length(toset(["b", "a", "b"]))}', 2),
        # a set has no indices: an error in Terraform, so try() takes its fallback
        ('${try(toset(["a"])[0], "none")}', "none"),
        ('${toset(["a"])[0]}', Unresolved('toset(["a"])[0]')),
        ('${setintersection(["b", "a"], ["a", "b", "c"])}', ["a", "b"]),
        # numbers in numeric order, not by their text
        ("${[for k, v in toset([10, 9, 10]) : k]}", [9, 10]),
    ],
)
def test_sets_in_expressions(expression: str, expected: object) -> None:
    assert Scope().resolve(expression) == expected


def test_a_set_stays_a_set_and_a_list_made_from_it_does_not() -> None:
    assert type(Scope().resolve('${toset(["b", "a"])}')) is SetValue
    assert type(Scope().resolve('${tolist(toset(["b", "a"]))}')) is list
    assert type(Scope().resolve('${concat(toset(["b"]), ["a"])}')) is list
