"""The Lambda on-demand price table (data/lambda_prices.json): price per GB-second and per request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from lambdasec.records import record

__all__ = ["ArchitecturePrice", "LambdaPrices"]


@record
class ArchitecturePrice:
    """On-demand prices of one instruction set architecture, in the table's currency."""

    gb_second: float
    request: float


@record
class LambdaPrices:
    """Prices per architecture (`x86_64`, `arm64`) for one region, with where and when they were read."""

    region: str
    currency: str
    source: str
    retrieved: date
    architectures: Mapping[str, ArchitecturePrice]

    @classmethod
    def from_json(cls, raw: Any) -> LambdaPrices:
        """Parse the stored table; a malformed table raises ValueError naming the bad entry."""
        if not isinstance(raw, dict) or not isinstance(raw.get("architectures"), dict):
            raise ValueError("lambda_prices.json: `architectures` must be a table")
        prices: dict[str, ArchitecturePrice] = {}
        for name, entry in raw["architectures"].items():
            if not isinstance(entry, dict):
                raise ValueError(f"lambda_prices.json: architecture `{name}` must be a table")
            gb_second, request = entry.get("gb_second"), entry.get("request")
            if not isinstance(gb_second, int | float) or not isinstance(request, int | float):
                raise ValueError(f"lambda_prices.json: `{name}` needs numeric `gb_second` and `request`")
            prices[str(name)] = ArchitecturePrice(gb_second=float(gb_second), request=float(request))
        return cls(
            region=str(raw.get("region", "")),
            currency=str(raw.get("currency", "USD")),
            source=str(raw.get("_source", "")),
            retrieved=date.fromisoformat(str(raw.get("_retrieved"))),
            architectures=prices,
        )

    def price(self, architecture: str) -> ArchitecturePrice:
        """The prices of `architecture`; KeyError when the table does not list it."""
        return self.architectures[architecture]
