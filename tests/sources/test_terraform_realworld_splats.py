"""Terraform legacy splats over counted `data "aws_iam_policy_document"` blocks (`data.x.*.json`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import PolicyDocument, Principal, PrincipalKind, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.expressions import DocumentRef, Scope

_DOCUMENT = """
data "aws_iam_policy_document" "assume" {
  %s
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
"""


def _trust(root: Path, *, count: str, policy: str) -> object:
    module = (
        'variable "enabled" {}\n'
        'resource "aws_iam_role" "this" {\n  name = "r"\n'
        f"  assume_role_policy = {policy}\n}}\n" + _DOCUMENT % count
    )
    (root / "mod").mkdir()
    (root / "mod" / "main.tf").write_text(module, encoding="utf-8")
    (root / "main.tf").write_text(
        'module "fn" {\n  source = "./mod"\n  enabled = true\n}\n', encoding="utf-8"
    )
    found = discover([root])
    [role] = TerraformSource().load(found.files, root=found.root).inventory.roles
    return role.trust_policy


@pytest.mark.parametrize(
    ("count", "policy"),
    [
        # the older pattern: a document with the role's count, joined back into one JSON text
        ("count = var.enabled ? 1 : 0", 'join("", data.aws_iam_policy_document.assume.*.json)'),
        ("count = 1", 'join("", data.aws_iam_policy_document.assume[*].json)'),
        ("count = 1", "one(data.aws_iam_policy_document.assume[*].json)"),
        ("count = 1", "element(data.aws_iam_policy_document.assume.*.json, 0)"),
        # a block without count is a one-element list to a splat, as in Terraform
        ("", 'join("", data.aws_iam_policy_document.assume.*.json)'),
    ],
)
def test_a_splat_over_a_document_with_a_known_count_lists_its_instances(
    tmp_path: Path, count: str, policy: str
) -> None:
    trust = _trust(tmp_path, count=count, policy=policy)
    assert isinstance(trust, PolicyDocument)
    assert trust.origin.resource == "module.fn.data.aws_iam_policy_document.assume"
    assert [s.principals for s in trust.statements] == [
        (Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",)),)
    ]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        # two JSON texts joined are no policy; a count not known gives a list not known
        ("count = 2", 'join("", data.aws_iam_policy_document.assume.*.json)'),
        ("count = var.unknown ? 1 : 0", 'join("", data.aws_iam_policy_document.assume.*.json)'),
    ],
)
def test_a_splat_over_a_document_without_exactly_one_instance_stays_unknown(
    tmp_path: Path, count: str, expected: str
) -> None:
    assert _trust(tmp_path, count=count, policy=expected) == Unresolved(expected)


def test_the_instances_of_a_counted_or_keyed_document_by_splat_and_whole_reference() -> None:
    scope = Scope(
        collections={
            "data.aws_iam_policy_document.n": (0, 1),
            "data.aws_iam_policy_document.k": ("a", "b"),
        }
    )
    ref = DocumentRef("data.aws_iam_policy_document.n")
    assert scope.resolve("${data.aws_iam_policy_document.n.*.json}") == [ref, ref]
    assert scope.resolve("${data.aws_iam_policy_document.n[*].minified_json}") == [ref, ref]
    keyed = DocumentRef("data.aws_iam_policy_document.k")
    assert scope.resolve("${[for d in data.aws_iam_policy_document.k : d.json]}") == [keyed, keyed]
    assert scope.resolve('${join(",", data.aws_iam_policy_document.n.*.json)}') == Unresolved(
        'join(",", data.aws_iam_policy_document.n.*.json)'
    )
    # other attributes of an instance are computed by the provider
    assert scope.resolve("${data.aws_iam_policy_document.n.*.id}") == [
        Unresolved("data.aws_iam_policy_document.n.*.id"),
        Unresolved("data.aws_iam_policy_document.n.*.id"),
    ]
    assert scope.resolve('${try(data.aws_iam_policy_document.n[0].id, "x")}') == Unresolved(
        'try(data.aws_iam_policy_document.n[0].id, "x")'
    )


def test_a_splat_over_any_counted_data_source_lists_its_arguments_per_instance(tmp_path: Path) -> None:
    """`filename = join("", data.archive_file.zip.*.output_path)`: the package an archive with a known
    count writes, so the function's code is the archive's sources; computed attributes stay unknown."""
    (tmp_path / "main.tf").write_text(
        """
data "archive_file" "zip" {
  count       = 1
  type        = "zip"
  source_file = "handler.js"
  output_path = "lambda_function.zip"
}

data "aws_caller_identity" "current" {
  count = 1
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "r"
  filename      = join("", data.archive_file.zip.*.output_path)
  handler       = join("", data.aws_caller_identity.current.*.account_id)
}
""",
        encoding="utf-8",
    )
    found = discover([tmp_path])
    [function] = TerraformSource().load(found.files, root=found.root).inventory.functions
    assert function.code.local_path == "handler.js"
    assert function.handler == Unresolved('join("", data.aws_caller_identity.current.*.account_id)')


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${data.archive_file.zip[*].output_path}", ["out.zip", "out.zip"]),
        ("${[for z in data.archive_file.zip : z.type]}", ["zip", "zip"]),
        ("${data.archive_file.one.*.output_path}", ["one.zip"]),
        ("${data.archive_file.one.output_path}", "one.zip"),
        # the data source as a whole is no value a function can use
        ("${length(data.archive_file.one)}", Unresolved("length(data.archive_file.one)")),
        ("${jsonencode(data.archive_file.one)}", Unresolved("jsonencode(data.archive_file.one)")),
        ("${data.archive_file.unknown.*.output_path}", Unresolved("data.archive_file.unknown.*.output_path")),
        ("${[for k, v in data.archive_file.one : k]}", Unresolved("[for k, v in data.archive_file.one : k]")),
    ],
)
def test_data_source_instances_in_expressions(expression: str, expected: object) -> None:
    scope = Scope(
        collections={"data.archive_file.zip": (0, 1), "data.archive_file.unknown": None},
        resources={
            "data.archive_file.zip": {"type": "zip", "output_path": "out.zip"},
            "data.archive_file.one": {"type": "zip", "output_path": "one.zip"},
            "data.archive_file.unknown": {"type": "zip", "output_path": "u.zip"},
        },
    )
    assert scope.resolve(expression) == expected


def test_iterating_a_whole_data_source_is_not_known(tmp_path: Path) -> None:
    """`for_each` or a dynamic block over a data source object: its attributes are not known, so the
    instances and blocks are not (rather than none at all)."""
    (tmp_path / "main.tf").write_text(
        """
data "aws_caller_identity" "current" {}

resource "aws_lambda_function" "f" {
  for_each      = data.aws_caller_identity.current
  function_name = "f"
  role          = "r"
  filename      = "app.zip"
  dynamic "vpc_config" {
    for_each = data.aws_caller_identity.current
    content {
      subnet_ids         = ["s"]
      security_group_ids = ["g"]
    }
  }
}
""",
        encoding="utf-8",
    )
    found = discover([tmp_path])
    [function] = TerraformSource().load(found.files, root=found.root).inventory.functions
    assert function.key == "main.tf#aws_lambda_function.f"
    assert function.vpc == Unresolved('dynamic "vpc_config" block')


def test_a_whole_data_source_is_no_policy(tmp_path: Path) -> None:
    """`policy = data.aws_iam_policy_document.d` without `.json` is no JSON text (Terraform rejects it)."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_iam_policy" "p" {\n  name = "p"\n  policy = data.aws_iam_policy_document.d\n}\n'
        + _DOCUMENT % "",
        encoding="utf-8",
    )
    found = discover([tmp_path])
    [policy] = TerraformSource().load(found.files, root=found.root).inventory.managed_policies
    assert policy.document == Unresolved("policy is not a JSON object: data.aws_iam_policy_document.d")
