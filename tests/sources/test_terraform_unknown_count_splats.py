"""Terraform splats over a resource or data source whose `count`/`for_each` is not known: a list of
unknown length, so every value built from it stays unknown, named by the expression that holds the
splat; and `...` expansions and `flatten` that used to guess a length."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import TriggerKind, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.expressions import Scope

SCOPE = Scope(
    variables={"names": ["", "a"], "maps": [{"a": 1}, {"b": 2}], "sizes": [3, 1, 2], "parts": ["x", "y"]},
    keys={
        "aws_sqs_queue.q": "main.tf#aws_sqs_queue.q",
        "aws_sqs_queue.k": "main.tf#aws_sqs_queue.k",
        "aws_sqs_queue.k[0]": "main.tf#aws_sqs_queue.k[0]",
        "aws_sqs_queue.k[1]": "main.tf#aws_sqs_queue.k[1]",
    },
    collections={"aws_sqs_queue.q": None, "aws_sqs_queue.k": (0, 1), "data.aws_sqs_queue.d": None},
    resources={"aws_sqs_queue.q": {"count": "${var.unknown}", "name": "q"}},
)


@pytest.mark.parametrize(
    "expression",
    [
        "aws_sqs_queue.q[*].arn",
        "aws_sqs_queue.q.*.arn",
        "aws_sqs_queue.q[*].name",  # written the same in every instance, but how many is not known
        "aws_sqs_queue.q[*]",
        "aws_sqs_queue.q[*].arn[0]",
        "data.aws_sqs_queue.d[*].arn",
        "length(aws_sqs_queue.q[*].arn)",
        "length(data.aws_sqs_queue.d[*].arn) > 0 ? 1 : 0",
        'join(",", aws_sqs_queue.q[*].arn)',
        "element(aws_sqs_queue.q[*].arn, 0)",
        "one(aws_sqs_queue.q[*].arn)",
        "toset(aws_sqs_queue.q[*].arn)",
        'concat(aws_sqs_queue.q[*].arn, ["x"])',
        'flatten([aws_sqs_queue.q[*].arn, ["x"]])',
        "[for arn in aws_sqs_queue.q[*].arn : arn]",
        "{for k, q in aws_sqs_queue.q : k => q.arn}",
        "coalesce(aws_sqs_queue.q[*].arn...)",
        "max(aws_sqs_queue.q[*].arn...)",
        # not an error `try` could fall back from: a value not known yet
        'try(aws_sqs_queue.q[*].arn[0], "none")',
        'zipmap(aws_sqs_queue.q[*].name, ["v"])',
        'try(zipmap([var.missing], ["v"]), {})',
    ],
)
def test_a_splat_over_an_unknown_collection_stays_unknown_named_by_its_expression(expression: str) -> None:
    assert SCOPE.resolve("${" + expression + "}") == Unresolved(expression)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${aws_sqs_queue.k[*].arn}", ["main.tf#aws_sqs_queue.k[0]", "main.tf#aws_sqs_queue.k[1]"]),
        ("${length(aws_sqs_queue.k[*].arn)}", 2),
        # `f(list...)` passes the list's elements as the arguments
        ("${coalesce(var.names...)}", "a"),
        ("${min(var.sizes...)}", 1),
        ('${format("%s-%s", var.parts...)}', "x-y"),
        ("${merge(var.maps...)}", {"a": 1, "b": 2}),
        ('${flatten([["a"], [["b"]], "c"])}', ["a", "b", "c"]),
        ('${try(merge(var.names...), "bad")}', "bad"),  # strings are no maps: Terraform fails
        ('${try(max(var.maps[0]...), "bad")}', "bad"),  # only a list expands
    ],
)
def test_known_collections_and_expansions(expression: str, expected: object) -> None:
    assert SCOPE.resolve(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "coalesce(var.missing...)",
        'flatten([["a"], var.missing])',  # an unknown element may be a list of any length
        'flatten([["a"], [var.missing]])',
        'length(flatten([var.missing, ["x"]]))',
    ],
)
def test_unknown_lists_give_unknown_results(expression: str) -> None:
    assert SCOPE.resolve("${" + expression + "}") == Unresolved(expression)


def test_a_model_built_on_an_unknown_count_keeps_each_unknown_value(tmp_path: Path) -> None:
    """A queue with `count = var.queues` (no value): its policy resources, the environment built from its
    URLs and the memory chosen by how many there are stay unknown; the mapping's service is still known."""
    (tmp_path / "main.tf").write_text(
        """variable "queues" {}
resource "aws_sqs_queue" "q" {
  count = var.queues
  name  = "q-${count.index}"
}
data "aws_iam_policy_document" "consume" {
  statement {
    actions   = ["sqs:ReceiveMessage"]
    resources = flatten([aws_sqs_queue.q[*].arn, ["arn:aws:sqs:us-east-1:111122223333:extra"]])
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.id
  policy = data.aws_iam_policy_document.consume.json
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = aws_iam_role.r.arn
  filename      = "f.zip"
  memory_size   = length(aws_sqs_queue.q[*].arn) > 1 ? 512 : 128
  environment {
    variables = {
      QUEUES = join(",", aws_sqs_queue.q[*].url)
    }
  }
}
resource "aws_lambda_event_source_mapping" "m" {
  count            = length(aws_sqs_queue.q[*].arn)
  function_name    = aws_lambda_function.f.arn
  event_source_arn = aws_sqs_queue.q[count.index].arn
}
""",
        encoding="utf-8",
    )
    found = discover([tmp_path])
    output = TerraformSource().load(found.files, root=found.root)
    assert output.diagnostics == ()
    [function] = output.inventory.functions
    assert function.memory_mb == Unresolved("length(aws_sqs_queue.q[*].arn) > 1 ? 512 : 128")
    assert not isinstance(function.environment, Unresolved)
    assert [(v.name, v.value) for v in function.environment] == [
        ("QUEUES", Unresolved('join(",", aws_sqs_queue.q[*].url)'))
    ]
    [role] = output.inventory.roles
    [policy] = role.policies
    assert not isinstance(policy.document, Unresolved)
    assert [s.resources for s in policy.document.statements] == [
        Unresolved('flatten([aws_sqs_queue.q[*].arn, ["arn:aws:sqs:us-east-1:111122223333:extra"]])')
    ]
    [mapping] = output.inventory.event_source_mappings
    assert (mapping.key, mapping.event_source_arn, mapping.kind) == (
        "main.tf#aws_lambda_event_source_mapping.m",
        Unresolved("aws_sqs_queue.q[count.index].arn"),
        TriggerKind.SQS,
    )
