"""Findings as flat tuples of plain values, which pickle several times faster than the objects."""

from __future__ import annotations

import operator
from typing import Any, Final

from lambdasec.findings import Finding, Location, ResourceRef

__all__ = ["FINDING_FIELDS", "finding_from_row", "finding_row"]

# Every field of a Finding, the location and resource flattened; `finding_from_row` takes them in this order.
FINDING_FIELDS: Final = (
    "rule",
    "name",
    "category",
    "severity",
    "confidence",
    "cwe",
    "message",
    "function",
    "resource.type",
    "resource.id",
    "resource.construct_path",
    "location.source",
    "location.file",
    "location.line",
    "field",
    "trace",
    "remediation",
    "fingerprint",
    "suppressed",
    "properties",
    "standards",
)

finding_row: Final = operator.attrgetter(*FINDING_FIELDS)


def finding_from_row(row: tuple[Any, ...]) -> Finding:
    """The finding `finding_row` flattened."""
    (
        rule,
        name,
        category,
        severity,
        confidence,
        cwe,
        message,
        function,
        resource_type,
        resource_id,
        construct_path,
        source,
        file,
        line,
        field,
        trace,
        remediation,
        fingerprint,
        suppressed,
        properties,
        standards,
    ) = row
    return Finding(
        rule=rule,
        name=name,
        category=category,
        severity=severity,
        confidence=confidence,
        cwe=cwe,
        message=message,
        function=function,
        resource=ResourceRef(type=resource_type, id=resource_id, construct_path=construct_path),
        location=Location(source=source, file=file, line=line),
        field=field,
        trace=trace,
        remediation=remediation,
        fingerprint=fingerprint,
        suppressed=suppressed,
        properties=properties,
        standards=standards,
    )
