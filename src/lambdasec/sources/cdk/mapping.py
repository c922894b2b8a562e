"""Maps CDK stack templates with the CloudFormation source, adding construct paths and code asset paths."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from typing import Any, Final, TypeVar

from lambdasec.model import AuthType, Inventory, LambdaFunction, Origin, Permission, SourceKind

__all__ = ["asset_paths", "construct_paths", "with_cdk_origins"]

T = TypeVar("T")
_LOGICAL_ID: Final = re.compile(r"[A-Za-z0-9]+")
_TEMPLATE_KINDS: Final = frozenset({SourceKind.CLOUDFORMATION, SourceKind.SAM, SourceKind.CDK})
_URL_INVOKE: Final = "lambda:invokefunctionurl"
_INVOKE: Final = "lambda:invokefunction"
_VIA_URL: Final = "lambda:InvokedViaFunctionUrl"
_FUNCTION: Final = "AWS::Lambda::Function"


def construct_paths(body: Mapping[str, Any], *, fallback: Mapping[str, str]) -> dict[str, str]:
    """Logical id -> construct path, from each resource's `aws:cdk:path` metadata, else the manifest's."""
    out = dict(fallback)
    resources = body.get("Resources")
    for logical_id, resource in resources.items() if isinstance(resources, Mapping) else ():
        metadata = resource.get("Metadata") if isinstance(resource, Mapping) else None
        path = metadata.get("aws:cdk:path") if isinstance(metadata, Mapping) else None
        if isinstance(path, str):
            out[str(logical_id)] = path
    return out


def asset_paths(
    body: Mapping[str, Any], *, directory: str, keys: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Logical id -> the local path of its code asset (relative to the assembly).

    The path is the resource's `aws:asset:path` metadata, or else, for a function whose `Code.S3Key`
    is an object key of the assembly's asset manifests (`keys`), that asset's source path.
    """
    out: dict[str, str] = {}
    resources = body.get("Resources")
    for logical_id, resource in resources.items() if isinstance(resources, Mapping) else ():
        metadata = resource.get("Metadata") if isinstance(resource, Mapping) else None
        metadata = metadata if isinstance(metadata, Mapping) else {}
        if metadata.get("aws:asset:property") not in ("Code", None):
            continue
        asset = metadata.get("aws:asset:path")
        if asset is None and keys:
            asset = keys.get(_code_key(resource))
        if isinstance(asset, str) and not asset.endswith(".json"):
            joined = asset if posixpath.isabs(asset) or not directory else posixpath.join(directory, asset)
            out[str(logical_id)] = joined
    return out


def _code_key(resource: Mapping[str, Any]) -> str:
    """The literal `Code.S3Key` of a Lambda function resource, else an empty string."""
    properties = resource.get("Properties") if resource.get("Type") == _FUNCTION else None
    code = properties.get("Code") if isinstance(properties, Mapping) else None
    key = code.get("S3Key") if isinstance(code, Mapping) else None
    return key if isinstance(key, str) else ""


def with_cdk_origins(
    inventory: Inventory, *, paths: Mapping[str, str], assets: Mapping[str, str]
) -> Inventory:
    """`inventory` with CDK origins (construct path of the resource) and functions' code asset paths.

    The two public grants `addFunctionUrl({authType: NONE})` adds under the function's (or the
    alias's) construct are marked implicit, as SAM's are: the user wrote a URL, not a resource policy.
    """
    functions = tuple(_with_asset(fn, assets) for fn in inventory.functions)
    tagged = _retagged(replace(inventory, functions=functions), paths)
    permissions = tuple(
        replace(grant, implicit=True) if _url_grant(tagged, grant) else grant for grant in tagged.permissions
    )
    return replace(tagged, permissions=permissions)


def _url_grant(inventory: Inventory, grant: Permission) -> bool:
    """A public grant the function URL construct generated: a child of the function's construct."""
    fn = inventory.function(grant.function)
    if fn is None or grant.principal != "*" or not isinstance(grant.action, str):
        return False
    path = grant.origin.construct_path or ""
    urls = [url for url in inventory.url_of(fn) if url.auth_type is AuthType.NONE]
    # the function's construct, or the construct (an alias) that holds the URL for its qualifier
    scopes = {(fn.origin.construct_path or "").removesuffix("/Resource")} | {
        posixpath.dirname((url.origin.construct_path or "").removesuffix("/Resource"))
        for url in urls
        if url.qualifier == grant.qualifier
    }
    if not urls or not any(scope and path.startswith(scope + "/") for scope in scopes):
        return False
    action = grant.action.lower()
    via_url = any(c.key == _VIA_URL for c in grant.conditions)
    return (action == _URL_INVOKE and grant.function_url_auth_type is AuthType.NONE) or (
        action == _INVOKE and via_url
    )


def _logical_id(resource: str) -> str:
    match = _LOGICAL_ID.match(resource)
    return match[0] if match else resource


def _with_asset(fn: LambdaFunction, assets: Mapping[str, str]) -> LambdaFunction:
    asset = assets.get(_logical_id(fn.origin.resource))
    if asset is None or fn.code.local_path is not None:
        return fn
    return replace(fn, code=replace(fn.code, local_path=asset))


def _retagged(value: T, paths: Mapping[str, str]) -> T:
    if isinstance(value, Origin):
        if value.source not in _TEMPLATE_KINDS:
            return value
        construct = paths.get(_logical_id(value.resource))
        return replace(value, source=SourceKind.CDK, construct_path=construct)
    if isinstance(value, tuple):
        return tuple(_retagged(item, paths) for item in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for item in fields(value):
            current = getattr(value, item.name)
            updated = _retagged(current, paths)
            if updated is not current:
                changes[item.name] = updated
        return replace(value, **changes) if changes else value
    return value
