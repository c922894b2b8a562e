"""The code source end to end: handlers joined to functions, unparsable handlers, packaged files."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.findings import DiagnosticLevel
from lambdasec.scan import ScanRequest, ScanResult, scan

TODAY = date(2026, 11, 22)
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: {code}
      Events:
        Get:
          Type: HttpApi
          Properties: {{Path: /run, Method: get}}
"""


def _scan(root: Path, *rules: str) -> ScanResult:
    return scan(ScanRequest(paths=(root,), settings=Settings(rules=frozenset(rules)), today=TODAY))


def test_an_api_handler_is_joined_to_its_function_and_its_triggers(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(code="src/"), encoding="utf-8")
    (tmp_path / "src" / "app.py").write_text(
        "import os\n\ndef handler(event, context):\n    os.system(event['queryStringParameters']['q'])\n",
        encoding="utf-8",
    )
    result = _scan(tmp_path, "LS501")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "Api", "src/app.py", 4)
    ]
    assert result.diagnostics == ()


def test_a_handler_that_does_not_parse_is_an_error_and_not_evaluated(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(code="src/"), encoding="utf-8")
    (tmp_path / "src" / "app.py").write_text("def handler(event, context:\n    pass\n", encoding="utf-8")
    result = _scan(tmp_path, "LS501")
    assert [(d.level, d.source, d.file) for d in result.diagnostics] == [
        (DiagnosticLevel.ERROR, "code", "src/app.py")
    ]
    assert result.findings == ()
    coverage = result.coverage["LS501"]
    assert coverage.evaluated == 0
    assert coverage.unevaluated == (("src/app.py:handler@Api", "`src/app.py` could not be parsed"),)
    assert not result.complete


def test_secrets_in_packaged_configuration_inside_a_zip_are_found_and_masked(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(code="build/fn.zip"), encoding="utf-8")
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    with zipfile.ZipFile(tmp_path / "build" / "fn.zip", "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
        archive.writestr("config.json", '{\n  "github_token": "' + token + '"\n}\n')
    result = _scan(tmp_path, "LS305")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS305", "Api", "build/fn.zip!config.json", 2)
    ]
    assert token not in result.findings[0].message
    assert result.diagnostics == ()


def test_a_handler_with_annotations_is_found_by_shape_without_infrastructure(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import os\nfrom typing import Any\n\n\n"
        "def handler(event: dict[str, Any], context: Any) -> None:\n"
        "    os.system(event['cmd'])\n",
        encoding="utf-8",
    )
    result = _scan(tmp_path, "LS501")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", None, "app.py", 6)
    ]


def test_terraform_archive_file_sources_are_the_functions_package(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        'data "archive_file" "api" {\n'
        '  type        = "zip"\n'
        '  source_dir  = "${path.module}/../src"\n'
        '  output_path = "${path.module}/build/api.zip"\n'
        "}\n\n"
        'resource "aws_lambda_function" "api" {\n'
        '  function_name = "api"\n'
        '  role          = "arn:aws:iam::123456789012:role/api"\n'
        '  runtime       = "python3.12"\n'
        '  handler       = "app.handler"\n'
        "  filename      = data.archive_file.api.output_path\n"
        "}\n\n"
        'resource "aws_lambda_function" "other" {\n'
        "  function_name = var.name\n"
        '  role          = "arn:aws:iam::123456789012:role/api"\n'
        '  runtime       = "python3.12"\n'
        '  handler       = "app.handler"\n'
        "  filename      = var.package\n"
        "}\n\n"
        'variable "name" {\n  default = "other"\n}\n\n'
        'variable "package" {}\n',
        encoding="utf-8",
    )
    (tmp_path / "src" / "app.py").write_text(
        "import os\n\n\ndef handler(event, context):\n    os.system(event['cmd'])\n", encoding="utf-8"
    )
    result = _scan(tmp_path, "LS501")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "api", "src/app.py", 5)
    ]
    assert [(d.source, d.file, d.line, d.message) for d in result.diagnostics] == [
        (
            "code",
            "infra/main.tf",
            20,
            "handler code of 1 function is not in the scanned tree, so it is not analysed: "
            "`other` (`var.package`)",
        )
    ]


def test_functions_sharing_a_handler_each_get_its_findings(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    second = TEMPLATE.format(code="src/").split("Resources:\n", 1)[1].replace("Api:", "Admin:", 1)
    second = second.replace("Path: /run", "Path: /admin")
    (tmp_path / "template.yaml").write_text(TEMPLATE.format(code="src/") + second, encoding="utf-8")
    (tmp_path / "src" / "app.py").write_text(
        "import os\n\ndef handler(event, context):\n    os.system(event['queryStringParameters']['q'])\n",
        encoding="utf-8",
    )
    result = _scan(tmp_path, "LS501")
    assert sorted(
        (f.rule, f.function, f.location.file, f.location.line, f.resource.id) for f in result.findings
    ) == [
        ("LS501", "Admin", "src/app.py", 4, "src/app.py:handler@Admin#shell:os.system:1"),
        ("LS501", "Api", "src/app.py", 4, "src/app.py:handler@Api#shell:os.system:1"),
    ]
    assert len({f.fingerprint for f in result.findings}) == 2


def test_a_serverless_handler_path_is_joined_to_its_function(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "serverless.yml").write_text(
        "service: shop\n"
        "provider:\n  name: aws\n  runtime: nodejs20.x\n"
        "functions:\n"
        "  search:\n"
        "    handler: src/search.handler\n"
        "    events:\n      - httpApi: {path: /search, method: get}\n",
        encoding="utf-8",
    )
    (tmp_path / "src" / "search.ts").write_text(
        'import { exec } from "node:child_process";\n\n'
        "export const handler = async (event: { queryStringParameters: Record<string, string> }) => {\n"
        "  exec(`grep ${event.queryStringParameters.q} /data/index`);\n"
        "};\n",
        encoding="utf-8",
    )
    result = _scan(tmp_path, "LS501")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "shop-dev-search", "src/search.ts", 4)
    ]
    assert result.diagnostics == ()


def test_a_handler_in_the_typescript_build_output_is_read_from_its_source(tmp_path: Path) -> None:
    (tmp_path / "src" / "handlers").mkdir(parents=True)
    (tmp_path / "serverless.yml").write_text(
        "service: shop\n"
        "provider:\n  name: aws\n  runtime: nodejs20.x\n"
        "functions:\n"
        "  search:\n"
        "    handler: dist/handlers/search.handler\n"
        "    events:\n      - httpApi: {path: /search, method: get}\n",
        encoding="utf-8",
    )
    (tmp_path / "src" / "handlers" / "search.ts").write_text(
        'import { exec } from "node:child_process";\n\n'
        "export const handler = async (event: { queryStringParameters: Record<string, string> }) => {\n"
        "  exec(`grep ${event.queryStringParameters.q} /data/index`);\n"
        "};\n",
        encoding="utf-8",
    )
    result = _scan(tmp_path, "LS501")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "shop-dev-search", "src/handlers/search.ts", 4)
    ]
    assert result.diagnostics == ()


def test_a_file_is_within_a_package_root_that_is_its_directory_or_archive() -> None:
    from lambdasec.sources.code.pipeline import _within

    roots = {"svc/src", "build/pkg.zip"}
    assert _within("svc/src", roots)
    assert _within("svc/src/app.py", roots)
    assert _within("svc/src/lib/db.py", roots)
    assert _within("build/pkg.zip!app.py", roots)
    assert not _within("svc/srcx/app.py", roots)
    assert not _within("svc/app.py", roots)
    assert not _within("build/pkg.zipx!app.py", roots)
    assert not _within("svc/src", set())
    assert _within("anything/app.py", {".", "svc/src"})


def test_the_serverless_configuration_file_is_not_part_of_the_package(tmp_path: Path) -> None:
    # The framework leaves its configuration file out of the package it deploys; the code beside it ships.
    (tmp_path / "serverless.ts").write_text(
        "export default {\n"
        "  service: 'svc',\n"
        "  provider: { name: 'aws', runtime: 'nodejs20.x' },\n"
        "  custom: { stripe: 'sk_live_9fQ2mZ7xRk3Lw8TnB5vY1pDh' },\n"
        "  functions: { api: { handler: 'index.handler' } },\n"
        "};\n",
        encoding="utf-8",
    )
    (tmp_path / "index.js").write_text("exports.handler = async () => 'ok';\n", encoding="utf-8")
    (tmp_path / "config.js").write_text(
        "module.exports = { stripe: 'sk_live_3hT6wN1cVb8Xz4Mq7Rk2Lp9s' };\n", encoding="utf-8"
    )

    result = _scan(tmp_path, "LS305")

    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS305", "svc-dev-api", "config.js", 1)
    ]


def test_a_node_handler_names_an_export_as_the_runtime_resolves_it(tmp_path: Path) -> None:
    """A module whose only export is the default one is reached as `file.default`, never `file.handler`;
    `module.exports = fn` has no `default` at all."""
    (tmp_path / "serverless.yml").write_text(
        "service: shop\n"
        "provider:\n  name: aws\n  runtime: nodejs20.x\n"
        "functions:\n"
        "  named:\n    handler: search.handler\n"
        "  reached:\n    handler: search.default\n"
        "  whole:\n    handler: legacy.default\n",
        encoding="utf-8",
    )
    (tmp_path / "search.ts").write_text(
        'import { exec } from "node:child_process";\n'
        'import middy from "@middy/core";\n\n'
        "export default middy(async (event: { body: string }) => {\n"
        "  exec(`grep ${event.body} /data/index`);\n"
        "});\n",
        encoding="utf-8",
    )
    (tmp_path / "legacy.js").write_text(
        'const { exec } = require("child_process");\nmodule.exports = async (event) => exec(event.body);\n',
        encoding="utf-8",
    )
    result = _scan(tmp_path, "LS501")
    assert [(f.rule, f.function, f.location.file, f.location.line) for f in result.findings] == [
        ("LS501", "shop-dev-reached", "search.ts", 5)
    ]
    assert [(d.level, d.file, d.line, d.message) for d in result.diagnostics] == [
        (
            DiagnosticLevel.WARNING,
            "legacy.js",
            None,
            "handler `legacy.default` of `shop-dev-whole`: no export `default` in legacy.js "
            "(it has no named exports)",
        ),
        (
            DiagnosticLevel.WARNING,
            "search.ts",
            None,
            "handler `search.handler` of `shop-dev-named`: no export `handler` in search.ts "
            "(the settings that reach its exports: `search.default`)",
        ),
    ]


def test_one_missing_code_warning_per_infrastructure_file_listing_its_functions(tmp_path: Path) -> None:
    """Functions whose code is missing are listed together per file that declares them, each file once,
    whatever keeps the code out (a path not in the tree, a handler file missing from a package)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "other.py").write_text(
        "def handler(event, context):\n    return 1\n", encoding="utf-8"
    )

    def function(name: str, code: str, handler: str = "app.handler") -> str:
        return (
            f'resource "aws_lambda_function" "{name}" {{\n'
            f'  function_name = "{name}"\n'
            '  role          = "arn:aws:iam::123456789012:role/fn"\n'
            '  runtime       = "python3.12"\n'
            f'  handler       = "{handler}"\n'
            f'  filename      = "{code}"\n'
            "}\n"
        )

    (tmp_path / "lambda.tf").write_text(
        function("api", "build/api.zip") + "\n" + function("worker", "src", "gone.handler"), encoding="utf-8"
    )
    (tmp_path / "edge.tf").write_text(function("edge", "build/edge.zip"), encoding="utf-8")
    result = _scan(tmp_path, "LS501")
    assert [(d.file, d.line, d.message) for d in result.diagnostics] == [
        (
            "edge.tf",
            6,
            "handler code of 1 function is not in the scanned tree, so it is not analysed: "
            "`edge` (build/edge.zip)",
        ),
        (
            "lambda.tf",
            6,
            "handler code of 2 functions is not in the scanned tree, so it is not analysed: "
            "`api` (build/api.zip), `worker` (gone.handler in src)",
        ),
    ]


def test_a_handler_setting_the_runtime_cannot_load_is_named_malformed(tmp_path: Path) -> None:
    """No module and function (`index`, `app`), or `..` in a Node.js setting: the runtime refuses it, so
    the warning says so at the setting instead of calling the code missing."""
    (tmp_path / "serverless.yml").write_text(
        "service: m\n"
        "provider: {name: aws, runtime: nodejs20.x}\n"
        "functions:\n"
        "  nodot: {handler: index}\n"
        "  up: {handler: ../lib/index.handler}\n"
        "  py: {handler: app, runtime: python3.12}\n"
        "  dash: {handler: my-file.handler}\n",
        encoding="utf-8",
    )
    (tmp_path / "index.js").write_text("exports.handler = async (event) => 1;\n", encoding="utf-8")
    (tmp_path / "my-file.js").write_text("exports.handler = async (event) => 1;\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n", encoding="utf-8")
    result = _scan(tmp_path, "LS501")
    node = "the runtime takes `file.export` (`index.handler`, `src/index.handler`) and refuses `..`"
    python = "the runtime takes `module.function` (`app.handler`, `pkg/app.handler`)"
    tail = ", so every invocation fails and its code is not analysed"
    assert [(d.file, d.line, d.message) for d in result.diagnostics] == [
        ("serverless.yml", 4, f"handler `index` of `m-dev-nodot` is malformed: {node}{tail}"),
        ("serverless.yml", 5, f"handler `../lib/index.handler` of `m-dev-up` is malformed: {node}{tail}"),
        ("serverless.yml", 6, f"handler `app` of `m-dev-py` is malformed: {python}{tail}"),
    ]
    assert (
        result.coverage["LS501"].evaluated == 1
    )  # `my-file.handler` alone: a name need not be an identifier
    assert result.coverage["LS501"].unevaluated == ()


def test_workers_start_only_for_packages_holding_much_code(tmp_path: Path) -> None:
    from lambdasec.model import SourceKind
    from lambdasec.sources.code.package_job import PackageJob
    from lambdasec.sources.code.pipeline import _PARALLEL_BYTES, _much_code
    from lambdasec.sources.interface import InputFile

    small = tmp_path / "app.py"
    small.write_text("x = 1\n", encoding="utf-8")
    archive = tmp_path / "pkg.zip"
    archive.write_bytes(b"\0" * _PARALLEL_BYTES)
    files = [InputFile(path=small, display="app.py", kind=SourceKind.CODE)]
    directory = PackageJob(key=".", path=tmp_path)
    packed = PackageJob(key="pkg.zip", path=archive)

    assert not _much_code([directory], files)
    assert _much_code([directory, packed], files)  # an archive's files are not listed: its size counts
    assert _much_code([directory], [*files, InputFile(path=archive, display="pkg.zip", kind=SourceKind.CODE)])
    assert not _much_code([PackageJob(key="gone.zip", path=tmp_path / "gone.zip")], [])
