"""Terraform layer versions, layer permissions and code signing configurations mapped to the model."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    Inventory,
    LayerPermission,
    LayerVersion,
    Origin,
    SourceKind,
    Unresolved,
    UntrustedArtifactPolicy,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
variable "principal" {}

resource "aws_lambda_layer_version" "libs" {
  layer_name          = "shared-libs"
  filename            = "libs.zip"
  compatible_runtimes = ["python3.13", "python3.12"]
}

resource "aws_lambda_layer_version_permission" "public" {
  layer_name     = aws_lambda_layer_version.libs.layer_name
  version_number = aws_lambda_layer_version.libs.version
  statement_id   = "public"
  action         = "lambda:GetLayerVersion"
  principal      = "*"
}

resource "aws_lambda_layer_version_permission" "org" {
  layer_name      = "arn:aws:lambda:us-east-1:111122223333:layer:other"
  version_number  = 4
  statement_id    = "org"
  action          = "lambda:GetLayerVersion"
  principal       = "*"
  organization_id = "o-a1b2c3d4e5"
}

resource "aws_lambda_layer_version_permission" "param" {
  layer_name     = "plain-name"
  version_number = 1
  statement_id   = "param"
  action         = "lambda:GetLayerVersion"
  principal      = var.principal
}

resource "aws_lambda_code_signing_config" "enforce" {
  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.main.version_arn]
  }
  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

resource "aws_lambda_code_signing_config" "default" {
  allowed_publishers {
    signing_profile_version_arns = ["arn:aws:signer:us-east-1:111122223333:/signing-profiles/p/abc"]
  }
}

resource "aws_lambda_function" "api" {
  function_name           = "api"
  runtime                 = "python3.13"
  handler                 = "app.handler"
  filename                = "app.zip"
  role                    = "arn:aws:iam::111122223333:role/api"
  layers = [
    aws_lambda_layer_version.libs.arn,
    "arn:aws:lambda:us-east-1:999988887777:layer:x:1",
  ]
  code_signing_config_arn = aws_lambda_code_signing_config.enforce.arn
}
"""
KEY = "main.tf#"


def _inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "main.tf"
    path.write_text(MAIN, encoding="utf-8")
    output = TerraformSource().load(
        (InputFile(path=path, display="main.tf", kind=SourceKind.TERRAFORM),), root=tmp_path
    )
    assert output.diagnostics == ()
    return output.inventory


def _line(marker: str) -> int:
    found = [n for n, text in enumerate(MAIN.splitlines(), start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


def test_layer_version(tmp_path: Path) -> None:
    (layer,) = _inventory(tmp_path).layers
    assert layer == LayerVersion(
        key=KEY + "aws_lambda_layer_version.libs",
        name="shared-libs",
        compatible_runtimes=("python3.13", "python3.12"),
        origin=Origin(
            source=SourceKind.TERRAFORM,
            file="main.tf",
            line=_line('"aws_lambda_layer_version" "libs"'),
            resource="aws_lambda_layer_version.libs",
        ),
    )
    assert layer.origin.line_of("name") == _line('layer_name          = "shared-libs"')


def test_layer_permissions_point_at_the_declared_layer_or_the_versioned_arn(tmp_path: Path) -> None:
    grants = {p.origin.resource: p for p in _inventory(tmp_path).layer_permissions}
    public = grants["aws_lambda_layer_version_permission.public"]
    assert public == LayerPermission(
        key=KEY + "aws_lambda_layer_version_permission.public",
        layer=KEY + "aws_lambda_layer_version.libs",
        principal="*",
        origin=public.origin,
    )
    assert public.origin.line_of("principal") == _line('principal      = "*"')
    assert public.origin.line_of("layer") == _line("= aws_lambda_layer_version.libs.layer_name")
    org = grants["aws_lambda_layer_version_permission.org"]
    assert (org.layer, org.principal, org.organization_id) == (
        "arn:aws:lambda:us-east-1:111122223333:layer:other:4",
        "*",
        "o-a1b2c3d4e5",
    )
    param = grants["aws_lambda_layer_version_permission.param"]
    assert (param.layer, param.principal) == ("plain-name", Unresolved("var.principal"))


def test_code_signing_configs_and_the_function_reference(tmp_path: Path) -> None:
    inventory = _inventory(tmp_path)
    configs = {c.origin.resource: c for c in inventory.code_signing_configs}
    enforce = configs["aws_lambda_code_signing_config.enforce"]
    assert enforce.untrusted_artifact_on_deployment is UntrustedArtifactPolicy.ENFORCE
    assert enforce.signing_profile_version_arns == (
        Unresolved("aws_signer_signing_profile.main.version_arn"),
    )
    assert enforce.origin.line_of("untrusted_artifact_on_deployment") == _line(
        'untrusted_artifact_on_deployment = "Enforce"'
    )
    default = configs["aws_lambda_code_signing_config.default"]
    assert default.untrusted_artifact_on_deployment is UntrustedArtifactPolicy.WARN
    assert default.origin.line_of("untrusted_artifact_on_deployment") == default.origin.line
    (fn,) = inventory.functions
    assert fn.code_signing_config == KEY + "aws_lambda_code_signing_config.enforce"
    assert fn.layers == (
        KEY + "aws_lambda_layer_version.libs",
        "arn:aws:lambda:us-east-1:999988887777:layer:x:1",
    )
