"""Terraform expressions real projects use: conditionals, operators, built-in functions, templates."""

from __future__ import annotations

import pytest

from lambdasec.model import Unresolved
from lambdasec.sources.terraform.expressions import Key, Scope

SCOPE = Scope(
    variables={
        "stage": "prod",
        "size": 256,
        "on": True,
        "tags": {"team": "core"},
        "names": ["a", "b"],
        "empty": "",
    },
    locals={"prefix": "shop-${var.stage}", "settings": {"memory": 512, "nested": {"x": 1}}},
    keys={"aws_iam_role.r": "main.tf#aws_iam_role.r"},
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('${var.stage == "prod" ? 1024 : 128}', 1024),
        ('${var.stage != "prod" ? "x" : "y"}', "y"),
        ("${var.on && var.size > 100}", True),
        ("${!var.on || var.size <= 100}", False),
        ("${var.size * 2 + 1}", 513),
        ("${(var.size - 56) / 100}", 2.0),
        ("${var.size % 100}", 56),
        ("${-var.size}", -256),
        ('${merge(var.tags, {"stage": var.stage})}', {"team": "core", "stage": "prod"}),
        ('${lookup(var.tags, "team", "none")}', "core"),
        ('${lookup(var.tags, "owner", "none")}', "none"),
        ('${concat(var.names, ["c"])}', ["a", "b", "c"]),
        ('${format("%s-%03d", var.stage, 7)}', "prod-007"),
        ('${format("%s-%d", var.stage, var.size)}', "prod-256"),
        ('${join(",", var.names)}', "a,b"),
        ("${try(local.settings.missing, local.settings.memory)}", 512),
        ("${try(local.settings.nested.x, 0)}", 1),
        ("${can(local.settings.missing)}", False),
        ('${coalesce(var.empty, "fallback")}', "fallback"),
        ("${tostring(var.size)}", "256"),
        ('${tonumber("12")}', 12),
        ('${jsonencode({"a": var.stage})}', {"a": "prod"}),
        ('${jsondecode("{\\"a\\": 1}")}', {"a": 1}),
        ("${element(var.names, 3)}", "b"),
        ("${length(var.names)}", 2),
        ('${upper(var.stage)}-${lower("X")}', "PROD-x"),
        ("${local.prefix}-api-${var.size}", "shop-prod-api-256"),
        ('${replace(local.prefix, "-", "_")}', "shop_prod"),
        ('${split(",", "a,b")}', ["a", "b"]),
        ('${contains(var.names, "b")}', True),
        ("${keys(var.tags)}", ["team"]),
        ("${var.names[1]}", "b"),
        ('${var.tags["team"]}', "core"),
        ("${local.settings.nested}", {"x": 1}),
        ('${toset(["b", "a", "b"])}', ["a", "b"]),
        ("${range(3)}", [0, 1, 2]),
        ("${var.on ? var.size : 0}", 256),
        ('${zipmap(["k"], ["v"])}', {"k": "v"}),
    ],
)
def test_known_expressions_evaluate(expression: str, expected: object) -> None:
    assert SCOPE.resolve(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('${var.missing == "a" ? 1 : 2}', Unresolved('var.missing == "a" ? 1 : 2')),
        ('${var.missing ? "same" : "same"}', "same"),
        ("${merge(var.tags, var.missing)}", Unresolved("merge(var.tags, var.missing)")),
        ('${format("%s", var.missing)}', Unresolved('format("%s", var.missing)')),
        ("${try(var.missing, 1)}", Unresolved("try(var.missing, 1)")),
        ("${var.missing && false}", False),
        ("${[for n in var.missing : upper(n)]}", Unresolved("[for n in var.missing : upper(n)]")),
        ("${{for n in var.missing : n => n}}", Unresolved("{for n in var.missing : n => n}")),
        ('${file("policy.json")}', Unresolved('file("policy.json")')),
        ("${unknownfn(1)}", Unresolved("unknownfn(1)")),
        ("${aws_s3_bucket.b[*].arn}", Unresolved("aws_s3_bucket.b[*].arn")),
        ("${local.settings.missing}", Unresolved("local.settings.missing")),
        ("${path.module}/x", Unresolved("${path.module}/x")),
        ("%{ if var.on }x%{ endif }", Unresolved("%{ if var.on }x%{ endif }")),
        ("${var.tags", Unresolved("${var.tags")),
        ("${merge(var.missing,\n  { b = 1 }\n)}", Unresolved("merge(var.missing, { b = 1 } )")),
    ],
)
def test_unknown_or_failing_expressions_keep_the_expression_as_reason(
    expression: str, expected: object
) -> None:
    assert SCOPE.resolve(expression) == expected


def test_resource_references_are_keys_that_never_become_text() -> None:
    value = SCOPE.resolve("${aws_iam_role.r.arn}")
    assert value == "main.tf#aws_iam_role.r"
    assert isinstance(value, Key)
    assert SCOPE.resolve("${aws_iam_role.r.arn}:*") == Unresolved("${aws_iam_role.r.arn}:*")
    assert SCOPE.resolve('${format("%s:*", aws_iam_role.r.arn)}') == Unresolved(
        'format("%s:*", aws_iam_role.r.arn)'
    )
    assert SCOPE.resolve('${coalesce("", aws_iam_role.r.arn)}') == "main.tf#aws_iam_role.r"


def test_lists_inside_calls_read_the_strings_python_hcl2_leaves_unquoted() -> None:
    # python-hcl2 turns `toset(["a-b", var.stage])` into `toset([a-b, ${var.stage}])`
    assert SCOPE.resolve("${toset([a-b, ${var.stage}, x${var.size}y])}") == ["a-b", "prod", "x256y"]
    assert SCOPE.resolve("${concat([local.prefix], [1, true])}") == ["shop-prod", 1, True]
