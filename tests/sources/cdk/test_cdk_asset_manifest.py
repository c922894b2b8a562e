"""Assemblies synthesized without resource metadata: the stack's metadata file and its asset manifest."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.cdk import CdkSource
from lambdasec.sources.discover import discover

_HASH = "770c2791"
_BUNDLE = textwrap.dedent(
    """\
    "use strict";
    var handler_exports = {};
    __export(handler_exports, {
      handler: () => handler
    });
    module.exports = __toCommonJS(handler_exports);
    var import_child_process = require("child_process");
    async function handler(event) {
      (0, import_child_process.execSync)(event.command);
    }
    """
)


def _assembly(tmp_path: Path, *, metadata: str | None = None) -> Path:
    """A NodejsFunction stack as `integ-runner` snapshots it: no `aws:cdk:path` / `aws:asset:path`."""
    out = tmp_path / "cdk.out"
    (out / f"asset.{_HASH}").mkdir(parents=True)
    (out / f"asset.{_HASH}" / "index.js").write_text(_BUNDLE, encoding="utf-8")
    function = {
        "Type": "AWS::Lambda::Function",
        "Properties": {
            "Code": {
                "S3Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                "S3Key": f"{_HASH}.zip",
            },
            "Handler": "index.handler",
            "Role": "arn:aws:iam::123456789012:role/handler",
            "Runtime": "nodejs22.x",
        },
    }
    template = {"Resources": {"Handler886CB40B": function}}
    (out / "App.template.json").write_text(json.dumps(template, indent=1), encoding="utf-8")
    destination = {"bucketName": "cdk-hnb659fds-assets", "objectKey": f"{_HASH}.zip"}
    assets = {
        "files": {
            _HASH: {
                "source": {"path": f"asset.{_HASH}", "packaging": "zip"},
                "destinations": {"current_account-current_region": destination},
            }
        }
    }
    (out / "App.assets.json").write_text(json.dumps(assets), encoding="utf-8")
    paths = {"/App/Handler/Resource": [{"type": "aws:cdk:logicalId", "data": "Handler886CB40B"}]}
    (out / "App.metadata.json").write_text(metadata or json.dumps(paths), encoding="utf-8")
    manifest = {
        "version": "53.0.0",
        "artifacts": {
            "App.assets": {"type": "cdk:asset-manifest", "properties": {"file": "App.assets.json"}},
            "App": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {"templateFile": "App.template.json"},
                "additionalMetadataFile": "App.metadata.json",
            },
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_metadata_file_gives_construct_paths_and_asset_manifest_the_code(tmp_path: Path) -> None:
    found = discover([_assembly(tmp_path)])
    output = CdkSource().load(found.files, root=found.root)

    assert output.diagnostics == ()
    (fn,) = output.inventory.functions
    assert fn.origin.construct_path == "App/Handler/Resource"
    assert fn.code.local_path == f"cdk.out/asset.{_HASH}"


def test_the_bundled_handler_is_analyzed(tmp_path: Path) -> None:
    result = scan(ScanRequest(paths=(_assembly(tmp_path),), settings=Settings(), today=date(2026, 11, 22)))

    assert result.diagnostics == ()
    assert sorted((f.rule, f.location.file, f.location.line) for f in result.findings) == [
        ("LS401", "cdk.out/App.template.json", 14),
        ("LS501", f"cdk.out/asset.{_HASH}/index.js", 9),
    ]


def test_an_unreadable_metadata_file_is_a_warning(tmp_path: Path) -> None:
    found = discover([_assembly(tmp_path, metadata="{")])
    output = CdkSource().load(found.files, root=found.root)

    assert output.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="cdk",
            message="invalid stack metadata JSON: Expecting property name enclosed in double quotes",
            file="cdk.out/App.metadata.json",
            line=1,
        ),
    )
    (fn,) = output.inventory.functions
    assert fn.origin.construct_path is None
    assert fn.code.local_path == f"cdk.out/asset.{_HASH}"


def test_file_names_with_a_nul_byte_are_not_read(tmp_path: Path) -> None:
    """A metadata file or an asset manifest named with a NUL byte: a warning for each, never an
    exception."""
    root = _assembly(tmp_path)
    manifest_path = root / "cdk.out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["artifacts"]["App"]["additionalMetadataFile"] = "App\x00.json"
    manifest["artifacts"]["App.assets"]["properties"]["file"] = "App\x00.assets.json"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    found = discover([root])
    output = CdkSource().load(found.files, root=found.root)

    assert output.diagnostics == (
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="cdk",
            message="cannot read asset manifest: embedded null byte",
            file="cdk.out/App\x00.assets.json",
            line=None,
        ),
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="cdk",
            message="cannot read stack metadata file: embedded null byte",
            file="cdk.out/App\x00.json",
            line=None,
        ),
    )
    (fn,) = output.inventory.functions
    assert fn.origin.construct_path is None
    assert fn.code.local_path is None


def test_files_outside_the_assembly_are_never_read(tmp_path: Path) -> None:
    """A manifest naming files outside its assembly (`../`, absolute paths): an error for a template or
    a nested assembly, a warning for a metadata file or an asset manifest."""
    root = _assembly(tmp_path)
    secret = tmp_path / "outside.json"
    secret.write_text(json.dumps({"Resources": {}}), encoding="utf-8")
    manifest_path = root / "cdk.out" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["artifacts"]["App"]["additionalMetadataFile"] = "../outside.json"
    manifest["artifacts"]["App.assets"]["properties"]["file"] = str(secret)
    manifest["artifacts"]["Other"] = {
        "type": "aws:cloudformation:stack",
        "properties": {"templateFile": "../outside.json"},
    }
    manifest["artifacts"]["Stage"] = {
        "type": "cdk:cloud-assembly",
        "properties": {"directoryName": "../.."},
    }
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    found = discover([root / "cdk.out"])
    output = CdkSource().load(found.files, root=found.root)

    assert sorted(output.diagnostics, key=lambda d: d.sort_key()) == [
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="cdk",
            message="stack metadata file is outside the cloud assembly; not read",
            file="../outside.json",
        ),
        Diagnostic(
            level=DiagnosticLevel.WARNING,
            source="cdk",
            message="asset manifest is outside the cloud assembly; not read",
            file=str(secret),
        ),
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="cdk",
            message="nested assembly `../..` is outside the cloud assembly; not read",
            file="manifest.json",
        ),
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="cdk",
            message="template `../outside.json` of stack `Other` is outside the cloud assembly; not read",
            file="manifest.json",
        ),
    ]
    (fn,) = output.inventory.functions
    assert (fn.origin.construct_path, fn.code.local_path) == (None, None)
