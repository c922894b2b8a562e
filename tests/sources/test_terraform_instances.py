"""Terraform count and for_each: one object per known instance, instance references, unknown collections."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Inventory, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.terraform import TerraformSource

FUNCTION = """
resource "aws_lambda_function" "f" {
  %s
  function_name = %s
  role          = "arn:aws:iam::111122223333:role/r"
  environment {
    variables = {
      SIZE = %s
    }
  }
}
"""


def _load(tmp_path: Path, text: str) -> Inventory:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    found = discover([tmp_path])
    return TerraformSource().load(found.files, root=found.root).inventory


def _functions(inventory: Inventory) -> list[tuple[str, object, object]]:
    return [(f.origin.resource, f.name, f.environment[0].value) for f in inventory.functions]  # type: ignore[index]


def test_count_gives_one_function_per_index_with_count_index_bound(tmp_path: Path) -> None:
    text = FUNCTION % ("count = 2", '"f-${count.index}"', "count.index * 64")
    assert _functions(_load(tmp_path, text)) == [
        ("aws_lambda_function.f[0]", "f-0", "0"),
        ("aws_lambda_function.f[1]", "f-1", "64"),
    ]


def test_for_each_over_a_set_binds_each_key_and_value(tmp_path: Path) -> None:
    text = FUNCTION % ('for_each = toset(["b", "a", "b"])', "each.key", "upper(each.value)")
    inventory = _load(tmp_path, text)
    assert _functions(inventory) == [
        ('aws_lambda_function.f["a"]', "a", "A"),
        ('aws_lambda_function.f["b"]', "b", "B"),
    ]
    assert [f.key for f in inventory.functions] == [
        'main.tf#aws_lambda_function.f["a"]',
        'main.tf#aws_lambda_function.f["b"]',
    ]


def test_for_each_over_a_map_of_objects_reads_each_value_attributes(tmp_path: Path) -> None:
    text = "locals {\n  fns = {\n    api = { size = 128 }\n    job = { size = 1024 }\n  }\n}\n" + FUNCTION % (
        "for_each = local.fns",
        '"${each.key}-fn"',
        "each.value.size",
    )
    assert _functions(_load(tmp_path, text)) == [
        ('aws_lambda_function.f["api"]', "api-fn", "128"),
        ('aws_lambda_function.f["job"]', "job-fn", "1024"),
    ]


def test_unknown_collection_maps_the_block_once_with_the_expression_as_reason(tmp_path: Path) -> None:
    text = 'variable "names" {}\n' + FUNCTION % ("for_each = var.names", "each.key", "each.value.size")
    assert _functions(_load(tmp_path, text)) == [
        ("aws_lambda_function.f", Unresolved("each.key"), Unresolved("each.value.size"))
    ]
    text = 'variable "n" {}\n' + FUNCTION % ("count = var.n", '"f-${count.index}"', "count.index")
    assert _functions(_load(tmp_path, text)) == [
        ("aws_lambda_function.f", Unresolved("f-${count.index}"), Unresolved("count.index"))
    ]


def test_references_to_instances_resolve_to_that_instance(tmp_path: Path) -> None:
    text = FUNCTION % ('for_each = toset(["a", "b"])', "each.key", "1") + (
        'resource "aws_lambda_function_url" "by_key" {\n'
        '  function_name      = aws_lambda_function.f["b"].function_name\n'
        '  authorization_type = "NONE"\n}\n'
        'resource "aws_lambda_function_url" "per_instance" {\n'
        '  for_each           = toset(["a", "b"])\n'
        "  function_name      = aws_lambda_function.f[each.key].arn\n"
        '  authorization_type = "AWS_IAM"\n}\n'
        'resource "aws_lambda_function_url" "missing" {\n'
        '  function_name      = aws_lambda_function.f["c"].arn\n'
        '  authorization_type = "NONE"\n}\n'
    )
    urls = _load(tmp_path, text).function_urls
    assert [(u.origin.resource, u.function) for u in urls] == [
        ("aws_lambda_function_url.by_key", 'main.tf#aws_lambda_function.f["b"]'),
        ('aws_lambda_function_url.per_instance["a"]', 'main.tf#aws_lambda_function.f["a"]'),
        ('aws_lambda_function_url.per_instance["b"]', 'main.tf#aws_lambda_function.f["b"]'),
        ("aws_lambda_function_url.missing", Unresolved('aws_lambda_function.f["c"].arn')),
    ]


def test_count_references_by_index_and_a_known_zero_count_maps_nothing(tmp_path: Path) -> None:
    text = FUNCTION % ("count = 2", '"f${count.index}"', "1") + (
        'resource "aws_lambda_permission" "p" {\n'
        "  count         = 2\n"
        "  function_name = aws_lambda_function.f[count.index].function_name\n"
        '  action        = "lambda:InvokeFunction"\n'
        '  principal     = "s3.amazonaws.com"\n}\n'
        'resource "aws_lambda_function_url" "off" {\n'
        "  count              = length([]) > 0 ? 1 : 0\n"
        "  function_name      = aws_lambda_function.f[0].arn\n"
        '  authorization_type = "NONE"\n}\n'
    )
    inventory = _load(tmp_path, text)
    assert [(p.origin.resource, p.function) for p in inventory.permissions] == [
        ("aws_lambda_permission.p[0]", "main.tf#aws_lambda_function.f[0]"),
        ("aws_lambda_permission.p[1]", "main.tf#aws_lambda_function.f[1]"),
    ]
    assert inventory.function_urls == ()
