"""The service-principal catalog (data/service_principals.json): which condition narrows a service's grant."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from lambdasec.records import record

__all__ = ["Guard", "ServicePrincipal", "ServicePrincipalCatalog", "is_service_principal"]

# Service principals are DNS-like names under amazonaws.com (or amazon.com for Alexa), also in China.
_SERVICE = re.compile(r"^[a-z0-9][a-z0-9.-]*\.amazon(aws)?\.com(\.cn)?$")


class Guard(StrEnum):
    """The restriction a grant to a service principal needs so only the intended resource can use it."""

    SOURCE = "source"
    SOURCE_ACCOUNT = "source-account"
    EVENT_SOURCE_TOKEN = "event-source-token"


@record
class ServicePrincipal:
    """One service principal: its guard and what its SourceArn names; `known` is False for defaults."""

    principal: str
    guard: Guard
    source_arn: str
    known: bool


@record(kw_only=False)
class ServicePrincipalCatalog:
    """Known service principals plus the guard assumed for other service principals."""

    principals: Mapping[str, ServicePrincipal]
    default_guard: Guard
    source: str = ""
    retrieved: str = ""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ServicePrincipalCatalog:
        """Build the catalog from the parsed service_principals.json document."""
        return cls(
            principals={
                name: ServicePrincipal(
                    principal=name,
                    guard=Guard(entry["guard"]),
                    source_arn=str(entry["source_arn"]),
                    known=True,
                )
                for name, entry in raw["principals"].items()
            },
            default_guard=Guard(raw["default_guard"]),
            source=str(raw.get("_source", "")),
            retrieved=str(raw.get("_retrieved", "")),
        )

    def get(self, principal: str) -> ServicePrincipal | None:
        """The entry for `principal` (any case); a default one for an uncatalogued service; else None."""
        name = principal.strip().lower()
        found = self.principals.get(name)
        if found is not None:
            return found
        if is_service_principal(name):
            return ServicePrincipal(principal=name, guard=self.default_guard, source_arn="", known=False)
        return None


def is_service_principal(principal: str) -> bool:
    """True for a domain-style AWS service principal such as `s3.amazonaws.com`."""
    return _SERVICE.match(principal.strip().lower()) is not None
