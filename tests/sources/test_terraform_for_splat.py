"""Terraform `for` and splat expressions: evaluated over known collections, Unresolved over unknown ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hcl2.api import loads as hcl2_loads

from lambdasec.model import EnvVar, PolicyDocument, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.expressions import Scope
from lambdasec.sources.terraform.native import parse_native

MODULE = Path(__file__).resolve().parent / "terraform" / "for_splat"
K = "for_splat/main.tf#"

SCOPE = Scope(
    variables={
        "names": ["a", "b"],
        "env": {"B": "2", "A": "1"},
        "fns": [
            {"name": "x", "on": True, "role": "r1"},
            {"name": "y", "on": False, "role": "r1"},
            {"name": "z", "on": True, "role": "r2"},
        ],
        "nothing": None,
    },
    keys={
        "aws_lambda_function.f[0]": "m.tf#aws_lambda_function.f[0]",
        "aws_lambda_function.f[1]": "m.tf#aws_lambda_function.f[1]",
        'aws_lambda_function.e["k"]': 'm.tf#aws_lambda_function.e["k"]',
        "aws_lambda_function.u": "m.tf#aws_lambda_function.u",
        "aws_iam_role.r": "m.tf#aws_iam_role.r",
    },
    collections={
        "aws_lambda_function.f": (0, 1),
        "aws_lambda_function.e": ("k",),
        "aws_lambda_function.u": None,
    },
)
F0, F1 = "m.tf#aws_lambda_function.f[0]", "m.tf#aws_lambda_function.f[1]"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${[for n in var.names : upper(n)]}", ["A", "B"]),
        ("${[for i, n in var.names : i]}", [0, 1]),
        ('${[for i, n in var.names : "${i}-${n}"]}', ["0-a", "1-b"]),
        ("${[for f in var.fns : f.name if f.on]}", ["x", "z"]),
        ("${[for k, v in var.env : k]}", ["A", "B"]),
        ("${[for v in var.env : v]}", ["1", "2"]),
        ("${{for k, v in var.env : k => v}}", {"A": "1", "B": "2"}),
        ("${{for k , v in var.env : lower(k) => v}}", {"a": "1", "b": "2"}),
        ("${{ for f in var.fns : f.name => f.role }}", {"x": "r1", "y": "r1", "z": "r2"}),
        ("${{for f in var.fns : f.role => f.name...}}", {"r1": ["x", "y"], "r2": ["z"]}),
        ("${{for f in var.fns : f.role => f.name... if f.on}}", {"r1": ["x"], "r2": ["z"]}),
        ("${{for f in var.fns : f.on => f.name...}}", {"true": ["x", "z"], "false": ["y"]}),
        ("${[for s in [a, b] : upper(s)]}", ["A", "B"]),
        ('${{for k, v in {"a": 1, "b": 0} : k => v if v > 0}}', {"a": 1}),
        ("${[for n in [] : n]}", []),
        ("${length({for n in var.names : n => n})}", 2),
        ("${[for row in [[1, 2], [3]] : [for n in row : n * 10]]}", [[10, 20], [30]]),
        ("${var.fns[*].name}", ["x", "y", "z"]),
        ("${var.fns.*.name}", ["x", "y", "z"]),
        ('${[["a", "b"], ["c"]][*][0]}', ["a", "c"]),
        ("${var.fns.*.name[0]}", "x"),
        ("${var.nothing[*].name}", []),
        ("${var.env[*].A}", ["1"]),
        ("${aws_lambda_function.f[*].arn}", [F0, F1]),
        ("${aws_lambda_function.f.*.arn}", [F0, F1]),
        ("${aws_lambda_function.f.*.function_name[1]}", F1),
        ("${aws_lambda_function.f[0].arn}", F0),
        ("${aws_iam_role.r[*].arn}", ["m.tf#aws_iam_role.r"]),
        ("${[for f in aws_lambda_function.f : f.arn]}", [F0, F1]),
        ("${{for k, f in aws_lambda_function.e : k => f.arn}}", {"k": 'm.tf#aws_lambda_function.e["k"]'}),
        ("${values(aws_lambda_function.e)[*].arn}", ['m.tf#aws_lambda_function.e["k"]']),
        (
            "${aws_lambda_function.f[*].unique_id}",
            [
                Unresolved("aws_lambda_function.f[*].unique_id"),
                Unresolved("aws_lambda_function.f[*].unique_id"),
            ],
        ),
    ],
)
def test_known_collections_evaluate(expression: str, expected: Any) -> None:
    assert SCOPE.resolve(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${[for n in var.missing : n]}", Unresolved("[for n in var.missing : n]")),
        ("${{for k, v in var.missing : k => v}}", Unresolved("{for k, v in var.missing : k => v}")),
        ("${[for n in var.names : n if var.missing]}", Unresolved("[for n in var.names : n if var.missing]")),
        ("${{for n in var.names : var.missing => n}}", Unresolved("{for n in var.names : var.missing => n}")),
        # a resource's ARN is not known before apply, so it cannot be a key
        (
            "${{for f in aws_lambda_function.f : f.arn => 1}}",
            Unresolved("{for f in aws_lambda_function.f : f.arn => 1}"),
        ),
        ("${[for f in aws_iam_role.r : f]}", Unresolved("[for f in aws_iam_role.r : f]")),
        ("${var.missing[*].name}", Unresolved("var.missing[*].name")),
        ("${aws_s3_bucket.b[*].arn}", Unresolved("aws_s3_bucket.b[*].arn")),
        ("${aws_lambda_function.u[*].arn}", Unresolved("aws_lambda_function.u[*].arn")),
        ("${local.x.*.name}", Unresolved("local.x.*.name")),
        # Terraform errors: a duplicate key without `...`, a condition that is not a bool, a string collection
        ("${{for f in var.fns : f.role => f.name}}", Unresolved("{for f in var.fns : f.role => f.name}")),
        ("${[for f in var.fns : f if f.name]}", Unresolved("[for f in var.fns : f if f.name]")),
        ('${[for c in "abc" : c]}', Unresolved('[for c in "abc" : c]')),
        ("${[for f in var.fns : f.missing]}", Unresolved("[for f in var.fns : f.missing]")),
        ("${[for f var.fns : f]}", Unresolved("[for f var.fns : f]")),
    ],
)
def test_unknown_collections_and_errors_stay_unresolved_with_the_expression(
    expression: str, expected: Any
) -> None:
    assert SCOPE.resolve(expression) == expected


def test_elements_keep_their_own_unknowns_in_a_known_list() -> None:
    assert SCOPE.resolve("${[for n in var.names : var.missing]}") == [
        Unresolved("var.missing"),
        Unresolved("var.missing"),
    ]
    assert SCOPE.resolve("${try([for f in var.fns : f.missing], [])}") == []


def test_iteration_names_do_not_leak_into_variables_or_locals() -> None:
    scope = Scope(variables={"names": ["a"]}, locals={"shadow": "${n}"})
    assert scope.resolve("${[for n in var.names : local.shadow]}") == [Unresolved("n")]
    assert scope.resolve("${[for n in var.names : n]}") == ["a"]


ATTRIBUTES = """
locals {
  a = [for f in var.fns : f.name if f.on]
  b = { for f in var.fns : f.name => f.role }
  c = { for f in var.fns : f.role => f.name... }
  d = [for n in ["a", "b"] : "${n}-x"]
  e = var.fns[*].name
  f = aws_lambda_function.f.*.arn
  g = {
    for k, v in var.env :
    k => v
    if k != "B"
  }
}
"""
EXPECTED = {
    "a": ["x", "z"],
    "b": {"x": "r1", "y": "r1", "z": "r2"},
    "c": {"r1": ["x", "y"], "r2": ["z"]},
    "d": ["a-x", "b-x"],
    "e": ["x", "y", "z"],
    "f": [F0, F1],
    "g": {"A": "1"},
}


@pytest.mark.parametrize(
    "parse", [parse_native, lambda text: hcl2_loads(text, with_meta=True)], ids=["native", "hcl2"]
)
def test_both_readers_give_text_the_evaluator_reads(parse: Any) -> None:
    (local_values,) = parse(ATTRIBUTES)["locals"]
    assert {name: SCOPE.resolve(local_values[name]) for name in EXPECTED} == EXPECTED


def _load() -> SourceOutput:
    item = InputFile(path=MODULE / "main.tf", display="for_splat/main.tf", kind=SourceKind.TERRAFORM)
    return TerraformSource().load((item,), root=MODULE.parent)


def test_count_and_for_each_built_by_for_expressions_join_roles_and_permissions() -> None:
    output = _load()
    assert output.diagnostics == ()
    inventory = output.inventory
    assert [(f.key, f.name, f.role) for f in inventory.functions] == [
        (K + 'aws_lambda_function.f["billing"]', "billing", K + "aws_iam_role.r[0]"),
        (K + 'aws_lambda_function.f["orders"]', "orders", K + "aws_iam_role.r[0]"),
        (K + "aws_lambda_function.counted[0]", "counted-0", K + "aws_iam_role.r[1]"),
        (K + "aws_lambda_function.counted[1]", "counted-1", K + "aws_iam_role.r[1]"),
    ]
    assert inventory.functions[0].environment == (
        EnvVar(name="STAGE", value="prod"),
        EnvVar(name="TABLE", value="orders"),
    )
    assert [(p.key, p.function, p.principal) for p in inventory.permissions] == [
        (K + 'aws_lambda_permission.public["orders"]', K + 'aws_lambda_function.f["orders"]', "*"),
        (K + "aws_lambda_permission.callers", K + "aws_lambda_function.counted[0]", Unresolved("each.value")),
    ]
    orders = next(f for f in inventory.functions if f.name == "orders")
    assert [p.key for p in inventory.grants_for(orders)] == [K + 'aws_lambda_permission.public["orders"]']


def test_a_splat_over_counted_functions_lists_each_arn_as_known_after_apply() -> None:
    role = next(r for r in _load().inventory.roles if r.key == K + "aws_iam_role.r[1]")
    (policy,) = role.policies
    assert isinstance(policy.document, PolicyDocument)
    (statement,) = policy.document.statements
    assert statement.resources == (
        Unresolved("aws_lambda_function.counted[0] (known after apply)"),
        Unresolved("aws_lambda_function.counted[1] (known after apply)"),
    )
