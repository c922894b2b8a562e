"""serverless.ts / serverless.js: the exported object read statically, lines in the configuration file."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.discover import discover
from lambdasec.sources.serverless import ServerlessSource
from lambdasec.sources.serverless.script import load_script
from lambdasec.sources.serverless.variables import UNRESOLVED_KEY
from lambdasec.sources.yaml_loader import MarkedDict


def _write(root: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body).lstrip("\n"))


def _load(root: Path, name: str = "serverless.ts") -> tuple[MarkedDict | None, tuple[Diagnostic, ...]]:
    diagnostics = Diagnostics(file=name, source=SourceKind.SERVERLESS)
    return load_script(root / name, display=name, diagnostics=diagnostics), diagnostics.items


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


TEMPLATE = {
    "serverless.ts": """
        import type { AWS } from '@serverless/typescript';

        import hello from '@functions/hello';
        const { tableName } = require('./src/libs/names');

        const base = { timeout: 10 };

        const serverlessConfiguration: AWS = {
          service: 'orders',
          provider: {
            name: 'aws',
            runtime: 'nodejs18.x',
            stage: `\\${opt:stage, 'dev'}`,
            environment: {
              TABLE: tableName,
              API_KEY: process.env.API_KEY,
              MODE: `mode-${base.timeout}`,
            },
            ...base,
          },
          functions: { hello, open: { handler: 'src/open.handler', url: true, memorySize: -1, x: undefined }},
        };

        module.exports = serverlessConfiguration;
    """,
    "src/functions/hello/index.ts": """
        import { handlerPath } from '@libs/handler-resolver';

        export default {
          handler: `${handlerPath(__dirname)}/handler.main`,
          events: [{ http: { method: 'post', path: 'hello' } }],
        };
    """,
    "src/libs/names.js": "module.exports = { tableName: 'orders' };\n",
    # the helper of the framework's TypeScript template: the module's directory relative to the service
    "src/libs/handler-resolver.ts": """
        export const handlerPath = (context: string) => {
          return `${context.split(process.cwd())[1].substring(1).replace(/\\\\/g, '/')}`;
        };
    """,
    "tsconfig.json": """
        {
          "compilerOptions": {
            "baseUrl": ".",
            "paths": { "@functions/*": ["src/functions/*"], "@libs/*": ["src/libs/*"], }, // aliases
          },
        }
    """,
}


def test_the_typescript_template_reads_as_the_framework_gets_it(tmp_path: Path) -> None:
    _write(tmp_path, TEMPLATE)

    document, diagnostics = _load(tmp_path)

    assert document is not None
    assert _plain(document) == {
        "service": "orders",
        "provider": {
            "name": "aws",
            "runtime": "nodejs18.x",
            "stage": "${opt:stage, 'dev'}",
            "environment": {"TABLE": "orders", "API_KEY": "${env:API_KEY}", "MODE": "mode-10"},
            "timeout": 10,
        },
        "functions": {
            "hello": {
                "handler": "src/functions/hello/handler.main",
                "events": [{"http": {"method": "post", "path": "hello"}}],
            },
            "open": {"handler": "src/open.handler", "url": True, "memorySize": -1},
        },
    }
    assert diagnostics == ()


def test_lines_point_into_the_configuration_file(tmp_path: Path) -> None:
    _write(tmp_path, TEMPLATE)

    document, _ = _load(tmp_path)

    assert document is not None
    provider = document["provider"]
    assert provider.key_lines == {"name": 11, "runtime": 12, "stage": 13, "environment": 14, "timeout": 6}
    # an imported value is marked where the configuration uses it, not at its line in its own module
    assert document["functions"].key_lines == {"hello": 21, "open": 21}
    assert document["functions"]["hello"].key_lines == {"handler": 21, "events": 21}


def test_export_forms(tmp_path: Path) -> None:
    forms = {
        "a/serverless.js": "module.exports = { service: 'a', provider: { name: 'aws' } };\n",
        "b/serverless.ts": "const c = { service: 'b', provider: { name: 'aws' } };\nexport default c;\n",
        "c/serverless.ts": "export = { service: 'c', provider: { name: 'aws' } } as const;\n",
        "d/serverless.mjs": "export default { service: 'd', provider: { name: 'aws' } };\n",
    }
    _write(tmp_path, forms)

    for name in forms:
        document, diagnostics = _load(tmp_path, name)
        assert document is not None, name
        assert document["service"] == name[0]
        assert diagnostics == ()


def test_no_export_or_a_syntax_error_is_an_error_with_the_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "none/serverless.ts": "const c = { service: 'x' };\n",
            "broken/serverless.ts": "const c = {\n  service: 'x' provider,\n};\nmodule.exports = c;\n",
            "call/serverless.js": "module.exports = build();\n",
        },
    )

    assert _load(tmp_path, "none/serverless.ts")[1] == (
        Diagnostic(
            level=DiagnosticLevel.ERROR,
            source="serverless",
            message="no configuration found: expected `module.exports = ...`, `export default ...` or "
            "`export = ...`",
            file="none/serverless.ts",
            line=None,
        ),
    )
    document, diagnostics = _load(tmp_path, "broken/serverless.ts")
    assert document is None
    assert [(d.level, d.line) for d in diagnostics] == [(DiagnosticLevel.ERROR, 2)]
    assert diagnostics[0].message.startswith("cannot parse broken/serverless.ts: syntax error")
    document, diagnostics = _load(tmp_path, "call/serverless.js")
    assert document is None
    assert [(d.message, d.line) for d in diagnostics] == [
        ("the exported configuration `build()` is computed when the file runs; not read", 1)
    ]


def test_imports_stay_inside_the_service_and_cycles_end(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "svc/serverless.ts": """
                import outside from '../secrets';
                import { loop } from './loop';
                import lodash from 'lodash';
                export default { service: 's', provider: { name: 'aws' }, custom: { outside, loop, lodash } };
            """,
            "secrets.ts": "export default 'never read';\n",
            "svc/loop.ts": "import { loop as again } from './loop';\nexport const loop = { again };\n",
        },
    )

    document, _ = _load(tmp_path, "svc/serverless.ts")

    assert document is not None
    custom = document["custom"]
    assert custom["outside"] == {UNRESOLVED_KEY: "outside (computed when the configuration file runs)"}
    assert custom["lodash"] == {UNRESOLVED_KEY: "lodash (computed when the configuration file runs)"}
    assert isinstance(custom["loop"], MarkedDict)
    assert set(custom["loop"]["again"]["again"]) == {UNRESOLVED_KEY}  # the cycle ends as unknown


def test_serverless_json_and_ts_are_discovered_and_loaded_as_services(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a/serverless.json": """
                {
                  "service": "a",
                  "provider": {"name": "aws", "runtime": "python3.12"},
                  "functions": {"hello": {"handler": "app.handler", "url": true}}
                }
            """,
            "b/serverless.ts": """
                const config = {
                  service: 'b',
                  provider: { name: 'aws', runtime: 'nodejs20.x' },
                  functions: { hello: { handler: 'index.handler' } },
                };
                module.exports = config;
            """,
        },
    )
    found = discover([tmp_path])
    assert [(f.display, f.kind) for f in found.files] == [
        ("a/serverless.json", SourceKind.SERVERLESS),
        ("b/serverless.ts", SourceKind.SERVERLESS),
    ]

    output = ServerlessSource().load(found.files, root=found.root)

    assert output.diagnostics == ()
    assert [(f.name, f.runtime, f.origin.file, f.origin.line) for f in output.inventory.functions] == [
        ("a-dev-hello", "python3.12", "a/serverless.json", 4),
        ("b-dev-hello", "nodejs20.x", "b/serverless.ts", 4),
    ]
    assert [(u.function, u.origin.file, u.origin.line) for u in output.inventory.function_urls] == [
        ("a/serverless.json#HelloLambdaFunction", "a/serverless.json", 4)
    ]


def test_functions_of_the_service_run_over_known_values_and_the_rest_is_named(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "serverless.js": """
                const pkg = require('./package.json');
                function stageName(base, suffix) {
                  const lower = base.toLowerCase();
                  return lower + '-' + suffix;
                }
                const slug = (text) => text.trim().split(' ').join('_').slice(0, -1);
                module.exports = {
                  service: stageName('Shop', 2),
                  provider: { name: 'aws', stage: slug(' a b c ') },
                  custom: {
                    version: pkg.version,
                    first: pkg.keywords[0],
                    missing: pkg.nothing,
                    random: Math.random(),
                    later: fetchConfig().region,
                  },
                };
            """,
            "package.json": '{"name": "shop", "version": "1.2.3", "keywords": ["lambda"]}',
        },
    )

    document, diagnostics = _load(tmp_path, "serverless.js")

    assert document is not None
    assert document["service"] == "shop-2"
    assert document["provider"]["stage"] == "a_b_"
    custom = document["custom"]
    assert (custom["version"], custom["first"]) == ("1.2.3", "lambda")
    assert "missing" not in custom  # undefined, as in JavaScript
    assert custom["random"] == {UNRESOLVED_KEY: "Math.random() (computed when the configuration file runs)"}
    assert custom["later"] == {UNRESOLVED_KEY: "fetchConfig() (computed when the configuration file runs)"}
    assert custom.key_lines["version"] == 11
    assert [(d.message, d.line) for d in diagnostics] == [
        ("`Math.random()` is computed when the file runs; read as unknown (and 1 more value)", 14)
    ]


def test_recursion_without_end_stops_as_unknown(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "serverless.js": """
                const f = (x) => f(x) + f(x);
                module.exports = { service: 's', provider: { name: 'aws' }, custom: { bomb: f('a') } };
            """
        },
    )

    document, diagnostics = _load(tmp_path, "serverless.js")

    assert document is not None
    assert set(document["custom"]["bomb"]) == {UNRESOLVED_KEY}
    assert [d.level for d in diagnostics] == [DiagnosticLevel.WARNING]


def test_an_unknown_value_whose_text_holds_a_variable_is_not_read_again(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "serverless.ts": """
                const stage = 'prod';
                module.exports = {
                  service: 's',
                  provider: { name: 'aws', environment: { A: lookup(`${stage}-api`), B: get('${bogus:x}') } },
                };
            """
        },
    )
    found = discover([tmp_path])

    output = ServerlessSource().load(found.files, root=found.root)

    assert [(d.level, d.line, d.message) for d in output.diagnostics] == [
        (
            DiagnosticLevel.WARNING,
            4,
            "`lookup(`${stage}-api`)` is computed when the file runs; read as unknown (and 1 more value)",
        ),
    ]


def test_an_unreadable_tsconfig_is_a_warning_and_its_aliases_are_not_followed(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "svc/serverless.ts": """
                import hello from '@functions/hello';
                export default { service: 's', provider: { name: 'aws' }, functions: { hello } };
            """,
            "svc/src/functions/hello/index.ts": "export default { handler: 'h.main' };\n",
            "svc/tsconfig.json": '{"compilerOptions": {"paths": {"@functions/*": ["src/functions/*"]}',
        },
    )

    document, diagnostics = _load(tmp_path, "svc/serverless.ts")

    assert document is not None
    assert set(document["functions"]["hello"]) == {UNRESOLVED_KEY}
    assert [(d.level, d.message) for d in diagnostics] == [
        (
            DiagnosticLevel.WARNING,
            "svc/tsconfig.json cannot be read as JSON; its path aliases are not followed",
        ),
        (DiagnosticLevel.WARNING, "`hello` is computed when the file runs; read as unknown"),
    ]
