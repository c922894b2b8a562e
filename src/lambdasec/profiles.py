"""Profiles as data: which rules `default`, `fsbp` and `strict` run, and the options they tune."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lambdasec.levels import Category
from lambdasec.records import record

if TYPE_CHECKING:
    from lambdasec.rules import RuleSet

__all__ = [
    "FSBP_HYGIENE",
    "HYGIENE",
    "PROFILES",
    "STRICT_OPTIONS",
    "Profile",
    "ProfileSpec",
    "profile_options",
    "select_rules",
]


class Profile(StrEnum):
    """Who reads the findings: a developer (risk in context), a compliance team (FSBP), a full baseline."""

    DEFAULT = "default"
    FSBP = "fsbp"
    STRICT = "strict"


# Hygiene checks: they judge every function (or API stage, log group, trail) whatever it does, so on a
# real application they fire on almost everything. `default` leaves them out to keep risk visible.
HYGIENE: frozenset[str] = frozenset(
    {
        "LS209",  # api-access-logging-off: every stage without an access log
        "LS302",  # env-vars-no-customer-kms-key: every function with environment variables
        "LS303",  # log-group-no-retention: every function's log group
        "LS304",  # log-group-no-kms: every log group
        "LS402",  # tracing-not-active: every function (Security Hub Lambda.7)
        "LS405",  # cloudtrail-lambda-data-events-off: every trail
        "LS406",  # function-no-tags: every function (Security Hub Lambda.6)
        "LS423",  # function-not-in-vpc: every function (Security Hub Lambda.3)
        "LS601",  # code-signing-not-enforced: every zip function
    }
)

# The hygiene checks that Security Hub's controls require unconditionally: `fsbp` turns them on.
FSBP_HYGIENE: frozenset[str] = frozenset({"LS209", "LS402", "LS406", "LS423"})


# `strict` asks the contextual rules for a DLQ, reserved concurrency and a customer managed key on every
# function, through each rule's own option: the profile tunes, the rule's logic stays one.
STRICT_OPTIONS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "LS302": MappingProxyType({"every-function": True}),
        "LS403": MappingProxyType({"every-function": True}),
        "LS410": MappingProxyType({"every-function": True}),
    }
)


@record
class ProfileSpec:
    """What a profile runs: every rule but `skip`, with `options` under the configured ones."""

    profile: Profile
    description: str
    skip: frozenset[str]
    options: Mapping[str, Mapping[str, Any]]
    compliance: bool


PROFILES: Mapping[Profile, ProfileSpec] = MappingProxyType(
    {
        Profile.DEFAULT: ProfileSpec(
            profile=Profile.DEFAULT,
            description="risks in context: hygiene checks that fire on every function are off",
            skip=HYGIENE,
            options=MappingProxyType({}),
            compliance=False,
        ),
        Profile.FSBP: ProfileSpec(
            profile=Profile.FSBP,
            description="default plus what AWS Security Hub's Foundational Security Best Practices require "
            "of every function (VPC, multi-AZ, tags, X-Ray active, API access logs)",
            skip=HYGIENE - FSBP_HYGIENE,
            options=MappingProxyType({}),
            compliance=True,
        ),
        Profile.STRICT: ProfileSpec(
            profile=Profile.STRICT,
            description="every rule on every function: a full baseline for teams that gate on it",
            skip=frozenset(),
            options=STRICT_OPTIONS,
            compliance=True,
        ),
    }
)


def select_rules(
    rules: RuleSet, *, profile: Profile, include: frozenset[str] | None, exclude: frozenset[str]
) -> RuleSet:
    """The rules a scan runs: the profile's, minus `exclude`; an explicit `include` replaces the profile's.

    `--rules LS302` therefore runs LS302 even under `default`, which leaves it out.
    """
    # Imported here: the command line reads the Profile enum without loading the rule machinery.
    from lambdasec.rules import RuleSet

    if include is not None:
        return rules.select(include=include, exclude=exclude)
    skip = PROFILES[profile].skip
    chosen = rules.select(include=None, exclude=exclude)
    return RuleSet(
        tuple(rule for rule in chosen if rule.category is Category.INTERNAL or rule.id not in skip)
    )


def profile_options(
    profile: Profile, configured: Mapping[str, Mapping[str, Any]]
) -> Mapping[str, Mapping[str, Any]]:
    """Per-rule option tables: the profile's tuning, overridden key by key by the configuration."""
    tuned = PROFILES[profile].options
    merged: dict[str, Mapping[str, Any]] = {}
    for rule_id in sorted(set(tuned) | set(configured)):
        merged[rule_id] = MappingProxyType({**tuned.get(rule_id, {}), **configured.get(rule_id, {})})
    return MappingProxyType(merged)
