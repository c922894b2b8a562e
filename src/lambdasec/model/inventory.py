"""The Inventory: every modelled object of a scan and the relationship queries rules use."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar

from lambdasec.model.access import FunctionUrl, Permission
from lambdasec.model.code import CodeFile, CodeSecret, CodeUnit, Flow
from lambdasec.model.function import (
    Alias,
    CodeSigningConfig,
    FunctionVersion,
    LambdaFunction,
    LayerPermission,
    LayerVersion,
    ProvisionedConcurrency,
)
from lambdasec.model.iam import ManagedPolicy, Role
from lambdasec.model.ignores import DeclaredIgnore
from lambdasec.model.network import DataStore, Subnet
from lambdasec.model.origin import Origin
from lambdasec.model.resources import LogGroup, Queue, SecurityGroup, Trail
from lambdasec.model.triggers import Api, ApiRoute, ApiStage, Authorizer, EventSourceMapping, PushTrigger
from lambdasec.model.values import Unresolved


class Keyed(Protocol):
    """Any model object with an inventory key and an origin."""

    @property
    def key(self) -> str: ...

    @property
    def origin(self) -> Origin: ...


class FunctionBound(Keyed, Protocol):
    """A model object that points at a function (None: at none, as an authorizer of another kind)."""

    @property
    def function(self) -> str | Unresolved | None: ...


K = TypeVar("K", bound=Keyed)
B = TypeVar("B", bound=FunctionBound)


@dataclass(frozen=True, kw_only=True)
class Inventory:
    """Everything the sources found, as immutable tuples, plus indexes built on first use."""

    functions: tuple[LambdaFunction, ...] = ()
    roles: tuple[Role, ...] = ()
    managed_policies: tuple[ManagedPolicy, ...] = ()
    permissions: tuple[Permission, ...] = ()
    function_urls: tuple[FunctionUrl, ...] = ()
    event_source_mappings: tuple[EventSourceMapping, ...] = ()
    push_triggers: tuple[PushTrigger, ...] = ()
    apis: tuple[Api, ...] = ()
    api_stages: tuple[ApiStage, ...] = ()
    api_routes: tuple[ApiRoute, ...] = ()
    authorizers: tuple[Authorizer, ...] = ()
    versions: tuple[FunctionVersion, ...] = ()
    aliases: tuple[Alias, ...] = ()
    provisioned_concurrency: tuple[ProvisionedConcurrency, ...] = ()
    layers: tuple[LayerVersion, ...] = ()
    layer_permissions: tuple[LayerPermission, ...] = ()
    code_signing_configs: tuple[CodeSigningConfig, ...] = ()
    log_groups: tuple[LogGroup, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    data_stores: tuple[DataStore, ...] = ()
    queues: tuple[Queue, ...] = ()
    trails: tuple[Trail, ...] = ()
    declared_ignores: tuple[DeclaredIgnore, ...] = ()
    code_files: tuple[CodeFile, ...] = ()
    code_units: tuple[CodeUnit, ...] = ()
    flows: tuple[Flow, ...] = ()
    code_secrets: tuple[CodeSecret, ...] = ()

    # -- combining -----------------------------------------------------------------------------

    @staticmethod
    def merge(parts: Iterable[Inventory]) -> Inventory:
        """One inventory holding every object of `parts`, in order.

        A lookup table one part already built is kept when no other part holds objects it is built from
        (the code source adds code objects only, so the infrastructure's function index stays valid).
        """
        given = list(parts)
        collected: dict[str, list[object]] = defaultdict(list)
        names = [f.name for f in dataclasses.fields(Inventory)]
        for part in given:
            for name in names:
                collected[name].extend(getattr(part, name))
        merged = Inventory(**{name: tuple(collected[name]) for name in names})  # type: ignore[arg-type]
        for table, inputs in _TABLE_INPUTS.items():
            holders = [part for part in given if any(getattr(part, name) for name in inputs)]
            if len(holders) == 1 and table in vars(holders[0]):
                vars(merged)[table] = vars(holders[0])[table]
        return merged

    # -- lookups -------------------------------------------------------------------------------

    @cached_property
    def _functions_by_ref(self) -> Mapping[str, LambdaFunction]:
        return _index(self.functions, lambda f: (f.key, f.name, f.arn))

    @cached_property
    def _roles_by_ref(self) -> Mapping[str, Role]:
        return _index(self.roles, lambda r: (r.key, r.name, r.arn))

    @cached_property
    def _by_function(self) -> Mapping[tuple[str, str], tuple[Keyed, ...]]:
        grouped: dict[tuple[str, str], list[Keyed]] = defaultdict(list)
        bound: tuple[tuple[str, tuple[FunctionBound, ...]], ...] = (
            ("permissions", self.permissions),
            ("function_urls", self.function_urls),
            ("event_source_mappings", self.event_source_mappings),
            ("push_triggers", self.push_triggers),
            ("api_routes", self.api_routes),
            ("aliases", self.aliases),
            ("versions", self.versions),
            ("provisioned_concurrency", self.provisioned_concurrency),
            ("authorizers", self.authorizers),
        )
        for kind, items in bound:
            for item in items:
                fn = self.function(item.function)
                if fn is not None:
                    grouped[(kind, fn.key)].append(item)
        return {k: tuple(v) for k, v in grouped.items()}

    @cached_property
    def _log_groups_by_ref(self) -> Mapping[str, LogGroup]:
        return _index(self.log_groups, lambda g: (g.key, g.name))

    @cached_property
    def _queues_by_ref(self) -> Mapping[str, Queue]:
        return _index(self.queues, lambda q: (q.key, q.name, q.arn))

    @cached_property
    def _apis_by_key(self) -> Mapping[str, Api]:
        return _index(self.apis, lambda a: (a.key,))

    @cached_property
    def _stages_by_api(self) -> Mapping[str, tuple[ApiStage, ...]]:
        grouped: dict[str, list[ApiStage]] = defaultdict(list)
        for stage in self.api_stages:
            if isinstance(stage.api, str):
                grouped[stage.api].append(stage)
        return {k: tuple(v) for k, v in grouped.items()}

    def api(self, ref: str | Unresolved | None) -> Api | None:
        """The API an inventory key points at (an API route's or stage's `api`), if in scope."""
        return self._apis_by_key.get(ref) if isinstance(ref, str) else None

    def stages_of(self, api: str | Unresolved | None) -> tuple[ApiStage, ...]:
        """The deployed stages of the API with inventory key `api`."""
        return self._stages_by_api.get(api, ()) if isinstance(api, str) else ()

    def fingerprint_name(self, display_name: str) -> str:
        """The `fingerprint_name` of the function shown as `display_name` (itself when it is the same)."""
        return self._fingerprint_names.get(display_name, display_name)

    @cached_property
    def _fingerprint_names(self) -> Mapping[str, str]:
        out: dict[str, str] = {}
        for fn in self.functions:
            if fn.origin.construct_path is not None and fn.display_name != fn.fingerprint_name:
                out.setdefault(fn.display_name, fn.fingerprint_name)
        return out

    def function(self, ref: str | Unresolved | None) -> LambdaFunction | None:
        """The function a reference (inventory key, name, ARN, or qualified ARN) points at, if in scope."""
        if not isinstance(ref, str):
            return None
        found = self._functions_by_ref.get(ref)
        if found is None and ref.startswith("arn:") and ref.count(":") == 7:
            found = self._functions_by_ref.get(ref.rsplit(":", 1)[0])
        if found is None and ref.startswith("arn:") and ":function:" in ref:
            found = self._functions_by_ref.get(ref.split(":function:", 1)[1].split(":", 1)[0])
        return found

    def role(self, ref: str | Unresolved | None) -> Role | None:
        """The role a reference (inventory key, name or ARN) points at, if in scope."""
        if not isinstance(ref, str):
            return None
        found = self._roles_by_ref.get(ref)
        if found is None and ref.startswith("arn:") and ":role/" in ref:
            found = self._roles_by_ref.get(ref.rsplit("/", 1)[1])
        return found

    def role_of(self, fn: LambdaFunction) -> Role | Unresolved | None:
        """The execution role of `fn`; Unresolved when the role is not known or not in scope."""
        if fn.role is None:
            return None
        if isinstance(fn.role, Unresolved):
            return fn.role
        role = self._roles_by_ref.get(fn.role) or self.role(fn.role)  # `role`, its common case inline
        if role is None:
            return Unresolved(f"role `{fn.role}` is not defined in the scanned sources")
        return role

    def log_group_of(self, fn: LambdaFunction) -> LogGroup | Unresolved | None:
        """The log group `fn` writes to; None when none is declared (Lambda creates `/aws/lambda/<name>`).

        The group is the one named by the function's logging config, else the one named
        `/aws/lambda/<function name>` or built from a reference to the function. Unresolved when the
        configured group is not in scope, or when a declared `/aws/lambda/...` name is not known statically.
        """
        if isinstance(fn.log_group_name, Unresolved):
            return fn.log_group_name
        if fn.log_group_name is not None:
            group = self._log_groups_by_ref.get(fn.log_group_name)
            if group is None:
                return Unresolved(f"log group `{fn.log_group_name}` is not defined in the scanned sources")
            return group
        bound = self._log_groups_by_function.get(id(fn))
        if bound is not None:
            return bound
        if isinstance(fn.name, str):
            group = self._log_groups_by_ref.get(f"/aws/lambda/{fn.name}")
            if group is not None:
                return group
        return self._unnamed_lambda_log_group

    @cached_property
    def _log_groups_by_function(self) -> Mapping[int, LogGroup]:
        """The first log group built from a reference to each function, by the function object's id."""
        found: dict[int, LogGroup] = {}
        for group in self.log_groups:
            fn = self.function(group.function) if group.function is not None else None
            if fn is not None:
                found.setdefault(id(fn), group)
        return found

    @cached_property
    def _unnamed_lambda_log_group(self) -> Unresolved | None:
        """Unresolved for the first unbound log group whose `/aws/lambda/...` name is not known statically."""
        for group in self.log_groups:
            name = group.name
            if isinstance(name, Unresolved) and "/aws/lambda/" in name.reason and group.function is None:
                return Unresolved(f"log group `{group.origin.resource}` is named `{name.reason}`")
        return None

    def queue(self, ref: str | Unresolved | None) -> Queue | None:
        """The SQS queue a reference (inventory key, name or ARN) points at, if in scope."""
        if not isinstance(ref, str):
            return None
        found = self._queues_by_ref.get(ref)
        if found is None and ref.startswith("arn:") and ":sqs:" in ref:
            found = self._queues_by_ref.get(ref.rsplit(":", 1)[1])
        return found

    @cached_property
    def _functions_by_role(self) -> Mapping[str, tuple[LambdaFunction, ...]]:
        grouped: dict[str, list[LambdaFunction]] = defaultdict(list)
        for fn in self.functions:
            role = self.role_of(fn)
            if isinstance(role, Role):
                grouped[role.key].append(fn)
        return {key: tuple(fns) for key, fns in grouped.items()}

    def functions_using(self, role: Role) -> tuple[LambdaFunction, ...]:
        """Functions whose execution role is `role`."""
        return self._functions_by_role.get(role.key, ())

    def grants_for(self, fn: LambdaFunction) -> tuple[Permission, ...]:
        """Resource-policy statements that let someone invoke `fn` (who can invoke it)."""
        return self._by_function.get(("permissions", fn.key), ())  # type: ignore[return-value]

    def url_of(self, fn: LambdaFunction) -> tuple[FunctionUrl, ...]:
        """Function URLs of `fn` (one per qualifier)."""
        return self._by_function.get(("function_urls", fn.key), ())  # type: ignore[return-value]

    def event_sources_of(self, fn: LambdaFunction) -> tuple[EventSourceMapping, ...]:
        """Poll-based event sources of `fn`."""
        return self._by_function.get(("event_source_mappings", fn.key), ())  # type: ignore[return-value]

    def push_triggers_of(self, fn: LambdaFunction) -> tuple[PushTrigger, ...]:
        """Services that push events to `fn`."""
        return self._by_function.get(("push_triggers", fn.key), ())  # type: ignore[return-value]

    def routes_to(self, fn: LambdaFunction) -> tuple[ApiRoute, ...]:
        """API routes that invoke `fn`."""
        return self._by_function.get(("api_routes", fn.key), ())  # type: ignore[return-value]

    def aliases_of(self, fn: LambdaFunction) -> tuple[Alias, ...]:
        """Aliases of `fn`."""
        return self._by_function.get(("aliases", fn.key), ())  # type: ignore[return-value]

    def versions_of(self, fn: LambdaFunction) -> tuple[FunctionVersion, ...]:
        """Published versions of `fn`."""
        return self._by_function.get(("versions", fn.key), ())  # type: ignore[return-value]

    def provisioned_concurrency_of(self, fn: LambdaFunction) -> tuple[ProvisionedConcurrency, ...]:
        """Provisioned concurrency settings on the aliases and versions of `fn`."""
        return self._by_function.get(("provisioned_concurrency", fn.key), ())  # type: ignore[return-value]

    def authorizers_of(self, fn: LambdaFunction) -> tuple[Authorizer, ...]:
        """The API authorizers that run `fn` to decide who may call an API."""
        return self._by_function.get(("authorizers", fn.key), ())  # type: ignore[return-value]

    def function_of(self, obj: object) -> LambdaFunction | None:
        """The function a model object belongs to: itself, or the function it points at."""
        if isinstance(obj, LambdaFunction):
            return obj
        ref = getattr(obj, "function", None)
        return self.function(ref) if isinstance(ref, str) else None


# The collections each lookup table (a cached property above) is built from.
_TABLE_INPUTS: Mapping[str, tuple[str, ...]] = {
    "_functions_by_ref": ("functions",),
    "_fingerprint_names": ("functions",),
    "_roles_by_ref": ("roles",),
    "_by_function": (
        "functions",
        "permissions",
        "function_urls",
        "event_source_mappings",
        "push_triggers",
        "api_routes",
        "aliases",
        "versions",
        "provisioned_concurrency",
        "authorizers",
    ),
    "_log_groups_by_ref": ("log_groups",),
    "_queues_by_ref": ("queues",),
    "_apis_by_key": ("apis",),
    "_stages_by_api": ("api_stages",),
    "_log_groups_by_function": ("functions", "log_groups"),
    "_unnamed_lambda_log_group": ("log_groups",),
    "_functions_by_role": ("functions", "roles"),
}


def _index(items: Iterable[K], refs: Callable[[K], tuple[object, ...]]) -> Mapping[str, K]:
    """Map every string reference of each item to the item; the first declaration wins."""
    index: dict[str, K] = {}
    for item in items:
        for ref in refs(item):
            if isinstance(ref, str) and ref not in index:
                index[ref] = item
    return index
