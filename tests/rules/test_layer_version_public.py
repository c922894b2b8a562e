"""Model-level tests of LS205 layer-version-public."""

from __future__ import annotations

from factories import make_inventory, make_origin, run
from lambdasec.model import LayerPermission, LayerVersion, Unresolved
from lambdasec.rules.exposure.layer_version_public import layer_version_public as rule


def _grant(key: str, principal: str | Unresolved, org: str | Unresolved | None = None) -> LayerPermission:
    return LayerPermission(
        key=key, layer="SharedLibs", principal=principal, organization_id=org, origin=make_origin(key, 5)
    )


def _layer(name: str | Unresolved = "shared-libs") -> LayerVersion:
    return LayerVersion(key="SharedLibs", name=name, origin=make_origin("SharedLibs"))


def test_public_layer_permission_is_reported_with_the_layer_name() -> None:
    outcome = run(rule, make_inventory(layers=[_layer()], layer_permissions=[_grant("Public", "*")]))
    assert outcome.lines == {("LS205", 5)}
    assert outcome.findings[0].message == (
        "Layer permission `Public` lets every AWS account (`*`) download layer `shared-libs` "
        "and the code and files bundled in it"
    )


def test_restricted_grants_and_unknown_principals() -> None:
    grants = [
        _grant("Public", " * "),
        _grant("StarOrg", "*", "*"),
        _grant("Org", "*", "o-a1b2c3d4e5"),
        _grant("OrgParam", "*", Unresolved("!Ref OrgId")),
        _grant("Account", "444455556666"),
        _grant("Param", Unresolved("!Ref LayerPrincipal")),
    ]
    outcome = run(rule, make_inventory(layers=[_layer(Unresolved("generated"))], layer_permissions=grants))
    assert {f.resource.id for f in outcome.findings} == {"Public", "StarOrg"}
    assert "layer `SharedLibs`" in outcome.findings[0].message
    assert outcome.unevaluated_ids == ["Param"]


def test_layer_outside_the_inventory_is_named_by_reference() -> None:
    grant = LayerPermission(
        key="Ext", layer="arn:aws:lambda:eu-west-1:1:layer:x:3", principal="*", origin=make_origin("Ext")
    )
    (finding,) = run(rule, make_inventory(layer_permissions=[grant])).findings
    assert "layer `arn:aws:lambda:eu-west-1:1:layer:x:3`" in finding.message
