"""An API `body` read from a local OpenAPI file with `templatefile()` (JSON) or `file()` (YAML): its
routes are modelled, the template's placeholders standing for the expressions the call passes (a
quoted string's text, a local holding the integration URI, or `${expression}`)."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import AuthorizationKind, SourceKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource

MAIN = """\
locals {
  uri = "arn:aws:apigateway:eu-west-1:lambda:path/functions/${aws_lambda_function.app.arn}/invocations"
}

resource "aws_lambda_function" "app" {
  function_name = "app"
  role          = "arn:aws:iam::111122223333:role/app"
  filename      = "app.zip"
}

resource "aws_lambda_function" "admin" {
  function_name = "admin"
  role          = "arn:aws:iam::111122223333:role/app"
  filename      = "app.zip"
}

resource "aws_api_gateway_rest_api" "json" {
  name = "json"
  body = templatefile("${path.module}/openapi.json", {
    app_uri   = local.uri,
    admin_uri = aws_lambda_function.admin.invoke_arn
    title     = "orders ${local.uri}"
  })
}

resource "aws_api_gateway_rest_api" "yaml" {
  name = "yaml"
  body = file("${path.module}/openapi.yaml")
}

resource "aws_api_gateway_rest_api" "missing" {
  name = "missing"
  body = templatefile("${path.module}/none.json", {})
}
"""
OPENAPI_JSON = """\
{
  "openapi": "3.0.1",
  "info": {"title": "${title}", "version": "1"},
  "paths": {
    "/orders": {
      "get": {
        "x-amazon-apigateway-integration": {"uri": "${app_uri}", "httpMethod": "POST", "type": "aws_proxy"}
      }
    },
    "/admin": {
      "post": {
        "security": [{"sigv4": []}],
        "x-amazon-apigateway-integration": {"uri": "${admin_uri}", "httpMethod": "POST", "type": "aws_proxy"}
      }
    }
  },
  "components": {
    "securitySchemes": {
      "sigv4": {
        "type": "apiKey", "name": "Authorization", "in": "header",
        "x-amazon-apigateway-authtype": "awsSigv4"
      }
    }
  }
}
"""
OPENAPI_YAML = """\
openapi: 3.0.1
info:
  title: yaml
  version: "1"
paths:
  /items:
    get:
      x-amazon-apigateway-integration:
        uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/\\
          arn:aws:lambda:eu-west-1:111122223333:function:items/invocations"
        httpMethod: POST
        type: aws_proxy
"""


def test_template_file_bodies_give_their_routes(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN, encoding="utf-8")
    (tmp_path / "openapi.json").write_text(OPENAPI_JSON, encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(OPENAPI_YAML, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    routes = sorted(
        (r.api, r.method, r.path, r.function, r.authorization, r.origin.line)
        for r in output.inventory.api_routes
    )
    assert routes == [
        (
            "main.tf#aws_api_gateway_rest_api.json",
            "GET",
            "/orders",
            "main.tf#aws_lambda_function.app",
            AuthorizationKind.NONE,
            19,
        ),
        (
            "main.tf#aws_api_gateway_rest_api.json",
            "POST",
            "/admin",
            "main.tf#aws_lambda_function.admin",
            AuthorizationKind.AWS_IAM,
            19,
        ),
        (
            "main.tf#aws_api_gateway_rest_api.yaml",
            "GET",
            "/items",
            "arn:aws:lambda:eu-west-1:111122223333:function:items",
            AuthorizationKind.NONE,
            28,
        ),
    ]
