"""Maps a plan's planned resources to the model through the Terraform module mapper, on resolved values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from functools import cache
from typing import Any, Final, TypeVar

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, Origin, SourceKind, Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.hcl import TfFile
from lambdasec.sources.terraform.mapping import MODELLED_TYPES, map_module, module_scope
from lambdasec.sources.terraform_plan.accounts import function_arns
from lambdasec.sources.terraform_plan.document import SOURCE_NAME, Plan, PlanResource
from lambdasec.sources.terraform_plan.references import REFERENCE_ATTRIBUTES, Joins

__all__ = ["map_plan", "resource_body"]

T = TypeVar("T")
_ABSENT: Final = object()
_SCALARS: Final = (str, int, float, Enum, type(None))
# Values shorter than this are not taken for a referenced resource's value inside a longer string.
_MIN_LINKED: Final = 3
# Optional+Computed attributes whose planned value, when the configuration leaves them out, is what AWS or
# other resources set rather than what this resource declares: the inline policies of aws_iam_role_policy
# and the attachments of aws_iam_role_policy_attachment show up on the role; Lambda's default log group,
# tracing mode and storage show up on the function. The HCL source reads them as absent, and so does this.
_REFLECTED: Final = frozenset(
    {
        ("aws_iam_role", "inline_policy"),
        ("aws_iam_role", "managed_policy_arns"),
        ("aws_lambda_function", "logging_config"),
        ("aws_lambda_function", "tracing_config"),
        ("aws_lambda_function", "ephemeral_storage"),
    }
)


def map_plan(plan: Plan, *, problems: list[Diagnostic] | None = None) -> Inventory:
    """Every modelled resource of `plan` as model objects with `terraform-plan` origins.

    Each module instance of the plan is mapped like a Terraform module whose blocks hold the planned
    values, so the plan gives the objects, keys and joins the HCL source gives for the same code. Values
    of the wrong type (a plan edited by hand) are added to `problems`.
    """
    joins = Joins.of(plan, modelled=MODELLED_TYPES)
    modules: dict[str, list[PlanResource]] = {}
    for resource in plan.resources:
        modules.setdefault(resource.module, []).append(resource)
    parts: list[Inventory] = []
    for module, resources in sorted(modules.items()):
        groups = [
            {resource.type: {_local_name(resource): resource_body(resource, joins=joins)}}
            for resource in resources
        ]
        file = TfFile(display=plan.display, body={"resource": groups}, lines=())
        prefix = f"{module}." if module else ""
        scope = module_scope([file], tfvars={}, prefix=prefix)
        parts.append(map_module([file], scope=scope))
        if problems is not None:
            found = (replace(problem, source=SOURCE_NAME) for problem in scope.problems)
            problems.extend(problem for problem in found if problem not in problems)
    return _with_arns(_retagged(Inventory.merge(parts)), joins=joins)


def _with_arns(inventory: Inventory, *, joins: Joins) -> Inventory:
    """`inventory` with the ARN of each role and function whose ARN the plan knows or its provider's account
    and region give (`role_arns`, `function_arns`)."""
    roles = _by_key(joins.role_arns, joins=joins)
    functions = _by_key(function_arns(joins.plan, providers=joins.providers), joins=joins)
    if not roles and not functions:
        return inventory
    return replace(
        inventory,
        roles=tuple(replace(r, arn=roles[r.key]) if r.key in roles else r for r in inventory.roles),
        functions=tuple(
            replace(f, arn=functions[f.key]) if f.key in functions else f for f in inventory.functions
        ),
    )


def _by_key(arns: Mapping[str, str], *, joins: Joins) -> dict[str, str]:
    """`arns` (by resource address) by inventory key."""
    return {joins.keys[address]: arn for address, arn in arns.items() if address in joins.keys}


def _local_name(resource: PlanResource) -> str:
    """The block name of one instance inside its module: `f`, `f[0]` or `f["a"]`."""
    local = resource.address.removeprefix(f"{resource.module}.") if resource.module else resource.address
    return local.split(".", 1)[1] if "." in local else local


def resource_body(resource: PlanResource, *, joins: Joins) -> dict[str, Any]:
    """The resource's planned values as the body of a Terraform block the HCL mappers read.

    - Literal strings are escaped (`${` as `$${`) so the HCL scope keeps them as written.
    - A value the configuration builds from another resource of the module becomes that reference again
      (`${aws_iam_role.api.arn}`, `/aws/lambda/${aws_lambda_function.f.function_name}`), so roles,
      functions, APIs and queues join as in the HCL source, whether the value is known or not (an unknown
      value counts as the one resource it refers to, except a JSON document, such as a policy).
    - An attribute naming a role, function or policy by a literal name or ARN holds that resource's key.
    - A value unknown until apply is `Unresolved("<address>.<attribute>")`, unless the configuration does
      not set it: then the provider computes it from the AWS default, and the attribute is left absent.
    - Absent values are null or, for the AWS provider's unset strings, `""`; a scalar the configuration
      does not set is the provider's default (the HCL mappers apply the same defaults), and is left out.
      Unset nested blocks are kept (a `dynamic` block does not show in the configuration), except the
      ones AWS fills in (`_REFLECTED`).
    """
    body: dict[str, Any] = {}
    if resource.line is not None:
        body["__start_line__"] = resource.line
    configured = bool(resource.expressions)
    for name in [*resource.values, *(k for k in resource.unknown if k not in resource.values)]:
        value = _attribute(resource, name, joins=joins, configured=configured)
        if value is not _ABSENT:
            body[name] = value
    return body


def _attribute(resource: PlanResource, name: str, *, joins: Joins, configured: bool) -> Any:
    value, unknown = resource.values.get(name), resource.unknown.get(name)
    references = joins.local_references(resource, name)
    target = REFERENCE_ATTRIBUTES.get((resource.type, name))
    unset = configured and name not in resource.expressions
    if unset and (
        unknown is True or (resource.type, name) in _REFLECTED or not isinstance(value, list | dict)
    ):
        return _ABSENT
    if unknown is True:
        # Only references whose value the plan does not know can give an unknown value (`_linked_value`).
        pending = [r for r in references if joins.value_of(r[1], r[2]) is None]
        if len({address for _, address, _ in pending}) == 1 and not _document(name):
            return "${" + pending[0][0] + "}"
        key = joins.key_of(resource, name, target_type=target) if target is not None else None
        return key if key is not None else Unresolved(f"{resource.address}.{name}")
    if target is not None:
        if isinstance(value, list):
            # Unknown elements (a policy created with the role) join through the expression, as nested ones.
            linked = _linked_value(
                value,
                unknown,
                path=f"{resource.address}.{name}",
                line=resource.line,
                links=_Links(resource=resource, joins=joins),
                expression=resource.expressions.get(name),
            )
            named = [
                linked[i] if _item(unknown, i) is True else _named(item, target, joins, references)
                for i, item in enumerate(value)
            ]
            return [item for item in named if item is not _ABSENT]
        return _named(value, target, joins, references)
    if value is None or value == "":
        return _ABSENT
    if isinstance(value, str):
        own = joins.own_account(resource, name, value) or joins.own_account_trust(resource, name, value)
        return own if own is not None else _linked(value, references, joins)
    return _literal(
        value,
        unknown,
        path=f"{resource.address}.{name}",
        line=resource.line,
        links=_Links(resource=resource, joins=joins),
        expression=resource.expressions.get(name),
    )


def _document(name: str) -> bool:
    """An attribute holding a JSON document, which a reference is only a part of."""
    return name.endswith(("policy", "_json")) or name in ("body", "definition", "template_body")


def _named(value: object, target: str, joins: Joins, references: list[tuple[str, str, str]]) -> Any:
    if value is None or value == "":
        return _ABSENT
    found = joins.by_name(target, value)
    if found is not None:
        return found
    return _linked(value, references, joins) if isinstance(value, str) else _literal(value, None, path="")


def _linked(value: str, references: list[tuple[str, str, str]], joins: Joins) -> str:
    """`value` escaped, with each referenced resource's value in it written as the reference again.

    JSON documents (policies) keep their literal values: the plan knows them better than a reference.
    """
    if value.lstrip().startswith(("{", "[")):
        return _escaped(value)
    pieces: list[tuple[str, str]] = []
    for reference, address, attribute in references:
        known = joins.value_of(address, attribute)
        if isinstance(known, str) and len(known) >= _MIN_LINKED and known in value:
            pieces.append((known, reference))
    if not pieces:
        return _escaped(value)
    known, reference = max(pieces, key=lambda piece: len(piece[0]))
    before, _, after = value.partition(known)
    return _escaped(before) + "${" + reference + "}" + _escaped(after)


def _escaped(text: str) -> str:
    return text.replace("${", "$${")


@record
class _Links:
    """The resource a nested value belongs to, so its configuration references can be written again."""

    resource: PlanResource
    joins: Joins

    def of(self, expression: object) -> list[tuple[str, str, str]]:
        return self.joins.expression_references(self.resource, expression)


def _literal(
    value: object,
    unknown: object,
    *,
    path: str,
    block: bool = False,
    line: int | None = None,
    links: _Links | None = None,
    expression: object = None,
) -> Any:
    """A planned value as literal HCL.

    In a nested block (`block`), null and `""` attributes are unset, and the block sits on the resource's
    `line` (a policy statement of an `inline_policy` block points there). With `links`, the values inside
    nested blocks are joined like top-level ones through their `expression` (the block's part of the
    configuration): see `_linked_value`.
    """
    if links is not None and isinstance(expression, Mapping) and "references" in expression:
        return _linked_value(value, unknown, path=path, line=line, links=links, expression=expression)
    if unknown is True:
        return Unresolved(path)
    if isinstance(value, str):
        return _escaped(value)
    if isinstance(value, list):
        blocks = expression if isinstance(expression, list) else []
        return [
            _literal(
                item,
                _item(unknown, i),
                path=f"{path}[{i}]",
                block=True,
                line=line,
                links=links,
                expression=_item(blocks, i),
            )
            for i, item in enumerate(value)
        ]
    if isinstance(value, Mapping):
        out: dict[str, Any] = {
            k: _literal(
                v,
                _key(unknown, k),
                path=f"{path}.{k}",
                line=line,
                links=links,
                expression=_key(expression, k),
            )
            for k, v in value.items()
            if not (block and (v is None or v == "") and _key(unknown, k) is not True)
        }
        if block and line is not None:
            out["__start_line__"] = line
        if isinstance(unknown, Mapping):
            missing = [k for k, u in unknown.items() if u is True and k not in out]
            # Terraform leaves unknown values out of `values`: they join through their expression too.
            out.update(
                {
                    k: _literal(
                        None, True, path=f"{path}.{k}", line=line, links=links, expression=_key(expression, k)
                    )
                    for k in missing
                }
            )
        return out
    return value


def _linked_value(
    value: object, unknown: object, *, path: str, line: int | None, links: _Links, expression: object
) -> Any:
    """A nested attribute's value with the resources its expression refers to written as references.

    - A string known at plan time is linked by value, as top-level strings are (`_linked`).
    - Only references whose value the plan does not know can give an unknown value. An unknown value
      with one such reference is that reference, except a JSON document.
    - In a list, the unknown elements take those references in order when there is one per unknown
      element (`[aws_subnet.a.id, aws_subnet.b.id]`, `[aws_lambda_layer_version.own.arn, "arn:..."]`);
      in a map, an unknown entry is the reference when it is the only unknown entry.
    - Anything else unknown stays `Unresolved(<address>.<path>)`.
    """
    references = links.of(expression)
    targets = list(
        dict.fromkeys(
            reference
            for reference, address, attribute in references
            if links.joins.value_of(address, attribute) is None
        )
    )
    leaf = re.sub(r"\[\d+\]$", "", path.rpartition(".")[2])
    single = "${" + targets[0] + "}" if len(targets) == 1 and not _document(leaf) else None
    if unknown is True:
        return single if single is not None else Unresolved(path)
    if isinstance(value, str):
        return _linked(value, references, links.joins)
    if isinstance(value, list):
        unknowns = [i for i in range(len(value)) if _item(unknown, i) is True]
        by_position = dict(zip(unknowns, targets, strict=True)) if len(targets) == len(unknowns) else {}
        return [
            ("${" + by_position[i] + "}" if i in by_position else Unresolved(f"{path}[{i}]"))
            if i in unknowns
            else _linked(item, references, links.joins)
            if isinstance(item, str)
            else _literal(item, _item(unknown, i), path=f"{path}[{i}]", block=True, line=line)
            for i, item in enumerate(value)
        ]
    if isinstance(value, Mapping):
        out: dict[str, Any] = {
            k: _linked(v, references, links.joins)
            if isinstance(v, str)
            else _literal(v, _key(unknown, k), path=f"{path}.{k}", line=line)
            for k, v in value.items()
        }
        missing = [k for k, u in unknown.items() if u is True] if isinstance(unknown, Mapping) else []
        for k in missing:
            out[k] = single if single is not None and len(missing) == 1 else Unresolved(f"{path}.{k}")
        return out
    return value


def _item(unknown: object, index: int) -> object:
    return unknown[index] if isinstance(unknown, list) and index < len(unknown) else None


def _key(unknown: object, key: str) -> object:
    return unknown.get(key) if isinstance(unknown, Mapping) else None


def _retagged(value: T) -> T:
    """`value` with every Terraform origin in it marked as coming from a plan (unchanged parts are kept)."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Origin):
        if value.source is not SourceKind.TERRAFORM:
            return value
        return replace(value, source=SourceKind.TERRAFORM_PLAN)
    if isinstance(value, tuple):
        items = [_retagged(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return tuple(items)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _field_names(type(value)):
            current = getattr(value, name)
            updated = _retagged(current)
            if updated is not current:
                changes[name] = updated
        return replace(value, **changes) if changes else value
    return value


@cache
def _field_names(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))
