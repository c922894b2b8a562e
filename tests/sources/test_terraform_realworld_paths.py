"""Terraform `path.cwd`, `path.module` and `path.root`: what Terraform gives for each, and where."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import PolicyDocument, Principal, PrincipalKind, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource

_FUNCTION = 'resource "aws_lambda_function" "%s" {\n  function_name = %s\n  role = "r"\n  %s\n}\n'


def _load(root: Path, files: dict[str, str]) -> SourceOutput:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = discover([root])
    return TerraformSource().load(found.files, root=found.root)


def test_path_cwd_is_the_root_module_directory_only_where_it_names_a_local_file(tmp_path: Path) -> None:
    """`path.cwd` is the absolute directory Terraform runs in: a file path built on it (`filename`,
    `source_dir`, `file()`) reads from the root module's directory; any other use (`s3_key = path.cwd`,
    a name built with `basename(path.cwd)`) is a value only the deploying machine knows."""
    output = _load(
        tmp_path,
        {
            "envs/prod/main.tf": 'locals {\n  build = "${path.cwd}/build"\n}\n'
            + _FUNCTION % ("zip", '"zip"', 'filename = "${local.build}/app.zip"')
            + _FUNCTION % ("s3", '"s3"', 's3_bucket = "b"\n  s3_key = path.cwd')
            + _FUNCTION % ("named", '"ex-${basename(path.cwd)}"', 'filename = "app.zip"')
            + _FUNCTION % ("tagged", '"tagged"', 's3_bucket = "b"\n  s3_key = "${local.build}/app.zip"')
            + _FUNCTION % ("archived", '"archived"', "filename = data.archive_file.src.output_path")
            + 'data "archive_file" "src" {\n  type = "zip"\n  source_dir = "${path.cwd}/src"\n'
            + '  output_path = "${path.cwd}/src.zip"\n}\n'
            + 'resource "aws_iam_role" "r" {\n  name = "r"\n'
            + '  assume_role_policy = file("${path.cwd}/trust.json")\n}\n',
            "envs/prod/trust.json": '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
            ' "Principal": {"Service": "lambda.amazonaws.com"}}]}',
        },
    )
    functions = {f.key.rpartition(".")[2]: f for f in output.inventory.functions}
    assert functions["zip"].code.local_path == "envs/prod/build/app.zip"
    assert functions["s3"].code.s3_key == Unresolved("path.cwd")
    assert functions["named"].name == Unresolved("ex-${basename(path.cwd)}")
    # the same local read as a file path elsewhere in the scan stays unknown here
    assert functions["tagged"].code.s3_key == Unresolved("${local.build}/app.zip")
    assert functions["archived"].code.local_path == "envs/prod/src"
    [role] = output.inventory.roles
    assert isinstance(role.trust_policy, PolicyDocument)
    assert [s.principals for s in role.trust_policy.statements] == [
        (Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",)),)
    ]


def test_path_cwd_passed_to_a_module_names_a_file_only_where_the_module_reads_one(tmp_path: Path) -> None:
    """`module "fn" { package = "${path.cwd}/build/app.zip" }` with `filename = var.package` inside:
    the package is read from the root module's directory; the same input as an S3 key stays unknown."""
    output = _load(
        tmp_path,
        {
            "envs/prod/main.tf": 'module "fn" {\n  source = "../../modules/fn"\n'
            '  package = "${path.cwd}/build/app.zip"\n}\n',
            "modules/fn/main.tf": 'variable "package" {}\n'
            + _FUNCTION % ("zip", '"zip"', "filename = var.package")
            + _FUNCTION % ("s3", '"s3"', 's3_bucket = "b"\n  s3_key = var.package'),
        },
    )
    assert [(f.name, f.code.local_path, f.code.s3_key) for f in output.inventory.functions] == [
        ("zip", "envs/prod/build/app.zip", None),
        ("s3", None, Unresolved("${path.cwd}/build/app.zip")),
    ]
