"""The orders app's Terraform, deployed and planned again: the plan gives the `.tf` files' findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import ScanResult
from lambdasec.scan import ScanRequest, scan

HERE = Path(__file__).resolve().parent
HCL = HERE / "terraform" / "orders"
PLAN = HERE / "terraform_plan" / "orders"
TODAY = date(2026, 11, 22)
CORE_RULES = frozenset({"LS101", "LS201", "LS202", "LS301", "LS401"})


def _scan(path: Path, profile: str) -> ScanResult:
    return scan(ScanRequest(paths=(path,), settings=Settings(profile=profile), today=TODAY))


def _address_line(address: str) -> int:
    lines = (PLAN / "plan.json").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if f'"address": "{address}"' in line)


def test_plan_findings_equal_the_hcl_findings_under_every_profile() -> None:
    for profile in ("default", "strict"):
        plan, hcl = _scan(PLAN, profile), _scan(HCL, profile)

        assert {(f.rule, f.function) for f in plan.findings} == {(f.rule, f.function) for f in hcl.findings}
        assert [d for d in plan.diagnostics if d.source == "terraform-plan"] == []


def test_core_findings_point_at_the_resource_addresses_in_the_plan() -> None:
    located = {
        (f.rule, f.function, f.resource.id, f.location.source, f.location.file, f.location.line)
        for f in _scan(PLAN, "default").findings
        if f.rule in CORE_RULES
    }

    webhook, report = "aws_lambda_function.payments_webhook", "aws_lambda_function.nightly_report"
    assert located == {
        (
            "LS101",
            "orders-nightly-report-prod",
            report,
            "terraform-plan",
            "plan.json",
            _address_line("aws_iam_role.reports"),
        ),
        (
            "LS201",
            "orders-payments-webhook-prod",
            "aws_lambda_function_url.payments_webhook",
            "terraform-plan",
            "plan.json",
            _address_line("aws_lambda_function_url.payments_webhook"),
        ),
        (
            "LS202",
            "orders-get-prod",
            "aws_lambda_permission.partner_status",
            "terraform-plan",
            "plan.json",
            _address_line("aws_lambda_permission.partner_status"),
        ),
        (
            "LS301",
            "orders-payments-webhook-prod",
            webhook,
            "terraform-plan",
            "plan.json",
            _address_line(webhook),
        ),
        ("LS401", "orders-nightly-report-prod", report, "terraform-plan", "plan.json", _address_line(report)),
    }
