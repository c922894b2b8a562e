"""Every rule declares the standards it serves, with ids from the catalogs; every profile names real rules."""

from __future__ import annotations

import pytest

from lambdasec.findings import Category, Standards
from lambdasec.profiles import FSBP_HYGIENE, HYGIENE, PROFILES, Profile
from lambdasec.rules import load_rules
from lambdasec.rules._api import Rule
from lambdasec.standards import OWASP_SERVERLESS, SECURITY_HUB, standards_problems

RULES = load_rules()
MAPPED = [rule for rule in RULES if rule.category is not Category.INTERNAL]


@pytest.mark.parametrize("rule", MAPPED, ids=lambda r: r.id)
def test_every_rule_declares_valid_standards(rule: Rule) -> None:
    assert standards_problems(rule.standards) == []


def test_standards_problems_name_each_mistake() -> None:
    assert standards_problems(None) == ["declares no standards mapping (`standards=Standards(...)`)"]
    assert standards_problems(Standards(owasp_serverless=("SAS-11",), security_hub=("Lambda.4",))) == [
        "unknown OWASP Serverless category `SAS-11`",
        "unknown Security Hub control `Lambda.4`",
        "standards name no practice",
    ]
    assert standards_problems(Standards(practice="least privilege")) == [
        "standards map to no OWASP Serverless Top 10 category"
    ]


def test_catalogs_hold_the_ids_the_issue_names() -> None:
    assert list(OWASP_SERVERLESS) == [f"SAS-{n}" for n in range(1, 11)]
    assert set(SECURITY_HUB) == {
        "Lambda.1",
        "Lambda.2",
        "Lambda.3",
        "Lambda.5",
        "Lambda.6",
        "Lambda.7",
        "IAM.1",
        "IAM.21",
        "APIGateway.1",
        "APIGateway.3",
        "APIGateway.4",
        "APIGateway.5",
        "APIGateway.8",
        "APIGateway.9",
    }


def test_each_security_hub_lambda_control_fsbp_requires_has_a_rule_fsbp_runs() -> None:
    fsbp = {rule.id for rule in RULES if rule.id not in PROFILES[Profile.FSBP].skip}
    covered = {
        control
        for rule in MAPPED
        if rule.id in fsbp and rule.standards is not None
        for control in rule.standards.security_hub
    }
    assert {"Lambda.1", "Lambda.2", "Lambda.3", "Lambda.5", "Lambda.6", "Lambda.7"} <= covered


@pytest.mark.parametrize("profile", list(Profile))
def test_profiles_name_only_existing_rules(profile: Profile) -> None:
    known = {rule.id for rule in RULES}
    spec = PROFILES[profile]
    assert spec.profile is profile
    assert sorted(spec.skip - known) == []
    assert sorted(set(spec.options) - known) == []


def test_hygiene_sets_name_only_existing_rules() -> None:
    known = {rule.id for rule in RULES}
    assert sorted(HYGIENE - known) == []
    assert sorted(FSBP_HYGIENE - HYGIENE) == []
