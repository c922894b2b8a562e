"""Terraform blocks mapped to the model: functions, URLs, permissions, aliases, mappings, roles, logs."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    Architecture,
    CodeLocation,
    Condition,
    Cors,
    Effect,
    EnvVar,
    PackageType,
    Principal,
    PrincipalKind,
    SourceKind,
    TracingMode,
    TriggerKind,
    Unresolved,
    VpcConfig,
)
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.terraform import TerraformSource

MODULE = Path(__file__).resolve().parent / "terraform" / "module"
KEY = "module/main.tf#"


def _load() -> SourceOutput:
    root = MODULE.parent
    item = InputFile(path=MODULE / "main.tf", display="module/main.tf", kind=SourceKind.TERRAFORM)
    return TerraformSource().load((item,), root=root)


def _line(marker: str) -> int:
    lines = (MODULE / "main.tf").read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


def test_function_fields_variables_tfvars_and_unknowns() -> None:
    output = _load()
    assert output.diagnostics == ()
    api = next(f for f in output.inventory.functions if f.key == KEY + "aws_lambda_function.api")
    assert api.name == "shop-dev-api"
    assert api.runtime == "python3.13"  # terraform.tfvars over the default
    assert api.handler is None
    assert api.package_type is PackageType.IMAGE
    assert api.code == CodeLocation(image_uri="111122223333.dkr.ecr.us-east-1.amazonaws.com/api:1")
    assert api.role == KEY + "aws_iam_role.api"
    assert api.kms_key_arn == "arn:aws:kms:us-east-1:111122223333:key/abc"
    assert api.reserved_concurrency == 5
    assert api.code_signing_config == Unresolved("var.signing")
    assert api.architectures == (Architecture.ARM64,)
    assert api.layers == (
        "arn:aws:lambda:us-east-1:111122223333:layer:common:3",
        Unresolved("var.extra_layer"),
    )
    assert (api.memory_mb, api.timeout_s) == (512, 20)
    assert api.environment == (EnvVar(name="STAGE", value="dev"), EnvVar(name="PORT", value="8080"))
    assert api.vpc == VpcConfig(subnet_ids=("subnet-1", "subnet-2"), security_group_ids=("sg-123",))
    assert api.dead_letter_target == "arn:aws:sqs:us-east-1:111122223333:dlq"
    assert api.tracing is TracingMode.PASS_THROUGH
    assert api.origin.source is SourceKind.TERRAFORM
    assert api.origin.resource == "aws_lambda_function.api"
    assert api.origin.line == _line('resource "aws_lambda_function" "api"')
    assert api.origin.line_of("runtime") == _line("runtime                        = var.runtime")
    assert api.origin.line_of("environment.STAGE") == _line("STAGE = var.stage")
    assert api.origin.line_of("vpc.security_group_ids") == _line("security_group_ids = [var.sg]")


def test_zip_function_from_s3_with_defaults() -> None:
    zipped = next(f for f in _load().inventory.functions if f.key == KEY + "aws_lambda_function.zip")
    assert zipped.code == CodeLocation(s3_bucket="artifacts", s3_key="zip.zip")
    assert zipped.role == "arn:aws:iam::111122223333:role/existing"
    assert (zipped.memory_mb, zipped.timeout_s, zipped.tracing) == (128, 3, TracingMode.PASS_THROUGH)
    assert zipped.architectures == (Architecture.X86_64,)
    assert zipped.vpc is None
    assert zipped.reserved_concurrency is None


def test_url_permission_alias_mapping_and_log_group() -> None:
    inv = _load().inventory
    (url,) = inv.function_urls
    assert url.function == KEY + "aws_lambda_function.api"
    assert url.auth_type == Unresolved("var.url_auth")
    assert url.cors == Cors(allow_origins=("*",), allow_credentials=True, allow_methods=("GET",))
    assert url.origin.line_of("auth_type") == _line("authorization_type = var.url_auth")
    (permission,) = inv.permissions
    assert (permission.function, permission.principal, permission.action) == (
        "zip",
        "s3.amazonaws.com",
        "lambda:InvokeFunction",
    )
    assert (permission.source_arn, permission.source_account) == ("arn:aws:s3:::uploads", "111122223333")
    assert inv.function("zip") is not None
    (alias,) = inv.aliases
    assert (alias.function, alias.name, alias.function_version) == (
        KEY + "aws_lambda_function.api",
        "live",
        "3",
    )
    (mapping,) = inv.event_source_mappings
    # Bound through the alias: the aliased function, qualified by the alias name.
    assert (mapping.function, mapping.qualifier) == (KEY + "aws_lambda_function.api", "live")
    assert mapping.kind is TriggerKind.KINESIS
    assert mapping.enabled is False
    assert mapping.on_failure_destination == "arn:aws:sqs:us-east-1:111122223333:failed"
    (group,) = inv.log_groups
    assert group.name == Unresolved("/aws/lambda/${aws_lambda_function.api.function_name}")
    assert group.function == KEY + "aws_lambda_function.api"
    assert group.retention_days is None
    assert group.kms_key_id == Unresolved("var.log_key")


def test_role_trust_policy_from_a_policy_document_data_block() -> None:
    (role,) = _load().inventory.roles
    assert role.name == "shop-dev-api"
    assert role.permissions_boundary == "arn:aws:iam::111122223333:policy/boundary"
    assert role.trust_policy is not None and not isinstance(role.trust_policy, Unresolved)
    (statement,) = role.trust_policy.statements
    assert statement.sid == "Lambda"
    assert statement.effect is Effect.ALLOW
    assert statement.actions == ("sts:AssumeRole",)
    assert statement.principals == (Principal(kind=PrincipalKind.SERVICE, values=("lambda.amazonaws.com",)),)
    assert statement.conditions == (
        Condition(operator="StringEquals", key="aws:SourceAccount", values=("111122223333",)),
    )
    assert statement.origin.resource == "data.aws_iam_policy_document.trust/Statement/Lambda"
    assert statement.origin.line == _line("  statement {")
    assert statement.origin.line_of("actions") == _line('actions = ["sts:AssumeRole"]')


def test_unparsable_file_is_an_error_diagnostic_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "bad.tf").write_text(
        'resource "aws_lambda_function" "f" {\n  runtime = \n}\n', encoding="utf-8"
    )
    (tmp_path / "good.tf").write_text(
        'resource "aws_lambda_function" "g" {\n  function_name = "g"\n  role = "r"\n}\n', encoding="utf-8"
    )
    files = tuple(
        InputFile(path=tmp_path / name, display=name, kind=SourceKind.TERRAFORM)
        for name in ("bad.tf", "good.tf")
    )
    output = TerraformSource().load(files, root=tmp_path)
    (diagnostic,) = output.diagnostics
    assert (diagnostic.level.value, diagnostic.source, diagnostic.file, diagnostic.line) == (
        "error",
        "terraform",
        "bad.tf",
        2,
    )
    assert diagnostic.message.startswith("cannot parse HCL: ")
    assert [f.name for f in output.inventory.functions] == ["g"]
    assert output.files == ("good.tf",)
