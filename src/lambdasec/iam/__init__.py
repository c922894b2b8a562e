"""The IAM policy engine: action catalog, risk overrides, AWS managed policies, effective permissions."""

from lambdasec.iam.catalog import (
    AccessLevel,
    ActionCatalog,
    ActionInfo,
    ActionProblem,
    ProblemKind,
    ResourceType,
    load_catalog,
)
from lambdasec.iam.conditions import ConditionInfo, ConditionKind, classify
from lambdasec.iam.documents import parse_document
from lambdasec.iam.effective import (
    Access,
    Decision,
    EffectivePermissions,
    EscalationPath,
    UnknownAction,
    UnknownPiece,
    action_problems,
    combine,
    grants_of,
)
from lambdasec.iam.grants import Grant, PolicySource, ResourceScope, scope_of, to_grant
from lambdasec.iam.managed import (
    AwsManagedPolicy,
    ManagedPolicyCatalog,
    aws_managed_key,
    load_managed_policies,
)
from lambdasec.iam.overrides import (
    EscalationMethod,
    RiskOverrides,
    RiskTag,
    Source,
    TaggedAction,
    load_overrides,
)
from lambdasec.iam.roles import RoleAnalyzer, analyzer_for, permissions_of
from lambdasec.iam.trust import Trust, Trustee, TrusteeKind, trust_of

__all__ = [
    "Access",
    "AccessLevel",
    "ActionCatalog",
    "ActionInfo",
    "ActionProblem",
    "AwsManagedPolicy",
    "ConditionInfo",
    "ConditionKind",
    "Decision",
    "EffectivePermissions",
    "EscalationMethod",
    "EscalationPath",
    "Grant",
    "ManagedPolicyCatalog",
    "PolicySource",
    "ProblemKind",
    "ResourceScope",
    "ResourceType",
    "RiskOverrides",
    "RiskTag",
    "RoleAnalyzer",
    "Source",
    "TaggedAction",
    "Trust",
    "Trustee",
    "TrusteeKind",
    "UnknownAction",
    "UnknownPiece",
    "action_problems",
    "analyzer_for",
    "aws_managed_key",
    "classify",
    "combine",
    "grants_of",
    "load_catalog",
    "load_managed_policies",
    "load_overrides",
    "parse_document",
    "permissions_of",
    "scope_of",
    "to_grant",
    "trust_of",
]
