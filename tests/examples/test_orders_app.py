"""The bundled example: scanning examples/orders-app finds exactly the planted problems its README lists."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lambdasec._cli import main

APP = Path(__file__).resolve().parents[2] / "examples" / "orders-app"
TODAY = "--today=2026-11-22"
FUNCTIONS = (
    "CreateOrderFunction",
    "GetOrderFunction",
    "HealthFunction",
    "OrderWorkerFunction",
    "PaymentsWebhookFunction",
    "ProcessUploadFunction",
    "NightlyReportFunction",
)


def _line(marker: str) -> int:
    """The only template line containing `marker`."""
    lines = APP.joinpath("template.yaml").read_text(encoding="utf-8").splitlines()
    found = [number for number, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, f"{marker!r} is on lines {found}"
    return found[0]


def _code_line(path: str, marker: str) -> int:
    """The only line of a handler file containing `marker`."""
    lines = APP.joinpath(path).read_text(encoding="utf-8").splitlines()
    found = [number for number, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, f"{marker!r} is on lines {found} of {path}"
    return found[0]


def _scan(tmp_path: Path) -> tuple[int, dict[str, object]]:
    report = tmp_path / "report.json"
    code = main(["scan", str(APP), "--format", "json", "--output", str(report), TODAY])
    return code, json.loads(report.read_text(encoding="utf-8"))


def test_scan_finds_exactly_the_planted_problems(tmp_path: Path) -> None:
    code, report = _scan(tmp_path)
    findings = report["findings"]
    assert isinstance(findings, list)
    found = {(f["rule"], f["location"]["file"], f["location"]["line"], f["resource"]["id"]) for f in findings}

    assert code == 1
    assert found == {
        ("LS202", "template.yaml", _line('Principal: "*"'), "PartnerStatusPermission"),
        ("LS301", "template.yaml", _line("STRIPE_SECRET_KEY: sk_live_"), "PaymentsWebhookFunction"),
        ("LS201", "template.yaml", _line("AuthType: NONE"), "PaymentsWebhookFunctionUrl"),
        ("LS401", "template.yaml", _line("Runtime: python3.8"), "NightlyReportFunction"),
        ("LS101", "template.yaml", _line('Action: "*"') - 1, "NightlyReportFunction"),
        # the `prod` stage invokes `$LATEST`
        ("LS602", "template.yaml", _line("        CreateOrder:"), "OrdersApi/POST /orders"),
        ("LS602", "template.yaml", _line("        GetOrder:"), "OrdersApi/GET /orders/{orderId}"),
        ("LS602", "template.yaml", _line("        Health:"), "OrdersApi/GET /health"),
        ("LS403", "template.yaml", _line("  ProcessUploadFunction:"), "ProcessUploadFunction"),
        ("LS403", "template.yaml", _line("  NightlyReportFunction:"), "NightlyReportFunction"),
        # SAM's extra `Stage` stage (no OpenApiVersion) lacks the throttling of `prod`
        ("LS208", "template.yaml", _line("  OrdersApi:"), "OrdersApiDeploymentb7e68bb8db/Stage"),
        ("LS207", "template.yaml", _line("Authorizer: NONE"), "OrdersApi/GET /health"),  # suppressed inline
        ("LS410", "template.yaml", _line("  HealthFunction:"), "HealthFunction"),
        ("LS410", "template.yaml", _line("  PaymentsWebhookFunction:"), "PaymentsWebhookFunction"),
        # handler code: the S3 object key reaches a shell command; a decrypted API key reaches the log
        (
            "LS501",
            "src/uploads/index.mjs",
            _code_line("src/uploads/index.mjs", "execSync(`pdftotext"),
            "src/uploads/index.mjs:handler@orders-process-upload-prod#shell:execSync:1",
        ),
        (
            "LS306",
            "src/worker/process_order.py",
            _code_line("src/worker/process_order.py", "logger.debug("),
            "src/worker/process_order.py:handler@orders-worker-prod#log:logger.debug:1",
        ),
    }
    suppressed = {f["rule"]: f["suppressed"] for f in findings if f["suppressed"]}
    assert suppressed["LS207"] == {
        "kind": "inline",
        "reason": "liveness probe for the load balancer; returns a constant, reads no data",
    }
    costs = {
        f["resource"]["id"]: f["properties"]["cost_per_hour_usd"] for f in findings if f["rule"] == "LS410"
    }
    assert costs == {"HealthFunction": "6.24", "PaymentsWebhookFunction": "12.07"}
    assert report["diagnostics"] == []
    assert report["summary"] == {
        "complete": True,
        "findings": {"critical": 2, "high": 3, "medium": 7, "low": 3},
        "functions": 7,
        "suppressed": 1,
        "profile": "default",
    }


def test_readme_table_lists_the_same_lines_and_rules(tmp_path: Path) -> None:
    _, report = _scan(tmp_path)
    findings = report["findings"]
    assert isinstance(findings, list)
    readme = APP.joinpath("README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \|.*\| (LS\d{3}) [a-z-]+ \|$", readme, flags=re.MULTILINE)

    assert {(int(line), rule) for line, rule in rows} == {
        (f["location"]["line"], f["rule"]) for f in findings
    }
