"""The working state of one SAM expansion: output resources, warnings and the API routes events add."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.records import record
from lambdasec.sources.cloudformation.sam_marks import get_att, keep, key_line, node, put, single
from lambdasec.sources.cloudformation.sam_policies import RoleParts
from lambdasec.sources.yaml_loader import MarkedDict

__all__ = [
    "IMPLICIT_HTTP_API",
    "IMPLICIT_REST_API",
    "RESOURCE_ATTRIBUTES",
    "Event",
    "Expander",
    "FunctionRef",
    "Owner",
    "Route",
]

IMPLICIT_REST_API = "ServerlessRestApi"
IMPLICIT_HTTP_API = "ServerlessHttpApi"

# Resource attributes a SAM resource keeps on the resource that replaces it.
RESOURCE_ATTRIBUTES = ("Condition", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy")
# Metadata keys carried from a SAM resource to everything generated from it (suppressions live there).
_CARRIED_METADATA = "lambdasec"


@record
class Owner:
    """The SAM resource generated resources come from: its `Condition` and `Metadata` carry over."""

    logical_id: str
    condition: Any = None
    metadata: Any = None

    @classmethod
    def of(cls, logical_id: str, resource: Any) -> Owner:
        """The owner for SAM resource `resource`."""
        if not isinstance(resource, dict):
            return cls(logical_id=logical_id)
        return cls(
            logical_id=logical_id, condition=resource.get("Condition"), metadata=resource.get("Metadata")
        )


@record
class FunctionRef(Owner):
    """How generated resources point at a function: its id and the alias when AutoPublishAlias is set."""

    alias: str | None = None

    @property
    def target(self) -> str:
        """The logical id invocations target (the alias when there is one)."""
        return self.alias or self.logical_id

    def name_ref(self, line: int) -> MarkedDict:
        """`FunctionName` for permissions and mappings: `Ref` of the alias or of the function."""
        return single(line, "Ref", self.target)

    def arn_ref(self, line: int) -> MarkedDict:
        """An ARN of what is invoked: `Ref` of the alias (an ARN) or `GetAtt <Fn>.Arn`."""
        if self.alias:
            return single(line, "Ref", self.alias)
        return get_att(line, self.logical_id)

    @property
    def sub_arn(self) -> str:
        """The `${...}` expression of the invoked ARN inside an `Fn::Sub` string."""
        return f"${{{self.alias}}}" if self.alias else f"${{{self.logical_id}.Arn}}"


@record
class Event:
    """One entry of a function's `Events`: what it generates is named `<Fn><Event>...`, at its line."""

    fn: FunctionRef
    name: str
    props: MarkedDict
    line: int
    parts: RoleParts | None

    @property
    def logical_id(self) -> str:
        """`<Fn><Event>`, the prefix of everything this event generates."""
        return self.fn.logical_id + self.name

    def at(self, key: str) -> int:
        """The line of property `key`, else the event's line."""
        return self.props.key_lines.get(key) or self.line


@record
class Route:
    """A route a function event adds to a REST or HTTP API body."""

    function: FunctionRef
    event: str
    path: str
    method: str
    auth: Any
    line: int
    path_line: int
    timeout: Any = None
    payload_format_version: Any = None


@dataclass(slots=True)
class Expander:
    """Mutable builder for one template's expansion; `out` keeps the input's resource order."""

    file: str
    source: MarkedDict
    out: MarkedDict = field(init=False)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rest_apis: dict[str, MarkedDict] = field(default_factory=dict)
    http_apis: dict[str, MarkedDict] = field(default_factory=dict)
    routes: dict[str, list[Route]] = field(default_factory=dict)
    implicit_lines: dict[str, int] = field(default_factory=dict)
    generated: set[str] = field(default_factory=set)
    # Conditions the expansion adds to the template (SAM generates some, e.g. for optional destinations).
    conditions: dict[str, MarkedDict] = field(default_factory=dict)
    # False when the caller is not SAM (Serverless Framework): functions get no `lambda:createdBy` tag.
    sam_tags: bool = True
    # The template's `Parameters`, for the few values SAM itself resolves from them.
    parameters: Any = None

    def __post_init__(self) -> None:
        self.out = MarkedDict(self.source.line)
        self.out.update(self.source)
        self.out.key_lines.update(self.source.key_lines)

    def warn(self, message: str, line: int | None) -> None:
        """Record a warning about the template at `line`."""
        self.diagnostics.append(
            Diagnostic(
                level=DiagnosticLevel.WARNING,
                source=str(SourceKind.SAM),
                message=message,
                file=self.file,
                line=line or None,
            )
        )

    def resource_line(self, logical_id: str) -> int:
        """The line of a resource's logical id in the input."""
        source = self.source  # a MarkedDict: `key_line` inlined
        return source.key_lines.get(logical_id, 0) or source.line or 1

    def replace_resource(self, logical_id: str, type_: str, properties: MarkedDict) -> None:
        """Put a resource of `type_` under a SAM resource's own id, keeping its attributes and lines."""
        original = self.source.get(logical_id)
        line = getattr(original, "line", 0) or self.resource_line(logical_id)
        resource = single(line, "Type", type_)
        if type(original) is MarkedDict:  # `key_line` and `keep` inlined: this runs for every function
            marks, fallback = original.key_lines, original.line
            resource.key_lines["Type"] = marks.get("Type", 0) or fallback or line
            for attribute in RESOURCE_ATTRIBUTES:
                if attribute in original:
                    resource[attribute] = original[attribute]
                    resource.key_lines[attribute] = marks.get(attribute, 0) or fallback
            properties_line = marks.get("Properties", 0) or fallback or line
        else:
            resource.key_lines["Type"] = key_line(original, "Type", line)
            for attribute in RESOURCE_ATTRIBUTES:
                keep(resource, original, attribute)
            properties_line = key_line(original, "Properties", line)
        put(resource, "Properties", properties, properties_line)
        self.out[logical_id] = resource

    def drop(self, logical_id: str) -> None:
        """Remove a SAM resource that expands to nothing under its own id."""
        self.out.pop(logical_id, None)
        self.out.key_lines.pop(logical_id, None)

    def emit(
        self,
        logical_id: str,
        type_: str,
        properties: MarkedDict,
        *,
        line: int,
        owner: Owner | None = None,
        implicit: bool = False,
        extra: tuple[tuple[str, Any], ...] = (),
    ) -> bool:
        """Add a generated resource at `line`; False (and a warning) when its logical id is taken."""
        if logical_id in self.generated or logical_id in self.source:
            self.warn(
                f"SAM would generate `{logical_id}`, which the template already defines; kept the template's",
                line,
            )
            return False
        resource = single(line, "Type", type_)
        if owner is not None and owner.condition is not None:
            put(resource, "Condition", owner.condition, line)
        for key, value in extra:
            put(resource, key, value, line)
        metadata = _metadata(owner, implicit=implicit, line=line)
        if metadata is not None:
            put(resource, "Metadata", metadata, line)
        resource["Properties"] = properties
        resource.key_lines["Properties"] = properties.line or line
        self.generated.add(logical_id)
        self.out[logical_id] = resource
        self.out.key_lines[logical_id] = line
        return True

    def permission(
        self,
        event: Event,
        principal: str,
        *,
        suffix: str = "",
        extra: tuple[tuple[str, Any], ...] = (),
    ) -> str:
        """Emit `<Fn><Event>Permission<suffix>` letting `principal` invoke the function; returns its id."""
        props = node(
            event.line,
            [
                ("Action", "lambda:InvokeFunction"),
                ("FunctionName", event.fn.name_ref(event.line)),
                ("Principal", principal),
                *extra,
            ],
        )
        logical_id = f"{event.logical_id}Permission{suffix}"
        self.emit(logical_id, "AWS::Lambda::Permission", props, line=event.line, owner=event.fn)
        return logical_id

    def add_route(self, api_id: str, route: Route) -> None:
        """Queue a route for the API `api_id` (assembled after all functions)."""
        self.routes.setdefault(api_id, []).append(route)


def _metadata(owner: Owner | None, *, implicit: bool, line: int) -> MarkedDict | None:
    carried = owner.metadata.get(_CARRIED_METADATA) if owner and isinstance(owner.metadata, dict) else None
    if carried is None and not implicit:
        return None
    out = MarkedDict(line)
    if carried is not None:
        put(
            out,
            _CARRIED_METADATA,
            carried,
            key_line(owner.metadata if owner else None, _CARRIED_METADATA, line),
        )
    if implicit:
        put(out, "lambdasec:implicit", True, line)
    return out
