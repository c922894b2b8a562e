"""The same application scanned under each profile reports exactly the findings and controls expected."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lambdasec.config import Settings
from lambdasec.findings import ScanResult
from lambdasec.profiles import PROFILES, Profile, profile_options, select_rules
from lambdasec.rules import load_rules
from lambdasec.scan import ScanRequest, scan
from lambdasec.standards import SECURITY_HUB

HERE = Path(__file__).parent
APP = HERE / "app"
EXPECTED = HERE / "expected"
TODAY = date(2026, 11, 22)


def _observed(result: ScanResult) -> dict[str, Any]:
    """Findings, and the Lambda controls (IAM and API Gateway ones depend on which identity rules exist)."""
    assert {c.control for c in result.controls} <= set(SECURITY_HUB)
    return {
        "findings": sorted(
            f"{f.rule} {f.location.file}:{f.location.line} {f.resource.id}" for f in result.findings
        ),
        "controls": {
            c.control: {"passed": c.passed, "failed": c.failed, "unevaluated": c.unevaluated}
            for c in result.controls
            if c.control.startswith("Lambda.")
        },
    }


@pytest.mark.parametrize("profile", list(Profile))
def test_each_profile_reports_exactly_its_expected_file(profile: Profile) -> None:
    result = scan(ScanRequest(paths=(APP,), settings=Settings(profile=profile), today=TODAY))
    assert result.diagnostics == ()
    assert result.profile == str(profile)
    observed = _observed(result)
    path = EXPECTED / f"{profile}.json"
    if os.environ.get("LAMBDASEC_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(observed, indent=2) + "\n", encoding="utf-8")
    assert observed == json.loads(path.read_text(encoding="utf-8"))


def test_profiles_nest_default_within_fsbp_within_strict() -> None:
    run = {
        profile: {
            rule.id for rule in select_rules(load_rules(), profile=profile, include=None, exclude=frozenset())
        }
        for profile in Profile
    }
    assert run[Profile.DEFAULT] < run[Profile.FSBP] < run[Profile.STRICT]
    assert run[Profile.STRICT] == {rule.id for rule in load_rules()}
    assert run[Profile.FSBP] - run[Profile.DEFAULT] == {"LS209", "LS402", "LS406", "LS423"}
    assert run[Profile.STRICT] - run[Profile.FSBP] == {"LS302", "LS303", "LS304", "LS405", "LS601"}


def test_explicit_rules_override_the_profile_and_skips_apply_to_it() -> None:
    rules = load_rules()
    chosen = select_rules(rules, profile=Profile.DEFAULT, include=frozenset({"LS601"}), exclude=frozenset())
    assert [rule.id for rule in chosen] == ["LS000", "LS601"]
    skipped = select_rules(rules, profile=Profile.FSBP, include=None, exclude=frozenset({"LS423"}))
    ids = {rule.id for rule in skipped}
    assert "LS423" not in ids
    assert "LS406" in ids


def test_only_compliance_profiles_summarize_controls() -> None:
    assert {profile for profile, spec in PROFILES.items() if spec.compliance} == {
        Profile.FSBP,
        Profile.STRICT,
    }
    result = scan(ScanRequest(paths=(APP,), settings=Settings(), today=TODAY))
    assert result.controls == ()


def test_configured_options_override_the_profile_key_by_key() -> None:
    configured = {"LS406": {"required-keys": ["owner"]}, "LS403": {"every-function": False}}
    assert profile_options(Profile.STRICT, configured) == {
        "LS302": {"every-function": True},
        "LS403": {"every-function": False},
        "LS406": {"required-keys": ["owner"]},
        "LS410": {"every-function": True},
    }
    assert profile_options(Profile.DEFAULT, {}) == {}
    assert profile_options(Profile.FSBP, {}) == {}
