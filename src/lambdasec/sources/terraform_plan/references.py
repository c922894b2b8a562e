"""Joins plan resources: which resource an attribute names, by configuration references or by name/ARN."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Final

from lambdasec.records import record
from lambdasec.sources.terraform_plan.accounts import role_arns
from lambdasec.sources.terraform_plan.document import Plan, PlanResource, as_list, as_mapping, module_config
from lambdasec.sources.terraform_plan.providers import Providers
from lambdasec.sources.terraform_plan.trust import own_account_trust

__all__ = ["REFERENCE_ATTRIBUTES", "Joins"]

# (resource type, attribute) -> the resource type the attribute names.
REFERENCE_ATTRIBUTES: Final = {
    ("aws_lambda_function", "role"): "aws_iam_role",
    ("aws_lambda_permission", "function_name"): "aws_lambda_function",
    ("aws_lambda_function_url", "function_name"): "aws_lambda_function",
    ("aws_lambda_event_source_mapping", "function_name"): "aws_lambda_function",
    ("aws_lambda_alias", "function_name"): "aws_lambda_function",
    ("aws_iam_role_policy", "role"): "aws_iam_role",
    ("aws_iam_role_policy_attachment", "role"): "aws_iam_role",
    ("aws_iam_role_policy_attachment", "policy_arn"): "aws_iam_policy",
    ("aws_iam_role", "managed_policy_arns"): "aws_iam_policy",
}
# Attributes that name a resource itself (a reference through another attribute is not the resource).
_IDENTITY: Final = frozenset({"arn", "id", "name", "function_name"})
_REFERENCE: Final = re.compile(r"^(?:(data)\.)?([a-z0-9_]+)\.([A-Za-z_][\w-]*)(\[[^\]]*\])?(?:\.(\w+))?")
_VARIABLE: Final = re.compile(r"^var\.([A-Za-z_][\w-]*)")
_OUTPUT: Final = re.compile(r"^module\.([A-Za-z_][\w-]*)(\[[^\]]*\])?\.([A-Za-z_][\w-]*)$")
# An account id, or the ARN of an IAM or STS principal in an account: the values naming an account.
_ACCOUNT_VALUE: Final = re.compile(
    r"^(?P<prefix>arn:aws[a-z-]*:(?:iam|sts)::)?(?P<account>\d{12})(?P<suffix>:.+)?$"
)
# Attributes naming the principal an access is granted to (`aws_lambda_permission`,
# `aws_lambda_layer_version_permission`), which rules compare with the own account.
_PRINCIPAL_ATTRIBUTES: Final = frozenset({"principal", "source_account"})
# Data source attributes a plan has read but rules recognise by their reference: the caller identity's
# account is the configuration's own account (`rules/_accounts.py`), which a literal id does not say.
_LINKED_DATA: Final = frozenset({("aws_caller_identity", "account_id")})
_MAX_DEPTH: Final = 16


@record
class Joins:
    """Inventory keys of the modelled resources of a plan, and what their names and ARNs are."""

    plan: Plan
    keys: Mapping[str, str]
    types: Mapping[str, str]
    by_value: Mapping[tuple[str, str], str]
    resources: Mapping[str, PlanResource]
    providers: Providers
    role_arns: Mapping[str, str]

    @classmethod
    def of(cls, plan: Plan, *, modelled: frozenset[str]) -> Joins:
        """Index every resource of `plan` whose type is in `modelled`."""
        keys: dict[str, str] = {}
        by_value: dict[tuple[str, str], str] = {}
        for resource in plan.resources:
            if resource.type not in modelled:
                continue
            key = f"{plan.display}#{resource.address}"
            keys[resource.address] = key
            for attribute in sorted(_IDENTITY):
                value = resource.values.get(attribute)
                if isinstance(value, str) and value:
                    by_value.setdefault((resource.type, value), key)
        types = {resource.address: resource.type for resource in plan.resources}
        resources = {resource.address: resource for resource in plan.resources}
        providers = Providers.of(plan)
        return cls(
            plan=plan,
            keys=keys,
            types=types,
            by_value=by_value,
            resources=resources,
            providers=providers,
            role_arns=role_arns(plan, providers=providers),
        )

    def by_name(self, target_type: str, value: object) -> str | None:
        """The key of the `target_type` resource whose name, id or ARN is `value`."""
        return self.by_value.get((target_type, value)) if isinstance(value, str) else None

    def referenced(self, resource: PlanResource, attribute: str) -> list[str]:
        """Addresses of the resources the configuration expression of `attribute` refers to, in order.

        A reference through a module variable is followed to the module call's argument in the parent,
        one to a module's output (`module.fn.arn`) to the output's expression in the module.
        """
        expression = resource.expressions.get(attribute)
        return list(_targets(self, expression, module=resource.module, index=resource.index, depth=0))

    def local_references(self, resource: PlanResource, attribute: str) -> list[tuple[str, str, str]]:
        """`(reference, target address, attribute)` for each `type.name.attr` reference of `attribute`'s
        expression to a resource of the same module instance, as the configuration writes it (and to the
        caller identity's account id, which the plan read: `_LINKED_DATA`)."""
        return self.expression_references(resource, resource.expressions.get(attribute))

    def expression_references(self, resource: PlanResource, expression: object) -> list[tuple[str, str, str]]:
        """`local_references` of one configuration expression of `resource`, such as a nested block's.

        A module variable (`var.account_id`) is followed to the argument the parent module passes, for
        the caller identity's account id only: it is the own account in any module, while a resource of
        the parent is not one of this module's.
        """
        return _references(self, expression, module=resource.module, linked_only=False, depth=0)

    def own_account(self, resource: PlanResource, attribute: str, value: str) -> str | None:
        """`value` of a principal attribute (`_PRINCIPAL_ATTRIBUTES`) with its account written as the caller
        identity's account id, when `value` names the account `resource` is created in: an account id,
        or an IAM or STS principal ARN in it, equal to the one account of the caller identities read
        with the resource's provider configuration (`Providers`).

        That account is the own account however the configuration writes it: literally, through a
        variable, or through a local value (which the plan does not record). Rules know the own account
        by the caller identity's reference, and a function whose region the plan does not tell has no ARN
        to compare a literal id with. None otherwise, or when the expression refers to a resource or the
        caller identity (`local_references`: a role the principal names joins that role).
        """
        match = _ACCOUNT_VALUE.match(value) if attribute in _PRINCIPAL_ATTRIBUTES else None
        caller = self._caller(resource) if match is not None else None
        if match is None or caller is None or caller[0] != match["account"]:
            return None
        if self.local_references(resource, attribute):
            return None
        return (match["prefix"] or "") + caller[1] + (match["suffix"] or "").replace("${", "$${")

    def own_account_trust(self, resource: PlanResource, attribute: str, value: str) -> str | None:
        """The trust policy `value` of a role whose ARN is not known (its name is chosen at apply), with
        its AWS principals in the role's own account written with the caller identity's account id, which
        rules know as the own account (a role with a known ARN gives it). None otherwise."""
        if (resource.type, attribute) != ("aws_iam_role", "assume_role_policy"):
            return None
        caller = None if resource.address in self.role_arns else self._caller(resource)
        if caller is None or self.local_references(resource, attribute):
            return None
        return own_account_trust(value, account=caller[0], reference=caller[1])

    def _caller(self, resource: PlanResource) -> tuple[str, str] | None:
        """The account of `resource`'s provider configuration and the reference to a caller identity read
        with it (one of the resource's module instance when there is one), when both are known."""
        key = self.providers.key_of(resource)
        own = self.providers.account(key)
        callers = [c for c in self.providers.callers.get(key, ()) if not c.endswith("]")]
        if own is None or not callers:
            return None
        local = f"{resource.module}.data." if resource.module else "data."
        caller = next(
            (c for c in callers if c.rpartition(".aws_caller_identity.")[0] + "." == local), callers[0]
        )
        return own[1], "${data.aws_caller_identity." + caller.rpartition(".")[2] + ".account_id}"

    def value_of(self, address: str, attribute: str) -> object:
        """The planned value of `attribute` of the resource or read data source at `address` (None when
        unknown or absent)."""
        resource = self.resources.get(address)
        if resource is None:
            return self.plan.data_values.get(address, {}).get(attribute)
        return resource.values.get(attribute)

    def key_of(self, resource: PlanResource, attribute: str, *, target_type: str) -> str | None:
        """The key of the one `target_type` resource `attribute` refers to, when there is exactly one."""
        found = {
            self.keys[address]
            for address in self.referenced(resource, attribute)
            if address in self.keys and self.types.get(address) == target_type
        }
        return found.pop() if len(found) == 1 else None


def _targets(joins: Joins, expression: object, *, module: str, index: object, depth: int) -> Iterator[str]:
    if depth > _MAX_DEPTH or not isinstance(expression, Mapping):
        return
    references = [r for r in as_list(expression.get("references")) if isinstance(r, str)]
    matches = [_REFERENCE.match(r) for r in references]
    qualified = {(m[2], m[3], m[4]) for m in matches if m is not None and m[5] is not None}
    for reference in references:
        if variable := _VARIABLE.match(reference):
            yield from _through_module(joins, variable[1], module=module, depth=depth)
            continue
        if output := _OUTPUT.match(reference):
            child, value = _module_output(joins, output, module=module)
            yield from _targets(joins, value, module=child, index=None, depth=depth + 1)
            continue
        match = _REFERENCE.match(reference)
        if match is None or match[1] == "data":
            continue
        attribute = match[5]
        if attribute is None and (match[2], match[3], match[4]) in qualified:
            continue
        if attribute is not None and attribute not in _IDENTITY:
            continue
        base = f"{module}.{match[2]}.{match[3]}" if module else f"{match[2]}.{match[3]}"
        candidates = [base + (match[4] or "")]
        if match[4] is None and index is not None:
            candidates.append(f"{base}[{json.dumps(index)}]")
        yield from (address for address in candidates if address in joins.types)


def _references(
    joins: Joins, expression: object, *, module: str, linked_only: bool, depth: int
) -> list[tuple[str, str, str]]:
    """`Joins.expression_references` of `expression` in module instance `module` (`linked_only`: only
    `_LINKED_DATA` references, for an argument a parent module passes)."""
    if depth > _MAX_DEPTH or not isinstance(expression, Mapping):
        return []
    out: list[tuple[str, str, str]] = []
    for reference in as_list(expression.get("references")):
        if not isinstance(reference, str):
            continue
        variable = _VARIABLE.match(reference)
        if variable is not None and variable[0] == reference:
            parent, argument = _module_argument(joins, variable[1], module=module)
            out += _references(joins, argument, module=parent, linked_only=True, depth=depth + 1)
            continue
        if output := _OUTPUT.match(reference):
            child, value = _module_output(joins, output, module=module)
            out += _references(joins, value, module=child, linked_only=True, depth=depth + 1)
            continue
        match = _REFERENCE.match(reference)
        if match is None or match[5] is None or match[0] != reference:
            continue
        local = f"{match[2]}.{match[3]}{match[4] or ''}"
        if match[1] == "data":
            if (match[2], match[5]) not in _LINKED_DATA:
                continue
            local = f"data.{local}"
        elif linked_only:
            continue
        address = f"{module}.{local}" if module else local
        if address in joins.types or address in joins.plan.data_values:
            out.append((reference, address, match[5]))
    return out


def _module_output(joins: Joins, output: re.Match[str], *, module: str) -> tuple[str, object]:
    """The module instance a `module.<call>[<key>].<output>` reference of module instance `module` names,
    and the expression of that output (None when the configuration does not have it)."""
    call, key, name = output[1], output[2] or "", output[3]
    child = f"{module}.module.{call}{key}" if module else f"module.{call}{key}"
    calls = as_mapping(as_mapping(module_config(joins.plan.config_root, module)).get("module_calls"))
    outputs = as_mapping(as_mapping(as_mapping(calls.get(call)).get("module")).get("outputs"))
    return child, as_mapping(outputs.get(name)).get("expression")


def _through_module(joins: Joins, variable: str, *, module: str, depth: int) -> Iterator[str]:
    """The targets of the argument `variable` that the parent module passes to module instance `module`."""
    parent, argument = _module_argument(joins, variable, module=module)
    yield from _targets(joins, argument, module=parent, index=None, depth=depth + 1)


def _module_argument(joins: Joins, variable: str, *, module: str) -> tuple[str, object]:
    """The parent module instance of `module` and the expression of its argument `variable` (None in the
    root module or when the call does not set it)."""
    if not module:
        return "", None
    parent, _, call = module.rpartition(".module.") if ".module." in module else ("", "", module)
    call_name = re.sub(r"\[[^\]]*\]$", "", call.removeprefix("module."))
    calls = as_mapping(as_mapping(module_config(joins.plan.config_root, parent)).get("module_calls"))
    return parent, as_mapping(as_mapping(calls.get(call_name)).get("expressions")).get(variable)
