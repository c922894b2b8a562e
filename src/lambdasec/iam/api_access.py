"""Whether a REST API's resource policy lets anonymous callers (internet or any VPC endpoint) call a route."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Final

from lambdasec.iam.wildcards import covers, matches, overlaps
from lambdasec.model import Condition, Effect, PolicyDocument, Statement, Unresolved
from lambdasec.records import record

__all__ = ["ApiAccess", "anonymous_access"]

_INVOKE: Final = "execute-api:Invoke"
# Context keys an anonymous request from the internet does not carry (it comes from no VPC, no account).
_ABSENT: Final = {
    "aws:sourcevpc": "VPCs",
    "aws:sourcevpce": "VPC endpoints",
    "aws:sourcevpcarn": "VPCs",
    "aws:vpcsourceip": "IP addresses in a VPC",
    "aws:principalarn": "principals",
    "aws:principalaccount": "AWS accounts",
    "aws:principalorgid": "an organization",
    "aws:principalorgpaths": "an organization",
    "aws:sourceaccount": "AWS accounts",
    "aws:sourceowner": "AWS accounts",
    "aws:sourcearn": "AWS resources",
    "aws:sourceorgid": "an organization",
    "aws:sourceorgpaths": "an organization",
    "aws:principalisawsservice": "AWS services",
    "aws:principalservicename": "AWS services",
    "aws:multifactorauthpresent": "callers signed in with MFA",
    "aws:multifactorauthage": "callers signed in with MFA",
}
# Keys the caller sets or can wait for: they never decide who may call.
_CHOSEN: Final = frozenset(
    {
        "aws:currenttime",
        "aws:epochtime",
        "aws:referer",
        "aws:useragent",
        "aws:securetransport",
        "aws:requestedregion",
        "aws:tagkeys",
    }
)
_SOURCE_IP: Final = "aws:sourceip"
# Through an interface VPC endpoint (a private API) the request carries the caller's own VPC and VPC
# endpoint, which no policy lists unless a wildcard takes them in, and the caller's choice of private
# address; it carries no public source IP.
_VPC_KEYS: Final = {
    "aws:sourcevpc": "vpc-0caller",
    "aws:sourcevpce": "vpce-0caller",
    "aws:sourcevpcarn": "arn:aws:ec2:us-east-1:000000000000:vpc/vpc-0caller",
}
_VPC_SOURCE_IP: Final = "aws:vpcsourceip"
_EVERY_ADDRESS: Final = frozenset({"0.0.0.0/0", "::/0"})
_NEGATED: Final = frozenset(
    {
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "ArnNotEquals",
        "ArnNotLike",
        "NotIpAddress",
        "NumericNotEquals",
        "DateNotEquals",
    }
)
# A path parameter matches one segment (a value no policy names: only wildcards match it); a greedy
# one (`{proxy+}`) any run of segments.
_PATH_PARAMETER: Final = re.compile(r"\{[^}+]*\}")
_GREEDY_PARAMETER: Final = re.compile(r"\{[^}]*\+\}")
_SEGMENT: Final = "\x04"
_VARIABLE: Final = re.compile(r"\$\{[^}]*\}")
_MARK: Final = "\x03"
# A stage name no literal in a policy names: stands for a stage whose name is not known.
_OTHER_STAGE: Final = "\x02"


class _Reach(Enum):
    """Which anonymous callers on the internet satisfy a condition (or a statement's conditions)."""

    NONE = 0  # none of them
    FEW = 1  # only those in a list (source IP ranges)
    MOST = 2  # all but those in a list
    CHOSEN = 3  # any caller who chooses to (a time, a header the caller sets)
    ALL = 4  # every one
    UNKNOWN = 5


class _Match(Enum):
    NONE = 0
    PARTIAL = 1
    FULL = 2
    MAYBE = 3


@record
class ApiAccess:
    """What a resource policy lets anonymous callers do on one route.

    `public` is True when anyone on the internet (but for a deny list) may invoke the route on some
    stage (for a private API: anyone through an interface VPC endpoint of their own, in any account);
    otherwise `restrictions` says what keeps them out (`only VPC endpoints (aws:SourceVpce)`).
    """

    public: bool
    restrictions: tuple[str, ...] = ()


@record(kw_only=False)
class _Verdict:
    public: bool
    restrictions: tuple[str, ...]
    unknown: str | None


def anonymous_access(
    policy: PolicyDocument,
    *,
    stages: Sequence[str | Unresolved],
    method: str,
    path: str,
    through_vpc_endpoint: bool = False,
) -> ApiAccess | Unresolved:
    """How `policy` treats an unauthenticated request to `method path` on any of `stages`.

    API Gateway evaluates a REST API's resource policy for every request: an explicit Deny wins,
    then an Allow is needed (without one the request is implicitly denied). The request is
    anonymous and from the internet: it carries a source IP but no VPC endpoint, VPC or account.
    With `through_vpc_endpoint` (a private API) it comes instead through an interface VPC endpoint
    that the caller created in a VPC of their own, in any account: it carries that endpoint and
    VPC (never one the policy names, but a wildcard takes it in), an address in that VPC
    (`aws:VpcSourceIp`, the caller's choice) and no public source IP.
    A stage whose name is unknown is judged as each stage the policy names and as another one;
    when these differ the answer is Unresolved, as it is when a statement that decides it is.
    """
    rest = f"{'*' if method.upper() in ('ANY', 'X-AMAZON-APIGATEWAY-ANY-METHOD') else method.upper()}/"
    rest += _GREEDY_PARAMETER.sub("*", _PATH_PARAMETER.sub(_SEGMENT, path.removeprefix("/")))
    known = list(dict.fromkeys(s for s in stages if isinstance(s, str)))
    vpce = through_vpc_endpoint
    verdicts = [_judge(policy, f"{name}/{rest}", vpce=vpce) for name in known]
    if len(known) < len(stages) or not stages:
        names = dict.fromkeys([*_literal_stages(policy), _OTHER_STAGE])
        guesses = [_judge(policy, f"{name}/{rest}", vpce=vpce) for name in names]
        if len({g.public for g in guesses}) > 1 and all(g.unknown is None for g in guesses):
            reason = "the stage name is unknown, and the resource policy treats stages differently"
            guesses = [_Verdict(public=False, restrictions=(), unknown=reason)]
        verdicts.extend(guesses)
    if any(v.public and v.unknown is None for v in verdicts):
        return ApiAccess(public=True)
    unknown = [v.unknown for v in verdicts if v.unknown is not None]
    if unknown:
        return Unresolved(unknown[0])
    restrictions = dict.fromkeys(r for v in verdicts for r in v.restrictions)
    return ApiAccess(public=False, restrictions=tuple(restrictions))


def _judge(policy: PolicyDocument, query: str, *, vpce: bool) -> _Verdict:
    """The policy's answer for one request pattern `stage/METHOD/path`.

    A statement that cannot be judged only matters when it could change the answer: an unknown
    Allow when nothing else allows, an unknown Deny when something allows and nothing surely denies.
    """
    allowed = False
    unknown_allow: str | None = None
    unknown_deny: str | None = None
    restrictions: list[str] = []
    for statement in policy.statements:
        effect, principal, applies = _applies(statement, query)
        if applies is _Match.NONE or effect is Effect.DENY:
            continue
        where = f"statement `{statement.origin.resource}`"
        if principal is _Match.NONE:
            if effect is Effect.ALLOW and applies is not _Match.MAYBE:
                restrictions.append("it allows only the AWS accounts and principals it names")
            continue
        if effect is None or _Match.MAYBE in (principal, applies):
            unknown_allow = unknown_allow or f"{where} of the resource policy is not fully known"
            if effect is None:  # it may be a Deny as well
                unknown_deny = unknown_deny or unknown_allow
            continue
        reach, why = _statement_reach(statement, deny=False, vpce=vpce)
        if reach is _Reach.UNKNOWN:
            unknown_allow = unknown_allow or f"{where}: {why}"
        elif reach in (_Reach.ALL, _Reach.MOST, _Reach.CHOSEN):
            allowed = True
        else:
            restrictions.append(why)
    for statement in policy.statements:
        effect, principal, applies = _applies(statement, query)
        if effect is not Effect.DENY or _Match.NONE in (principal, applies) or applies is _Match.PARTIAL:
            continue
        where = f"statement `{statement.origin.resource}`"
        if _Match.MAYBE in (principal, applies):
            unknown_deny = unknown_deny or f"{where} of the resource policy is not fully known"
            continue
        reach, why = _statement_reach(statement, deny=True, vpce=vpce)
        if reach is _Reach.UNKNOWN:
            unknown_deny = unknown_deny or f"{where}: {why}"
        elif reach in (_Reach.ALL, _Reach.MOST):
            return _Verdict(public=False, restrictions=(why,), unknown=None)
    if allowed:
        return _Verdict(public=True, restrictions=(), unknown=unknown_deny)
    if not restrictions:
        restrictions.append("it allows no anonymous caller")
    return _Verdict(public=False, restrictions=tuple(restrictions), unknown=unknown_allow)


def _applies(statement: Statement, query: str) -> tuple[Effect | None, _Match, _Match]:
    """The statement's effect (None when unknown), whether its principal takes in anonymous callers,
    and how far its action and resource reach invocations of `query` (NONE when either misses)."""
    effect = statement.effect if isinstance(statement.effect, Effect) else None
    action = _action(statement)
    if action is _Match.NONE:
        return effect, _Match.NONE, _Match.NONE
    resource = _resource(statement, query)
    if resource is _Match.NONE:
        return effect, _Match.NONE, _Match.NONE
    reach = _Match.MAYBE if _Match.MAYBE in (action, resource) else resource
    return effect, _anonymous(statement), reach


def _anonymous(statement: Statement) -> _Match:
    """Whether the statement's principal takes in anonymous callers (`*`, or a NotPrincipal)."""
    if statement.not_principals is not None:
        return _Match.FULL
    match statement.principals:
        case None:
            return _Match.NONE
        case Unresolved():
            return _Match.MAYBE
        case principals:
            if any(p.is_public for p in principals):
                return _Match.FULL
            if any(isinstance(v, Unresolved) for p in principals for v in p.values):
                return _Match.MAYBE
            return _Match.NONE


def _action(statement: Statement) -> _Match:
    negated = statement.actions is None and statement.not_actions is not None
    listed = statement.not_actions if negated else statement.actions
    if listed is None:
        return _Match.NONE
    if isinstance(listed, Unresolved):
        return _Match.MAYBE
    hit = any(isinstance(a, str) and matches(a.strip(), _INVOKE, fold=True) for a in listed)
    if hit:
        return _Match.NONE if negated else _Match.FULL
    if any(isinstance(a, Unresolved) for a in listed):
        return _Match.MAYBE
    return _Match.FULL if negated else _Match.NONE


def _resource(statement: Statement, query: str) -> _Match:
    """How the Resource (or NotResource) element reaches the request pattern `query`."""
    negated = statement.resources is None and statement.not_resources is not None
    listed = statement.not_resources if negated else statement.resources
    if listed is None:
        return _Match.NONE
    if isinstance(listed, Unresolved):  # a single expression (a `!Sub` ARN) or an unknown list
        listed = (listed,)
    best = _Match.NONE
    unknown = False
    for entry in listed:
        pattern = _pattern(
            entry.reason if isinstance(entry, Unresolved) else entry, known=isinstance(entry, str)
        )
        if pattern is None:
            unknown = unknown or isinstance(entry, Unresolved)
            continue
        if covers(pattern, query):
            best = _Match.FULL
            break
        if overlaps(pattern, query):
            best = _Match.PARTIAL
    if negated:
        if best is _Match.FULL:
            return _Match.NONE
        if unknown:
            return _Match.MAYBE
        return _Match.PARTIAL if best is _Match.PARTIAL else _Match.FULL
    if best is _Match.NONE and unknown:
        return _Match.MAYBE
    return best


def _pattern(text: str, *, known: bool) -> str | None:
    """The `stage/METHOD/path` part of an execute-api resource, or None when it is not one (or unknown).

    Unknown entries keep their expression: a `!Sub` ARN or a Terraform `execution_arn` reference whose
    variables are all before the stage part is read with them widened.
    """
    if not known:
        text = text.removeprefix("!Sub ").strip()
        if "execution_arn}" in text.split("/", 1)[0]:
            text = "arn:aws:execute-api:*:*:*/" + text.partition("/")[2] if "/" in text else "*"
        text = _VARIABLE.sub(_MARK, text)
    if text == "*":
        return "*"
    if text.startswith("execute-api:/"):
        rest = text.removeprefix("execute-api:/")
    else:
        parts = text.split(":", 5)
        if len(parts) < 6 or parts[0] != "arn" or not matches(parts[2].replace(_MARK, "*"), "execute-api"):
            return None
        api, slash, rest = parts[5].partition("/")
        if not slash:
            rest = "*" if api.endswith(("*", _MARK)) else ""
            if not rest:
                return None
    if _MARK in rest:
        return None
    return rest


def _literal_stages(policy: PolicyDocument) -> Iterable[str]:
    """Stage names written in the policy's resources (the segment before the method)."""
    for statement in policy.statements:
        for listed in (statement.resources, statement.not_resources):
            if not isinstance(listed, tuple):
                continue
            for entry in listed:
                pattern = _pattern(entry, known=True) if isinstance(entry, str) else None
                stage = pattern.split("/", 1)[0] if pattern is not None and "/" in pattern else ""
                if stage and "*" not in stage and "?" not in stage:
                    yield stage


def _statement_reach(statement: Statement, *, deny: bool, vpce: bool) -> tuple[_Reach, str]:
    """Which anonymous internet callers the statement's conditions take in (for a Deny: whom it binds),
    and the restriction in words."""
    if isinstance(statement.conditions, Unresolved):
        return _Reach.UNKNOWN, f"conditions: {statement.conditions.reason}"
    reaches = [(_clause(c, deny=deny, vpce=vpce), c) for c in statement.conditions]
    for wanted in (_Reach.NONE, _Reach.UNKNOWN, _Reach.FEW, _Reach.MOST):
        found = [c for r, c in reaches if r is wanted]
        if found:
            return wanted, _words(found[0], reach=wanted, deny=deny)
    if deny:
        absent = [c for r, c in reaches if r is _Reach.ALL and c.key.lower() in _ABSENT]
        why = _words(absent[0], reach=_Reach.ALL, deny=True) if absent else "it denies every anonymous caller"
        return _Reach.ALL, why
    return (_Reach.CHOSEN if any(r is _Reach.CHOSEN for r, _ in reaches) else _Reach.ALL), ""


def _clause(condition: Condition, *, deny: bool, vpce: bool) -> _Reach:
    """Which anonymous callers satisfy one condition clause (for a Deny: whom it surely binds)."""
    key = condition.key.lower()
    operator = condition.operator.split(":")[-1]
    if_exists = operator.endswith("IfExists")
    base = operator.removesuffix("IfExists")
    known = [v for v in condition.values if isinstance(v, str)]
    if vpce and key in _VPC_KEYS:
        return _present(base, known=known, values=len(condition.values), probe=_VPC_KEYS[key])
    if vpce and key == _VPC_SOURCE_IP:
        return _Reach.NONE if deny else _Reach.CHOSEN
    if key in _ABSENT or (vpce and key == _SOURCE_IP):
        if base == "Null":
            if len(known) < len(condition.values) or not known:
                return _Reach.UNKNOWN
            return _Reach.ALL if all(v.lower() == "true" for v in known) else _Reach.NONE
        return _Reach.ALL if if_exists or base in _NEGATED else _Reach.NONE
    if key in _CHOSEN or key.startswith("aws:requesttag/"):
        return _Reach.NONE if deny else _Reach.CHOSEN
    if key == _SOURCE_IP and base in ("IpAddress", "NotIpAddress"):
        if len(known) < len(condition.values):
            return _Reach.UNKNOWN
        every = bool(_EVERY_ADDRESS & set(known))
        if base == "IpAddress":
            return _Reach.ALL if every else _Reach.FEW
        return _Reach.NONE if every else _Reach.MOST
    return _Reach.UNKNOWN


def _present(base: str, *, known: list[str], values: int, probe: str) -> _Reach:
    """Which callers through a VPC endpoint of their own satisfy a clause on their VPC or endpoint.

    The caller's value (`probe`) is in no list the policy writes, unless a wildcard takes it in;
    values that are not known name particular VPCs or endpoints (a parameter, a reference).
    """
    if base == "Null":
        if len(known) < values or not known:
            return _Reach.UNKNOWN
        return _Reach.NONE if all(v.lower() == "true" for v in known) else _Reach.ALL
    hit = any(matches(v, probe, fold=True) for v in known) if base.endswith("Like") else False
    if base in _NEGATED:
        return _Reach.NONE if hit else _Reach.ALL
    return _Reach.ALL if hit else _Reach.NONE


def _words(condition: Condition, *, reach: _Reach, deny: bool) -> str:
    key = condition.key
    if reach is _Reach.UNKNOWN:
        return f"condition `{condition.operator}` on `{key}` is not judged"
    if key.lower() == _SOURCE_IP:
        return f"only source IP ranges it lists (`{key}`)"
    what = _ABSENT.get(key.lower())
    if what is not None and (deny or reach is _Reach.NONE):
        return f"only requests from {what} (`{key}`)"
    return f"condition `{condition.operator}` on `{key}`"
