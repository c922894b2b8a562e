"""Which parts of a handler's event an invoker controls, given the function's triggers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from lambdasec.model import CodeUnit, Taint, TriggerKind
from lambdasec.records import record

__all__ = ["ANY", "EventPolicy", "Invocation", "TaintPolicy", "http_invoked"]

ANY: Final = "*"
Pattern = tuple[str, ...]

# Per trigger, the access paths (prefixes) whose values come from whoever sends the event. Paths not
# listed are written by AWS (bucket names, ARNs, timestamps) and carry no EVENT taint. `*` matches any
# key or index. Shapes: https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
_UNTRUSTED: Final[dict[TriggerKind, tuple[Pattern, ...]]] = {
    TriggerKind.S3: (("Records", ANY, "s3", "object", "key"),),
    TriggerKind.SQS: (("Records", ANY, "body"), ("Records", ANY, "messageAttributes")),
    TriggerKind.SNS: (
        ("Records", ANY, "Sns", "Message"),
        ("Records", ANY, "Sns", "Subject"),
        ("Records", ANY, "Sns", "MessageAttributes"),
    ),
    TriggerKind.DYNAMODB: (
        ("Records", ANY, "dynamodb", "NewImage"),
        ("Records", ANY, "dynamodb", "OldImage"),
        ("Records", ANY, "dynamodb", "Keys"),
    ),
    TriggerKind.KINESIS: (("Records", ANY, "kinesis", "data"),),
    TriggerKind.EVENTBRIDGE: (("detail",),),
    TriggerKind.SCHEDULE: (),
    TriggerKind.KAFKA: (("records",),),
    TriggerKind.MQ: (("messages",),),
    TriggerKind.DOCUMENTDB: (("events",),),
    TriggerKind.COGNITO: (("request",),),
    TriggerKind.CLOUDWATCH_LOGS: (("awslogs", "data"),),
    # A Step Functions task passes on the execution input, which whoever starts the execution writes.
    TriggerKind.STEP_FUNCTIONS: ((),),
    # Lambda@Edge: the viewer's request as CloudFront passes it on (`cf.config` is CloudFront's own).
    TriggerKind.CLOUDFRONT: (
        ("Records", ANY, "cf", "request", "uri"),
        ("Records", ANY, "cf", "request", "querystring"),
        ("Records", ANY, "cf", "request", "headers"),
        ("Records", ANY, "cf", "request", "body"),
    ),
}
_EVERYTHING: Final[tuple[Pattern, ...]] = ((),)

# HTTP events (API Gateway REST/HTTP, function URLs, ALB): everything but what API Gateway itself sets.
_HTTP_TRUSTED: Final[tuple[Pattern, ...]] = (
    ("requestContext", "authorizer"),
    ("requestContext", "accountId"),
    ("requestContext", "apiId"),
    ("requestContext", "stage"),
    ("requestContext", "requestId"),
    ("requestContext", "domainName"),
    ("stageVariables",),
)
# Parts AWS writes whatever invokes the function: an S3 Object Lambda's presigned URL of the original
# object and the route and token its response goes back with, and the presigned URL a CloudFormation
# custom resource request is answered at (no HTTP or queue event has a top-level `ResponseURL`; who
# else may invoke the function directly is the resource policy's finding).
_ALWAYS_TRUSTED: Final[tuple[Pattern, ...]] = (
    ("ResponseURL",),
    ("getObjectContext", "inputS3Url"),
    ("getObjectContext", "outputRoute"),
    ("getObjectContext", "outputToken"),
)
_CREDENTIAL_KEYS: Final = frozenset(
    {"authorization", "cookie", "cookies", "x-api-key", "password", "passwd", "token", "secret"}
)
_CREDENTIAL_PARTS: Final = ("password", "secret", "token", "apikey", "api_key", "authorization")
# Containers that hold credentials among other things: the request headers (Authorization, Cookie).
_CREDENTIAL_CONTAINERS: Final = frozenset({"headers", "multivalueheaders"})


@record
class EventPolicy:
    """The untrusted parts of one handler's event.

    `untrusted` holds path prefixes an invoker controls; `trusted` prefixes carved out of them (for
    HTTP events, what API Gateway sets). With no known trigger the whole event is untrusted.
    """

    untrusted: tuple[Pattern, ...]
    trusted: tuple[Pattern, ...] = ()

    @classmethod
    def for_unit(cls, unit: CodeUnit) -> EventPolicy:
        """The policy for `unit`'s triggers: the union over them; everything when none is known."""
        if unit.http or TriggerKind.ALB in unit.triggers:
            return cls(untrusted=_EVERYTHING, trusted=_HTTP_TRUSTED)
        if not unit.triggers:
            return cls(untrusted=_EVERYTHING)
        patterns: list[Pattern] = []
        for trigger in unit.triggers:
            patterns.extend(_UNTRUSTED.get(trigger, _EVERYTHING))
        return cls(untrusted=tuple(dict.fromkeys(patterns)))

    def taints(self, path: Sequence[str]) -> frozenset[Taint]:
        """What the value at `path` (keys from the event parameter; `*` for an index or unknown key) carries.

        The whole event (`()`) is EVENT_WHOLE, plus EVENT when any part of it is untrusted. A container
        above an untrusted part (`event["Records"]` for SQS) is EVENT too, since it holds that part.
        """
        found: set[Taint] = set()
        if not path:
            found.add(Taint.EVENT_WHOLE)
            if self.untrusted:
                found.add(Taint.EVENT)
            return frozenset(found)
        if self._untrusted(tuple(path)):
            found.add(Taint.EVENT)
        if _credential(path):
            found.add(Taint.CREDENTIAL)
        return frozenset(found)

    def _untrusted(self, path: Pattern) -> bool:
        if any(_prefix(trusted, path) for trusted in (*self.trusted, *_ALWAYS_TRUSTED)):
            return False
        return any(_prefix(pattern, path) or _prefix(path, pattern) for pattern in self.untrusted)


class TaintPolicy(Protocol):
    """What an analysis asks of an event policy: what the value at an event path carries."""

    def taints(self, path: Sequence[str]) -> frozenset[Taint]:
        """What the value at `path` carries (see `EventPolicy.taints`)."""
        ...


@dataclass(slots=True, kw_only=True)
class Invocation:
    """How a unit is invoked, as its analysis asks about it: what each part of the event carries
    (`taints`, by the event policy) and whether a client's HTTP request may invoke it (`http`).

    The answers given are kept. An analysis learns nothing else of the unit's triggers, so its result
    holds for another unit of the same handler whose invocation `agrees` with those answers: units of a
    handler with other triggers reuse it (a handler that never reads its event is analysed once).
    """

    policy: EventPolicy
    http_invoked: bool
    answers: dict[tuple[str, ...], frozenset[Taint]] = field(default_factory=dict)
    asked_http: bool = False

    @classmethod
    def of(cls, unit: CodeUnit) -> Invocation:
        """The invocation of `unit`, given its triggers."""
        return cls(policy=EventPolicy.for_unit(unit), http_invoked=http_invoked(unit))

    def taints(self, path: Sequence[str]) -> frozenset[Taint]:
        """What the value at event path `path` carries (`EventPolicy.taints`)."""
        key = tuple(path)
        found = self.answers.get(key)
        if found is None:
            found = self.answers[key] = self.policy.taints(key)
        return found

    def http(self) -> bool:
        """True when a client's HTTP request may invoke the unit (or its triggers are unknown)."""
        self.asked_http = True
        return self.http_invoked

    def agrees(self, other: Invocation) -> bool:
        """True when `other` would give every answer given so far."""
        if self.asked_http and other.http_invoked != self.http_invoked:
            return False
        return all(other.policy.taints(path) == found for path, found in self.answers.items())


def http_invoked(unit: CodeUnit) -> bool:
    """True when a client's HTTP request may invoke the unit (or its triggers are unknown)."""
    return unit.http or TriggerKind.ALB in unit.triggers or not unit.triggers


def _prefix(pattern: Pattern, path: Pattern) -> bool:
    """True when `pattern` is a prefix of `path`, `*` on either side matching any one key."""
    if len(pattern) > len(path):
        return False
    return all(p in (ANY, k) or k == ANY for p, k in zip(pattern, path, strict=False))


def _credential(path: Sequence[str]) -> bool:
    last = path[-1].lower()
    if last in _CREDENTIAL_KEYS or (len(path) == 1 and last in _CREDENTIAL_CONTAINERS):
        return True
    return any(part in last for part in _CREDENTIAL_PARTS)
