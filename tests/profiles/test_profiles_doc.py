"""docs/profiles.md's rule table says what profiles.py does, and lists every hygiene rule."""

from __future__ import annotations

import re
from pathlib import Path

from lambdasec.profiles import HYGIENE, PROFILES, Profile
from lambdasec.rules import load_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "profiles.md"
ROW = re.compile(
    r"^\| (LS\d{3}) \| ([a-z0-9-]+) \| (yes|no) \| (yes|no) \| (yes|no) \| ([^|]+) \|", re.MULTILINE
)


def test_table_rows_match_the_profiles() -> None:
    rows = ROW.findall(DOC.read_text(encoding="utf-8"))
    assert rows
    rules = load_rules()
    for rule_id, name, *cells, controls in rows:
        rule = rules.get(rule_id)
        assert rule is not None and rule.name == name, rule_id
        runs = ["yes" if rule_id not in PROFILES[profile].skip else "no" for profile in Profile]
        assert cells == runs, rule_id
        declared = ", ".join(rule.standards.security_hub) if rule.standards else ""
        assert controls.strip() == (declared or "-"), rule_id
    assert {row[0] for row in rows} >= HYGIENE
