"""serverless.yml `layers:` as the layer versions and `allowedAccounts` permissions the framework creates."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: libs
provider:
  name: aws
  runtime: python3.13
layers:
  sharedLibs:
    path: layer
    name: shared-libs-${sls:stage}
    compatibleRuntimes: [python3.13]
    allowedAccounts:
      - "*"
      - "444455556666"
  plain-libs:
    path: plain
"""


def _load(tmp_path: Path, text: str) -> tuple[Inventory | None, tuple[Diagnostic, ...]]:
    path = tmp_path / "serverless.yml"
    path.write_text(text, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    return load_serverless(item, environ={}, options={})


def test_layers_and_allowed_accounts(tmp_path: Path) -> None:
    inventory, diagnostics = _load(tmp_path, SERVICE)
    assert diagnostics == ()
    assert inventory is not None
    layers = {layer.key: (layer.name, layer.compatible_runtimes) for layer in inventory.layers}
    assert layers == {
        "serverless.yml#SharedLibsLambdaLayer": ("shared-libs-dev", ("python3.13",)),
        "serverless.yml#PlainDashlibsLambdaLayer": ("plain-libs", ()),
    }
    grants = {
        (g.key, g.layer, g.principal, g.organization_id, g.origin.line_of("principal"))
        for g in inventory.layer_permissions
    }
    assert grants == {
        (
            "serverless.yml#SharedLibsWildcardLambdaLayerPermission",
            "serverless.yml#SharedLibsLambdaLayer",
            "*",
            None,
            11,
        ),
        (
            "serverless.yml#SharedLibs444455556666LambdaLayerPermission",
            "serverless.yml#SharedLibsLambdaLayer",
            "444455556666",
            None,
            12,
        ),
    }


def test_layers_of_the_wrong_shape_are_reported(tmp_path: Path) -> None:
    text = SERVICE.split("layers:")[0] + "layers:\n  broken: [1]\n  odd:\n    allowedAccounts: '*'\n"
    inventory, diagnostics = _load(tmp_path, text)
    assert inventory is not None
    found = [(d.level, d.line, d.message) for d in diagnostics]
    assert found == [
        (DiagnosticLevel.ERROR, 6, "layer `broken` must be a mapping"),
        (DiagnosticLevel.ERROR, 8, "`allowedAccounts` of layer `odd` must be a list"),
    ]
    assert [layer.key for layer in inventory.layers] == ["serverless.yml#OddLambdaLayer"]
    assert inventory.layer_permissions == ()
    assert not isinstance(inventory.layers[0].name, Unresolved)
