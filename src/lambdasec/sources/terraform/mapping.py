"""Maps one Terraform module (a directory of .tf files) to the model, dispatching per block type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from lambdasec.model import Inventory, ManagedPolicy, PolicyDocument
from lambdasec.sources.terraform.apis import map_apis
from lambdasec.sources.terraform.calls import ID_LINKED_PREFIXES
from lambdasec.sources.terraform.concurrency import map_provisioned_concurrency
from lambdasec.sources.terraform.expressions import FileReader, ModuleOutputs, Scope
from lambdasec.sources.terraform.functions import (
    archive_sources,
    map_alias,
    map_event_source_mapping,
    map_function,
    map_function_url,
    map_log_group,
    map_permission,
)
from lambdasec.sources.terraform.hcl import Block, TfFile, blocks
from lambdasec.sources.terraform.iam import (
    Attachments,
    attach_policy,
    attach_policy_to_roles,
    attach_role_policy,
    map_managed_policy,
    map_role,
)
from lambdasec.sources.terraform.instances import Instance, expand
from lambdasec.sources.terraform.layers import map_code_signing_config, map_layer, map_layer_permission
from lambdasec.sources.terraform.policy import documents_of
from lambdasec.sources.terraform.reader import Reader
from lambdasec.sources.terraform.surroundings import SURROUNDING_TYPES, with_surroundings
from lambdasec.sources.terraform.types import TypeSpec, parse_type, reshapes

__all__ = ["MODELLED_TYPES", "map_module", "module_scope"]

# Resource types whose references resolve to their inventory key.
MODELLED_TYPES: Final = frozenset(
    {
        "aws_lambda_function",
        "aws_lambda_permission",
        "aws_lambda_function_url",
        "aws_lambda_alias",
        "aws_lambda_event_source_mapping",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_cloudwatch_log_group",
        "aws_lambda_layer_version",
        "aws_lambda_code_signing_config",
        *SURROUNDING_TYPES,
    }
)


def module_scope(
    files: list[TfFile],
    *,
    tfvars: Mapping[str, Any],
    inputs: Mapping[str, Any] | None = None,
    file_inputs: Mapping[str, Any] | None = None,
    prefix: str = "",
    modules: Mapping[str, ModuleOutputs] | None = None,
    key_root: str = "",
    paths: Mapping[str, str] | None = None,
    base_dir: str = "",
    local_files: FileReader | None = None,
) -> Scope:
    """Variables (inputs, then tfvars over defaults), locals, module outputs and resource keys of a module.

    `prefix` is the module's address (`module.x.`, empty for a root module); each modelled resource has
    a key per instance of its `count`/`for_each` (`aws_x.y[0]`), or one key when the collection is unknown.
    """
    variables: dict[str, Any] = {}
    types: dict[str, TypeSpec] = {}
    local_values: dict[str, Any] = {}
    for file in files:
        for group in file.body.get("variable", []):
            for name, body in group.items():
                if isinstance(body, Mapping) and "default" in body:
                    variables[name] = body["default"]
                spec = parse_type(body.get("type")) if isinstance(body, Mapping) else None
                if spec is not None and reshapes(spec):
                    types[name] = spec
        for group in file.body.get("locals", []):
            local_values.update({k: v for k, v in group.items() if not k.startswith("__")})
    variables.update(tfvars)
    base = Scope(
        variables=variables,
        inputs=inputs or {},
        file_inputs=file_inputs,
        locals=local_values,
        modules=modules or {},
        prefix=prefix,
        key_root=key_root,
        paths=paths or {},
        base_dir=base_dir,
        files=local_files,
        types=types,
    )
    keys: dict[str, str] = {}
    collections: dict[str, tuple[str | int, ...] | None] = {}
    instance_bindings: dict[str, dict[str | int, Mapping[str, Mapping[str, Any]]]] = {}
    resources: dict[str, Mapping[str, Any]] = {}
    for file in files:
        for block in blocks(file):
            resources[block.address] = block.body
            linked = block.type in MODELLED_TYPES or block.type.startswith(ID_LINKED_PREFIXES)
            counted = "count" in block.body or "for_each" in block.body
            if linked and not block.address.startswith("data."):
                instances = expand(block.body, base)
                for instance in instances:
                    local = block.address + instance.label
                    keys[local] = base.key_of(file.display, prefix + local)
                if counted:
                    collections[block.address] = labels = _instance_keys(instances)
                    if labels is not None:
                        instance_bindings[block.address] = _bindings(labels, instances)
            elif counted and block.address.startswith("data."):
                # `data.x.y.*.attr` lists the attribute once per instance; `data.x.y[k].attr` reads one
                instances = expand(block.body, base)
                labels = _instance_keys(instances)
                collections[block.address] = labels
                if labels is not None:
                    instance_bindings[block.address] = _bindings(labels, instances)
    return replace(
        base, keys=keys, collections=collections, instance_bindings=instance_bindings, resources=resources
    )


def _bindings(
    labels: tuple[str | int, ...], instances: tuple[Instance, ...]
) -> dict[str | int, Mapping[str, Mapping[str, Any]]]:
    """What each instance binds, by its key."""
    return {label: instance.bindings for label, instance in zip(labels, instances, strict=True)}


def _instance_keys(instances: tuple[Instance, ...]) -> tuple[str | int, ...] | None:
    """The `count.index` or `each.key` of each instance; None when the collection was not known."""
    out: list[str | int] = []
    for instance in instances:
        if "count" in instance.bindings:
            out.append(instance.bindings["count"]["index"])
        elif "each" in instance.bindings:
            out.append(instance.bindings["each"]["key"])
        else:
            return None
    return tuple(out)


def map_module(files: list[TfFile], *, scope: Scope) -> Inventory:
    """Every supported block of the module's files as model objects, one per `count`/`for_each` instance.

    Addresses carry the module's prefix (`module.x.aws_lambda_function.f["a"]`).
    """
    by_type: dict[str, list[Block]] = {}
    for file in files:
        for block in blocks(file):
            kind = f"data.{block.type}" if block.address.startswith("data.") else block.type
            if kind.startswith("data."):
                block = replace(block, address=scope.prefix + block.address)
            by_type.setdefault(kind, []).append(block)

    def readers(kind: str) -> list[Reader]:
        return [
            Reader(
                block=replace(b, address=scope.prefix + b.address + instance.label),
                scope=scope.with_instance(instance.bindings) if instance.bindings else scope,
            )
            for b in by_type.get(kind, [])
            for instance in expand(b.body, scope)
        ]

    documents: dict[str, PolicyDocument] = documents_of(
        by_type.get("data.aws_iam_policy_document", []), scope
    )
    managed: dict[str, ManagedPolicy] = {}
    for r in readers("aws_iam_policy"):
        policy = map_managed_policy(r, documents=documents)
        managed[policy.key] = policy
    attachments = Attachments()
    for r in readers("aws_iam_role_policy"):
        attach_role_policy(r, attachments, documents=documents)
    for r in readers("aws_iam_role_policy_attachment"):
        attach_policy(r, attachments)
    for r in readers("aws_iam_policy_attachment"):
        attach_policy_to_roles(r, attachments)
    apis = map_apis(
        readers, scope=scope, blocks=[b for group in by_type.values() for b in group], documents=documents
    )
    archives = archive_sources(readers("data.archive_file"))
    inventory = Inventory(
        functions=tuple(map_function(r, archives=archives) for r in readers("aws_lambda_function")),
        roles=tuple(
            map_role(r, attachments=attachments, managed=managed, documents=documents)
            for r in readers("aws_iam_role")
        ),
        managed_policies=tuple(managed.values()),
        permissions=tuple(map_permission(r) for r in readers("aws_lambda_permission")),
        function_urls=tuple(map_function_url(r) for r in readers("aws_lambda_function_url")),
        event_source_mappings=tuple(
            map_event_source_mapping(r) for r in readers("aws_lambda_event_source_mapping")
        ),
        aliases=tuple(map_alias(r) for r in readers("aws_lambda_alias")),
        provisioned_concurrency=tuple(
            map_provisioned_concurrency(r) for r in readers("aws_lambda_provisioned_concurrency_config")
        ),
        log_groups=tuple(map_log_group(r) for r in readers("aws_cloudwatch_log_group")),
        layers=tuple(map_layer(r) for r in readers("aws_lambda_layer_version")),
        layer_permissions=tuple(
            map_layer_permission(r) for r in readers("aws_lambda_layer_version_permission")
        ),
        code_signing_configs=tuple(
            map_code_signing_config(r) for r in readers("aws_lambda_code_signing_config")
        ),
        apis=tuple(apis.apis),
        api_stages=tuple(apis.stages),
        api_routes=tuple(apis.routes),
        authorizers=tuple(apis.authorizers),
    )
    return with_surroundings(inventory, readers, files=files, scope=scope)
