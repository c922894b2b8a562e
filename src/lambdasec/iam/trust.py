"""Who may assume a role: the trust policy's principals, classified, with the conditions that guard them."""

from __future__ import annotations

from enum import StrEnum

from lambdasec.iam.conditions import ConditionInfo, ConditionKind, classify
from lambdasec.iam.wildcards import covers, matches
from lambdasec.model import Effect, PolicyDocument, PrincipalKind, Role, Statement, Unresolved
from lambdasec.records import record

__all__ = ["Trust", "Trustee", "TrusteeKind", "trust_of"]

LAMBDA_SERVICE = "lambda.amazonaws.com"
_GUARDS = frozenset({ConditionKind.SOURCE_ARN, ConditionKind.SOURCE_ACCOUNT, ConditionKind.ORGANIZATION})
_ASSUME = ("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML")


class TrusteeKind(StrEnum):
    """What a trusted principal is."""

    LAMBDA = "lambda"  # the Lambda service principal
    SERVICE = "service"  # another AWS service principal
    ANY = "any"  # `*` or {"AWS": "*"}
    ACCOUNT = "account"  # an account id or `arn:...:root`: any principal that account allows
    PRINCIPAL = "principal"  # a specific role or user ARN
    FEDERATED = "federated"  # a SAML or OIDC provider, or a web identity
    CANONICAL_USER = "canonical-user"
    UNKNOWN = "unknown"  # an unresolved value


@record
class Trustee:
    """One principal a trust policy lets assume the role, through which statement, under which conditions.

    `guarded` is True when a narrowing `aws:SourceArn`, `aws:SourceAccount` or `aws:PrincipalOrgID`
    (or similar organization) condition applies; `conditions` holds every classified clause.
    """

    kind: TrusteeKind
    value: str
    actions: tuple[str, ...]
    conditions: tuple[ConditionInfo, ...]
    conditions_unknown: str | None
    statement: Statement

    @property
    def guarded(self) -> bool:
        """True when a narrowing SourceArn/SourceAccount/organization condition applies."""
        return any(c.kind in _GUARDS and c.restricts for c in self.conditions)

    @property
    def conditional(self) -> bool:
        """True when any narrowing condition applies (or conditions are unresolved)."""
        return self.conditions_unknown is not None or any(c.narrows_requests for c in self.conditions)


@record
class Trust:
    """The trust policy of a role, read: its trustees, its Deny statements, what could not be read."""

    trustees: tuple[Trustee, ...]
    denies: tuple[Statement, ...]
    unknown: tuple[str, ...]

    def others_than_lambda(self) -> tuple[Trustee, ...]:
        """Trustees that are not the Lambda service principal."""
        return tuple(t for t in self.trustees if t.kind is not TrusteeKind.LAMBDA)


def trust_of(role: Role) -> Trust | Unresolved | None:
    """The trustees of `role`'s trust policy; None when the role declares none."""
    match role.trust_policy:
        case None:
            return None
        case Unresolved() as unresolved:
            return unresolved
        case PolicyDocument() as document:
            return _read(document)


def _read(document: PolicyDocument) -> Trust:
    trustees: list[Trustee] = []
    denies: list[Statement] = []
    unknown: list[str] = []
    for statement in document.statements:
        where = f"statement `{statement.origin.resource}`"
        if isinstance(statement.effect, Unresolved):
            unknown.append(f"{where}: Effect {statement.effect.reason}")
            continue
        actions = _assume_actions(statement)
        if isinstance(actions, Unresolved):
            unknown.append(f"{where}: {actions.reason}")
            continue
        if not actions:
            continue
        if statement.effect is Effect.DENY:
            denies.append(statement)
            continue
        if statement.not_principals is not None:
            unknown.append(f"{where}: NotPrincipal with Allow trusts everyone but the listed principals")
            trustees.append(_trustee(TrusteeKind.ANY, "*", actions, statement))
            continue
        match statement.principals:
            case None:
                continue
            case Unresolved(reason=reason):
                unknown.append(f"{where}: Principal {reason}")
            case principals:
                for principal in principals:
                    for value in principal.values:
                        if isinstance(value, Unresolved):
                            trustees.append(_trustee(TrusteeKind.UNKNOWN, value.reason, actions, statement))
                        else:
                            trustees.append(_trustee(_kind(principal.kind, value), value, actions, statement))
    return Trust(trustees=tuple(trustees), denies=tuple(denies), unknown=tuple(unknown))


def _assume_actions(statement: Statement) -> tuple[str, ...] | Unresolved:
    """The sts:AssumeRole* actions a statement covers (NotAction read as everything else)."""
    if isinstance(statement.actions, Unresolved):
        return statement.actions
    if isinstance(statement.not_actions, Unresolved):
        return statement.not_actions
    if statement.actions is not None:
        listed = [a for a in statement.actions if isinstance(a, str)]
        found = tuple(x for x in _ASSUME if any(matches(p.strip(), x, fold=True) for p in listed))
        if not found and len(listed) < len(statement.actions):
            return Unresolved("Action has unresolved entries")
        return found
    if statement.not_actions is not None:
        listed = [a for a in statement.not_actions if isinstance(a, str)]
        return tuple(x for x in _ASSUME if not any(covers(p.strip(), x, fold=True) for p in listed))
    return ()


def _kind(kind: PrincipalKind, value: str) -> TrusteeKind:
    match kind:
        case PrincipalKind.ANY:
            return TrusteeKind.ANY
        case PrincipalKind.SERVICE:
            return TrusteeKind.LAMBDA if value.lower() == LAMBDA_SERVICE else TrusteeKind.SERVICE
        case PrincipalKind.FEDERATED:
            return TrusteeKind.FEDERATED
        case PrincipalKind.CANONICAL_USER:
            return TrusteeKind.CANONICAL_USER
        case PrincipalKind.AWS:
            if value == "*":
                return TrusteeKind.ANY
            if value.isdigit() or value.endswith(":root"):
                return TrusteeKind.ACCOUNT
            return TrusteeKind.PRINCIPAL


def _trustee(kind: TrusteeKind, value: str, actions: tuple[str, ...], statement: Statement) -> Trustee:
    conditions: tuple[ConditionInfo, ...] = ()
    unknown: str | None = None
    if isinstance(statement.conditions, Unresolved):
        unknown = statement.conditions.reason
    else:
        conditions = tuple(classify(c) for c in statement.conditions)
        values = [v.reason for c in statement.conditions for v in c.values if isinstance(v, Unresolved)]
        unknown = values[0] if values else None
    return Trustee(
        kind=kind,
        value=value,
        actions=actions,
        conditions=conditions,
        conditions_unknown=unknown,
        statement=statement,
    )
