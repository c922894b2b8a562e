"""The Lambda runtime lifecycle catalog (data/runtimes.json) and the phase of a runtime on a given day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from lambdasec.records import record

__all__ = ["Phase", "RuntimeCatalog", "RuntimeInfo"]


class Phase(StrEnum):
    """Where a runtime is in its lifecycle on a given day, from harmless to blocked."""

    SUPPORTED = "supported"
    DEPRECATION_SOON = "deprecation-soon"
    DEPRECATED = "deprecated"
    CREATE_BLOCKED = "create-blocked"
    UPDATE_BLOCKED = "update-blocked"

    def describe(self) -> str:
        """A short phrase for messages."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: Mapping[Phase, str] = {
    Phase.SUPPORTED: "supported",
    Phase.DEPRECATION_SOON: "deprecated soon",
    Phase.DEPRECATED: "deprecated: no more security patches",
    Phase.CREATE_BLOCKED: "deprecated: new functions can no longer be created with it",
    Phase.UPDATE_BLOCKED: "deprecated: functions using it can no longer be updated",
}


@record
class RuntimeInfo:
    """Lifecycle dates of one runtime identifier; a date is None when AWS has not published it."""

    identifier: str
    name: str
    deprecated: date | None
    block_create: date | None
    block_update: date | None
    successor: str | None

    def phase(self, *, on: date, warn_days: int) -> Phase:
        """The phase on day `on`; DEPRECATION_SOON within `warn_days` before deprecation."""
        if self.block_update is not None and on >= self.block_update:
            return Phase.UPDATE_BLOCKED
        if self.block_create is not None and on >= self.block_create:
            return Phase.CREATE_BLOCKED
        if self.deprecated is not None and on >= self.deprecated:
            return Phase.DEPRECATED
        if self.deprecated is not None and on >= self.deprecated - timedelta(days=warn_days):
            return Phase.DEPRECATION_SOON
        return Phase.SUPPORTED

    def phase_date(self, phase: Phase) -> date | None:
        """The day `phase` starts (the deprecation day for DEPRECATION_SOON)."""
        match phase:
            case Phase.UPDATE_BLOCKED:
                return self.block_update
            case Phase.CREATE_BLOCKED:
                return self.block_create
            case Phase.DEPRECATED | Phase.DEPRECATION_SOON:
                return self.deprecated
            case Phase.SUPPORTED:
                return None


@record(kw_only=False)
class RuntimeCatalog:
    """Every known Lambda runtime identifier with its lifecycle, plus where the dates came from."""

    runtimes: Mapping[str, RuntimeInfo]
    source: str = ""
    retrieved: str = ""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> RuntimeCatalog:
        """Build the catalog from the parsed runtimes.json document."""
        entries = raw["runtimes"]
        return cls(
            runtimes={
                identifier: RuntimeInfo(
                    identifier=identifier,
                    name=str(entry["name"]),
                    deprecated=_date(entry.get("deprecated")),
                    block_create=_date(entry.get("block_create")),
                    block_update=_date(entry.get("block_update")),
                    successor=entry.get("successor"),
                )
                for identifier, entry in entries.items()
            },
            source=str(raw.get("_source", "")),
            retrieved=str(raw.get("_retrieved", "")),
        )

    def get(self, identifier: str) -> RuntimeInfo | None:
        """The lifecycle of `identifier`, or None when the runtime is not known."""
        return self.runtimes.get(identifier.strip().lower())


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
