"""How a rule is declared and what it is given: Rule, the decorators, RuleContext, Scope."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from lambdasec.data import DataFiles
from lambdasec.findings import (
    Category,
    Confidence,
    Finding,
    Location,
    ResourceRef,
    RuleInfo,
    Severity,
    Standards,
    TraceStep,
    fingerprint,
)
from lambdasec.model import Inventory, LambdaFunction, Origin, SourceKind
from lambdasec.records import record

RULE_ID = re.compile(r"^LS\d{3}$")
RULE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Scope(StrEnum):
    """The inventory collection a rule evaluates; its size is the rule's coverage denominator."""

    FUNCTIONS = "functions"
    ROLES = "roles"
    PERMISSIONS = "permissions"
    FUNCTION_URLS = "function_urls"
    EVENT_SOURCE_MAPPINGS = "event_source_mappings"
    PUSH_TRIGGERS = "push_triggers"
    API_ROUTES = "api_routes"
    API_STAGES = "api_stages"
    LAYERS = "layers"
    LAYER_PERMISSIONS = "layer_permissions"
    LOG_GROUPS = "log_groups"
    SECURITY_GROUPS = "security_groups"
    TRAILS = "trails"
    CODE_FILES = "code_files"
    CODE_UNITS = "code_units"

    @property
    def reads_code(self) -> bool:
        """Whether rules of this scope read what the handler code analysis found. Among the built-in
        rules only these may: the engine runs the others before that analysis has ended (on the
        infrastructure alone), and tests/rules/test_code_scope.py holds them to it."""
        return self in (Scope.CODE_FILES, Scope.CODE_UNITS)


IAC_SOURCES: frozenset[SourceKind] = frozenset(
    {
        SourceKind.CLOUDFORMATION,
        SourceKind.SAM,
        SourceKind.TERRAFORM,
        SourceKind.TERRAFORM_PLAN,
        SourceKind.SERVERLESS,
        SourceKind.CDK,
    }
)
DEFAULT_SOURCES: frozenset[SourceKind] = IAC_SOURCES | {SourceKind.AWS}

# The heading each source kind's example has in a rule docstring.
SOURCE_HEADINGS: Mapping[SourceKind, str] = {
    SourceKind.CLOUDFORMATION: "CloudFormation",
    SourceKind.SAM: "SAM",
    SourceKind.TERRAFORM: "Terraform",
    SourceKind.TERRAFORM_PLAN: "Terraform",
    SourceKind.SERVERLESS: "Serverless",
    SourceKind.CDK: "CDK",
    SourceKind.AWS: "AWS",
    SourceKind.CODE: "Code",
    SourceKind.DEPENDENCIES: "Dependencies",
}

InventoryCheck = Callable[[Inventory, "RuleContext"], Iterator[Finding]]


@record
class Rule:
    """A rule: metadata, its documentation (the docstring) and the check function."""

    id: str
    name: str
    severity: Severity
    category: Category
    cwe: tuple[str, ...]
    scope: Scope
    check: InventoryCheck
    doc: str
    confidence: Confidence = Confidence.HIGH
    sources: frozenset[SourceKind] = DEFAULT_SOURCES
    options: type[Any] | None = None
    module: str = ""
    # Optional at declaration so rules written before mappings existed still load; a meta-test
    # (tests/rules/test_standards.py) fails for every built-in rule without one.
    standards: Standards | None = None

    @property
    def sections(self) -> Mapping[str, str]:
        """The docstring's `## ` sections by heading."""
        return doc_sections(self.doc)

    @property
    def summary(self) -> str:
        """The first sentence of "What it does"."""
        text = " ".join(self.sections.get("What it does", "").split())
        head, dot, _ = text.partition(". ")
        return head + ("." if dot or not head.endswith(".") else "")

    def remediation(self, source: SourceKind) -> str:
        """The "Use instead" part of this rule's example for `source`, or the first one given.

        CDK output is a CloudFormation template: without a CDK example, the CloudFormation one applies.
        """
        fallback = SOURCE_HEADINGS[SourceKind.CLOUDFORMATION] if source is SourceKind.CDK else ""
        return _remediation(self.doc, SOURCE_HEADINGS.get(source, ""), fallback)

    def info(self) -> RuleInfo:
        """The reporter-facing view of this rule."""
        return RuleInfo(
            id=self.id,
            name=self.name,
            category=self.category,
            severity=self.severity,
            confidence=self.confidence,
            cwe=self.cwe,
            summary=self.summary,
            doc=self.doc,
            standards=self.standards,
        )


@cache
def _remediation(doc: str, heading: str, fallback: str = "") -> str:
    # Cached: every finding of a rule asks for the same text, and parsing the docstring is not free.
    examples = doc_subsections(doc_sections(doc).get("Example", ""))
    text = examples.get(heading) or examples.get(fallback) or next(iter(examples.values()), "")
    _, marker, fix = text.partition("Use instead")
    return ("Use instead" + fix).strip() if marker else ""


def doc_sections(doc: str) -> dict[str, str]:
    """Split Markdown at `## ` headings."""
    return _split(doc, "## ")


def doc_subsections(text: str) -> dict[str, str]:
    """Split Markdown at `### ` headings."""
    return _split(text, "### ")


def _split(doc: str, marker: str) -> dict[str, str]:
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    fence = False
    for line in doc.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        if not fence and line.startswith(marker):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[len(marker) :].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def inventory_rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    category: Category,
    cwe: tuple[str, ...],
    scope: Scope,
    confidence: Confidence = Confidence.HIGH,
    sources: frozenset[SourceKind] = DEFAULT_SOURCES,
    options: type[Any] | None = None,
    standards: Standards | None = None,
) -> Callable[[InventoryCheck], Rule]:
    """Turn a check function into a `Rule`. Nothing is registered: `load_rules()` discovers it."""

    def wrap(check: InventoryCheck) -> Rule:
        return Rule(
            id=id,
            name=name,
            severity=severity,
            category=category,
            cwe=cwe,
            scope=scope,
            check=check,
            doc=_dedent_doc(check.__doc__ or ""),
            confidence=confidence,
            sources=sources,
            options=options,
            module=check.__module__,
            standards=standards,
        )

    return wrap


def _dedent_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


# Model class name -> resource type shown in findings.
_RESOURCE_TYPES: Mapping[str, str] = {
    "LambdaFunction": "function",
    "FunctionUrl": "function_url",
    "Permission": "permission",
    "Role": "role",
    "Statement": "policy_statement",
    "Policy": "policy",
    "ManagedPolicy": "managed_policy",
    "EventSourceMapping": "event_source_mapping",
    "PushTrigger": "trigger",
    "ApiRoute": "api_route",
    "ApiStage": "api_stage",
    "Api": "api",
    "Authorizer": "authorizer",
    "Alias": "alias",
    "FunctionVersion": "version",
    "LayerVersion": "layer",
    "LayerPermission": "layer_permission",
    "CodeSigningConfig": "code_signing_config",
    "LogGroup": "log_group",
    "SecurityGroup": "security_group",
    "Queue": "queue",
    "Trail": "trail",
    "CodeFile": "code_file",
    "CodeUnit": "handler",
    "Flow": "code_flow",
    "CodeSecret": "code_secret",
}


_TYPE_NAMES: dict[type, str] = {}


def resource_type(subject: object) -> str:
    """The resource type a finding on `subject` shows (`function`, `function_url`, ...)."""
    kind = type(subject)
    found = _TYPE_NAMES.get(kind)
    if found is None:
        found = _TYPE_NAMES[kind] = _RESOURCE_TYPES.get(kind.__name__, kind.__name__.lower())
    return found


@dataclass(kw_only=True)
class RuleContext:
    """Everything a rule may use besides the inventory: clock, data files, options, and helpers.

    The engine creates one per rule run and reads back what the rule declared unevaluated.
    """

    rule: Rule
    inventory: Inventory
    today: date
    data: DataFiles
    options: Any = None
    unevaluated_subjects: list[tuple[str, str]] = field(default_factory=list)
    _by_source: dict[SourceKind, tuple[str, str]] = field(default_factory=dict, init=False, repr=False)

    def finding(
        self,
        subject: Any,
        *,
        message: str,
        field: str | None = None,
        origin: Origin | None = None,
        function: str | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        trace: tuple[TraceStep, ...] = (),
        properties: Mapping[str, str] | None = None,
    ) -> Finding:
        """A finding on `subject`, anchored at the line of `field` (or of `origin` when given)."""
        rule = self.rule
        own: Origin = subject.origin
        anchor = own if origin is None else origin
        inventory = self.inventory
        if function is None:
            fn = subject if subject.__class__ is LambdaFunction else inventory.function_of(subject)
            function = fn.display_name if fn is not None else None
        parts = self._by_source.get(anchor.source) or self._source_parts(anchor.source)
        source = parts[0]
        kind = subject.__class__
        return Finding(
            rule=rule.id,
            name=rule.name,
            category=rule.category,
            severity=severity or rule.severity,
            confidence=confidence or rule.confidence,
            cwe=rule.cwe,
            message=message,
            function=function,
            resource=ResourceRef(
                type=_TYPE_NAMES.get(kind) or resource_type(subject),
                id=own.resource,
                construct_path=own.construct_path,
            ),
            location=Location(source=source, file=anchor.file, line=anchor.line_of(field)),
            field=field,
            trace=trace,
            remediation=parts[1],
            fingerprint=fingerprint(
                rule=rule.id,
                source=source,
                resource=f"{own.file or ''}#{own.resource}",
                field=field,
                extra=inventory.fingerprint_name(function) if function else "",
            ),
            properties=tuple(sorted(properties.items())) if properties else (),
            standards=rule.standards,
        )

    def _source_parts(self, source: SourceKind) -> tuple[str, str]:
        """The source kind's name and the rule's remediation text for it (built once per rule run)."""
        found = self._by_source.get(source)
        if found is None:
            found = self._by_source[source] = (str(source), self.rule.remediation(source))
        return found

    def unevaluated(self, subject: Any, *, reason: str) -> None:
        """Record that `subject` could not be judged (an Unresolved value), so the report says so."""
        self.unevaluated_subjects.append((subject.origin.resource, reason))
