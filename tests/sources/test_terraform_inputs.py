"""Terraform inputs: .tf.json files, tfvars and --var-file order, bad input that leaves a scan incomplete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdasec._cli import main
from lambdasec.config import load_settings
from lambdasec.errors import ConfigError
from lambdasec.findings import DiagnosticLevel
from lambdasec.model import AuthType, EnvVar, SourceKind
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource

JSON_APP = Path(__file__).resolve().parent / "terraform" / "json_app"
VARIABLES = """\
variable "stage" {
  default = "default"
}

resource "aws_lambda_function" "f" {
  function_name = "fn-${var.stage}"
  role          = "arn:aws:iam::111122223333:role/r"
}
"""


def _load(root: Path, *, var_files: tuple[Path, ...] = ()) -> SourceOutput:
    found = discover([root])
    return TerraformSource(var_files=var_files).load(found.files, root=found.root)


def test_tf_json_files_are_discovered_as_terraform() -> None:
    assert [(f.display, f.kind) for f in discover([JSON_APP]).files] == [
        ("main.tf.json", SourceKind.TERRAFORM)
    ]


def test_tf_json_maps_like_hcl_with_lines_and_interpolations() -> None:
    output = _load(JSON_APP)
    assert output.diagnostics == ()
    (function,) = output.inventory.functions
    assert (function.key, function.name, function.role, function.memory_mb) == (
        "main.tf.json#aws_lambda_function.api",
        "shop-prod-api",
        "main.tf.json#aws_iam_role.api",
        512,
    )
    assert function.environment == (
        EnvVar(name="STAGE", value="prod"),
        EnvVar(name="DB_PASSWORD", value="hunter2"),
    )
    assert (function.origin.line, function.origin.line_of("environment.DB_PASSWORD")) == (13, 23)
    (url,) = output.inventory.function_urls
    assert (url.origin.resource, url.auth_type, url.origin.line_of("auth_type")) == (
        "aws_lambda_function_url.public[0]",
        AuthType.NONE,
        38,
    )
    (role,) = output.inventory.roles
    assert role.name == "shop-prod-api"


def test_unparsable_tf_json_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(
        '{\n  "resource": {\n    "aws_iam_role": [1, \n}\n', encoding="utf-8"
    )
    (tmp_path / "shape.tf.json").write_text('{\n  "resource": ["not an object"]\n}\n', encoding="utf-8")
    output = _load(tmp_path)
    assert [(d.level, d.file, d.line) for d in output.diagnostics] == [
        (DiagnosticLevel.ERROR, "main.tf.json", 4),
        (DiagnosticLevel.ERROR, "shape.tf.json", 2),
    ]
    assert output.diagnostics[1].message == "cannot parse Terraform JSON: `resource` must be an object"


def test_var_files_apply_after_tfvars_and_auto_tfvars_in_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(VARIABLES, encoding="utf-8")
    (tmp_path / "terraform.tfvars").write_text('stage = "tfvars"\n', encoding="utf-8")
    (tmp_path / "b.auto.tfvars").write_text('stage = "auto"\n', encoding="utf-8")
    first, second = tmp_path / "first.tfvars", tmp_path / "second.tfvars.json"
    first.write_text('stage = "first"\n', encoding="utf-8")
    second.write_text(json.dumps({"stage": "second"}), encoding="utf-8")
    assert [f.name for f in _load(tmp_path).inventory.functions] == ["fn-auto"]
    assert [f.name for f in _load(tmp_path, var_files=(first,)).inventory.functions] == ["fn-first"]
    assert [f.name for f in _load(tmp_path, var_files=(first, second)).inventory.functions] == ["fn-second"]


def test_missing_or_broken_var_file_is_an_error_naming_it_and_the_scan_goes_on(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(VARIABLES, encoding="utf-8")
    broken = tmp_path / "broken.tfvars"
    broken.write_text('stage = "x\n', encoding="utf-8")
    missing = tmp_path / "missing.tfvars"
    output = _load(tmp_path, var_files=(missing, broken))
    assert [f.name for f in output.inventory.functions] == ["fn-default"]
    assert [(d.level, d.message, d.file, d.line) for d in output.diagnostics] == [
        (
            DiagnosticLevel.ERROR,
            f"variable file `{missing.as_posix()}` does not exist",
            missing.as_posix(),
            None,
        ),
        (DiagnosticLevel.ERROR, output.diagnostics[1].message, broken.as_posix(), 1),
    ]
    assert output.diagnostics[1].message.startswith("cannot parse HCL:")


def test_cli_var_file_is_applied_and_a_missing_one_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.tf").write_text(
        VARIABLES
        + 'resource "aws_lambda_function_url" "u" {\n'
        + '  count              = var.stage == "prod" ? 1 : 0\n'
        + "  function_name      = aws_lambda_function.f.function_name\n"
        + '  authorization_type = "NONE"\n}\n',
        encoding="utf-8",
    )
    prod = tmp_path / "prod.tfvars"
    prod.write_text('stage = "prod"\n', encoding="utf-8")
    report = tmp_path / "report.json"
    base = [
        "scan",
        str(project),
        "--rules",
        "LS201",
        "--format",
        "json",
        "--output",
        str(report),
        "--today",
        "2026-11-22",
    ]
    assert main(base) == 0
    assert main([*base, "--var-file", str(prod)]) == 1
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert [(f["rule"], f["resource"]["id"], f["location"]["line"]) for f in findings] == [
        ("LS201", "aws_lambda_function_url.u[0]", 12)
    ]
    assert main([*base, "--var-file", str(prod), "--var-file", str(tmp_path / "nope.tfvars")]) == 3
    diagnostics = json.loads(report.read_text(encoding="utf-8"))["diagnostics"]
    assert [(d["level"], d["message"]) for d in diagnostics] == [
        ("error", f"variable file `{(tmp_path / 'nope.tfvars').as_posix()}` does not exist")
    ]
    capsys.readouterr()


def test_unparsable_hcl_in_a_module_is_an_error_and_the_caller_is_still_mapped(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(VARIABLES + 'module "m" {\n  source = "./m"\n}\n', encoding="utf-8")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text('resource "aws_iam_role" "r" {\n  name = \n}\n', encoding="utf-8")
    output = _load(tmp_path)
    assert [f.name for f in output.inventory.functions] == ["fn-default"]
    assert [(d.level, d.file, d.line) for d in output.diagnostics] == [
        (DiagnosticLevel.ERROR, "m/main.tf", 2)
    ]


def test_configured_var_files_come_first_and_command_line_ones_after(tmp_path: Path) -> None:
    (tmp_path / ".lambdasec.toml").write_text('var-files = ["envs/prod.tfvars"]\n', encoding="utf-8")
    settings = load_settings(config_file=None, root=tmp_path)
    assert settings.var_files == (tmp_path / "envs" / "prod.tfvars",)
    cli = settings.with_overrides(var_files=(Path("extra.tfvars"),))
    assert cli.var_files == (tmp_path / "envs" / "prod.tfvars", Path("extra.tfvars"))
    assert settings.with_overrides().var_files == settings.var_files


def test_configured_var_files_must_be_a_list_of_paths(tmp_path: Path) -> None:
    (tmp_path / ".lambdasec.toml").write_text('var-files = "prod.tfvars"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="var-files: must be a list of file paths"):
        load_settings(config_file=None, root=tmp_path)
