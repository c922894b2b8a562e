"""The orders app written in Terraform gives the same (rule, function) findings as its SAM template."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import ScanResult
from lambdasec.scan import ScanRequest, scan

ROOT = Path(__file__).resolve().parents[2]
SAM_APP = ROOT / "examples" / "orders-app"
TF_APP = Path(__file__).resolve().parent / "terraform" / "orders"
TODAY = date(2026, 11, 22)
CORE_RULES = frozenset({"LS101", "LS201", "LS202", "LS301", "LS401"})


def _scan(path: Path) -> ScanResult:
    return scan(ScanRequest(paths=(path,), settings=Settings(), today=TODAY))


def _core(result: ScanResult) -> set[tuple[str, str | None]]:
    return {(f.rule, f.function) for f in result.findings if f.rule in CORE_RULES}


def test_terraform_orders_matches_sam_for_core_rules() -> None:
    sam, terraform = _scan(SAM_APP), _scan(TF_APP)

    assert _core(terraform) == _core(sam)
    assert _core(terraform) == {
        ("LS101", "orders-nightly-report-prod"),
        ("LS201", "orders-payments-webhook-prod"),
        ("LS202", "orders-get-prod"),
        ("LS301", "orders-payments-webhook-prod"),
        ("LS401", "orders-nightly-report-prod"),
    }
    # The fixture is main.tf alone: only the code source notes that the zip packages are not there.
    assert [d.source for d in terraform.diagnostics] == ["code"]


def test_terraform_orders_findings_point_at_the_lines_to_change() -> None:
    lines = TF_APP.joinpath("main.tf").read_text(encoding="utf-8").splitlines()

    def line_of(marker: str) -> int:
        found = [n for n, text in enumerate(lines, start=1) if marker in text]
        assert len(found) == 1, found
        return found[0]

    located = {
        (f.rule, f.location.line, f.resource.id)
        for f in _scan(TF_APP).findings
        if f.rule in CORE_RULES and f.location.file == "main.tf"
    }
    assert located == {
        ("LS202", line_of('principal     = "*"'), "aws_lambda_permission.partner_status"),
        ("LS301", line_of("STRIPE_SECRET_KEY "), "aws_lambda_function.payments_webhook"),
        ("LS201", line_of('authorization_type = "NONE"'), "aws_lambda_function_url.payments_webhook"),
        # the statement's `Effect` line, as the SAM finding points at `- Effect: Allow`
        ("LS101", line_of('Action   = "*"') - 1, "aws_lambda_function.nightly_report"),
        ("LS401", line_of('runtime       = "python3.8"'), "aws_lambda_function.nightly_report"),
    }
