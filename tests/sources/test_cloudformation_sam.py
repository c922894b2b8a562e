"""SAM templates go through the SAM expansion and are mapped with `sam` origins at the SAM lines."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import (
    AuthorizationKind,
    AuthType,
    CodeLocation,
    DeclaredIgnore,
    Effect,
    Origin,
    PolicyDocument,
    Role,
    SourceKind,
    TriggerKind,
)
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.discover import discover

APP = Path(__file__).parent / "cfn" / "sam-app"


def test_a_sam_application_maps_with_sam_origins() -> None:
    found = discover([APP])
    output = CloudFormationSource().load(found.files, root=found.root)
    assert output.diagnostics == ()
    inv = output.inventory
    assert {obj.origin.source for obj in (*inv.functions, *inv.roles, *inv.permissions, *inv.api_routes)} == {
        SourceKind.SAM
    }
    (fn,) = inv.functions
    assert fn.key == "template.yaml#Orders"
    assert (fn.runtime, fn.handler, fn.timeout_s) == ("python3.12", "app.handler", 10)
    assert fn.code == CodeLocation(local_path="src/orders")
    assert fn.origin == Origin(source=SourceKind.SAM, file="template.yaml", line=13, resource="Orders")
    assert dict(fn.origin.fields)["runtime"] == 4  # from Globals
    assert fn.role == "template.yaml#OrdersRole"

    role = inv.role_of(fn)
    assert isinstance(role, Role)
    documents = [p.document for p in role.policies]
    statements = [s for d in documents if isinstance(d, PolicyDocument) for s in d.statements]
    assert all(isinstance(d, PolicyDocument) for d in documents)
    assert [(s.effect, s.actions, s.resources, s.origin.line) for s in statements] == [
        (Effect.ALLOW, ("s3:GetObject",), ("*",), 27)
    ]

    routes = {(r.method, r.path): (r.authorization, r.function, r.origin.line) for r in inv.routes_to(fn)}
    assert routes == {
        ("GET", "/orders"): (AuthorizationKind.AWS_IAM, "template.yaml#Orders", 31),
        ("GET", "/open"): (AuthorizationKind.NONE, "template.yaml#Orders", 34),
        ("POST", "/h"): (AuthorizationKind.NONE, "template.yaml#Orders", 37),
    }
    (url,) = inv.url_of(fn)
    assert (url.auth_type, url.origin.line, dict(url.origin.fields)["auth_type"]) == (AuthType.NONE, 23, 24)
    implicit = sorted(p.origin.resource for p in inv.grants_for(fn) if p.implicit)
    assert implicit == ["OrdersURLInvokeAllowPublicAccess", "OrdersUrlPublicPermissions"]
    (queue,) = inv.event_sources_of(fn)
    assert (queue.kind, queue.event_source_arn) == (TriggerKind.SQS, "arn:aws:sqs:us-east-1:123456789012:q")
    assert (
        DeclaredIgnore(
            rule="LS201",
            reason="public webhook verified by HMAC",
            file="template.yaml",
            resource="OrdersUrl",
            line=18,
        )
        in inv.declared_ignores
    )
    assert DeclaredIgnore(rule="LS301", reason="", file="template.yaml", resource="Orders", line=19) in (
        inv.declared_ignores
    )
