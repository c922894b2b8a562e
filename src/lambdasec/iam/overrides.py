"""Risk tags and privilege-escalation methods from data/iam_overrides.json, resolved against the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from lambdasec.data import DataFiles
from lambdasec.iam.catalog import ActionCatalog, load_catalog

__all__ = ["EscalationMethod", "RiskOverrides", "RiskTag", "Source", "TaggedAction", "load_overrides"]

_DATA_FILE = "iam_overrides.json"


class RiskTag(StrEnum):
    """What an action enables beyond its access level."""

    PRIVILEGE_ESCALATION = "privilege-escalation"
    CREDENTIAL_EXPOSURE = "credential-exposure"
    RESOURCE_EXPOSURE = "resource-exposure"
    DATA_EXFILTRATION = "data-exfiltration"


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A published reference an entry relies on."""

    key: str
    title: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TaggedAction:
    """One entry of the table: an action pattern, its tags, why, and where that is published."""

    pattern: str
    tags: frozenset[RiskTag]
    reason: str
    source: Source


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalationMethod:
    """A published privilege-escalation method: it holds when every action of `requires` is allowed."""

    id: str
    title: str
    requires: tuple[str, ...]
    description: str
    source: Source


class RiskOverrides:
    """The override table resolved against an action catalog (patterns expanded once)."""

    __slots__ = ("_by_action", "entries", "methods", "tag_descriptions")

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
        by_action: dict[str, list[TaggedAction]] = {}
        for entry in self.entries:
            for key in catalog.expand(entry.pattern):
                by_action.setdefault(key, []).append(entry)
        self._by_action = {key: tuple(found) for key, found in by_action.items()}

    def tags_of(self, action: str) -> frozenset[RiskTag]:
        """Risk tags of an action (any case); empty when the table does not list it."""
        return frozenset(tag for entry in self.entries_for(action) for tag in entry.tags)

    def entries_for(self, action: str) -> tuple[TaggedAction, ...]:
        """The table entries that cover an action (any case)."""
        return self._by_action.get(action.strip().lower(), ())

    def actions_tagged(self, tag: RiskTag) -> frozenset[str]:
        """Catalog keys (lowercase `service:action`) of every action with `tag`."""
        return frozenset(
            key for key, entries in self._by_action.items() if any(tag in e.tags for e in entries)
        )


@cache
def load_overrides() -> RiskOverrides:
    """The shipped table against the shipped catalog, read once per process."""
    return RiskOverrides(DataFiles().load_json(_DATA_FILE), catalog=load_catalog())
