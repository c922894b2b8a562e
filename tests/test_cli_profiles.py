"""`--profile` on `scan` and `rules`, and `profile = "..."` in the configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdasec._cli import main
from lambdasec.config import load_settings
from lambdasec.errors import ConfigError
from lambdasec.profiles import Profile

APP = Path(__file__).parent / "profiles" / "app"
TODAY = "--today=2026-11-22"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _rules(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["rule"] for f in findings}


def test_scan_profile_flag_selects_the_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "scan", str(APP), "--format", "json", TODAY)
    assert (code, err) == (1, "")
    default = json.loads(out)
    assert _rules(default) == {"LS201", "LS403", "LS410"}
    assert default["summary"]["profile"] == "default"
    assert "controls" not in default["summary"]

    code, out, err = run(capsys, "scan", str(APP), "--format", "json", "--profile", "fsbp", TODAY)
    assert (code, err) == (1, "")
    fsbp = json.loads(out)
    assert _rules(fsbp) == {"LS201", "LS402", "LS403", "LS406", "LS410", "LS423"}
    assert fsbp["summary"]["profile"] == "fsbp"
    lambda7 = next(c for c in fsbp["summary"]["controls"] if c["control"] == "Lambda.7")
    assert lambda7 == {
        "control": "Lambda.7",
        "title": "Lambda functions should have AWS X-Ray active tracing enabled",
        "rules": ["LS402"],
        "functions": {"passed": 2, "failed": 1, "unevaluated": 1},
        "unattributed_findings": 0,
    }
    ls402 = next(f for f in fsbp["findings"] if f["rule"] == "LS402")
    assert ls402["standards"] == {
        "cwe": ["CWE-778"],
        "owasp_serverless": ["SAS-10"],
        "security_hub": ["Lambda.7"],
        "practice": "logging and monitoring",
    }


def test_scan_terminal_shows_the_compliance_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", str(APP), "--profile", "strict", "--no-color", TODAY)
    assert code == 1
    lines = out.splitlines()
    start = lines.index("Compliance (strict profile)")
    assert lines[start + 1].split() == ["Control", "Pass", "Fail", "N/E", "Title"]
    assert lines[start + 7].split()[:4] == ["Lambda.7", "2", "1", "1"]


def test_scan_rejects_an_unknown_profile(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "scan", str(APP), "--profile", "lax", TODAY)
    assert code == 2
    assert "--profile" in err


def test_configured_profile_and_the_flag_overrides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    app.joinpath("template.yaml").write_text(APP.joinpath("template.yaml").read_text())
    app.joinpath(".lambdasec.toml").write_text('profile = "fsbp"\n')
    assert load_settings(config_file=None, root=app).profile is Profile.FSBP

    _, out, _ = run(capsys, "scan", str(app), "--format", "json", TODAY)
    assert json.loads(out)["summary"]["profile"] == "fsbp"
    _, out, _ = run(capsys, "scan", str(app), "--format", "json", "--profile", "default", TODAY)
    assert json.loads(out)["summary"]["profile"] == "default"


def test_a_bad_configured_profile_is_a_configuration_error(tmp_path: Path) -> None:
    tmp_path.joinpath(".lambdasec.toml").write_text('profile = "lax"\n')
    with pytest.raises(ConfigError, match=r"profile: must be one of default, fsbp, strict, not 'lax'"):
        load_settings(config_file=None, root=tmp_path)


def test_rules_profile_lists_what_the_profile_runs(capsys: pytest.CaptureFixture[str]) -> None:
    def listed(*argv: str) -> set[str]:
        code, out, err = run(capsys, "rules", *argv)
        assert (code, err) == (0, "")
        return {line.split()[0] for line in out.splitlines() if line.startswith("LS")}

    every = listed()
    default = listed("--profile", "default")
    fsbp = listed("--profile", "fsbp")
    assert listed("--profile", "strict") == every
    assert every - fsbp == {"LS302", "LS303", "LS304", "LS405", "LS601"}
    assert fsbp - default == {"LS209", "LS402", "LS406", "LS423"}


def test_rule_shows_its_standards(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "LS423")
    assert code == 0
    assert out.splitlines()[3] == (
        "OWASP Serverless: SAS-6 | Security Hub: Lambda.3 | practice: network segmentation"
    )
