"""Risk tags and privilege-escalation methods from data/iam_overrides.json, resolved against the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from lambdasec.data import DataFiles
from lambdasec.iam.catalog import ActionCatalog, load_catalog
from lambdasec.iam.wildcards import has_wildcard
from lambdasec.records import record

__all__ = ["EscalationMethod", "RiskOverrides", "RiskTag", "Source", "TaggedAction", "load_overrides"]

_DATA_FILE = "iam_overrides.json"


class RiskTag(StrEnum):
    """What an action enables beyond its access level."""

    PRIVILEGE_ESCALATION = "privilege-escalation"
    CREDENTIAL_EXPOSURE = "credential-exposure"
    RESOURCE_EXPOSURE = "resource-exposure"
    DATA_EXFILTRATION = "data-exfiltration"


@record
class Source:
    """A published reference an entry relies on."""

    key: str
    title: str
    url: str


@record
class TaggedAction:
    """One entry of the table: an action pattern, its tags, why, and where that is published."""

    pattern: str
    tags: frozenset[RiskTag]
    reason: str
    source: Source


@record
class EscalationMethod:
    """A published privilege-escalation method: it holds when every action of `requires` is allowed."""

    id: str
    title: str
    requires: tuple[str, ...]
    description: str
    source: Source


class RiskOverrides:
    """The override table resolved against an action catalog, one service at a time.

    An entry's pattern is expanded when an action of its service is first asked about, so a
    question on `iam:PassRole` reads the catalog's `iam` actions only.
    """

    __slots__ = (
        "_by_service",
        "_catalog",
        "_resolved",
        "_tags",
        "_wild",
        "entries",
        "method_keys",
        "methods",
        "tag_descriptions",
    )

    def __init__(self, raw: Mapping[str, Any], *, catalog: ActionCatalog) -> None:
        sources = {
            key: Source(key=key, title=str(s["title"]), url=str(s["url"]))
            for key, s in raw["sources"].items()
        }
        self.tag_descriptions = {RiskTag(k): str(v) for k, v in raw["tags"].items()}
        self.entries = tuple(
            TaggedAction(
                pattern=pattern,
                tags=frozenset(RiskTag(t) for t in body["tags"]),
                reason=str(body["reason"]),
                source=sources[body["source"]],
            )
            for pattern, body in raw["actions"].items()
        )
        self.methods = tuple(
            EscalationMethod(
                id=str(m["id"]),
                title=str(m["title"]),
                requires=tuple(str(a) for a in m["requires"]),
                description=str(m["description"]),
                source=sources[m["source"]],
            )
            for m in raw["escalation_methods"]
        )
        # Per method, the lowercase keys of the actions it requires.
        self.method_keys = tuple(frozenset(a.lower() for a in m.requires) for m in self.methods)
        self._catalog = catalog
        # Entries by the service their pattern names; `_wild` holds those whose service part is a pattern.
        self._by_service: dict[str, list[int]] = {}
        self._wild: list[int] = []
        for index, entry in enumerate(self.entries):
            service = entry.pattern.strip().lower().partition(":")[0]
            if has_wildcard(service):
                self._wild.append(index)
            else:
                self._by_service.setdefault(service, []).append(index)
        self._resolved: dict[str, dict[str, tuple[TaggedAction, ...]]] = {}
        self._tags: dict[str, frozenset[RiskTag]] = {}  # every tag of each action of the resolved services

    def tags_of(self, action: str) -> frozenset[RiskTag]:
        """Risk tags of an action (any case); empty when the table does not list it."""
        return frozenset(tag for entry in self.entries_for(action) for tag in entry.tags)

    def entries_for(self, action: str) -> tuple[TaggedAction, ...]:
        """The table entries that cover an action (any case)."""
        key = action.strip().lower()
        return self._service(key.partition(":")[0]).get(key, ())

    def actions_tagged(self, tag: RiskTag) -> frozenset[str]:
        """Catalog keys (lowercase `service:action`) of every action with `tag`."""
        services = set(self._by_service)
        if self._wild:
            services.update(self._catalog.services)
        return frozenset(
            key
            for service in services
            for key, entries in self._service(service).items()
            if any(tag in e.tags for e in entries)
        )

    def tagged_among(self, tag: RiskTag, keys: Iterable[str]) -> frozenset[str]:
        """The catalog `keys` (lowercase) whose action has `tag`: `actions_tagged(tag) & keys`, reading
        their services only."""
        out: list[str] = []
        tags = self._tags
        for key in keys:
            found = tags.get(key)
            if found is None:
                service = key.partition(":")[0]
                if service in self._resolved:
                    continue  # the table has no entry for the action
                self._service(service)
                found = tags.get(key)
                if found is None:
                    continue
            if tag in found:
                out.append(key)
        return frozenset(out)

    def _service(self, service: str) -> dict[str, tuple[TaggedAction, ...]]:
        """The entries covering each action of `service`, in table order (resolved once)."""
        found = self._resolved.get(service)
        if found is None:
            indexes = sorted(self._by_service.get(service, []) + self._wild)
            by_action: dict[str, list[TaggedAction]] = {}
            for index in indexes:
                entry = self.entries[index]
                for key in self._catalog.expand(entry.pattern):
                    if key.partition(":")[0] == service:
                        by_action.setdefault(key, []).append(entry)
            found = self._resolved[service] = {key: tuple(entries) for key, entries in by_action.items()}
            for key, entries in by_action.items():
                self._tags[key] = frozenset(tag for entry in entries for tag in entry.tags)
        return found


@cache
def load_overrides() -> RiskOverrides:
    """The shipped table against the shipped catalog, read once per process."""
    return RiskOverrides(DataFiles().load_json(_DATA_FILE), catalog=load_catalog())
