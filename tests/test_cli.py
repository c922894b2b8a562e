"""The command line: exit codes, --format/--output pairing, rule help, and usage errors."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from lambdasec import __version__
from lambdasec._cli import Output, build_parser, exit_code, main, plan_outputs, use_color
from lambdasec.errors import ConfigError
from lambdasec.findings import (
    Category,
    Confidence,
    Diagnostic,
    DiagnosticLevel,
    Finding,
    Location,
    ResourceRef,
    ScanResult,
    Severity,
    Suppression,
    ToolInfo,
)
from lambdasec.reporters import ReportFormat

TODAY = "--today=2026-01-15"

PUBLIC_URL = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: NONE
"""

IAM_URL = PUBLIC_URL.replace("AuthType: NONE", "AuthType: AWS_IAM")

BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Broken:
    Type: AWS::Lambda::Function
    Properties: [unclosed
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- pure pieces ---------------------------------------------------------------------------------------


def finding(severity: Severity, *, suppressed: bool = False) -> Finding:
    return Finding(
        rule="LS201",
        name="function-url-auth-none",
        category=Category.EXPOSURE,
        severity=severity,
        confidence=Confidence.HIGH,
        cwe=(),
        message="m",
        function="f",
        resource=ResourceRef(type="function_url", id="U"),
        location=Location(source="sam", file="template.yaml", line=1),
        fingerprint="sha256:x",
        suppressed=Suppression(kind="inline", reason="r") if suppressed else None,
    )


ERROR = Diagnostic(level=DiagnosticLevel.ERROR, source="sam", message="broken")
WARNING = Diagnostic(level=DiagnosticLevel.WARNING, source="sam", message="odd")


@pytest.mark.parametrize(
    ("findings", "diagnostics", "fail_on", "allow_incomplete", "expected"),
    [
        ((), (), Severity.HIGH, False, 0),
        ((finding(Severity.MEDIUM),), (), Severity.HIGH, False, 0),
        ((finding(Severity.HIGH),), (), Severity.HIGH, False, 1),
        ((finding(Severity.CRITICAL),), (), Severity.HIGH, False, 1),
        ((finding(Severity.HIGH),), (), Severity.CRITICAL, False, 0),
        ((finding(Severity.LOW),), (), Severity.LOW, False, 1),
        ((finding(Severity.CRITICAL, suppressed=True),), (), Severity.LOW, False, 0),
        ((), (WARNING,), Severity.HIGH, False, 0),
        ((), (ERROR,), Severity.HIGH, False, 3),
        ((finding(Severity.HIGH),), (ERROR,), Severity.HIGH, False, 3),
        ((finding(Severity.HIGH),), (ERROR,), Severity.HIGH, True, 1),
        ((), (ERROR,), Severity.HIGH, True, 0),
    ],
)
def test_exit_code(
    findings: tuple[Finding, ...],
    diagnostics: tuple[Diagnostic, ...],
    fail_on: Severity,
    allow_incomplete: bool,
    expected: int,
) -> None:
    result = ScanResult(tool=ToolInfo(version="0"), findings=findings, diagnostics=diagnostics)
    assert exit_code(result, fail_on=fail_on, allow_incomplete=allow_incomplete) == expected


def test_plan_outputs_pairs_in_order() -> None:
    assert plan_outputs(None, None) == [Output(format=ReportFormat.TERMINAL, path=None)]
    assert plan_outputs(["sarif", "terminal"], [Path("out.sarif")]) == [
        Output(format=ReportFormat.SARIF, path=Path("out.sarif")),
        Output(format=ReportFormat.TERMINAL, path=None),
    ]
    assert plan_outputs(["json", "sarif"], [Path("a.json"), Path("b.sarif")]) == [
        Output(format=ReportFormat.JSON, path=Path("a.json")),
        Output(format=ReportFormat.SARIF, path=Path("b.sarif")),
    ]


@pytest.mark.parametrize(
    ("formats", "outputs", "message"),
    [
        (["json", "sarif"], None, "at most one --format can go to standard output"),
        (None, [Path("a.json")], "each --output needs a --format before it"),
        (["json"], [Path("a.json"), Path("b.json")], "each --output needs a --format before it"),
    ],
)
def test_plan_outputs_rejects(formats: list[str] | None, outputs: list[Path] | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_outputs(formats, outputs)


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_every_report_format_is_accepted_by_the_parser(fmt: ReportFormat) -> None:
    assert build_parser().parse_args(["scan", "--format", str(fmt)]).formats == [str(fmt)]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("no_color", "stream", "environ", "expected"),
    [
        (False, Tty(), {}, True),
        (False, Tty(), {"NO_COLOR": ""}, True),
        (False, Tty(), {"NO_COLOR": "1"}, False),
        (True, Tty(), {}, False),
        (False, io.StringIO(), {}, False),
    ],
)
def test_colour_only_on_a_tty_without_no_color(
    no_color: bool, stream: io.StringIO, environ: dict[str, str], expected: bool
) -> None:
    assert use_color(no_color=no_color, stream=stream, environ=environ) is expected


# -- usage errors, version, help -----------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"lambdasec {__version__}\n", "")


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", "--help")
    assert code == 0
    assert "exit codes:" in out
    assert "An incomplete scan exits 3 even when it" in out
    assert "--today" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "lambdasec: error: the following arguments are required: COMMAND (see `lambdasec --help`)\n"),
        (
            ("scan", "--fail-on", "severe"),
            "lambdasec: error: argument --fail-on: invalid choice: 'severe' (choose from 'low', 'medium', "
            "'high', 'critical') (see `lambdasec scan --help`)\n",
        ),
        (
            ("scan", "--format", "xml"),
            "lambdasec: error: argument --format: invalid choice: 'xml' (choose from 'terminal', 'json', "
            "'sarif', 'html', 'markdown') (see `lambdasec scan --help`)\n",
        ),
        (
            ("scan", "--today", "yesterday"),
            "lambdasec: error: argument --today: not a YYYY-MM-DD date: 'yesterday' "
            "(see `lambdasec scan --help`)\n",
        ),
        (("frobnicate",), None),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str | None
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("lambdasec: error: ")
    if message is not None:
        assert err == message


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_unimplemented_formats_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    assert run(capsys, "scan", str(tmp_path), "--format", fmt) == (
        2,
        "",
        f"lambdasec: error: the {fmt} report format is not implemented yet; use terminal, json or sarif\n",
    )


def test_two_formats_to_stdout_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "scan", str(tmp_path), "--format", "json", "--format", "sarif")
    assert (code, out) == (2, "")
    assert err == (
        "lambdasec: error: at most one --format can go to standard output; give the others an --output FILE\n"
    )


def test_missing_path_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    assert run(capsys, "scan", str(missing)) == (
        2,
        "",
        f"lambdasec: error: no such file or directory: {missing}\n",
    )


# -- end to end (CloudFormation/SAM source, rules, config) ---------------------------------------------


def test_public_url_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    code, out, err = run(capsys, "scan", str(tmp_path), "--rules", "LS201", "--no-color", TODAY)
    assert (code, err) == (1, "")
    assert "LS201 function-url-auth-none  template.yaml:11 (OrdersApi" in out
    assert "\x1b[" not in out


def test_fail_on_above_the_finding_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    code, _, err = run(capsys, "scan", str(tmp_path), "--rules", "LS201", "--fail-on", "critical", TODAY)
    assert (code, err) == (0, "")


def test_clean_template_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", IAM_URL)
    code, out, err = run(capsys, "scan", str(tmp_path), "--rules", "LS201", TODAY)
    assert (code, err) == (0, "")
    assert "No findings." in out


def test_skip_rules_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    code, _, err = run(
        capsys, "scan", str(tmp_path), "--rules", "LS201", "--skip-rules", "function-url-auth-none", TODAY
    )
    assert (code, err) == (0, "")


def test_incomplete_scan_exits_3_unless_allowed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    write(tmp_path, "broken.yaml", BROKEN)
    code, out, _ = run(capsys, "scan", str(tmp_path), "--rules", "LS201", TODAY)
    assert code == 3
    assert "INCOMPLETE SCAN" in out
    code, _, _ = run(capsys, "scan", str(tmp_path), "--rules", "LS201", "--allow-incomplete", TODAY)
    assert code == 1


def test_outputs_are_written_and_stdout_gets_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    sarif = tmp_path / "out" / "deep" / "report.sarif"
    report = tmp_path / "out" / "report.json"
    code, out, err = run(
        capsys,
        "scan",
        str(tmp_path / "template.yaml"),
        "--rules=LS201",
        "--format=sarif",
        f"--output={sarif}",
        "--format=json",
        f"--output={report}",
        "--format=terminal",
        TODAY,
    )
    assert (code, err) == (1, "")
    assert "LS201 function-url-auth-none" in out
    document = json.loads(report.read_text(encoding="utf-8"))
    assert [(f["rule"], f["location"]["file"], f["location"]["line"]) for f in document["findings"]] == [
        ("LS201", "template.yaml", 11)
    ]
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["LS201"]


def test_json_to_stdout_is_the_only_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    code, out, _ = run(capsys, "scan", str(tmp_path), "--rules", "LS201", "--format", "json", TODAY)
    assert code == 1
    assert json.loads(out)["summary"]["findings"] == {"critical": 0, "high": 1, "medium": 0, "low": 0}


def test_unwritable_output_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    blocker = write(tmp_path, "blocker", "a file, not a directory")
    code, out, err = run(
        capsys,
        "scan",
        str(tmp_path),
        "--rules",
        "LS201",
        "--format",
        "json",
        "--output",
        str(blocker / "r.json"),
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"lambdasec: error: cannot write {blocker / 'r.json'}: ")
    assert err.count("\n") == 1


def test_unknown_rule_in_rules_flag_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    code, out, err = run(capsys, "scan", str(tmp_path), "--rules", "LS999", TODAY)
    assert (code, out) == (2, "")
    assert err.startswith("lambdasec: error: ")
    assert "LS999" in err


def test_bad_config_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", PUBLIC_URL)
    config = write(tmp_path, ".lambdasec.toml", "this is = = not toml\n")
    code, out, err = run(capsys, "scan", str(tmp_path), "--config", str(config), TODAY)
    assert (code, out) == (2, "")
    assert err.startswith("lambdasec: error: ")
    assert err.count("\n") == 1


# -- rules and rule ------------------------------------------------------------------------------------


def test_rules_lists_ls201(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules")
    assert (code, err) == (0, "")
    (line,) = [line for line in out.splitlines() if line.startswith("LS201 ")]
    assert line.split()[:4] == ["LS201", "function-url-auth-none", "high", "exposure"]


def test_rule_shows_its_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    from lambdasec.rules import load_rules

    rule = load_rules().get("LS201")
    assert rule is not None
    code, out, err = run(capsys, "rule", "ls201")
    assert (code, err) == (0, "")
    assert out == (
        "# LS201 function-url-auth-none\n\n"
        "severity: high | category: exposure | confidence: high | CWE-306\n"
        "OWASP Serverless: SAS-2, SAS-5 | Security Hub: Lambda.1 | practice: authentication\n\n"
        + rule.doc.strip()
        + "\n"
    )


def test_unknown_rule_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "rule", "LS999") == (
        2,
        "",
        "lambdasec: error: unknown rule LS999 (see `lambdasec rules`)\n",
    )


def test_today_parses_iso_dates() -> None:
    args = build_parser().parse_args(["scan", "--today", "2026-01-15"])
    assert args.today == date(2026, 1, 15)


def test_reader_closing_the_pipe_early_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from lambdasec._cli import _write_stdout

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away, like `| head -1` after its line
    stream = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    monkeypatch.setattr("sys.stdout", stream)
    with pytest.raises(BrokenPipeError):
        stream.write("x" * 10)
        stream.flush()
    _write_stdout("report\n" * 10_000)  # must not raise
    stream.write("more")
    stream.flush()  # stdout now points at /dev/null: the interpreter's last flush cannot fail either
    stream.close()


def test_the_command_ends_the_process_with_the_exit_code_and_whole_output(tmp_path: Path) -> None:
    """`python -m lambdasec` (like the `lambdasec` script, `run()`) ends without the interpreter's teardown:
    the report on standard output must still be whole and the exit code the one `main()` chose."""
    import subprocess
    import sys

    write(tmp_path, "template.yaml", PUBLIC_URL)
    args = ["scan", str(tmp_path), "--rules", "LS201", "--format", "json", TODAY]
    done = subprocess.run(
        [sys.executable, "-m", "lambdasec", *args], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 1
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["LS201"]
    usage = subprocess.run(
        [sys.executable, "-m", "lambdasec", "scan", "--no-such-flag"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert usage.returncode == 2
    assert "unrecognized arguments: --no-such-flag" in usage.stderr


def test_main_hands_the_scan_result_to_keep(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`run()` keeps the result, with the inventory it was judged on, alive until the process ends."""
    write(tmp_path, "template.yaml", PUBLIC_URL)
    kept: list[object] = []
    assert main(["scan", str(tmp_path), "--rules", "LS201", "--format", "json", TODAY], keep=kept) == 1
    capsys.readouterr()
    (result,) = kept
    assert isinstance(result, ScanResult)
    assert [f.rule for f in result.findings] == ["LS201"]
    assert result.inventory is not None
    assert [fn.origin.resource for fn in result.inventory.functions] == ["OrdersApi"]


def test_a_scan_leaves_nothing_frozen_for_the_collector(tmp_path: Path) -> None:
    """`scan()` hands what it froze back (the CLI freezes again only because its process ends next)."""
    import gc

    from lambdasec.config import Settings
    from lambdasec.scan import ScanRequest, scan

    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
        "    Properties: {Runtime: python3.12, Handler: a.h, Role: r, Code: {ZipFile: x}}\n"
    )
    result = scan(ScanRequest(paths=(tmp_path,), settings=Settings(), today=date(2026, 11, 22)))
    assert result.functions == 1
    assert gc.get_freeze_count() == 0


SERVICE_WITH = """\
service: bad
{plugins}provider:
  name: aws
  runtime: python3.12
  memorySize: {memory}
functions:
  a:
    handler: h.a
    environment:
      TOKEN: ${{{source}:token}}
"""


@pytest.mark.parametrize(
    ("plugins", "memory", "source", "expected"),
    [
        ("", "256", "ssm", 0),  # a value only the account holds: unknown, but the file is right
        ("", "256", "weird", 3),  # the framework refuses an unknown variable source
        ("plugins: [serverless-weird-variables]\n", "256", "weird", 0),  # a plugin may add that source
        ("", "lots", "ssm", 3),  # a wrong type: the service would not deploy
    ],
)
def test_a_service_the_framework_would_refuse_makes_the_scan_incomplete(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    plugins: str,
    memory: str,
    source: str,
    expected: int,
) -> None:
    write(tmp_path, "serverless.yml", SERVICE_WITH.format(plugins=plugins, memory=memory, source=source))
    code, out, _ = run(capsys, "scan", str(tmp_path), "--rules", "LS201", TODAY)
    assert code == expected
    assert ("INCOMPLETE SCAN" in out) == (expected == 3)
