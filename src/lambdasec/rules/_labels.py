"""How messages name a resource the user did not name: its CDK construct path, else its resource id."""

from __future__ import annotations

from lambdasec.model import Origin

__all__ = ["resource_label"]


def resource_label(origin: Origin) -> str:
    """The construct path without its last `/Resource` for a resource synthesized by CDK
    (`AppStack/PublicInvoke`, not the hashed `PublicInvokeA56AEAD7`), else the origin's resource id."""
    construct = origin.construct_path
    return construct.removesuffix("/Resource") if construct else origin.resource
