"""The orders-app written as serverless.yml gives the SAM version's findings for the core rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import ScanResult
from lambdasec.scan import ScanRequest, scan

ROOT = Path(__file__).resolve().parents[2]
SERVERLESS = ROOT / "tests" / "sources" / "serverless" / "orders" / "serverless.yml"
SAM = ROOT / "examples" / "orders-app" / "template.yaml"
CORE_RULES = frozenset({"LS101", "LS201", "LS202", "LS301", "LS401"})


def _scan(path: Path, rules: frozenset[str] | None = CORE_RULES) -> ScanResult:
    request = ScanRequest(paths=(path,), settings=Settings(rules=rules), today=date(2026, 11, 22))
    return scan(request)


def _lines(marker: str) -> int:
    lines = SERVERLESS.read_text(encoding="utf-8").splitlines()
    found = [number for number, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, f"{marker!r} is on lines {found}"
    return found[0]


def test_same_rule_and_function_findings_as_the_sam_template() -> None:
    serverless = {(f.rule, f.function) for f in _scan(SERVERLESS).findings}
    sam = {(f.rule, f.function) for f in _scan(SAM).findings}

    assert serverless == sam
    assert sam == {
        ("LS101", "orders-nightly-report-prod"),
        ("LS201", "orders-payments-webhook-prod"),
        ("LS202", "orders-get-prod"),
        ("LS301", "orders-payments-webhook-prod"),
        ("LS401", "orders-nightly-report-prod"),
    }


def test_findings_point_at_the_serverless_lines() -> None:
    result = _scan(SERVERLESS)
    located = {(f.rule, f.location.source, f.location.file, f.location.line) for f in result.findings}

    assert located == {
        ("LS101", "serverless", "serverless.yml", _lines('Action: "*"') - 1),
        ("LS201", "serverless", "serverless.yml", _lines("url: true")),
        ("LS202", "serverless", "serverless.yml", _lines('Principal: "*"')),
        ("LS301", "serverless", "serverless.yml", _lines("STRIPE_SECRET_KEY:")),
        ("LS401", "serverless", "serverless.yml", _lines("runtime: python3.8")),
    }
    # The fixture is the service definition alone: only the code source notes the missing handlers.
    assert [d.source for d in result.diagnostics] == ["code"]
    assert result.functions == 7


def test_default_profile_differs_only_by_the_frameworks_shared_role() -> None:
    # Infrastructure findings only: the SAM example ships its handler code, the Serverless fixture does not.
    serverless = {(f.rule, f.function) for f in _scan(SERVERLESS, rules=None).findings}
    sam = {(f.rule, f.function) for f in _scan(SAM, rules=None).findings if f.location.source != "code"}

    # The framework gives every function without its own role one execution role (IamRoleLambdaExecution)
    # holding the union of the statements; SAM gives each function its own role.
    assert serverless - sam == {
        ("LS108", "orders-create-prod"),
        ("LS108", "orders-get-prod"),
        ("LS108", "orders-health-prod"),
        ("LS108", "orders-payments-webhook-prod"),
        ("LS108", "orders-process-upload-prod"),
        ("LS108", "orders-worker-prod"),
    }
    assert sam - serverless == set()
