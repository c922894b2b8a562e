"""REST API resource policies in Terraform HCL and plan JSON: `policy` and aws_api_gateway_rest_api_policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic
from lambdasec.model import (
    Api,
    Condition,
    Effect,
    Inventory,
    PolicyDocument,
    SourceKind,
    Unresolved,
)
from lambdasec.sources.interface import InputFile
from lambdasec.sources.terraform import TerraformSource
from lambdasec.sources.terraform_plan import map_plan, parse_plan

ROOT = Path(__file__).resolve().parent / "terraform"
PROVIDER = "registry.terraform.io/hashicorp/aws"


def _hcl() -> dict[str, Api]:
    item = InputFile(path=ROOT / "api_policy" / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=ROOT / "api_policy")
    assert output.diagnostics == ()
    return {api.origin.resource: api for api in output.inventory.apis}


def _line(marker: str) -> int:
    lines = (ROOT / "api_policy" / "main.tf").read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, found
    return found[0]


def _statements(api: Api) -> list[tuple[Any, ...]]:
    policy = api.resource_policy
    assert isinstance(policy, PolicyDocument)
    return [
        (s.effect, s.resources, s.conditions, s.origin.resource, s.origin.line) for s in policy.statements
    ]


def test_policy_from_a_data_document() -> None:
    api = _hcl()["aws_api_gateway_rest_api.private"]
    vpce = Condition(
        operator="StringNotEquals", key="aws:SourceVpce", values=(Unresolved("aws_vpc_endpoint.api.id"),)
    )
    document = "data.aws_iam_policy_document.vpce_only"
    assert _statements(api) == [
        (Effect.ALLOW, ("execute-api:/*",), (), f"{document}/Statement/0", 2),
        (Effect.DENY, ("execute-api:/*",), (vpce,), f"{document}/Statement/1", 11),
    ]
    assert dict(api.origin.fields)["resource_policy"] == _line("policy = data.aws_iam_policy_document")


def test_policy_block_sets_the_policy_of_its_api() -> None:
    api = _hcl()["aws_api_gateway_rest_api.ips"]
    ip = Condition(operator="IpAddress", key="aws:SourceIp", values=("203.0.113.0/24",))
    assert _statements(api) == [
        (
            Effect.ALLOW,
            Unresolved("${aws_api_gateway_rest_api.ips.execution_arn}/*"),
            (ip,),
            "aws_api_gateway_rest_api_policy.ips/Statement/0",
            _line('Effect    = "Allow"'),
        )
    ]


def test_heredoc_policy_and_unknown_policy() -> None:
    apis = _hcl()
    assert _statements(apis["aws_api_gateway_rest_api.open"]) == [
        (
            Effect.ALLOW,
            ("arn:aws:execute-api:*:*:*",),
            (),
            "aws_api_gateway_rest_api.open/policy/Statement/0",
            _line('"Effect": "Allow"'),
        )
    ]
    assert apis["aws_api_gateway_rest_api.unknown"].resource_policy == Unresolved("var.policy")


def _plan_inventory() -> Inventory:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "arn:aws:execute-api:eu-west-1:111122223333:abc123/*",
                "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}},
            }
        ],
    }
    resources = [
        ("aws_api_gateway_rest_api", "shop", {"name": "shop"}, {"name": {"constant_value": "shop"}}),
        (
            "aws_api_gateway_rest_api_policy",
            "shop",
            {"policy": json.dumps(policy)},
            {
                "rest_api_id": {
                    "references": ["aws_api_gateway_rest_api.shop.id", "aws_api_gateway_rest_api.shop"]
                },
                "policy": {"references": ["aws_api_gateway_rest_api.shop.execution_arn"]},
            },
        ),
    ]
    plan: dict[str, Any] = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": f"{kind}.{name}",
                        "mode": "managed",
                        "type": kind,
                        "name": name,
                        "provider_name": PROVIDER,
                        "values": values,
                    }
                    for kind, name, values, _ in resources
                ]
            }
        },
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": f"{kind}.{name}",
                        "mode": "managed",
                        "type": kind,
                        "name": name,
                        "expressions": exprs,
                    }
                    for kind, name, _, exprs in resources
                ]
            }
        },
    }
    plan["resource_changes"] = [
        {
            "address": "aws_api_gateway_rest_api_policy.shop",
            "change": {"actions": ["create"], "after_unknown": {"rest_api_id": True}},
        }
    ]
    parsed = parse_plan(json.dumps(plan), display="plan.json")
    assert not isinstance(parsed, Diagnostic)
    return map_plan(parsed)


def test_plan_policy_block() -> None:
    (api,) = _plan_inventory().apis
    vpce = Condition(operator="StringEquals", key="aws:SourceVpce", values=("vpce-1a2b3c",))
    assert [(s[0], s[1], s[2]) for s in _statements(api)] == [
        (Effect.ALLOW, ("arn:aws:execute-api:eu-west-1:111122223333:abc123/*",), (vpce,))
    ]


BODY = """\
resource "aws_api_gateway_rest_api" "body" {
  name = "body"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "body", version = "1" }
    paths   = {}
    "x-amazon-apigateway-policy" = {
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
        Condition = { IpAddress = { "aws:SourceIp" = ["203.0.113.0/24"] } }
      }]
    }
  })
}
"""


def test_policy_in_the_openapi_body(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(BODY, encoding="utf-8")
    item = InputFile(path=tmp_path / "main.tf", display="main.tf", kind=SourceKind.TERRAFORM)
    output = TerraformSource().load((item,), root=tmp_path)
    (api,) = output.inventory.apis
    ip = Condition(operator="IpAddress", key="aws:SourceIp", values=("203.0.113.0/24",))
    owner = "aws_api_gateway_rest_api.body/Body/x-amazon-apigateway-policy"
    assert _statements(api) == [(Effect.ALLOW, ("execute-api:/*",), (ip,), f"{owner}/Statement/0", 9)]
