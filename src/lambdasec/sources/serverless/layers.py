"""A service's `layers:` as the layer versions and `allowedAccounts` permissions the framework creates."""

from __future__ import annotations

from typing import Any, Final

from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.sam_marks import key_line, node, put
from lambdasec.sources.serverless.naming import normalized
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = ["compile_layers"]

_KEPT: Final = {
    "name": "LayerName",
    "description": "Description",
    "compatibleRuntimes": "CompatibleRuntimes",
    "compatibleArchitectures": "CompatibleArchitectures",
    "licenseInfo": "LicenseInfo",
}


def compile_layers(document: MarkedDict, resources: MarkedDict, *, diagnostics: Diagnostics) -> None:
    """Adds `<Name>LambdaLayer` and one `<Name><Account>LambdaLayerPermission` per allowed account."""
    layers = document.get("layers")
    if layers is None:
        return
    if not isinstance(layers, dict):
        diagnostics.error("`layers` must be a mapping", key_line(document, "layers", 0) or None)
        return
    for name, spec in layers.items():
        line = key_line(layers, name, 0)
        if not isinstance(spec, dict):
            diagnostics.error(f"layer `{name}` must be a mapping", line)
            continue
        _layer(str(name), spec, line=line, resources=resources, diagnostics=diagnostics)


def _layer(name: str, spec: Any, *, line: int, resources: MarkedDict, diagnostics: Diagnostics) -> None:
    layer_id = f"{normalized(name)}LambdaLayer"
    properties = node(line, [("LayerName", name), ("Content", node(line, [("S3Key", f"{name}.zip")]))])
    for key, target in _KEPT.items():
        if key in spec:
            put(properties, target, spec[key], key_line(spec, key, line))
    layer = node(line, [("Type", "AWS::Lambda::LayerVersion")])
    put(layer, "Properties", properties, line)
    put(resources, layer_id, layer, line)
    accounts = spec.get("allowedAccounts")
    if accounts is None:
        return
    if not isinstance(accounts, list):
        diagnostics.error(
            f"`allowedAccounts` of layer `{name}` must be a list", key_line(spec, "allowedAccounts", line)
        )
        return
    for index, account in enumerate(accounts):
        at = key_line(accounts, index, line)
        label = str(account).replace("*", "Wildcard") if isinstance(account, str | int) else str(index + 1)
        permission = node(
            at,
            [
                ("Action", "lambda:GetLayerVersion"),
                ("LayerVersionArn", node(at, [("Ref", layer_id)])),
                ("Principal", account),
            ],
        )
        resource = node(at, [("Type", "AWS::Lambda::LayerVersionPermission")])
        put(resource, "Properties", permission, at)
        put(resources, f"{normalized(name)}{label}LambdaLayerPermission", resource, at)
