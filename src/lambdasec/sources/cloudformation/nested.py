"""Nested stacks and SAM applications: a warning for each whose template lies outside the scanned files."""

# A nested stack's resources (functions, roles, ...) are in another template. A template given by a local
# path (before `sam package` / `aws cloudformation package`) is found and scanned as a file of its own when
# it is under the scanned root, with the parameter values the parent passes (stack_parameters.py); one in
# S3 or the Serverless Application Repository is not scanned, and a warning says so rather than letting its
# functions go missing silently. A CDK nested stack names its template file in the assembly
# (`aws:asset:path`), which the CDK source reads.

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lambdasec.sources.cloudformation.intrinsics import describe
from lambdasec.sources.cloudformation.properties import Context, Resource

__all__ = ["NESTED_TYPES", "nested_resources", "warn_nested"]

NESTED_TYPES: Final = ("AWS::CloudFormation::Stack", "AWS::Serverless::Application")
_REMOTE: Final = ("https://", "http://", "s3://")


def warn_nested(resources: list[Resource], ctx: Context) -> None:
    """Warn about every nested stack or application whose template is not a local file."""
    for resource in resources:
        location = _remote_location(resource, ctx)
        if location is not None:
            ctx.diagnostics.warn(
                f"nested {_noun(resource.type)} `{resource.logical_id}` is not scanned: its template is "
                f"{location}",
                resource.line,
            )


def _noun(resource_type: str) -> str:
    return "application" if resource_type == "AWS::Serverless::Application" else "stack"


def _remote_location(resource: Resource, ctx: Context) -> str | None:
    """Where the nested template is, when it is not a local path; None for a local one."""
    metadata = resource.body.get("Metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("aws:asset:path"), str):
        return None  # a CDK nested stack: its template is an asset in the cloud assembly
    p = resource.properties(ctx)
    key = "TemplateURL" if resource.type == "AWS::CloudFormation::Stack" else "Location"
    raw = p.data.get(key)
    value = p.value(key)
    if isinstance(value, str):
        return f"`{value}`" if value.lower().startswith(_REMOTE) else None
    if isinstance(value, dict):
        application = value.get("ApplicationId")
        if application is not None:
            shown = application if isinstance(application, str) else describe(application)
            return f"the Serverless Application Repository application `{shown}`"
    if raw is None:
        return f"not given (`{key}` is missing)"
    return f"`{describe(raw)}`"


def nested_resources(by_type: dict[str, list[Resource]]) -> Iterator[Resource]:
    """The nested stacks and applications among resources grouped by type."""
    for resource_type in NESTED_TYPES:
        yield from by_type.get(resource_type, [])
