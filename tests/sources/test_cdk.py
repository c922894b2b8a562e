"""CDK cloud assemblies: discovery, stacks, nested stacks and assemblies, construct paths, code assets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import Inventory, SourceKind
from lambdasec.reporters.sarif import SarifReporter
from lambdasec.reporters.terminal import TerminalReporter
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.cdk import CdkSource
from lambdasec.sources.discover import discover

HERE = Path(__file__).resolve().parent
STAGED = HERE / "cdk" / "staged"
SHOP = HERE / "equivalence" / "app" / "cdk"
TODAY = date(2026, 11, 22)
SARIF_SCHEMA = json.loads((HERE.parent / "reporters" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _load(path: Path) -> tuple[Inventory, tuple[Diagnostic, ...], tuple[str, ...]]:
    found = discover([path])
    output = CdkSource().load(found.files, root=found.root)
    return output.inventory, output.diagnostics, output.files


def test_discovery_reads_the_assembly_through_its_manifest_only() -> None:
    for path, display in ((STAGED, "cdk.out/manifest.json"), (STAGED / "cdk.out", "manifest.json")):
        found = discover([path])

        assert [(f.display, f.kind) for f in found.files] == [(display, SourceKind.CDK)]
        assert found.diagnostics == ()


def test_stacks_nested_stacks_and_nested_assemblies_are_loaded() -> None:
    _, diagnostics, files = _load(STAGED)

    assert diagnostics == ()
    assert files == (
        "cdk.out/AppStack.template.json",
        "cdk.out/AppStackReportsC0A1B2D3.nested.template.json",
        "cdk.out/assembly-Prod/ProdApiStack.template.json",
    )


def test_origins_carry_the_construct_path_and_the_template_line() -> None:
    inv, _, _ = _load(STAGED)

    assert [
        (fn.name, fn.origin.source, fn.origin.file, fn.origin.line, fn.origin.construct_path)
        for fn in inv.functions
    ] == [
        # no aws:cdk:path metadata: the path comes from the manifest's logical id metadata
        ("app-jobs", SourceKind.CDK, "cdk.out/AppStack.template.json", 3, "AppStack/Jobs/Resource"),
        (
            "app-report",
            SourceKind.CDK,
            "cdk.out/AppStackReportsC0A1B2D3.nested.template.json",
            3,
            "AppStack/Reports/ReportFunction/Resource",
        ),
        (
            "prod-api",
            SourceKind.CDK,
            "cdk.out/assembly-Prod/ProdApiStack.template.json",
            3,
            "Prod/ApiStack/ApiHandler/Resource",
        ),
    ]
    (url,) = inv.function_urls
    assert url.origin.construct_path == "Prod/ApiStack/ApiHandler/FunctionUrl/Resource"


def test_code_assets_give_the_local_code_path() -> None:
    inv, _, _ = _load(STAGED)

    assert [(fn.name, fn.code.local_path, fn.code.inline) for fn in inv.functions] == [
        ("app-jobs", None, True),
        ("app-report", "cdk.out/asset.4d2f8a6c", False),
        ("prod-api", "cdk.out/assembly-Prod/asset.9e1b7c3d", False),
    ]


def test_grants_generated_for_a_public_function_url_are_implicit() -> None:
    inv, _, _ = _load(SHOP)

    assert sorted((str(p.action), p.principal, p.implicit) for p in inv.permissions) == [
        ("lambda:InvokeFunction", "*", True),
        ("lambda:InvokeFunction", "apigateway.amazonaws.com", False),
        ("lambda:InvokeFunction", "apigateway.amazonaws.com", False),
        ("lambda:InvokeFunctionUrl", "*", True),
    ]


def test_findings_show_the_construct_path() -> None:
    result = scan(ScanRequest(paths=(STAGED,), settings=Settings(), today=TODAY))

    url_finding = next(f for f in result.findings if f.rule == "LS201")
    assert url_finding.to_json()["resource"] == {
        "type": "function_url",
        "id": "ApiHandlerFunctionUrl1A2B3C4D",
        "construct_path": "Prod/ApiStack/ApiHandler/FunctionUrl/Resource",
    }
    assert url_finding.location.source == "cdk"
    assert url_finding.remediation == (  # the rule's CDK example's fix
        "Use instead:\n\n```ts\nfn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });\n```"
    )
    text = TerminalReporter(color=False).render(result)
    assert "(ApiHandlerFunctionUrl1A2B3C4D, Prod/ApiStack/ApiHandler/FunctionUrl/Resource)" in text
    sarif = json.loads(SarifReporter().render(result))
    jsonschema.validate(sarif, SARIF_SCHEMA)
    (url_result,) = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "LS201"]
    assert url_result["locations"][0]["logicalLocations"][1] == {
        "name": "ApiHandlerFunctionUrl1A2B3C4D",
        "kind": "resource",
        "fullyQualifiedName": "Prod/ApiStack/ApiHandler/FunctionUrl/Resource",
        "properties": {"type": "function_url"},
    }


def test_bad_assemblies_are_diagnostics(tmp_path: Path) -> None:
    broken = tmp_path / "broken" / "cdk.out"
    broken.mkdir(parents=True)
    (broken / "manifest.json").write_text('{"version": "38.0.1",\n "artifacts": [}\n', encoding="utf-8")
    missing = tmp_path / "missing" / "cdk.out"
    missing.mkdir(parents=True)
    manifest = {
        "version": "38.0.1",
        "artifacts": {
            "Gone": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Gone.json"}}
        },
    }
    (missing / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    assert _load(tmp_path)[1] == (
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="cdk",
            message="invalid manifest JSON: Expecting value",
            file="broken/cdk.out/manifest.json",
            line=2,
        ),
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="cdk",
            message="template `Gone.json` of stack `Gone` is missing",
            file="missing/cdk.out/manifest.json",
        ),
    )
