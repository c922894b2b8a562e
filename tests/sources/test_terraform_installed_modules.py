"""Terraform remote modules read where `terraform init` installed them (`.terraform/modules/modules.json`)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import AuthType
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource

APP = Path(__file__).resolve().parent / "terraform" / "installed"
FN = ".terraform/modules/fn/main.tf#"
ROLE = ".terraform/modules/fn/modules/role/main.tf#"
MANIFEST = ".terraform/modules/modules.json"
CALL = 'module "fn" {\n  source = "example-corp/lambda/aws"\n  function_name = "orders"\n}\n'
FN_MODULE = (
    'variable "function_name" {}\n'
    'resource "aws_lambda_function" "this" {\n  function_name = var.function_name\n  role = "r"\n}\n'
)


def _load(path: Path) -> SourceOutput:
    found = discover([path])
    return TerraformSource().load(found.files, root=found.root)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _manifest(*entries: tuple[str, str, str]) -> str:
    modules = [{"Key": "", "Source": "", "Dir": "."}]
    modules += [{"Key": key, "Source": source, "Dir": directory} for key, source, directory in entries]
    return json.dumps({"Modules": modules})


def _not_downloaded(name: str, source: str, file: str, line: int) -> Diagnostic:
    return _warning(
        f"module `{name}` is not read: source `{source}` is not a local path (remote modules are not"
        " downloaded); run `terraform init` to let lambdasec read it",
        file,
        line,
    )


def _warning(message: str, file: str, line: int | None) -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.WARNING, source="terraform", message=message, file=file, line=line
    )


def test_installed_registry_module_is_read_with_the_call_inputs_and_for_each() -> None:
    inventory = _load(APP).inventory
    assert [(f.key, f.name, f.role, f.origin.file, f.origin.line) for f in inventory.functions] == [
        (
            f'{FN}module.fn["orders"].aws_lambda_function.this[0]',
            "orders-api",
            f'{ROLE}module.fn["orders"].module.role.aws_iam_role.this',
            ".terraform/modules/fn/main.tf",
            20,
        ),
        (
            f'{FN}module.fn["users"].aws_lambda_function.this[0]',
            "users-api",
            f'{ROLE}module.fn["users"].module.role.aws_iam_role.this',
            ".terraform/modules/fn/main.tf",
            20,
        ),
        (
            ".terraform/modules/svc.worker/main.tf#module.svc.module.worker.aws_lambda_function.this",
            "worker",
            "arn:aws:iam::111122223333:role/worker",
            ".terraform/modules/svc.worker/main.tf",
            5,
        ),
    ]
    assert [(r.key, r.name) for r in inventory.roles] == [
        (f'{ROLE}module.fn["orders"].module.role.aws_iam_role.this', "orders-api-role"),
        (f'{ROLE}module.fn["users"].module.role.aws_iam_role.this', "users-api-role"),
    ]


def test_permissions_from_an_input_map_and_the_url_of_an_input_flag_come_out_of_the_module() -> None:
    inventory = _load(APP).inventory
    assert [
        (p.key, p.function, p.principal, p.source_arn, p.origin.file, p.origin.line)
        for p in inventory.permissions
    ] == [
        (
            "main.tf#aws_lambda_permission.events",
            f'{FN}module.fn["users"].aws_lambda_function.this[0]',
            "events.amazonaws.com",
            "arn:aws:events:eu-west-1:111122223333:rule/nightly",
            "main.tf",
            18,
        ),
        *[
            (
                f'{FN}module.fn["{name}"].aws_lambda_permission.triggers["{key}"]',
                f'{FN}module.fn["{name}"].aws_lambda_function.this[0]',
                principal,
                source_arn,
                ".terraform/modules/fn/main.tf",
                29,
            )
            for name in ("orders", "users")
            for key, principal, source_arn in (
                ("Api", "apigateway.amazonaws.com", "arn:aws:execute-api:eu-west-1:111122223333:abc/*"),
                ("Partner", "444455556666", None),
            )
        ],
    ]
    assert [(u.key, u.function, u.auth_type, u.origin.line) for u in inventory.function_urls] == [
        (
            f'{FN}module.fn["orders"].aws_lambda_function_url.this[0]',
            f'{FN}module.fn["orders"].aws_lambda_function.this[0]',
            AuthType.NONE,
            38,
        )
    ]


def test_installed_files_are_read_through_their_callers_never_discovered_as_roots() -> None:
    assert [f.display for f in discover([APP]).files] == ["main.tf", "svc/main.tf"]
    output = _load(APP)
    assert output.files == (
        ".terraform/modules/fn/main.tf",
        ".terraform/modules/fn/modules/role/main.tf",
        ".terraform/modules/svc.worker/main.tf",
        "main.tf",
        "svc/main.tf",
    )
    assert output.diagnostics == ()


def test_findings_point_at_the_installed_module_file() -> None:
    result = scan(ScanRequest(paths=(APP,), settings=Settings(), today=date(2026, 11, 22)))
    assert sorted({(f.rule, f.location.file, f.location.line) for f in result.findings}) == [
        ("LS109", ".terraform/modules/fn/main.tf", 24),  # its role gives no CloudWatch Logs access
        ("LS201", ".terraform/modules/fn/main.tf", 42),  # authorization_type = "NONE"
        ("LS204", ".terraform/modules/fn/main.tf", 34),  # principal of the `Partner` trigger
        ("LS401", ".terraform/modules/svc.worker/main.tf", 9),  # runtime
        ("LS410", ".terraform/modules/fn/main.tf", 20),  # public through its URL, no reserved concurrency
    ]
    assert result.diagnostics == ()


def test_without_a_manifest_a_remote_call_is_a_warning_suggesting_terraform_init(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": CALL, ".terraform/modules/fn/main.tf": FN_MODULE})
    output = _load(tmp_path)
    assert output.inventory.functions == ()
    assert output.diagnostics == (_not_downloaded("fn", "example-corp/lambda/aws", "main.tf", 1),)


def test_a_call_the_manifest_does_not_list_keeps_the_warning(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": CALL.replace('"fn"', '"other"'),
            MANIFEST: _manifest(
                ("fn", "registry.terraform.io/example-corp/lambda/aws", ".terraform/modules/fn")
            ),
            ".terraform/modules/fn/main.tf": FN_MODULE,
        },
    )
    assert _load(tmp_path).diagnostics == (_not_downloaded("other", "example-corp/lambda/aws", "main.tf", 1),)


def test_a_listed_module_whose_directory_is_missing_is_a_warning(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": CALL,
            MANIFEST: _manifest(
                ("fn", "registry.terraform.io/example-corp/lambda/aws", ".terraform/modules/fn")
            ),
        },
    )
    assert _load(tmp_path).diagnostics == (
        _warning(
            "module `fn` is not read: `.terraform/modules/modules.json` lists it in `.terraform/modules/fn`,"
            " but that directory is missing; run `terraform init` to let lambdasec read it",
            "main.tf",
            1,
        ),
    )


def test_a_manifest_directory_outside_the_scanned_root_is_an_error_naming_the_manifest(
    tmp_path: Path,
) -> None:
    _write(tmp_path / "elsewhere", {"main.tf": FN_MODULE})
    _write(
        tmp_path / "app",
        {
            "main.tf": CALL,
            MANIFEST: _manifest(("fn", "registry.terraform.io/example-corp/lambda/aws", "../elsewhere")),
        },
    )
    output = _load(tmp_path / "app")
    assert output.inventory.functions == ()
    assert output.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="terraform",
            message="module `fn` is not read: `.terraform/modules/modules.json` gives it directory"
            " `../elsewhere`, which is outside the scanned directory",
            file="main.tf",
            line=1,
        ),
    )


def test_a_manifest_that_does_not_parse_is_a_warning_and_the_call_is_not_read(tmp_path: Path) -> None:
    _write(
        tmp_path, {"main.tf": CALL, MANIFEST: '{"Modules": [\n', ".terraform/modules/fn/main.tf": FN_MODULE}
    )
    output = _load(tmp_path)
    assert output.inventory.functions == ()
    assert output.diagnostics == (
        _warning(
            "cannot parse the module manifest: Expecting value; modules installed by `terraform init` are"
            " not read",
            MANIFEST,
            2,
        ),
        _not_downloaded("fn", "example-corp/lambda/aws", "main.tf", 1),
    )


def test_a_manifest_not_in_terraform_format_is_a_warning_naming_it(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": CALL + CALL.replace('"fn"', '"second"'),
            MANIFEST: json.dumps({"Modules": [{"Key": "fn", "Dir": 3}]}),
        },
    )
    assert _load(tmp_path).diagnostics == (
        _warning(
            "the module manifest is not in the format `terraform init` writes (a `Modules` list of objects"
            " with `Key`, `Source` and `Dir` strings); modules installed by `terraform init` are not read",
            MANIFEST,
            None,
        ),
        _not_downloaded("fn", "example-corp/lambda/aws", "main.tf", 1),
        _not_downloaded("second", "example-corp/lambda/aws", "main.tf", 5),
    )


def test_nested_remote_call_is_looked_up_by_its_dotted_key(tmp_path: Path) -> None:
    shutil.copytree(APP / "svc", tmp_path / "svc")
    _write(
        tmp_path,
        {
            "main.tf": 'module "svc" {\n  source = "./svc"\n}\n',
            # Listed under the call's own name only: the key of a call inside module `svc` is `svc.worker`.
            MANIFEST: _manifest(
                ("worker", "git::https://example.com/lambda.git?ref=v2", ".terraform/modules/w")
            ),
            ".terraform/modules/w/main.tf": FN_MODULE,
        },
    )
    output = _load(tmp_path)
    assert output.inventory.functions == ()
    assert output.diagnostics == (
        _not_downloaded("worker", "git::https://example.com/lambda.git?ref=v2", "svc/main.tf", 1),
    )


def test_manifest_directories_are_relative_to_the_root_module_not_the_scanned_directory(
    tmp_path: Path,
) -> None:
    shutil.copytree(APP, tmp_path / "infra")
    output = _load(tmp_path)
    assert [f.origin.file for f in output.inventory.functions] == [
        "infra/.terraform/modules/fn/main.tf",
        "infra/.terraform/modules/fn/main.tf",
        "infra/.terraform/modules/svc.worker/main.tf",
    ]
    assert output.diagnostics == ()


def test_a_module_installed_from_another_source_is_a_warning_as_terraform_refuses_it(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": CALL,
            MANIFEST: _manifest(
                ("fn", "registry.terraform.io/example-corp/other/aws", ".terraform/modules/fn")
            ),
            ".terraform/modules/fn/main.tf": FN_MODULE,
        },
    )
    output = _load(tmp_path)
    assert output.inventory.functions == ()
    assert output.diagnostics == (
        _warning(
            "module `fn` is not read: `.terraform/modules/modules.json` lists it as installed from"
            " `registry.terraform.io/example-corp/other/aws`, not `example-corp/lambda/aws`; run `terraform"
            " init` to let lambdasec read it",
            "main.tf",
            1,
        ),
    )


def test_registry_sources_match_the_manifest_by_host_and_case_with_their_subdirectory(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": CALL.replace("example-corp/lambda/aws", "Example-Corp/lambda/aws//modules/fn"),
            MANIFEST: _manifest(
                (
                    "fn",
                    "registry.terraform.io/example-corp/lambda/aws//modules/fn",
                    ".terraform/modules/fn/modules/fn",
                )
            ),
            ".terraform/modules/fn/modules/fn/main.tf": FN_MODULE,
        },
    )
    output = _load(tmp_path)
    assert [(f.key, f.name) for f in output.inventory.functions] == [
        (".terraform/modules/fn/modules/fn/main.tf#module.fn.aws_lambda_function.this", "orders")
    ]
    assert output.diagnostics == ()
