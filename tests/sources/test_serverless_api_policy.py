"""serverless.yml resource policies of the REST API: `apiGateway.resourcePolicy`, `resourcePolicy`."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lambdasec.model import Condition, Effect, Inventory, PolicyDocument, SourceKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

STATEMENTS = """\
resourcePolicy:
  - Effect: Allow
    Principal: "*"
    Action: execute-api:Invoke
    Resource: execute-api:/*/*/*
  - Effect: Deny
    Principal: "*"
    Action: execute-api:Invoke
    Resource: execute-api:/*/*/*
    Condition:
      StringNotEquals:
        aws:SourceVpce: vpce-0a1b2c3d4e5f67890
"""

SERVICE = """\
service: shop

provider:
  name: aws
  runtime: python3.13
  endpointType: PRIVATE
{policy}
functions:
  orders:
    handler: app.handler
    events:
      - http:
          path: orders
          method: get
"""


def _load(tmp_path: Path, text: str) -> Inventory:
    path = tmp_path / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, _ = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory


def _statements(inventory: Inventory) -> list[tuple[object, ...]]:
    (api,) = [a for a in inventory.apis if a.kind == "rest"]
    policy = api.resource_policy
    assert isinstance(policy, PolicyDocument)
    return [(s.effect, s.resources, s.conditions, s.origin.line) for s in policy.statements]


VPCE = (Condition(operator="StringNotEquals", key="aws:SourceVpce", values=("vpce-0a1b2c3d4e5f67890",)),)


def test_api_gateway_resource_policy(tmp_path: Path) -> None:
    text = SERVICE.format(policy="  apiGateway:\n" + textwrap.indent(STATEMENTS, "    "))
    assert _statements(_load(tmp_path, text)) == [
        (Effect.ALLOW, ("execute-api:/*/*/*",), (), 9),
        (Effect.DENY, ("execute-api:/*/*/*",), VPCE, 13),
    ]


def test_provider_resource_policy_of_older_versions(tmp_path: Path) -> None:
    text = SERVICE.format(policy=textwrap.indent(STATEMENTS, "  "))
    assert _statements(_load(tmp_path, text)) == [
        (Effect.ALLOW, ("execute-api:/*/*/*",), (), 8),
        (Effect.DENY, ("execute-api:/*/*/*",), VPCE, 12),
    ]
