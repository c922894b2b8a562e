"""References between API Gateway blocks, and from integration URIs to the functions they invoke."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lambdasec.model import Api, ApiRoute, ApiStage, Authorizer, Throttling, Unresolved
from lambdasec.records import record
from lambdasec.sources.terraform.calls import Key
from lambdasec.sources.terraform.expressions import Scope, instance_label, split_template
from lambdasec.sources.terraform.hcl import Block
from lambdasec.sources.terraform.instances import expand
from lambdasec.sources.terraform.reader import Reader

__all__ = [
    "ApiLinks",
    "ApiParts",
    "FunctionTarget",
    "Readers",
    "Ref",
    "RouteThrottles",
    "reference",
    "references_in",
    "split_route_key",
    "throttling",
]

Readers = Callable[[str], list[Reader]]
# (api key, method, path) -> throttling of that one route, from stage or method settings
RouteThrottles = dict[tuple[str, str, str], Throttling]

_REF: Final = re.compile(
    r"^\s*(?P<address>(?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)(?:\[(?P<index>[^\]]*)\])?"
    r"\.(?P<attr>[A-Za-z_]\w*)\s*$"
)
_URI_FUNCTION: Final = re.compile(r":lambda:path/[^/]+/functions/(?P<arn>.+?)/invocations")
_FUNCTION: Final = "aws_lambda_function"
_ALIAS: Final = "aws_lambda_alias"
# Attributes of a function or alias that name it unqualified, or qualified with a version/alias.
_UNQUALIFIED: Final = frozenset({"arn", "invoke_arn", "function_name", "id"})
_QUALIFIED: Final = frozenset({"qualified_arn", "qualified_invoke_arn"})
_MAX_HOPS: Final = 8
# An inventory key of a function (`main.tf#module.m.aws_lambda_function.f["a"]`).
_KEY_TYPE: Final = re.compile(r"(?:#|\.)aws_lambda_function\.[\w-]+(?:\[[^\]]*\])?$")


@record(kw_only=False)
class Ref:
    """A reference `type.name.attribute`, or `type.name[index].attribute` (`index`: the expression)."""

    address: str
    attribute: str
    index: str | None = None

    @property
    def type(self) -> str:
        """The block type the reference points at."""
        return self.address.removeprefix("data.").split(".", 1)[0]


def reference(raw: Any) -> Ref | None:
    """The reference `raw` is when it is exactly one `${type.name.attr}` expression."""
    if not isinstance(raw, str):
        return None
    parts = split_template(raw)
    if parts is None or len(parts) != 1 or isinstance(parts[0], str):
        return None
    match = _REF.match(parts[0].text)
    return Ref(match["address"], match["attr"], match["index"]) if match else None


def references_in(raw: Any) -> Iterator[Ref]:
    """Every `${type.name.attr}` reference inside a string template."""
    if not isinstance(raw, str):
        return
    for part in split_template(raw) or []:
        if not isinstance(part, str) and (match := _REF.match(part.text)):
            yield Ref(match["address"], match["attr"], match["index"])


@dataclass(kw_only=True)
class ApiParts:
    """The API Gateway objects of one module, and per-route throttling found on stages."""

    apis: list[Api] = field(default_factory=list)
    stages: list[ApiStage] = field(default_factory=list)
    routes: list[ApiRoute] = field(default_factory=list)
    authorizers: list[Authorizer] = field(default_factory=list)
    throttles: RouteThrottles = field(default_factory=dict)


@record(kw_only=False)
class FunctionTarget:
    """The function an integration invokes and the qualifier (alias or version) it names, if any."""

    function: str | Unresolved
    qualifier: str | Unresolved | None = None


def split_route_key(route_key: str | Unresolved) -> tuple[str | Unresolved, str | Unresolved]:
    """`GET /orders` as (`GET`, `/orders`); `$default` as (`ANY`, `$default`); `$connect` as itself twice."""
    if isinstance(route_key, Unresolved):
        return route_key, route_key
    method, space, path = route_key.partition(" ")
    if not space:
        return ("ANY", route_key) if route_key == "$default" else (route_key, route_key)
    return method.upper(), path.strip()


@record
class ApiLinks:
    """Every block of a module by address, to follow references between API Gateway blocks."""

    scope: Scope
    blocks: Mapping[str, Block]
    # address -> labels of its instances (`[0]`, `["a"]`), None for one block read as written
    _labels: dict[str, frozenset[str] | None] = field(default_factory=dict, compare=False, repr=False)

    def key(self, address: str, *, index: str | None = None, scope: Scope | None = None) -> str | None:
        """The inventory key of the block at `address` (of its instance `[index]`, the index read in
        `scope`), when the module declares it and the instance is known."""
        block = self.blocks.get(address)
        full = self.address(address, index=index, scope=scope)
        return None if block is None or full is None else self.scope.key_of(block.file.display, full)

    def address(self, address: str, *, index: str | None = None, scope: Scope | None = None) -> str | None:
        """The full address of the instance a reference names: module prefix, address and the label of
        `[index]`; no label for a block without `count`/`for_each` or whose collection is not known
        (it is read once, as written). None when the instance is not one the module has."""
        block = self.blocks.get(address)
        if block is None:
            return None
        if address not in self._labels:
            written = frozenset(i.label for i in expand(block.body, self.scope))
            self._labels[address] = None if written == {""} else written
        labels = self._labels[address]
        if labels is None:
            return self.scope.prefix + address
        if index is None:
            return None
        value = (scope or self.scope).evaluate(index)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool | Key) or not isinstance(value, str | int):
            return None
        label = instance_label(value)
        return self.scope.prefix + address + label if label in labels else None

    def block(self, raw: Any, types: frozenset[str]) -> Block | None:
        """The block of one of `types` that `raw` refers to."""
        ref = reference(raw)
        if ref is None or ref.type not in types:
            return None
        return self.blocks.get(ref.address)

    def target(
        self, r: Reader, attr: str, types: frozenset[str], *, field: str | None = None
    ) -> str | Unresolved | None:
        """The inventory key of the block of `types` that attribute `attr` refers to, else its text."""
        if attr not in r.block.body:
            return None
        raw = r.block.body[attr]
        if field is not None:
            r.note(field, r.block.attribute_line(attr))
        ref = reference(raw)
        if ref is not None and ref.type in types:
            if ref.address not in self.blocks:
                return Unresolved(f"{ref.address} is not declared in the module")
            key = self.key(ref.address, index=ref.index, scope=r.scope)
            return key if key is not None else Unresolved(f"{ref.address}[{ref.index}]: instance not known")
        value = r.scope.resolve(raw)
        if value is None or isinstance(value, str | Unresolved):
            return value  # null (`try(..., null)` with nothing to name) is not set
        return Unresolved(f"{attr} = {raw}")

    def function(
        self, raw: Any, *, integration_type: Any = None, scope: Scope | None = None
    ) -> FunctionTarget | None:
        """The function an integration URI or function ARN invokes (read in `scope`, the integration's
        own when it has `count`/`for_each`); None when it is not a Lambda one."""
        inner = scope or self.scope
        refs = [r for r in references_in(raw) if r.type in (_FUNCTION, _ALIAS)]
        if len(refs) == 1:
            return self._through(refs[0], hops=0, scope=inner)
        value = inner.resolve(raw)
        if isinstance(value, Key):
            # a function reached through a variable or `try(...)`: its key, as a written reference gives
            return FunctionTarget(value) if _KEY_TYPE.search(value) else None
        if isinstance(integration_type, str) and "${" in integration_type:
            integration_type = inner.resolve(integration_type)
        if isinstance(value, str):
            match = _URI_FUNCTION.search(value)
            arn = match["arn"] if match else value
            if ":function:" not in arn:
                return None
            qualifier = arn.rsplit(":", 1)[1] if arn.count(":") == 7 else None
            return FunctionTarget(arn, qualifier)
        lambda_type = isinstance(integration_type, str) and integration_type.lower() in ("aws", "aws_proxy")
        if lambda_type and "lambda" in str(raw):
            return FunctionTarget(value if isinstance(value, Unresolved) else Unresolved(str(raw)))
        return None

    def authorizer_function(self, r: Reader) -> str | Unresolved | None:
        """The function a Lambda authorizer block (REST or HTTP API) invokes, from its `authorizer_uri`."""
        if "authorizer_uri" not in r.block.body:
            return None
        r.note("function", r.block.attribute_line("authorizer_uri"))
        target = self.function(r.block.body["authorizer_uri"], integration_type="aws")
        return target.function if target is not None else None

    def _through(self, ref: Ref, *, hops: int, scope: Scope) -> FunctionTarget:
        """The function behind a reference to a function or an alias (qualifier: the alias name)."""
        if ref.address not in self.blocks:
            return FunctionTarget(Unresolved(f"{ref.address} is not declared in the module"))
        key = self.key(ref.address, index=ref.index, scope=scope)
        if key is None:
            return FunctionTarget(Unresolved(f"{ref.address}[{ref.index}]: instance not known"))
        if ref.type == _FUNCTION:
            if ref.attribute in _QUALIFIED:
                return FunctionTarget(key, Unresolved(f"{ref.address}.{ref.attribute}: version at apply"))
            return FunctionTarget(key)
        alias = self.blocks[ref.address]
        name = self.scope.resolve(alias.body.get("name"))
        qualifier = name if isinstance(name, str | Unresolved) else Unresolved(f"name of {ref.address}")
        inner = reference(alias.body.get("function_name"))
        if inner is not None and inner.type in (_FUNCTION, _ALIAS) and hops < _MAX_HOPS:
            return FunctionTarget(self._through(inner, hops=hops + 1, scope=scope).function, qualifier)
        function = self.scope.resolve(alias.body.get("function_name"))
        if not isinstance(function, str | Unresolved):
            function = Unresolved(f"function_name of {ref.address}")
        return FunctionTarget(function, qualifier)


def throttling(
    r: Reader, body: Mapping[str, Any], *, rate: str, burst: str, field: str | None
) -> Throttling | None:
    """Rate and burst limits of a settings block; -1 (Terraform's "not set") counts as absent."""
    rate_limit = _number(r.value(rate, field=field, body=body), rate)
    burst_number = _number(r.value(burst, field=field, body=body), burst)
    burst_limit = int(burst_number) if isinstance(burst_number, float) else burst_number
    if rate_limit == -1:
        rate_limit = None
    if burst_limit == -1:
        burst_limit = None
    if rate_limit is None and burst_limit is None:
        return None
    return Throttling(rate_limit=rate_limit, burst_limit=burst_limit)


def _number(value: Any, attr: str) -> float | Unresolved | None:
    if value is None or isinstance(value, Unresolved):
        return value
    if isinstance(value, bool):
        return Unresolved(f"{attr} = {value}")
    try:
        return float(value)
    except (TypeError, ValueError):
        return Unresolved(f"{attr} = {value}")
