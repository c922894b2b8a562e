"""Effective permissions of a role: its policies' grants, Deny subtracted, boundary applied, queryable."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum

from lambdasec.iam.catalog import ActionCatalog, ActionInfo, ActionProblem, load_catalog
from lambdasec.iam.conditions import ConditionInfo
from lambdasec.iam.grants import (
    Grant,
    Match,
    PolicySource,
    ResourceMode,
    ResourceQuery,
    to_grant,
)
from lambdasec.iam.overrides import EscalationMethod, RiskOverrides, RiskTag, load_overrides
from lambdasec.iam.wildcards import has_wildcard
from lambdasec.model import Effect, PolicyDocument, Statement
from lambdasec.records import record

__all__ = [
    "Access",
    "Decision",
    "EffectivePermissions",
    "EscalationPath",
    "UnknownAction",
    "UnknownPiece",
    "action_problems",
    "combine",
    "grants_of",
]


class Access(StrEnum):
    """The answer to "may the role do this?"."""

    ALLOWED = "allowed"  # an Allow without narrowing conditions reaches it, no Deny can apply
    CONDITIONAL = (
        "conditional"  # allowed only when conditions hold (of an Allow, or of a Deny that may apply)
    )
    DENIED = "denied"  # no Allow reaches it, or a Deny without conditions does
    UNKNOWN = "unknown"  # unresolved policy pieces could change the answer


_ORDER = (Access.DENIED, Access.UNKNOWN, Access.CONDITIONAL, Access.ALLOWED)
# Members bound once for the hot paths: reading `Match.FULL` goes through the enum class (0.1 us each).
_NONE, _PARTIAL, _BROAD, _MAYBE, _FULL = Match.NONE, Match.PARTIAL, Match.BROAD, Match.MAYBE, Match.FULL
_ALLOW, _DENY = Effect.ALLOW, Effect.DENY
_WITHIN_MODE = ResourceMode.WITHIN


def combine(accesses: Iterable[Access]) -> Access:
    """The access of needing all of them: the weakest (DENIED < UNKNOWN < CONDITIONAL < ALLOWED)."""
    found = set(accesses)
    for access in _ORDER:
        if access in found:
            return access
    return Access.ALLOWED


@record
class UnknownPiece:
    """A policy whose document is not known (unresolved, or not in the scanned sources)."""

    reason: str
    policy: PolicySource


@record
class Decision:
    """The answer for one action and resource query, with the statements behind it.

    `access` is honest (UNKNOWN when unresolved pieces could change it); `resolved_access` is
    the answer from the resolved statements alone, for rules that report with lower confidence.
    `allowed_by` lists the Allow grants that reach the query (without narrowing conditions
    first); `denied_by` the Deny grants that reach all of it; `limited_by` the Deny grants
    that reach part of it (the answer stands, for the rest).
    """

    action: str
    resource: str
    access: Access
    resolved_access: Access
    allowed_by: tuple[Grant, ...] = ()
    denied_by: tuple[Grant, ...] = ()
    limited_by: tuple[Grant, ...] = ()
    unknown: tuple[str, ...] = ()
    outside_boundary: bool = False

    @property
    def conditions(self) -> tuple[ConditionInfo, ...]:
        """Narrowing conditions of the allowing grants and of Deny grants that may apply."""
        return tuple(
            c for g in (*self.allowed_by, *self.denied_by) for c in g.conditions if c.narrows_requests
        )


@record
class UnknownAction:
    """An Action/NotAction entry that grants nothing (typo, unknown service), where it is written."""

    problem: ActionProblem
    statement: Statement
    policy: PolicySource
    field: str  # "actions" or "not_actions"


@record
class EscalationPath:
    """A published escalation method and how the role's permissions meet each action it needs."""

    method: EscalationMethod
    access: Access
    decisions: tuple[Decision, ...]


@record(kw_only=False)
class _Named:
    """The catalog keys an Action/NotAction element names: `keys`, or every key (`*`) without listing them."""

    keys: frozenset[str]
    every: bool = False

    def __contains__(self, key: str) -> bool:
        """Whether the element names the catalog key `key`."""
        return self.every or key in self.keys


_EVERY = _Named(frozenset(), every=True)


class EffectivePermissions:
    """What a set of policies allows, queryable per action and resource.

    Build one for a role with `permissions_of(role, inventory)` (module `lambdasec.iam.roles`), or
    from grants directly. `boundary` is the permissions boundary's own permissions, if any.
    """

    __slots__ = (
        "_catalog",
        "_named",
        "_overrides",
        "_paths",
        "_reaching",
        "_sets",
        "_sufficient",
        "_tag_memo",
        "_unresolved",
        "_verdicts",
        "boundary",
        "grants",
        "label",
        "unknown_pieces",
    )

    def __init__(
        self,
        grants: Iterable[Grant],
        *,
        unknown_pieces: Iterable[UnknownPiece] = (),
        boundary: EffectivePermissions | None = None,
        label: str = "",
        catalog: ActionCatalog | None = None,
        overrides: RiskOverrides | None = None,
        tag_memo: dict[tuple[RiskTag, frozenset[str]], frozenset[str]] | None = None,
    ) -> None:
        """`tag_memo` may be shared by the roles of one scan with the same `overrides`: most of them name
        the same few sets of actions, whose tagged ones are then looked up once."""
        self.grants = tuple(grants)
        self.unknown_pieces = tuple(unknown_pieces)
        self.boundary = boundary
        self.label = label
        self._catalog = catalog
        self._overrides = overrides
        self._sets: list[_Named] | None = None
        self._named: _Named | None = None
        self._reaching: dict[str, tuple[ActionInfo | None, tuple[tuple[int, Match], ...]]] = {}
        self._verdicts: dict[tuple[tuple[int, Match, Match], ...], _Verdict] = {}
        self._paths: dict[bool, tuple[EscalationPath, ...]] = {}
        self._tag_memo = {} if tag_memo is None else tag_memo
        self._unresolved: tuple[str, ...] | None = None
        self._sufficient: dict[str, tuple[tuple[Grant, ActionInfo | None], ...]] = {}

    @property
    def catalog(self) -> ActionCatalog:
        """The action catalog queries use."""
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    @property
    def overrides(self) -> RiskOverrides:
        """The risk override table tag queries use."""
        if self._overrides is None:
            self._overrides = load_overrides()
        return self._overrides

    # -- single queries ------------------------------------------------------------------------

    def allows(self, action: str, resource: str = "*") -> Decision:
        """May the role perform `action` (an action or a pattern such as `s3:*`) on all of `resource`?

        `resource` is `*` (every resource), an ARN, or an ARN pattern the grant must cover.
        """
        mode = ResourceMode.ALL if resource.strip() == "*" else ResourceMode.PATTERN
        return self._decide(action, ResourceQuery(mode, resource.strip()))

    def allows_unscoped(self, action: str) -> Decision:
        """May the role perform `action` on every resource of its types (`*` or e.g. `arn:aws:s3:::*/*`)?"""
        return self._decide(action, ResourceQuery(ResourceMode.UNSCOPED))

    def allows_somewhere(self, action: str) -> Decision:
        """May the role perform `action` on at least one resource?"""
        return self._decide(action, ResourceQuery(ResourceMode.SOME))

    def allows_within(self, action: str, resource: str) -> Decision:
        """May the role perform `action` on at least one resource matching the ARN pattern `resource`?

        E.g. its own log group, `arn:*:logs:*:*:log-group:/aws/lambda/<name>:*`.
        A Deny decides only when it covers the whole pattern.
        """
        return self._decide(action, ResourceQuery(ResourceMode.WITHIN, resource.strip()))

    def is_admin(self) -> Decision:
        """Every action on every resource (`*` on `*`)."""
        return self.allows("*", "*")

    def access(self, action: str, resource: str = "*") -> Access:
        """`allows(action, resource).access`, without building the Decision (for many queries)."""
        mode = ResourceMode.ALL if resource.strip() == "*" else ResourceMode.PATTERN
        return self._access(action, ResourceQuery(mode, resource.strip()))

    def access_within(self, action: str, resource: str) -> Access:
        """`allows_within(action, resource).access`, without building the Decision (for many queries)."""
        query = ResourceQuery(_WITHIN_MODE, resource.strip())
        if self.boundary is not None:  # `_access`, inline: LS109 asks this twice per function
            return self._decide(action, query).access
        action = action.strip()
        sufficient = self._sufficient.get(action)
        if sufficient is None:
            sufficient = self._sufficient[action] = self._sufficient_allows(action)
        for grant, info in sufficient:
            if grant.match_resource(query, info=info) is _FULL:
                return Access.ALLOWED  # what `_verdict` makes of it, without the other grants' reach
        return self._verdict_of(action, query).access

    def _sufficient_allows(self, action: str) -> tuple[tuple[Grant, ActionInfo | None], ...]:
        """The grants any one of which makes a WITHIN query on `action` ALLOWED when it reaches all of
        the query's resource side: with no unknown piece and only Allow grants reaching the action, no
        Deny or unknown can weigh against it; they must name the action outright and have no narrowing
        conditions. Empty when some other grant or piece could change the answer."""
        info, reaching = self._reaching.get(action) or self._reaching_grants(action)
        grants = self.grants
        if self.unknown_pieces or any(grants[index].effect is not _ALLOW for index, _ in reaching):
            return ()
        return tuple(
            (grants[index], info)
            for index, acts in reaching
            if acts is _FULL and not grants[index].restricted
        )

    def unresolved_reasons(self) -> tuple[str, ...]:
        """Why some answers may be unknown: the reasons of the unknown pieces, then of the Action lists
        not known, each once (computed once: every identity rule asks it of the roles it judges)."""
        if self._unresolved is None:
            reasons = [piece.reason for piece in self.unknown_pieces]
            reasons += [g.actions_unknown for g in self.grants if g.actions_unknown is not None]
            self._unresolved = tuple(dict.fromkeys(reasons))
        return self._unresolved

    # -- bulk queries --------------------------------------------------------------------------

    def grants_for(self, action: str | None = None, *, effect: Effect | None = None) -> Iterator[Grant]:
        """Grants (optionally of one effect) whose Action/NotAction may reach `action`."""
        for grant in self.grants:
            if effect is not None and grant.effect is not effect:
                continue
            if action is None or grant.match_action(action) is not Match.NONE:
                yield grant

    def allowed_actions(self, resource: str = "*", *, conditional: bool = False) -> frozenset[str]:
        """Catalog keys of the actions allowed on all of `resource` by resolved statements.

        Allow grants without narrowing conditions count (also conditional ones with `conditional`);
        Deny grants without conditions that reach all of `resource` are subtracted. Unresolved
        pieces are ignored here: use `allows()` for an honest answer on one action.
        """
        query = ResourceQuery(ResourceMode.ALL if resource == "*" else ResourceMode.PATTERN, resource)
        allowed: set[str] = set()
        denied: set[str] = set()
        for grant in self.grants:
            if grant.effect is None or grant.actions_unknown is not None:
                continue
            if grant.effect is Effect.ALLOW:
                if grant.restricted and not conditional:
                    continue
                if grant.match_resource(query, info=None) not in (Match.FULL, Match.BROAD):
                    continue
                allowed |= self._actions_of(grant)
            elif (
                not grant.restricted
                and not grant.avoidable
                and grant.match_resource(query, info=None) is Match.FULL
            ):
                denied |= self._actions_of(grant)
        result = frozenset(allowed - denied)
        if self.boundary is not None:
            result &= self.boundary.allowed_actions(resource, conditional=conditional)
        return result

    def actions_with_tag(self, tag: RiskTag, *, unscoped: bool = True) -> tuple[Decision, ...]:
        """Decisions for each action carrying `tag` that is not DENIED, sorted by action.

        With `unscoped` (default) the question is "on every resource of its type"; otherwise
        "on at least one resource".
        """
        out: list[Decision] = []
        for key in sorted(self._tagged(tag)):
            info = self.catalog.info(key)
            name = info.full_name if info is not None else key
            decision = self.allows_unscoped(name) if unscoped else self.allows_somewhere(name)
            if decision.access is not Access.DENIED:
                out.append(decision)
        return tuple(out)

    def escalation_paths(self, *, unscoped: bool = False) -> tuple[EscalationPath, ...]:
        """Published escalation methods whose every action is not DENIED (each on some resource,
        or on every resource of its type with `unscoped`)."""
        found = self._paths.get(unscoped)
        if found is None:
            found = self._paths[unscoped] = self._escalation_paths(unscoped=unscoped)
        return found

    def _escalation_paths(self, *, unscoped: bool) -> tuple[EscalationPath, ...]:
        out: list[EscalationPath] = []
        overrides = self.overrides
        reachable = self._reachable_keys()
        for method, keys in zip(overrides.methods, overrides.method_keys, strict=True):
            if not reachable(keys):
                continue  # an action no statement can reach: DENIED
            decisions = tuple(
                self.allows_unscoped(a) if unscoped else self.allows_somewhere(a) for a in method.requires
            )
            access = combine(d.access for d in decisions)
            if access is not Access.DENIED:
                out.append(EscalationPath(method=method, access=access, decisions=decisions))
        return tuple(out)

    def unknown_actions(self) -> tuple[UnknownAction, ...]:
        """Action/NotAction entries that match no action of the catalog, where they are written."""
        out: list[UnknownAction] = []
        for grant in self.grants:
            field = "not_actions" if grant.not_action else "actions"
            out.extend(
                UnknownAction(problem=problem, statement=grant.statement, policy=grant.policy, field=field)
                for problem in self.catalog.problems(grant.actions)
            )
        return tuple(out)

    # -- evaluation ----------------------------------------------------------------------------

    def _actions_of(self, grant: Grant) -> frozenset[str]:
        listed = self.catalog.expand_all(grant.actions)
        return self.catalog.all_actions - listed if grant.not_action else listed

    def _reachable_keys(self) -> Callable[[frozenset[str]], bool]:
        """A test of whether `_candidates(keys) == keys`, with what it needs looked up once (the escalation
        methods ask it about thirty sets per role)."""
        self._listed_sets()
        named = self._named
        if named is None or self.unknown_pieces:
            return lambda keys: True
        if named.every:
            known = self.catalog.known
            return lambda keys: known(keys) == keys
        return named.keys.issuperset

    def _candidates(self, keys: frozenset[str]) -> frozenset[str]:
        """The subset of catalog `keys` a query could find not DENIED (all of them when unsure)."""
        self._listed_sets()
        if self._named is None or self.unknown_pieces:
            return keys
        return self.catalog.known(keys) if self._named.every else keys & self._named.keys

    def _tagged(self, tag: RiskTag) -> frozenset[str]:
        """`_candidates` of the actions with `tag`, asking the table only about named actions when it can."""
        self._listed_sets()
        if self._named is None or self._named.every or self.unknown_pieces:
            return self._candidates(self.overrides.actions_tagged(tag))
        key = (tag, self._named.keys)
        found = self._tag_memo.get(key)
        if found is None:
            found = self._tag_memo[key] = self.overrides.tagged_among(tag, self._named.keys)
        return found

    def _listed_sets(self) -> list[_Named]:
        """Per grant, the catalog keys its Action/NotAction entries name (computed once)."""
        if self._sets is None:
            catalog = self.catalog
            self._sets = [
                _EVERY if catalog.names_every_action(g.actions) else _Named(catalog.expand_all(g.actions))
                for g in self.grants
            ]
            if not any(g.not_action or g.actions_unknown is not None for g in self.grants):
                every = any(listed.every for listed in self._sets)
                self._named = _EVERY if every else _Named(frozenset().union(*(n.keys for n in self._sets)))
        return self._sets

    def _reaching_grants(self, action: str) -> tuple[ActionInfo | None, tuple[tuple[int, Match], ...]]:
        """The catalog entry of `action`, and the grants whose Action/NotAction reaches it with how far
        (by index; computed once per action)."""
        found = self._reaching.get(action)
        if found is None:
            info = None if has_wildcard(action) else self.catalog.info(action)
            matched = self._match_actions(action, info.key if info is not None else None)
            found = (info, tuple((index, acts) for index, acts in matched if acts is not Match.NONE))
            self._reaching[action] = found
        return found

    def _match_actions(self, action: str, key: str | None) -> Iterator[tuple[int, Match]]:
        """The index of each grant with how its Action/NotAction reaches `action`; catalog sets for
        catalog actions."""
        if key is None:
            for index, grant in enumerate(self.grants):
                yield index, grant.match_action(action)
            return
        sets = self._listed_sets()
        if self._named is not None:
            # Only Action lists, all known: the grants naming the action reach it, the others do not.
            for index, listed in enumerate(sets):
                if key in listed:
                    yield index, _FULL
            return
        for index, (grant, listed) in enumerate(zip(self.grants, sets, strict=True)):
            if key in listed:
                yield index, _NONE if grant.not_action else _FULL
            elif grant.actions_unknown is not None:
                yield index, _MAYBE
            else:
                yield index, _FULL if grant.not_action else _NONE

    def _access(self, action: str, query: ResourceQuery) -> Access:
        if self.boundary is not None:
            return self._decide(action, query).access
        return self._verdict_of(action.strip(), query).access

    def _decide(self, action: str, query: ResourceQuery) -> Decision:
        own = self._evaluate(action.strip(), query)
        if self.boundary is None or own.access is Access.DENIED:
            return own
        fence = self.boundary._evaluate(action.strip(), query)
        access = combine((own.access, fence.access))
        known_fence = fence.access is not Access.UNKNOWN
        resolved = (
            combine((own.resolved_access, fence.resolved_access)) if known_fence else own.resolved_access
        )
        return Decision(
            action=own.action,
            resource=own.resource,
            access=access,
            resolved_access=resolved,
            allowed_by=own.allowed_by,
            denied_by=own.denied_by + fence.denied_by,
            limited_by=own.limited_by + fence.limited_by,
            unknown=own.unknown + tuple(f"permissions boundary: {r}" for r in fence.unknown),
            outside_boundary=fence.access is Access.DENIED,
        )

    def _evaluate(self, action: str, query: ResourceQuery) -> Decision:
        verdict = self._verdict_of(action, query)
        return Decision(
            action=action,
            resource=query.describe(),
            access=verdict.access,
            resolved_access=verdict.resolved_access,
            allowed_by=verdict.allowed_by,
            denied_by=verdict.denied_by,
            limited_by=verdict.limited_by,
            unknown=verdict.unknown,
        )

    def _verdict_of(self, action: str, query: ResourceQuery) -> _Verdict:
        info, reaching = self._reaching.get(action) or self._reaching_grants(action)  # hit: no call
        deny_query: ResourceQuery | None = None  # made when a Deny (or unresolved Effect) reaches the action
        # How far each grant reaches the query, as an Allow and as a Deny (NONE when not that effect).
        reaches: list[tuple[int, Match, Match]] = []
        grants = self.grants
        for index, acts in reaching:
            grant = grants[index]
            effect = grant.effect
            allow = deny = _NONE
            if effect is not _DENY:
                res = grant.match_resource(query, info=info)
                if res is _BROAD:
                    res = _FULL
                allow = res if acts is _FULL else _reach(acts, res)
            if effect is not _ALLOW:
                deny_query = deny_query or _deny_side(query)
                res = grant.match_resource(deny_query, info=info)
                deny = _reach(acts, _PARTIAL if res is _BROAD else res)
            if allow is not _NONE or deny is not _NONE:
                reaches.append((index, allow, deny))
        # The verdict depends on the reaches only: queries reaching the same grants alike share it.
        key = tuple(reaches)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._verdict(reaches)
        return verdict

    def _verdict(self, reaches: list[tuple[int, Match, Match]]) -> _Verdict:
        """The answer from how far each grant reaches a query (as an Allow, as a Deny)."""
        allow_free: list[Grant] = []
        allow_cond: list[Grant] = []
        deny_free: list[Grant] = []
        deny_cond: list[Grant] = []
        limited: list[Grant] = []
        maybe_allow: list[tuple[str, bool]] = []  # (reason, narrowed by conditions)
        maybe_deny: list[str] = []
        for index, allow, deny in reaches:
            grant = self.grants[index]
            if grant.effect is not _DENY:
                if grant.effect is None and allow is not _NONE:
                    maybe_allow.append((_why(grant, "effect"), grant.restricted))
                elif allow is _FULL:
                    (allow_cond if grant.restricted else allow_free).append(grant)
                elif allow is _MAYBE:
                    maybe_allow.append((_why(grant, None), grant.restricted))
            if grant.effect is not _ALLOW:
                if grant.effect is None and deny is not _NONE:
                    maybe_deny.append(_why(grant, "effect"))
                elif deny is _FULL:
                    if grant.avoidable:
                        limited.append(grant)
                    else:
                        (deny_cond if grant.restricted else deny_free).append(grant)
                elif deny is _MAYBE:
                    maybe_deny.append(_why(grant, None))
                elif deny is _PARTIAL:
                    limited.append(grant)
        for piece in self.unknown_pieces:
            maybe_allow.append((piece.reason, False))
            maybe_deny.append(piece.reason)
        if deny_free:
            resolved = Access.DENIED
        elif allow_free:
            resolved = Access.ALLOWED
        elif allow_cond:
            resolved = Access.CONDITIONAL
        else:
            resolved = Access.DENIED
        if resolved is not Access.DENIED and deny_cond:
            resolved = Access.CONDITIONAL
        unknown: list[str] = []
        if not deny_free:
            if resolved is not Access.DENIED:
                unknown.extend(maybe_deny)
            if resolved is Access.DENIED:
                unknown.extend(reason for reason, _ in maybe_allow)
            elif resolved is Access.CONDITIONAL:
                unknown.extend(reason for reason, narrowed in maybe_allow if not narrowed)
        unique = tuple(dict.fromkeys(unknown))
        return _Verdict(
            access=Access.UNKNOWN if unique else resolved,
            resolved_access=resolved,
            allowed_by=tuple(allow_free + allow_cond),
            denied_by=tuple(deny_free + deny_cond),
            limited_by=tuple(limited),
            unknown=unique,
        )


@record
class _Verdict:
    """A Decision without its action and resource, shared by the queries that reach the grants alike."""

    access: Access
    resolved_access: Access
    allowed_by: tuple[Grant, ...]
    denied_by: tuple[Grant, ...]
    limited_by: tuple[Grant, ...]
    unknown: tuple[str, ...]


_EVERY_RESOURCE = ResourceQuery(ResourceMode.ALL)


def _deny_side(query: ResourceQuery) -> ResourceQuery:
    """What a Deny must reach to decide `query`: all of `*` for SOME, all of the pattern for WITHIN."""
    match query.mode:
        case ResourceMode.SOME:
            return _EVERY_RESOURCE
        case ResourceMode.WITHIN:
            return ResourceQuery(ResourceMode.PATTERN, query.pattern)
        case _:
            return query


def _reach(action: Match, resource: Match) -> Match:
    """The reach of a statement from the reach of its action and resource elements."""
    if action is resource or action is _FULL:
        return resource
    if resource is _FULL:
        return action
    return min(action, resource, key=_RANK.__getitem__)


_RANK = {Match.NONE: 0, Match.PARTIAL: 1, Match.MAYBE: 2, Match.BROAD: 3, Match.FULL: 4}


def _why(grant: Grant, part: str | None) -> str:
    where = f"statement `{grant.statement.origin.resource}` of `{grant.policy.name}`"
    if part == "effect":
        return f"{where}: Effect is unresolved"
    reasons = grant.unknown_reasons
    return f"{where}: {reasons[0]}" if reasons else where


def action_problems(
    statement: Statement, *, catalog: ActionCatalog | None = None
) -> tuple[tuple[str, ActionProblem], ...]:
    """(field, problem) for each Action/NotAction entry of any statement that matches no known action."""
    found = catalog or load_catalog()
    out: list[tuple[str, ActionProblem]] = []
    for field, values in (("actions", statement.actions), ("not_actions", statement.not_actions)):
        if isinstance(values, tuple):
            known = tuple(v.strip() for v in values if isinstance(v, str))
            out.extend((field, problem) for problem in found.problems(known))
    return tuple(out)


def grants_of(document: PolicyDocument, *, policy: PolicySource) -> tuple[Grant, ...]:
    """The grants of a policy document."""
    return tuple(to_grant(s, policy=policy) for s in document.statements)
