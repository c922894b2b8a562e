"""How findings and rules are graded and grouped: Severity, Confidence, Category (light to import)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Category", "Confidence", "Severity"]


class Severity(StrEnum):
    """How bad a finding is; ordered LOW < MEDIUM < HIGH < CRITICAL."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for LOW up to 3 for CRITICAL."""
        return _SEVERITY_ORDER.index(self)


_SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


class Confidence(StrEnum):
    """How sure the rule is that the finding is real."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Category(StrEnum):
    """Risk area of a rule; the hundreds digit of its id."""

    INTERNAL = "internal"
    IDENTITY = "identity"
    EXPOSURE = "exposure"
    DATA = "data"
    OPERATIONS = "operations"
    CODE = "code"
    SUPPLY_CHAIN = "supply-chain"
