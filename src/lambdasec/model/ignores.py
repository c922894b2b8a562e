"""Suppressions declared inside a source (CloudFormation `Metadata: lambdasec: ignore`)."""

from __future__ import annotations

from lambdasec.records import record


@record
class DeclaredIgnore:
    """A rule id that a resource's own metadata suppresses, with its mandatory reason.

    `file` and `resource` identify the resource as its `Origin` does. An empty reason is kept
    so the suppression step can reject it with a diagnostic instead of silently honouring it.
    """

    rule: str
    reason: str
    file: str | None
    resource: str
    line: int | None = None
