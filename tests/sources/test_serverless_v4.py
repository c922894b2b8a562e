"""Serverless Framework v4 syntax: stage parameters, resolvers, `.env` files and TypeScript handlers."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from lambdasec.config import Settings
from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, Unresolved
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

ROOT = Path(__file__).resolve().parents[2]
BILLING = ROOT / "tests" / "sources" / "serverless" / "billing"
DASHBOARD_WARNING = (
    "`${param:dashboardOnly}` has no value for stage `%s` in the file "
    "(it may come from `--param` or the Serverless Dashboard)"
)


def _load(
    path: Path, *, options: dict[str, str] | None = None, environ: dict[str, str] | None = None
) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ=environ or {}, options=options or {})
    assert inventory is not None
    return inventory, diagnostics


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "serverless.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _environment(inventory: Inventory) -> dict[str, object]:
    (function,) = inventory.functions
    assert not isinstance(function.environment, Unresolved)
    return {variable.name: variable.value for variable in function.environment}


def _line(marker: str) -> int:
    lines = (BILLING / "serverless.yml").read_text(encoding="utf-8").splitlines()
    found = [number for number, text in enumerate(lines, start=1) if marker in text]
    assert len(found) == 1, f"{marker!r} is on lines {found}"
    return found[0]


def test_default_stage_takes_the_default_params_and_the_dotenv_file() -> None:
    inventory, diagnostics = _load(BILLING / "serverless.yml")

    assert [function.name for function in inventory.functions] == ["billing-dev-charge"]
    assert _environment(inventory) == {
        "TABLE": "billing-dev",
        "DOMAIN": "dev.billing.example.com",
        "STRIPE_KEY": "unset",
        "FROM_DASHBOARD": Unresolved("${param:dashboardOnly}"),
        "DB_HOST": "db.internal.example.com",
        "ACCOUNT": Unresolved("${aws:accountId}"),
        "SSM_VALUE": Unresolved("${aws:ssm:/billing/secret}"),
        "VAULT_VALUE": Unresolved("${vaultProd:secret/data/billing}"),
        "TF_VALUE": Unresolved("${terraform:outputs:bucketName}"),
    }
    assert [(group.name, group.retention_days) for group in inventory.log_groups] == [
        ("/aws/lambda/billing-dev-charge", 14)
    ]
    # Only the parameter the file does not define is diagnosed; declared resolvers and v4 sources are not.
    assert [(d.level, d.line, d.message) for d in diagnostics] == [
        ("warning", _line("FROM_DASHBOARD:"), DASHBOARD_WARNING % "dev")
    ]


def test_selected_stage_params_win_over_default_and_its_dotenv_over_the_plain_one() -> None:
    inventory, diagnostics = _load(BILLING / "serverless.yml", options={"stage": "prod"})

    environment = _environment(inventory)
    assert {name: environment[name] for name in ("TABLE", "DOMAIN", "STRIPE_KEY", "DB_HOST")} == {
        "TABLE": "billing-prod",
        "DOMAIN": "billing.example.com",
        "STRIPE_KEY": "sk_live_51HfQ2eKx9mZ8vT3rW7yU1pA",
        "DB_HOST": "db.internal.example.com",
    }
    assert [(group.name, group.retention_days) for group in inventory.log_groups] == [
        ("/aws/lambda/billing-prod-charge", 365)
    ]
    assert [d.message for d in diagnostics] == [DASHBOARD_WARNING % "prod"]


def test_process_environment_wins_over_dotenv_files() -> None:
    inventory, _ = _load(
        BILLING / "serverless.yml",
        options={"stage": "prod"},
        environ={"PROD_STRIPE_KEY": "from-process", "DB_HOST": "db.process"},
    )

    environment = _environment(inventory)
    assert (environment["STRIPE_KEY"], environment["DB_HOST"]) == ("from-process", "db.process")


def test_role_statement_resolves_a_param_at_its_line() -> None:
    inventory, _ = _load(BILLING / "serverless.yml")

    (role,) = inventory.roles
    statements = [s for policy in role.policies for s in policy.document.statements]
    table = [s for s in statements if s.actions == ("dynamodb:PutItem",)]
    assert [(s.resources, s.origin.line) for s in table] == [
        (("arn:aws:dynamodb:us-east-1:*:table/billing-dev",), _line("- Effect: Allow"))
    ]


def test_scan_finds_the_typescript_handler_and_the_dotenv_secret() -> None:
    request = ScanRequest(paths=(BILLING,), settings=Settings(), today=date(2026, 11, 22))
    result = scan(request)

    located = {(f.rule, f.location.file, f.location.line) for f in result.findings}
    assert ("LS502", "src/handler.ts", 5) in located  # eval of the event body in the .ts source
    assert ("LS305", ".env.prod", 1) in located
    assert [(d.source, d.line) for d in result.diagnostics] == [("serverless", _line("FROM_DASHBOARD:"))]


def test_v3_params_block_and_param_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        service: old
        frameworkVersion: "3"
        params:
          default:
            size: 256
          qa:
            size: 512
        provider:
          name: aws
          stage: qa
        functions:
          fn:
            handler: h.handler
            memorySize: ${param:size}
            environment:
              FALLBACK: ${param:missing, 'fallback'}
              NESTED: size-${param:size}
        """,
    )
    inventory, diagnostics = _load(path)

    (function,) = inventory.functions
    assert function.memory_mb == 512
    assert _environment(inventory) == {"FALLBACK": "fallback", "NESTED": "size-512"}
    assert diagnostics == ()


def test_params_of_other_stages_are_not_resolved(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        service: quiet
        stages:
          prod:
            params:
              key: ${env:ONLY_IN_PROD_PIPELINE}
          loop:
            params:
              self: ${param:self}
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            environment:
              STAGE: ${sls:stage}
        """,
    )
    _, diagnostics = _load(path)

    assert diagnostics == ()


def test_a_param_that_refers_to_itself_is_unresolved_with_a_diagnostic(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        service: loop
        stages:
          default:
            params:
              name: x-${param:name}
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            environment:
              NAME: ${param:name}
        """,
    )
    inventory, diagnostics = _load(path)

    assert _environment(inventory) == {"NAME": Unresolved("${param:name}")}
    assert [(d.line, d.message) for d in diagnostics] == [(5, "`${param:name}` refers to itself")]


def test_unknown_sources_are_still_diagnosed(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        service: odd
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            environment:
              ODD: ${undeclared:thing}
        """,
    )
    inventory, diagnostics = _load(path)

    assert _environment(inventory) == {"ODD": Unresolved("${undeclared:thing}")}
    assert [(d.line, d.message) for d in diagnostics] == [
        (8, "unknown variable source `undeclared` in `${undeclared:thing}`")
    ]


DOTENV_SERVICE = """\
service: dotenv
{header}
provider:
  name: aws
functions:
  fn:
    handler: h.handler
    environment:
      HOST: ${{env:HOST, 'none'}}
"""


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "db.local"),
        ('frameworkVersion: "4"', "db.local"),
        ('frameworkVersion: ">=3.0.0 <4.0.0"', "none"),
        ('frameworkVersion: "3"\nuseDotenv: true', "db.local"),
    ],
)
def test_dotenv_is_read_by_v4_and_by_v3_with_use_dotenv(tmp_path: Path, header: str, expected: str) -> None:
    (tmp_path / ".env").write_text("HOST=db.local\n", encoding="utf-8")
    path = _write(tmp_path, DOTENV_SERVICE.format(header=header))

    inventory, diagnostics = _load(path)

    assert _environment(inventory) == {"HOST": expected}
    assert diagnostics == ()


def test_use_dotenv_paths_are_shared_defaults_and_bad_lines_are_diagnosed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    service = tmp_path / "api"
    shared.mkdir()
    service.mkdir()
    (shared / ".env").write_text("HOST=db.shared\nOTHER=x\n", encoding="utf-8")
    (service / ".env").write_text("# comment\nnot a variable\nQUOTED='unterminated\n", encoding="utf-8")
    path = service / "serverless.yml"
    path.write_text(DOTENV_SERVICE.format(header="useDotenv: ../shared"), encoding="utf-8")

    inventory, diagnostics = _load(path)

    assert _environment(inventory) == {"HOST": "db.shared"}
    assert [(d.level, d.line, d.message) for d in diagnostics] == [
        ("warning", None, "`.env` line 2 is not `NAME=value`; ignored"),
        ("warning", None, "`.env` line 3 is not `NAME=value`; ignored"),
    ]


def test_dotenv_values_quotes_comments_and_export(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "export A=\"two\\nlines\"\nB='single # kept'\nC=bare # comment\nD=\n",
        encoding="utf-8",
    )
    path = _write(
        tmp_path,
        """\
        service: values
        provider:
          name: aws
        functions:
          fn:
            handler: h.handler
            environment:
              A: ${env:A}
              B: ${env:B}
              C: ${env:C}
              D: ${env:D}
        """,
    )
    inventory, _ = _load(path)

    assert _environment(inventory) == {"A": "two\nlines", "B": "single # kept", "C": "bare", "D": ""}
