"""serverless.yml APIs: stages without settings point at `provider`, unknown authorizers stay unknown."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: shop

provider:
  name: aws
  runtime: python3.13

functions:
  orders:
    handler: app.handler
    events:
      - http:
          path: orders
          method: get
          authorizer: ${ssm:/shop/authorizer}
      - httpApi:
          path: /orders
          method: get
          authorizer: ${ssm:/shop/http-authorizer}
"""


def _load(tmp_path: Path, text: str) -> Inventory:
    path = tmp_path / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, _ = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory


def test_stages_without_api_settings_point_at_provider(tmp_path: Path) -> None:
    inventory = _load(tmp_path, SERVICE)
    assert sorted((s.name, s.origin.line) for s in inventory.api_stages) == [("$default", 3), ("dev", 3)]


def test_stages_point_at_their_api_settings(tmp_path: Path) -> None:
    text = SERVICE.replace(
        "  runtime: python3.13\n", "  runtime: python3.13\n  apiGateway:\n    minimumCompressionSize: 1024\n"
    )
    inventory = _load(tmp_path, text)
    assert sorted((s.name, s.origin.line) for s in inventory.api_stages) == [("$default", 3), ("dev", 6)]


def test_an_authorizer_that_cannot_be_resolved_leaves_the_route_unknown(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert diagnostics == ()
    assert inventory is not None
    routes = {str(route.api).rsplit("#", 1)[1]: route.authorization for route in inventory.api_routes}
    assert routes == {
        "ApiGatewayRestApi": Unresolved(
            "undefined security scheme authorizer !lambdasec:Unresolved ${ssm:/shop/authorizer}"
        ),
        "HttpApi": Unresolved(
            "undefined security scheme authorizer !lambdasec:Unresolved ${ssm:/shop/http-authorizer}"
        ),
    }
