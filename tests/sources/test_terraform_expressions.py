"""Terraform expression resolution: variables, locals, references, jsonencode, merge and interpolation."""

from __future__ import annotations

from lambdasec.model import Unresolved
from lambdasec.sources.terraform.expressions import DocumentRef, Scope, split_arguments, split_template

SCOPE = Scope(
    variables={"stage": "prod", "size": 256, "on": True},
    locals={"name": "orders-${var.stage}", "env": {"A": "${local.name}", "B": "x"}, "loop": "${local.loop}"},
    keys={"aws_iam_role.r": "main.tf#aws_iam_role.r"},
)


def test_variables_and_locals_resolve_through_interpolation() -> None:
    assert SCOPE.resolve("${var.stage}") == "prod"
    assert SCOPE.resolve("${var.size}") == 256
    assert SCOPE.resolve("${local.name}-api") == "orders-prod-api"
    assert SCOPE.resolve("size-${var.size}-${var.on}") == "size-256-true"
    assert SCOPE.resolve("$${literal}") == "${literal}"
    assert SCOPE.resolve("%%{literal}-${var.stage}") == "%{literal}-prod"


def test_unknown_values_keep_the_expression_as_reason() -> None:
    assert SCOPE.resolve("${var.missing}") == Unresolved("var.missing")
    assert SCOPE.resolve("${local.missing}") == Unresolved("local.missing")
    assert SCOPE.resolve('${var.missing == "a" ? 1 : 2}') == Unresolved('var.missing == "a" ? 1 : 2')
    assert SCOPE.resolve("x-${aws_s3_bucket.b.arn}") == Unresolved("x-${aws_s3_bucket.b.arn}")
    assert SCOPE.resolve("${unclosed") == Unresolved("${unclosed")


def test_self_referencing_local_is_unresolved_not_a_crash() -> None:
    assert isinstance(SCOPE.resolve("${local.loop}"), Unresolved)


def test_references_to_modelled_resources_give_their_key_only_as_a_whole_value() -> None:
    assert SCOPE.resolve("${aws_iam_role.r.arn}") == "main.tf#aws_iam_role.r"
    assert SCOPE.resolve("${aws_iam_role.r.name}") == "main.tf#aws_iam_role.r"
    assert SCOPE.resolve("${aws_iam_role.r.unique_id}") == Unresolved("aws_iam_role.r.unique_id")
    assert SCOPE.resolve("${aws_iam_role.r.arn}/x") == Unresolved("${aws_iam_role.r.arn}/x")
    assert SCOPE.resolve("${data.aws_iam_policy_document.d.json}") == DocumentRef(
        "data.aws_iam_policy_document.d"
    )


def test_jsonencode_and_merge_resolve_nested_values() -> None:
    encoded = '${jsonencode({"Action": "${var.stage}:*", "Resource": ["${aws_x.y.arn}"]})}'
    assert SCOPE.resolve(encoded) == {"Action": "prod:*", "Resource": [Unresolved("aws_x.y.arn")]}
    merged = SCOPE.resolve('${merge(local.env, {"C": "${var.stage}"})}')
    assert merged == {"A": "orders-prod", "B": "x", "C": "prod"}
    assert SCOPE.resolve("${merge(local.env, var.missing)}") == Unresolved("merge(local.env, var.missing)")


def test_lists_and_maps_resolve_element_by_element() -> None:
    assert SCOPE.resolve(["${var.stage}", "a", 3]) == ["prod", "a", 3]
    assert SCOPE.resolve({"k": "${var.stage}", "__start_line__": 3}) == {"k": "prod"}


def test_template_and_argument_splitting() -> None:
    assert split_template('a-${f("}")}-b') is not None
    assert split_arguments('local.a, {"b": "x,y"}, [1, 2]') == ["local.a", '{"b": "x,y"}', "[1, 2]"]
    assert split_arguments("f(a, b") is None
