"""Terraform local modules: inputs, outputs, addresses, nesting, and the calls that cannot be read."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import AuthType, Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource

APP = Path(__file__).resolve().parent / "terraform" / "modules_app"
FN = "modules/fn/main.tf#"
ROLE = "modules/role/main.tf#"


def _load(*paths: Path) -> SourceOutput:
    found = discover(list(paths))
    return TerraformSource().load(found.files, root=found.root)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_module_instances_get_terraform_addresses_and_their_inputs() -> None:
    inventory = _load(APP).inventory
    assert [
        (f.key, f.name, f.role, f.origin.resource, f.origin.file, f.origin.line) for f in inventory.functions
    ] == [
        (
            f'{FN}module.api["orders"].aws_lambda_function.this',
            "orders-prod",
            f'{ROLE}module.api["orders"].module.role.aws_iam_role.this',
            'module.api["orders"].aws_lambda_function.this',
            "modules/fn/main.tf",
            18,
        ),
        (
            f'{FN}module.api["users"].aws_lambda_function.this',
            "users-prod",
            f'{ROLE}module.api["users"].module.role.aws_iam_role.this',
            'module.api["users"].aws_lambda_function.this',
            "modules/fn/main.tf",
            18,
        ),
        (
            f"{FN}module.worker.aws_lambda_function.this",
            "worker-prod",
            "arn:aws:iam::111122223333:role/worker",
            "module.worker.aws_lambda_function.this",
            "modules/fn/main.tf",
            18,
        ),
    ]


def test_nested_modules_are_read_recursively_with_inputs_from_their_caller() -> None:
    inventory = _load(APP).inventory
    assert [(r.key, r.name) for r in inventory.roles] == [
        (f'{ROLE}module.api["orders"].module.role.aws_iam_role.this', "orders-prod-role"),
        (f'{ROLE}module.api["users"].module.role.aws_iam_role.this', "users-prod-role"),
        (f"{ROLE}module.worker.module.role.aws_iam_role.this", "worker-prod-role"),
    ]


def test_input_decides_a_count_inside_the_module() -> None:
    inventory = _load(APP).inventory
    assert [(u.key, u.function, u.auth_type, u.origin.line) for u in inventory.function_urls] == [
        (
            f'{FN}module.api["orders"].aws_lambda_function_url.url[0]',
            f'{FN}module.api["orders"].aws_lambda_function.this',
            AuthType.NONE,
            26,
        )
    ]


def test_caller_reads_a_module_output_by_instance_key() -> None:
    (permission,) = _load(APP).inventory.permissions
    assert (permission.key, permission.function) == (
        "envs/prod/main.tf#aws_lambda_permission.partner",
        f'{FN}module.api["users"].aws_lambda_function.this',
    )


def test_called_directories_are_not_mapped_again_as_root_modules_and_remote_ones_are_a_warning() -> None:
    output = _load(APP)
    assert output.files == ("envs/prod/main.tf", "modules/fn/main.tf", "modules/role/main.tf")
    assert output.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="terraform",
            message="module `vendor` is not read: source `terraform-aws-modules/lambda/aws` is not a local "
            "path (remote modules are not downloaded); run `terraform init` to let lambdasec read it",
            file="envs/prod/main.tf",
            line=19,
        ),
    )


def test_a_module_directory_scanned_alone_is_a_root_module_with_its_defaults() -> None:
    inventory = _load(APP / "modules" / "role").inventory
    assert [(r.key, r.name) for r in inventory.roles] == [
        ("main.tf#aws_iam_role.this", Unresolved("var.name"))
    ]


def test_module_cycle_is_an_error_with_file_and_line_and_the_rest_is_mapped(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n'
            'resource "aws_iam_role" "a" {\n  name = "a"\n}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n'
            'resource "aws_iam_role" "b" {\n  name = "b"\n}\n',
        },
    )
    output = _load(tmp_path)
    assert [r.key for r in output.inventory.roles] == [
        "a/main.tf#aws_iam_role.a",
        "b/main.tf#module.b.aws_iam_role.b",
    ]
    assert output.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="terraform",
            message="module `a` calls itself: a -> b -> a",
            file="b/main.tf",
            line=1,
        ),
    )


def test_module_calling_its_own_directory_is_a_cycle(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'resource "aws_iam_role" "r" {\n  name = "r"\n}\n\n'
            'module "self" {\n  source = "./"\n}\n'
        },
    )
    output = _load(tmp_path)
    assert [r.key for r in output.inventory.roles] == ["main.tf#aws_iam_role.r"]
    assert [(d.level, d.message, d.file, d.line) for d in output.diagnostics] == [
        (DiagnosticLevel.ERROR, "module `self` calls itself: . -> .", "main.tf", 5)
    ]


def test_missing_module_directory_and_a_source_outside_the_scan_are_errors(tmp_path: Path) -> None:
    _write(
        tmp_path / "scanned",
        {
            "main.tf": 'module "gone" {\n  source = "./modules/gone"\n}\n\n'
            'module "outside" {\n  source = "../../elsewhere"\n}\n'
        },
    )
    output = _load(tmp_path / "scanned")
    assert [(d.level, d.message, d.file, d.line) for d in output.diagnostics] == [
        (
            DiagnosticLevel.ERROR,
            "module `gone` is not read: no Terraform files in `modules/gone`",
            "main.tf",
            1,
        ),
        (
            DiagnosticLevel.ERROR,
            "module `outside` is not read: `../../elsewhere` is outside the scanned directory",
            "main.tf",
            5,
        ),
    ]


def test_unknown_module_for_each_reads_the_module_once_with_unresolved_each(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'variable "names" {}\n'
            'module "fn" {\n  source = "./fn"\n  for_each = var.names\n  name = each.key\n}\n',
            "fn/main.tf": 'variable "name" {}\n'
            'resource "aws_lambda_function" "f" {\n  function_name = var.name\n  role = "r"\n}\n',
        },
    )
    (function,) = _load(tmp_path).inventory.functions
    assert (function.key, function.name) == (
        "fn/main.tf#module.fn.aws_lambda_function.f",
        Unresolved("each.key"),
    )


def test_module_called_from_two_root_modules_gets_one_object_per_root(tmp_path: Path) -> None:
    module = 'module "fn" {\n  source = "../fn"\n  name = "%s"\n}\n'
    _write(
        tmp_path,
        {
            "dev/main.tf": module % "dev",
            "prod/main.tf": module % "prod",
            "fn/main.tf": 'variable "name" {}\n'
            'resource "aws_lambda_function" "f" {\n  function_name = var.name\n  role = "r"\n}\n',
        },
    )
    inventory = _load(tmp_path).inventory
    assert [(f.key, f.name, f.origin.resource) for f in inventory.functions] == [
        ("fn/main.tf#dev:module.fn.aws_lambda_function.f", "dev", "module.fn.aws_lambda_function.f"),
        ("fn/main.tf#prod:module.fn.aws_lambda_function.f", "prod", "module.fn.aws_lambda_function.f"),
    ]


def test_a_whole_resource_passed_to_a_module_links_through_its_identity_attributes(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'resource "aws_lambda_function" "f" {\n  for_each = toset(["a"])\n'
            '  function_name = each.key\n  role = "r"\n}\n'
            'module "url" {\n  source = "./url"\n  fn = aws_lambda_function.f["a"]\n}\n',
            "url/main.tf": 'variable "fn" {}\n'
            'resource "aws_lambda_function_url" "u" {\n  function_name = var.fn.function_name\n'
            '  authorization_type = "NONE"\n}\n'
            'resource "aws_lambda_permission" "p" {\n  function_name = var.fn.memory_size\n'
            '  action = "lambda:InvokeFunction"\n  principal = "*"\n}\n',
        },
    )
    inventory = _load(tmp_path).inventory
    assert [(u.key, u.function) for u in inventory.function_urls] == [
        ("url/main.tf#module.url.aws_lambda_function_url.u", 'main.tf#aws_lambda_function.f["a"]')
    ]
    assert [p.function for p in inventory.permissions] == [Unresolved("var.fn.memory_size")]


def test_package_paths_are_read_from_the_root_module_directory_and_path_module(tmp_path: Path) -> None:
    function = (
        'resource "aws_lambda_function" "%s" {\n  function_name = "%s"\n  role = "r"\n  filename = %s\n}\n'
    )
    _write(
        tmp_path,
        {
            "envs/prod/main.tf": function % ("root", "root", '"build/app.zip"')
            + 'module "fn" {\n  source = "../../modules/fn"\n}\n',
            "modules/fn/main.tf": function % ("packaged", "packaged", '"${path.module}/dist/app.zip"')
            + function % ("rooted", "rooted", '"${path.root}/shared.zip"'),
        },
    )
    inventory = _load(tmp_path).inventory
    assert [(f.name, f.code.local_path) for f in inventory.functions] == [
        ("root", "envs/prod/build/app.zip"),
        ("packaged", "modules/fn/dist/app.zip"),
        ("rooted", "envs/prod/shared.zip"),
    ]
