"""`--var NAME=VALUE` and the configuration's `vars`: parsing, precedence over tfvars, and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lambdasec._cli import main
from lambdasec.config import load_settings
from lambdasec.errors import ConfigError
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Unresolved
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform.cli_vars import command_line_values, declared_variables, parse_assignment

FOR_SPLAT = Path(__file__).resolve().parent / "terraform" / "for_splat"
MAIN = """\
variable "stage" {
  default = "default"
}

variable "memory" {
  default = 128
}

variable "env" {
  default = {}
}

resource "aws_lambda_function" "f" {
  function_name = "fn-${var.stage}"
  memory_size   = var.memory
  role          = "arn:aws:iam::111122223333:role/r"
  environment {
    variables = { for k, v in var.env : k => v }
  }
}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stage=prod", ("stage", "prod")),
        ("stage=", ("stage", "")),
        ("url=https://x/?a=b", ("url", "https://x/?a=b")),
        ("name= two words ", ("name", " two words ")),
        ("memory=512", ("memory", 512)),
        ("ratio=-0.5", ("ratio", -0.5)),
        ("on=true", ("on", True)),
        ("on=false", ("on", False)),
        ("null_is_text=null", ("null_is_text", "null")),
        ("template=a-${var.x}", ("template", "a-${var.x}")),
        ('ids=["a", "b"]', ("ids", ["a", "b"])),
        ("ids=[1, 2]", ("ids", [1, 2])),
        ('env={STAGE = "prod", N = 2}', ("env", {"STAGE": "prod", "N": 2})),
        ('env={"k": ["v"]}', ("env", {"k": ["v"]})),
        ('ids=["$${x}"]', ("ids", ["${x}"])),
        ("my-var=x", ("my-var", "x")),
    ],
)
def test_values_are_read_as_terraform_reads_a_var(text: str, expected: tuple[str, Any]) -> None:
    name, value = parse_assignment(text)

    assert (name, value.hcl) == expected
    assert value.text == text.partition("=")[2]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("stage", "`stage` is not NAME=VALUE"),
        ("=prod", "`=prod` has no variable name before `=`"),
        ("1x=2", "`1x` is not a variable name (letters, digits, `_` and `-`, not first a digit)"),
    ],
)
def test_malformed_assignments_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_assignment(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ids=[1,", "the value of `ids` is not valid HCL: unclosed ["),
        ('env={a = "x"', "the value of `env` is not valid HCL: unclosed {"),
        ("env={a = }", "the value of `env` is not valid HCL: expression expected"),
        (
            "ids=[var.x]",
            "the value of `ids` must be a literal list or map: `var.x` is an expression "
            "(references and function calls are not allowed)",
        ),
        (
            'ids=["${var.x}"]',
            "the value of `ids` must be a literal list or map: `var.x` is an expression "
            "(references and function calls are not allowed)",
        ),
        (
            "ids=[for x in y : x]",
            "the value of `ids` must be a literal list or map: `[for x in y : x]` is an expression "
            "(references and function calls are not allowed)",
        ),
    ],
)
def test_values_that_are_no_hcl_keep_the_reason_for_where_hcl_is_needed(text: str, message: str) -> None:
    _, value = parse_assignment(text)
    assert (value.text, value.problem) == (text.partition("=")[2], message)


def _load(root: Path, **options: Any) -> SourceOutput:
    found = discover([root])
    return TerraformSource(**options).load(found.files, root=found.root)


def test_vars_override_tfvars_and_var_files_and_keep_their_types(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    (tmp_path / "terraform.tfvars").write_text('stage = "tfvars"\nmemory = 256\n', encoding="utf-8")
    var_file = tmp_path / "prod.tfvars"
    var_file.write_text('stage = "file"\n', encoding="utf-8")
    (function,) = _load(tmp_path, var_files=(var_file,)).inventory.functions
    assert (function.name, function.memory_mb, function.environment) == ("fn-file", 256, ())
    variables = {"stage": "cli", "memory": 1024, "env": {"B": "2", "A": "1"}}
    output = _load(tmp_path, var_files=(var_file,), variables=variables)
    assert output.diagnostics == ()
    (function,) = output.inventory.functions
    assert (function.name, function.memory_mb) == ("fn-cli", 1024)
    assert [(e.name, e.value) for e in function.environment] == [("A", "1"), ("B", "2")]


def test_a_string_value_stays_literal_text(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    (function,) = _load(tmp_path, variables={"stage": "${var.memory}"}).inventory.functions
    assert function.name == "fn-${var.memory}"
    (function,) = _load(tmp_path, variables={"stage": "%{ if x }"}).inventory.functions
    assert function.name == "fn-%{ if x }"


def test_an_undeclared_variable_is_a_warning_and_the_scan_goes_on(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    output = _load(tmp_path, variables={"stage": "cli", "stgae": "typo"})
    assert [f.name for f in output.inventory.functions] == ["fn-cli"]
    assert output.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="terraform",
            message="variable `stgae` is set by --var or `vars`, but no root module declares it "
            "(Terraform would refuse it)",
        ),
    )


def test_vars_expand_a_for_each_whose_collection_was_unknown() -> None:
    output = _load(FOR_SPLAT, variables={"callers": ["123456789012", "s3.amazonaws.com"]})
    callers = [p for p in output.inventory.permissions if "callers" in p.key]
    assert [(p.key, p.principal) for p in callers] == [
        ('main.tf#aws_lambda_permission.callers["123456789012"]', "123456789012"),
        ('main.tf#aws_lambda_permission.callers["s3.amazonaws.com"]', "s3.amazonaws.com"),
    ]
    unset = [p for p in _load(FOR_SPLAT).inventory.permissions if "callers" in p.key]
    assert [(p.key, p.principal) for p in unset] == [
        ("main.tf#aws_lambda_permission.callers", Unresolved("each.value"))
    ]


def _scan(tmp_path: Path, *extra: str) -> list[str]:
    report = tmp_path / "report.json"
    base = ["scan", str(FOR_SPLAT), "--rules", "LS203,LS204", "--format", "json", "--output", str(report)]
    assert main([*base, "--today", "2026-11-22", *extra]) in (0, 1)
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    return sorted(f"{f['rule']} {f['resource']['id']}" for f in findings)


def test_cli_var_reaches_the_terraform_source_and_later_ones_win(tmp_path: Path) -> None:
    assert _scan(tmp_path) == []
    assert _scan(tmp_path, "--var", 'callers=["123456789012"]') == [
        'LS204 aws_lambda_permission.callers["123456789012"]'
    ]
    assert _scan(tmp_path, "--var", 'callers=["123456789012"]', "--var", 'callers=["s3.amazonaws.com"]') == [
        'LS203 aws_lambda_permission.callers["s3.amazonaws.com"]'
    ]


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("callers", "lambdasec: error: --var: `callers` is not NAME=VALUE\n"),
        (
            "1callers=x",
            "lambdasec: error: --var: `1callers` is not a variable name (letters, digits, `_` and"
            " `-`, not first a digit)\n",
        ),
    ],
)
def test_cli_malformed_var_is_a_usage_error(
    argument: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["scan", str(FOR_SPLAT), "--var", argument]) == 2
    assert capsys.readouterr().err == message


def test_configured_vars_are_overridden_by_the_command_line(tmp_path: Path) -> None:
    (tmp_path / ".lambdasec.toml").write_text(
        '[vars]\nstage = "prod"\nids = ["a", 1]\nenv = { A = true }\n', encoding="utf-8"
    )
    settings = load_settings(config_file=None, root=tmp_path)
    assert dict(settings.variables) == {"stage": "prod", "ids": ["a", 1], "env": {"A": True}}
    cli = settings.with_overrides(variables={"stage": "dev", "extra": 1})
    assert dict(cli.variables) == {"stage": "dev", "ids": ["a", 1], "env": {"A": True}, "extra": 1}
    assert settings.with_overrides().variables == settings.variables


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('vars = ["a"]', "vars: must be a table of variable values"),
        ('[vars]\n"1x" = 1\n', "vars.1x: not a Terraform variable name"),
        ("[vars]\nwhen = 2026-01-01\n", "vars.when: must be a string, number, boolean, array or table"),
    ],
)
def test_configured_vars_must_be_plain_values(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".lambdasec.toml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(config_file=None, root=tmp_path)


TYPED = """\
variable "name" {
  type = string
}

variable "legacy_name" {
  type = "string"
}

variable "untyped" {}

variable "memory" {
  type = number
}

variable "env" {
  type = map(string)
}

variable "anything" {
  type = any
}

resource "aws_lambda_function" "f" {
  function_name = var.name
  memory_size   = var.memory
  handler       = var.legacy_name
  role          = "arn:aws:iam::111122223333:role/r"
  environment {
    variables = merge(var.env, { KIND = var.anything[1], UNTYPED = var.untyped })
  }
}
"""


def test_cli_values_follow_the_declared_type_as_terraform_reads_them(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TYPED, encoding="utf-8")
    given = dict(
        parse_assignment(text)
        for text in (
            "name=[draft]",
            "legacy_name={x}",
            "untyped=42",
            "memory=512",
            'env={A = "1"}',
            'anything=["p", "q"]',
        )
    )

    output = _load(tmp_path, variables=given)

    assert output.diagnostics == ()
    (function,) = output.inventory.functions
    # string and untyped variables take the text as written; number converts it; map and any read HCL
    assert (function.name, function.handler, function.memory_mb) == ("[draft]", "{x}", 512)
    assert [(e.name, e.value) for e in function.environment] == [
        ("A", "1"),
        ("KIND", "q"),
        ("UNTYPED", "42"),
    ]


def test_cli_values_for_undeclared_or_configured_variables_keep_their_reading() -> None:
    _, listed = parse_assignment("ids=[1]")
    declared = declared_variables([{"variable": [{"name": {"type": "string"}}]}])

    assert command_line_values({"ids": listed, "name": 7}, declared=declared) == ({"ids": [1], "name": 7}, [])


def test_cli_value_that_is_no_hcl_for_a_list_variable_is_an_error_and_the_scan_goes_on(
    tmp_path: Path,
) -> None:
    report = tmp_path / "report.json"

    code = main(["scan", str(FOR_SPLAT), "--var", "callers=[1,", "--format", "json", "--output", str(report)])

    data = json.loads(report.read_text(encoding="utf-8"))
    assert code == 3
    assert [(d["level"], d["message"]) for d in data["diagnostics"] if d["source"] == "terraform"] == [
        (
            "error",
            "--var: the value of `callers` is not valid HCL: unclosed [; the variable keeps its other values",
        )
    ]
    assert data["summary"]["functions"] > 0
