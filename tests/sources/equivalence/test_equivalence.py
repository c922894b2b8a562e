"""The shop app written in every source gives the same inventory and the same (rule, function) findings.

`app/README.md` describes the app. The SAM template is the reference; every other source is compared with it
through `canonical()` (see its docstring for what is normalized and why).
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from lambdasec.config import Settings
from lambdasec.findings import DiagnosticLevel
from lambdasec.model import Inventory, SourceKind
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources import InputFile, source_for
from lambdasec.sources.discover import discover
from sources.equivalence.canonical import UNKNOWN, canonical

APP = Path(__file__).resolve().parent / "app"
REFERENCE = "sam"
SOURCES = ("cloudformation", "terraform", "terraform-plan", "serverless", "serverless-ts", "cdk")
TODAY = date(2026, 11, 22)

# A plan of the deployed app knows values a template leaves to deployment (the queue's ARN and URL): where
# the reference has <unresolved>, the plan may hold the value.
REFINES_UNKNOWN = frozenset({"terraform-plan"})

# Differences that are real and known, by source, as `_diff` prints them. An entry that stops showing up
# fails the test, so a fix is noticed and the entry removed.
KNOWN_DIFFERENCES: dict[str, list[str]] = {}

EXPECTED_FINDINGS = {
    ("LS102", "shop-worker"),  # dynamodb:* on the worker's role
    ("LS201", "shop-webhook"),  # function URL with AuthType NONE
    ("LS207", "shop-create-order"),  # POST /orders without authorization
    ("LS208", None),  # the HTTP API's $default stage: no throttling
    ("LS209", None),  # ... and no access logs
    ("LS301", "shop-webhook"),  # STRIPE_SECRET_KEY in plain text
    ("LS304", "shop-webhook"),  # its log group is not encrypted with a customer key
    ("LS401", "shop-webhook"),  # python3.9
    *{
        (rule, fn)
        for fn in ("shop-list-orders", "shop-create-order", "shop-worker", "shop-webhook", "shop-get-order")
        for rule in ("LS402", "LS403", "LS406", "LS410", "LS423", "LS601")
    },
    ("LS302", "shop-list-orders"),
    ("LS302", "shop-create-order"),
    ("LS302", "shop-webhook"),
    ("LS404", "shop-worker"),  # the SQS event source has no failure destination
}
# Findings a source adds for what its author wrote: the public grants of the webhook's function URL are
# explicit `AWS::Lambda::Permission` / `aws_lambda_permission` resources there, which LS202 reports too
# (see LS202's Known problems); SAM, Serverless and CDK generate them from the URL setting.
EXTRA_FINDINGS: dict[str, set[tuple[str, str | None]]] = {
    source: {("LS202", "shop-webhook")} for source in ("cloudformation", "terraform", "terraform-plan")
}


@cache
def _dump(source: str) -> dict[str, Any]:
    return canonical(_load(APP / source))


def _load(path: Path) -> Inventory:
    found = discover([path])
    by_kind: dict[SourceKind, list[InputFile]] = {}
    for item in found.files:
        by_kind.setdefault(item.kind, []).append(item)
    parts: list[Inventory] = []
    errors = [d for d in found.diagnostics if d.level is DiagnosticLevel.ERROR]
    for kind, files in sorted(by_kind.items()):
        if kind is SourceKind.CODE:
            continue  # the modules serverless.ts imports: code, compared through the findings
        output = source_for(kind).load(tuple(files), root=found.root)
        parts.append(output.inventory)
        errors.extend(d for d in output.diagnostics if d.level is DiagnosticLevel.ERROR)
    assert errors == []
    return Inventory.merge(parts)


@cache
def _findings(source: str) -> frozenset[tuple[str, str | None]]:
    result = scan(ScanRequest(paths=(APP / source,), settings=Settings(profile="strict"), today=TODAY))
    return frozenset((f.rule, f.function) for f in result.findings)


def _diff(expected: Any, actual: Any, *, refines: bool, path: str = "") -> list[str]:
    """Readable differences between two canonical dumps (`refines`: an unknown expected value matches any)."""
    if refines and expected == UNKNOWN:
        return []
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual), key=str):
            if key not in actual:
                out.append(f"{path}.{key}: missing")
            elif key not in expected:
                out.append(f"{path}.{key}: unexpected {json.dumps(actual[key], sort_keys=True)}")
            else:
                out.extend(_diff(expected[key], actual[key], refines=refines, path=f"{path}.{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        out = []
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            out.extend(_diff(left, right, refines=refines, path=f"{path}[{index}]"))
        return out
    if expected != actual:
        return [f"{path}: {json.dumps(expected, sort_keys=True)} != {json.dumps(actual, sort_keys=True)}"]
    return []


def test_the_reference_holds_the_app() -> None:
    dump = _dump(REFERENCE)

    functions = ["shop-create-order", "shop-get-order", "shop-list-orders", "shop-webhook", "shop-worker"]
    assert sorted(dump["functions"]) == functions
    assert [(r["method"], r["path"], r["function"], r["authorization"]) for r in dump["api_routes"]] == [
        ("GET", "/orders", "shop-list-orders", "AWS_IAM"),
        ("POST", "/orders", "shop-create-order", "NONE"),
    ]
    assert [r["functions"] for r in dump["roles"]] == [
        ["shop-create-order", "shop-list-orders"],
        ["shop-get-order"],
        ["shop-webhook"],
        ["shop-worker"],
    ]
    assert [[p["kind"] for p in r["policies"]] for r in dump["roles"]] == [["inline"]] * 4
    assert [r["managed_policy_arns"] for r in dump["roles"]] == [
        ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    ] * 4
    assert dump["provisioned_concurrency"] == [
        {"function": "shop-get-order", "qualifier": "provisioned", "executions": 5}
    ]
    assert [(u["function"], u["auth_type"]) for u in dump["function_urls"]] == [("shop-webhook", "NONE")]
    assert [(e["function"], e["kind"], e["queue"]) for e in dump["event_source_mappings"]] == [
        ("shop-worker", "sqs", "shop-orders")
    ]
    assert sorted((p["function"], p["action"], p["principal"]) for p in dump["permissions"]) == [
        ("shop-create-order", "lambda:InvokeFunction", "apigateway.amazonaws.com"),
        ("shop-list-orders", "lambda:InvokeFunction", "apigateway.amazonaws.com"),
        ("shop-webhook", "lambda:InvokeFunction", "*"),
        ("shop-webhook", "lambda:InvokeFunctionUrl", "*"),
    ]


@pytest.mark.parametrize("source", SOURCES)
def test_inventory_equals_the_reference(source: str) -> None:
    differences = _diff(_dump(REFERENCE), _dump(source), refines=source in REFINES_UNKNOWN)

    assert differences == KNOWN_DIFFERENCES.get(source, [])


def test_the_reference_findings() -> None:
    assert _findings(REFERENCE) == EXPECTED_FINDINGS


@pytest.mark.parametrize("source", SOURCES)
def test_findings_equal_the_reference(source: str) -> None:
    assert _findings(source) == _findings(REFERENCE) | EXTRA_FINDINGS.get(source, set())
