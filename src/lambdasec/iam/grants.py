"""Statements as grants: which actions and resources one statement reaches, with its conditions."""

from __future__ import annotations

import re
from enum import Enum, StrEnum
from typing import Final, cast

from lambdasec.iam.catalog import ActionInfo
from lambdasec.iam.conditions import ConditionInfo, ConditionKind, classify
from lambdasec.iam.wildcards import arn_overlaps, covers, overlaps, strip_policy_variables
from lambdasec.model import Effect, Origin, PolicyKind, Statement, Unresolved
from lambdasec.records import record

__all__ = [
    "Grant",
    "Match",
    "PolicySource",
    "ResourceMode",
    "ResourceQuery",
    "ResourceScope",
    "scope_of",
    "to_grant",
]

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


class Match(Enum):
    """How far a statement element reaches a query."""

    NONE = 0
    PARTIAL = 1  # some of what the query asks for
    BROAD = 2  # everything but a `NotResource` list
    MAYBE = 3  # unresolved entries might reach it
    FULL = 4  # all of it

    # Members are compared by identity: hashing by identity too spares Enum's Python-level hash of the
    # name in the verdict caches, which every query looks up.
    __hash__ = object.__hash__


# Members bound once for the hot paths: reading `Match.FULL` goes through the enum class (0.1 us each).
_NONE, _PARTIAL, _BROAD, _MAYBE, _FULL = Match.NONE, Match.PARTIAL, Match.BROAD, Match.MAYBE, Match.FULL


class ResourceScope(StrEnum):
    """How wide a resource pattern is for an action."""

    ALL = "all"  # `*`, or a NotResource list
    SERVICE_WIDE = "service-wide"  # every resource of the action's types, e.g. `arn:aws:s3:::*/*`
    SPECIFIC = "specific"


class ResourceMode(StrEnum):
    """What a query asks about resources."""

    ALL = "all"  # every resource (`*`)
    UNSCOPED = "unscoped"  # every resource of the action's types (service-wide patterns count)
    SOME = "some"  # at least one resource
    PATTERN = "pattern"  # an ARN or ARN pattern
    WITHIN = "within"  # at least one resource matching an ARN pattern


# Bound once, as the Match members above: `match_resource` reads them for every query.
_ALL_MODE, _SOME_MODE, _PATTERN_MODE, _WITHIN_MODE = (
    ResourceMode.ALL,
    ResourceMode.SOME,
    ResourceMode.PATTERN,
    ResourceMode.WITHIN,
)
_SCOPES: Final = tuple(ResourceScope)  # widest first; iterating the enum itself is slower
_ALL_SCOPE, _SERVICE_WIDE, _SPECIFIC = _SCOPES


@record(kw_only=False)
class ResourceQuery:
    """The resource side of a query."""

    mode: ResourceMode
    pattern: str = "*"

    def describe(self) -> str:
        """`*`, an ARN, or a phrase."""
        match self.mode:
            case ResourceMode.ALL | ResourceMode.PATTERN:
                return self.pattern
            case ResourceMode.WITHIN:
                return f"some resource matching {self.pattern}"
            case ResourceMode.UNSCOPED:
                return "every resource of its type"
            case ResourceMode.SOME:
                return "some resource"


@record
class PolicySource:
    """The policy a grant comes from: its name, kind, ARN and where it is attached or declared."""

    name: str
    kind: PolicyKind | None  # None for a permissions boundary
    arn: str | None
    origin: Origin


@record
class Grant:
    """One statement, read for evaluation.

    `actions`/`resources` hold the known entries (policy variables widened to `*`); `not_action`
    and `not_resource` say they are the Not- forms. An `..._unknown` reason is set when entries
    (or the element, or the conditions) are unresolved. `effect` is None when it is unresolved.
    `resource_shapes` are unresolved resources known to name specific resources: a `!Sub` template
    with literal text (its variables widened to `*`; a variable is assumed not to be a wildcard)
    or a `!GetAtt` of a template resource (shape `*`). `stack_shapes` are those of them whose only
    variables are whole partition, region or account segments of an ARN, the stack's own (`arn:${AWS::
    Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/x:*`): the ARN with `*` there,
    and those segments' indexes.
    """

    effect: Effect | None
    actions: tuple[str, ...]
    not_action: bool
    actions_unknown: str | None
    resources: tuple[str, ...]
    not_resource: bool
    resources_unknown: str | None
    resource_shapes: tuple[str, ...] = ()
    stack_shapes: tuple[tuple[str, tuple[int, ...]], ...] = ()
    conditions: tuple[ConditionInfo, ...]
    conditions_unknown: str | None
    policy_variables: bool
    statement: Statement
    policy: PolicySource

    @property
    def restricted(self) -> bool:
        """True when a condition (or a policy variable in a resource) narrows the requests it applies to.

        `aws:SecureTransport` never narrows an Allow; a Deny on it is `avoidable` instead.
        """
        if self.policy_variables or self.conditions_unknown is not None:
            return True
        return any(c.narrows_requests for c in self.conditions if c.kind is not ConditionKind.TRANSPORT)

    @property
    def avoidable(self) -> bool:
        """A Deny that applies only to requests a caller with the role's credentials need not make
        (plain HTTP: `aws:SecureTransport` conditions); it limits the answer but never decides it."""
        return self.effect is Effect.DENY and any(c.kind is ConditionKind.TRANSPORT for c in self.conditions)

    @property
    def unknown_reasons(self) -> tuple[str, ...]:
        """Why parts of the statement are not known."""
        return tuple(r for r in (self.actions_unknown, self.resources_unknown) if r is not None)

    # -- matching ------------------------------------------------------------------------------

    def match_action(self, query: str) -> Match:
        """How the Action/NotAction element reaches `query` (an action or an action pattern)."""
        return _element(self.actions, query, negated=self.not_action, unknown=self.actions_unknown, fold=True)

    def match_resource(self, query: ResourceQuery, *, info: ActionInfo | None) -> Match:
        """How the Resource/NotResource element reaches `query` for an action described by `info`."""
        mode = query.mode
        if self.not_resource:
            if mode is _PATTERN_MODE:
                found = _element(self.resources, query.pattern, negated=True, unknown=self.resources_unknown)
                return _BROAD if found is _PARTIAL else found
            if mode is _SOME_MODE:
                return _FULL
            if mode is _WITHIN_MODE:
                if any(covers(r, query.pattern) for r in self.resources):
                    return _NONE
                return _MAYBE if self.resources_unknown else _FULL
            return _BROAD
        if mode is _WITHIN_MODE:  # first: LS109 asks it for every function
            pattern = query.pattern
            for resource in self.resources:
                if arn_overlaps(resource, pattern):
                    return _FULL
            if self.stack_shapes and _within_stack(self.stack_shapes, pattern):
                return _FULL
            if self.resources_unknown:
                return _MAYBE
            for shape in self.resource_shapes:
                if arn_overlaps(shape, pattern):
                    return _MAYBE
            return _NONE
        if mode is _ALL_MODE:
            found = _element(self.resources, "*", negated=False, unknown=self.resources_unknown)
            return _PARTIAL if found is _NONE and self.resource_shapes else found
        if mode is _PATTERN_MODE:
            found = _element(self.resources, query.pattern, negated=False, unknown=self.resources_unknown)
            if found in (_NONE, _PARTIAL) and any(
                arn_overlaps(shape, query.pattern) for shape in self.resource_shapes
            ):
                return _MAYBE
            return found
        if mode is _SOME_MODE:
            if self.resources or self.resource_shapes:
                return _FULL
            return _MAYBE if self.resources_unknown else _NONE
        # UNSCOPED, the only mode left
        if any(scope_of(r, info) is not _SPECIFIC for r in self.resources):
            return _FULL
        if self.resources_unknown:
            return _MAYBE
        return _PARTIAL if self.resources or self.resource_shapes else _NONE

    def scope(self, info: ActionInfo | None = None) -> ResourceScope:
        """The widest scope among the grant's resources for an action (`*` wins)."""
        if self.not_resource:
            return _ALL_SCOPE
        scopes = {scope_of(r, info) for r in self.resources}
        for scope in _SCOPES:
            if scope in scopes:
                return scope
        return _SPECIFIC


def _element(
    patterns: tuple[str, ...], query: str, *, negated: bool, unknown: str | None, fold: bool = False
) -> Match:
    if any(covers(p, query, fold=fold) for p in patterns):
        return _NONE if negated else _FULL
    if unknown is not None:
        return _MAYBE
    if any(overlaps(p, query, fold=True) if fold else arn_overlaps(p, query) for p in patterns):
        return _PARTIAL
    return _FULL if negated else _NONE


def scope_of(pattern: str, info: ActionInfo | None) -> ResourceScope:
    """ALL for `*`; SERVICE_WIDE when the pattern covers every ARN of one of the action's resource types."""
    if covers(pattern, "*"):
        return _ALL_SCOPE
    if info is None:
        return _SPECIFIC
    parts = pattern.split(":", 5)
    if len(parts) < 6:
        return _SPECIFIC
    for resource_type in info.resource_types:
        if resource_type.arn_format is None:
            continue
        every = (
            resource_type.arn_format.replace("${Partition}", parts[1])
            .replace("${Region}", parts[3])
            .replace("${Account}", parts[4])
        )
        if covers(pattern, _PLACEHOLDER.sub("*", every)):
            return _SERVICE_WIDE
    return _SPECIFIC


def to_grant(statement: Statement, *, policy: PolicySource) -> Grant:
    """Read one model statement as a grant."""
    actions, not_action, actions_unknown = _patterns(statement.actions, statement.not_actions, "Action")
    resources, not_resource, resources_unknown = _patterns(
        statement.resources, statement.not_resources, "Resource"
    )
    shapes: tuple[str, ...] = ()
    stack: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # Shapes come from unresolved Resource entries only: none when every entry is known.
    if not not_resource and statement.resources is not None and resources_unknown is not None:
        listed = statement.resources if isinstance(statement.resources, tuple) else (statement.resources,)
        shapes, rest = _shapes(listed)
        resources_unknown = None if rest is None else (resources_unknown or rest)
        stack = tuple(
            found
            for value in listed
            if isinstance(value, Unresolved) and (found := _stack_shape(value.reason)) is not None
        )
    widened: list[str] = []
    variables = False
    for resource in resources:
        if "${" in resource:  # `strip_policy_variables` changes nothing without one
            resource, had = strip_policy_variables(resource)
            variables = variables or had
        widened.append(resource)
    conditions: tuple[ConditionInfo, ...] = ()
    conditions_unknown: str | None = None
    if isinstance(statement.conditions, Unresolved):
        conditions_unknown = f"conditions: {statement.conditions.reason}"
    elif statement.conditions:
        conditions = tuple(classify(c) for c in statement.conditions)
        unresolved = [v.reason for c in statement.conditions for v in c.values if isinstance(v, Unresolved)]
        if unresolved:
            conditions_unknown = f"condition value: {unresolved[0]}"
    return Grant(
        effect=statement.effect if isinstance(statement.effect, Effect) else None,
        actions=tuple(["*" if (action := entry.strip()) == "*:*" else action for entry in actions]),
        not_action=not_action,
        actions_unknown=actions_unknown,
        resources=tuple(widened),
        not_resource=not_resource,
        resources_unknown=resources_unknown,
        resource_shapes=shapes,
        stack_shapes=stack,
        conditions=conditions,
        conditions_unknown=conditions_unknown,
        policy_variables=variables,
        statement=statement,
        policy=policy,
    )


def _patterns(
    listed: tuple[str | Unresolved, ...] | Unresolved | None,
    negated: tuple[str | Unresolved, ...] | Unresolved | None,
    label: str,
) -> tuple[tuple[str, ...], bool, str | None]:
    """(known entries, is the Not- form, reason when some are unresolved)."""
    values, is_not = (negated, True) if negated is not None and listed is None else (listed, False)
    if values is None:
        return (), False, None
    if not isinstance(values, Unresolved):
        for value in values:
            if isinstance(value, Unresolved):
                break
        else:  # every entry known, the common case: no name or lists built
            return cast(tuple[str, ...], values), is_not, None
    name = f"Not{label}" if is_not else label
    if isinstance(values, Unresolved):
        return (), is_not, f"{name}: {values.reason}"
    missing = [v.reason for v in values if isinstance(v, Unresolved)]
    known = tuple(v for v in values if isinstance(v, str))
    return known, is_not, f"{name} entry: {missing[0]}" if missing else None


_SUB_VARIABLE = re.compile(r"\$\{[^}!][^}]*\}")


# ARN segments a `!Sub` may fill with the stack's own partition, region and account.
_STACK_SEGMENTS: Final = {1: "${AWS::Partition}", 3: "${AWS::Region}", 4: "${AWS::AccountId}"}
_STACK_MARKS: Final = {index: f"\x00{index}\x00" for index in _STACK_SEGMENTS}


def _stack_shape(reason: str) -> tuple[str, tuple[int, ...]] | None:
    """The shape of a `!Sub` ARN whose only variables are the stack's own partition, region or account,
    each a whole segment: the ARN with `*` in those segments, and their indexes; None otherwise."""
    if not reason.startswith("!Sub ") or reason.endswith("…"):
        return None
    marked = reason.removeprefix("!Sub ")
    for index, name in _STACK_SEGMENTS.items():  # marked out first: these variables hold colons
        marked = marked.replace(name, _STACK_MARKS[index])
    if _SUB_VARIABLE.search(marked):
        return None  # another variable, never a whole segment of the stack's own
    parts = marked.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return None
    own = tuple([index for index in _STACK_SEGMENTS if parts[index] == _STACK_MARKS[index]])
    if not own:
        return None
    for index in own:
        parts[index] = "*"
    shape = ":".join(parts)
    return None if "\x00" in shape else (shape, own)  # a mark left outside the stack's own segments


def _within_stack(shapes: tuple[tuple[str, tuple[int, ...]], ...], pattern: str) -> bool:
    """Whether the resources of a stack shape meet the ARN pattern `pattern` of a WITHIN query whose
    partition, region and account segments are `*` where the shape has the stack's own: then whichever
    they are, the resource the statement names matches the pattern when the rest overlaps."""
    parts = pattern.split(":", 5)
    if len(parts) != 6:
        return False
    for shape, own in shapes:
        for index in own:
            if parts[index] != "*":
                break
        else:
            if arn_overlaps(shape, pattern):
                return True
    return False


def _shapes(values: tuple[str | Unresolved, ...]) -> tuple[tuple[str, ...], str | None]:
    """Shapes of the unresolved entries that name specific resources, and the reason for the rest."""
    shapes: list[str] = []
    rest: list[str] = []
    for value in values:
        if not isinstance(value, Unresolved):
            continue
        shape = _shape(value.reason)
        if shape is None:
            rest.append(value.reason)
        else:
            shapes.append(shape)
    return tuple(shapes), f"Resource entry: {rest[0]}" if rest else None


def _shape(reason: str) -> str | None:
    if reason.startswith("!GetAtt ") and reason.endswith(".Arn"):
        return "*"
    if not reason.startswith("!Sub ") or reason.endswith("…"):
        return None
    pieces = _SUB_VARIABLE.split(reason.removeprefix("!Sub "))  # the text around the variables, read once
    if not "".join(pieces).strip("*/:"):
        return None
    return "*".join(pieces)
