"""SAM policy templates recognized in execution-role statements by the actions SAM writes for them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from lambdasec.data import DataFiles
from lambdasec.iam import Grant
from lambdasec.model import PolicyKind, SourceKind

__all__ = ["sam_templates_of"]


@lru_cache(maxsize=1)
def _templates_by_actions() -> Mapping[frozenset[str], tuple[str, ...]]:
    """Template names by the action set of each of their statements, read on first use."""
    templates: dict[str, Any] = DataFiles().load_json("sam_policy_templates.json")["Templates"]
    out: dict[frozenset[str], list[str]] = {}
    for name, template in sorted(templates.items()):
        for statement in template["Statement"]:
            actions = statement["Action"]
            key = frozenset([actions] if isinstance(actions, str) else actions)
            out.setdefault(key, []).append(name)
    return {key: tuple(names) for key, names in out.items()}


def sam_templates_of(grant: Grant) -> tuple[str, ...]:
    """The SAM policy templates `grant` is a statement of, or () for a statement the user wrote.

    A statement of a SAM inline policy whose actions are exactly those of a template statement counts
    as the template's (the model does not record that SAM wrote it). Several names when templates share
    a statement's actions (`SSMParameterReadPolicy`, `SSMParameterWithSlashPrefixReadPolicy`).
    """
    policy = grant.policy
    if policy.origin.source is not SourceKind.SAM or policy.kind is not PolicyKind.INLINE:
        return ()
    if grant.not_action or grant.actions_unknown is not None or not grant.actions:
        return ()
    return _templates_by_actions().get(frozenset(a.strip() for a in grant.actions), ())
