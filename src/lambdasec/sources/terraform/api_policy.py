"""REST API resource policies: `policy` of aws_api_gateway_rest_api and aws_api_gateway_rest_api_policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from lambdasec.model import PolicyDocument, Unresolved
from lambdasec.sources.terraform.api_links import ApiLinks, ApiParts, Readers
from lambdasec.sources.terraform.iam import read_policy_document
from lambdasec.sources.terraform.reader import Reader

__all__ = ["apply_policy_blocks", "rest_api_policy"]

_REST_API: Final = frozenset({"aws_api_gateway_rest_api"})


def rest_api_policy(
    r: Reader,
    *,
    documents: Mapping[str, PolicyDocument],
    body_policy: PolicyDocument | Unresolved | None,
) -> PolicyDocument | Unresolved | None:
    """The API block's `policy`, which overrides the body's `x-amazon-apigateway-policy`."""
    own = read_policy_document(
        r, "policy", owner=f"{r.block.address}/policy", field="resource_policy", documents=documents
    )
    return own if own is not None else body_policy


def apply_policy_blocks(
    readers: Readers, links: ApiLinks, *, out: ApiParts, documents: Mapping[str, PolicyDocument]
) -> None:
    """Each `aws_api_gateway_rest_api_policy` sets the resource policy of the REST API it names."""
    for r in readers("aws_api_gateway_rest_api_policy"):
        api = links.target(r, "rest_api_id", _REST_API)
        if not isinstance(api, str):
            continue
        policy = read_policy_document(r, "policy", owner=r.block.address, field="policy", documents=documents)
        if policy is None:
            continue
        out.apis = [dataclasses.replace(a, resource_policy=policy) if a.key == api else a for a in out.apis]
