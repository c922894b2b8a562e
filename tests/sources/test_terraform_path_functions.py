"""Terraform `basename`, `dirname`, `abspath` and `pathexpand`: Go's path rules, the working directory
known only where a local file path is read, and the home directory never."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.model import PolicyDocument, Principal, PrincipalKind, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.expressions import Scope

SCOPE = Scope(
    variables={"dir": "src/handlers/", "zip": "/opt/build//lambda.zip", "port": 8080},
    keys={"aws_s3_bucket.b": "main.tf#aws_s3_bucket.b"},
    paths={"module": "modules/api", "root": "."},
)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('${basename("foo/bar/baz.txt")}', "baz.txt"),
        ("${basename(var.dir)}", "handlers"),  # trailing slashes are not an element
        ('${basename("/")}', "/"),
        ('${basename("")}', "."),
        ('${dirname("foo/bar/baz.txt")}', "foo/bar"),
        ("${dirname(var.dir)}", "src/handlers"),
        ('${dirname("baz.txt")}', "."),
        ('${dirname("/baz.txt")}', "/"),
        ('${dirname("a//b/../c/d")}', "a/c"),  # cleaned, as filepath.Dir does
        ('${dirname("//a")}', "/"),
        ("${basename(var.port)}", "8080"),  # a number converts to its text
        ("${abspath(var.zip)}", "/opt/build/lambda.zip"),  # absolute: known anywhere, cleaned
        ('${pathexpand("conf/app.json")}', "conf/app.json"),  # no `~`: returned unchanged
        ('${pathexpand("")}', ""),
        ('${upper(basename(dirname("a/b/c")))}', "B"),
    ],
)
def test_path_functions_on_known_paths(expression: str, expected: object) -> None:
    assert SCOPE.resolve(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${basename(var.missing)}", Unresolved("basename(var.missing)")),
        ("${dirname(var.missing)}", Unresolved("dirname(var.missing)")),
        ("${abspath(var.missing)}", Unresolved("abspath(var.missing)")),
        # a resource reference links objects; it is no path
        ("${basename(aws_s3_bucket.b.id)}", Unresolved("basename(aws_s3_bucket.b.id)")),
        # the working directory is the deploying machine's, outside a local file path
        ('${abspath("build/lambda.zip")}', Unresolved('abspath("build/lambda.zip")')),
        ("${abspath(path.module)}", Unresolved("abspath(path.module)")),
        ("name-${basename(abspath(path.root))}", Unresolved("name-${basename(abspath(path.root))}")),
        # the home directory of whoever runs Terraform is never known
        ('${pathexpand("~/.aws/config")}', Unresolved('pathexpand("~/.aws/config")')),
        ('${pathexpand("~")}', Unresolved('pathexpand("~")')),
        ('${dirname(pathexpand("~/x/y"))}', Unresolved('dirname(pathexpand("~/x/y"))')),
        # a collection is a type error Terraform reports, so `try` falls back
        ('${try(abspath(["a"]), "none")}', "none"),
        ('${try(basename({"a": 1}), "none")}', "none"),
    ],
)
def test_path_functions_on_unknown_paths_stay_unknown(expression: str, expected: object) -> None:
    assert SCOPE.resolve(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('${abspath("build/lambda.zip")}', "build/lambda.zip"),
        ('${abspath("${path.module}/../shared/./fn.zip")}', "modules/shared/fn.zip"),
        ("${abspath(path.module)}", "modules/api"),
        ("${abspath(path.root)}", "."),
        ("${abspath(var.zip)}", "/opt/build/lambda.zip"),
        ('${pathexpand("~/fn.zip")}', Unresolved('pathexpand("~/fn.zip")')),
    ],
)
def test_abspath_where_a_local_file_path_is_read_starts_from_the_working_directory(
    expression: str, expected: object
) -> None:
    """Where a local file path is read, the working directory is the root module's directory, the `.`
    relative paths start from (as `path.cwd` is there)."""
    assert SCOPE.for_files().resolve(expression) == expected


_FUNCTION = 'resource "aws_lambda_function" "%s" {\n  function_name = %s\n  role = "r"\n  %s\n}\n'


def _load(root: Path, files: dict[str, str]) -> SourceOutput:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    found = discover([root])
    return TerraformSource().load(found.files, root=found.root)


def test_path_functions_in_a_module_read_from_the_root_modules_directory(tmp_path: Path) -> None:
    """`filename = abspath("${path.module}/build/fn.zip")` and `file(abspath(...))` in a called module
    name files relative to the root module's directory (where Terraform runs); `abspath` as an S3 key,
    and a name built from `pathexpand("~")`, are values only the deploying machine knows."""
    output = _load(
        tmp_path,
        {
            "envs/prod/main.tf": 'module "api" {\n  source = "../../modules/api"\n}\n',
            "modules/api/main.tf": 'locals {\n  package = abspath("${path.module}/build/fn.zip")\n}\n'
            + _FUNCTION % ("zip", '"${basename(path.module)}-zip"', "filename = local.package")
            + _FUNCTION % ("s3", '"s3"', 's3_bucket = "b"\n  s3_key = local.package')
            + _FUNCTION % ("home", 'pathexpand("~/fn")', 'filename = "${dirname(local.package)}/x.zip"')
            + 'resource "aws_iam_role" "r" {\n  name = "r"\n'
            + '  assume_role_policy = file(abspath("${path.module}/trust.json"))\n}\n',
            "modules/api/trust.json": '{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",'
            ' "Principal": {"Service": "lambda.amazonaws.com"}}]}',
        },
    )
    assert [(f.name, f.code.local_path, f.code.s3_key) for f in output.inventory.functions] == [
        ("api-zip", "modules/api/build/fn.zip", None),
        ("s3", None, Unresolved('abspath("${path.module}/build/fn.zip")')),
        (Unresolved('pathexpand("~/fn")'), "modules/api/build/x.zip", None),
    ]
    [role] = output.inventory.roles
    assert isinstance(role.trust_policy, PolicyDocument)
    assert [s.principals for s in role.trust_policy.statements] == [
        (Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",)),)
    ]
