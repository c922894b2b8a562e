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
