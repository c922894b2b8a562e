"""The command line: parse arguments, run the scan or show rules, write reports, choose the exit code."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeVar

# Only what the parser needs is imported here: `--version` and `--help` stay fast, and the scan, the rules
# and the reporters are imported by the command that runs them.
from lambdasec import __version__
from lambdasec.config import load_settings, parse_rule_list
from lambdasec.errors import ConfigError, LambdasecError
from lambdasec.levels import Severity
from lambdasec.profiles import Profile
from lambdasec.records import record
from lambdasec.reporters.interface import DEFAULT_WIDTH, ReportFormat

if TYPE_CHECKING:
    from lambdasec.findings import ScanResult

# A value parsed from a NAME=VALUE flag (`--var`, `--param`).
_Value = TypeVar("_Value")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

EXIT_CODES_HELP = """\
exit codes:
  0  no unsuppressed finding at or above --fail-on
  1  at least one unsuppressed finding at or above --fail-on
  2  usage or configuration error (bad option, unknown rule, missing path, unwritable --output)
  3  the scan was incomplete: an input could not be read or a call failed, so findings
     may be missing (unless --allow-incomplete). An incomplete scan exits 3 even when it
     also has findings: the findings of a partial scan are not the whole picture.

examples:
  lambdasec scan .
  lambdasec scan infra/ --fail-on critical
  lambdasec scan . --format sarif --output lambdasec.sarif --format terminal
"""


class _UsageError(Exception):
    """An argparse error, reported as one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors raise instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see `{self.prog} --help`)")


@record
class Output:
    """One report to produce: a format and its file, or standard output when `path` is None."""

    format: ReportFormat
    path: Path | None


def run() -> NoReturn:
    """The `lambdasec` command: `main()`, then the process ends at once, standard streams flushed.

    A large scan leaves millions of objects that the interpreter would free one by one on the way out
    (a tenth of a second per 10,000 functions): the result is kept until the process ends instead.
    """
    kept: list[object] = []
    code = main(keep=kept)
    for stream in (sys.stdout, sys.stderr):
        # A closed or vanished reader: there is nothing more to tell it.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, keep: list[object] | None = None) -> int:
    """Run the command line and return the exit code; `keep`, when given, receives the scan's result
    so that it outlives the call."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        return _fail(str(exc))
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    args.keep = keep
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except LambdasecError as exc:
        return _fail(str(exc))


def build_parser() -> argparse.ArgumentParser:
    """The `lambdasec` parser with its subcommands."""
    parser = _Parser(
        prog="lambdasec",
        description="Find and explain security risks in AWS Lambda applications.",
        epilog="Run `lambdasec scan --help` for scan options and exit codes.",
    )
    parser.add_argument("--version", action="version", version=f"lambdasec {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    scan = commands.add_parser(
        "scan",
        help="scan infrastructure as code under PATH",
        description="Scan the CloudFormation, SAM, Serverless Framework and Terraform inputs under each PATH "
        "and report findings per Lambda function.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.set_defaults(command=_run_scan)
    scan.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or directories (default: .)")
    scan.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=[str(f) for f in ReportFormat],
        metavar="FORMAT",
        help="report format: terminal, json, sarif (html and markdown are not implemented yet). Repeatable; "
        "the n-th --format is written to the n-th --output, a format without one goes to standard output "
        "(at most one may). Default: terminal.",
    )
    scan.add_argument(
        "--output",
        dest="outputs",
        action="append",
        type=Path,
        metavar="FILE",
        help="file for the --format in the same position; parent directories are created",
    )
    scan.add_argument(
        "--fail-on",
        choices=[str(s) for s in Severity],
        metavar="SEVERITY",
        help="exit 1 when an unsuppressed finding is at or above this severity: low, medium, high, critical "
        "(default: from the configuration, else high)",
    )
    scan.add_argument(
        "--profile",
        choices=[str(p) for p in Profile],
        metavar="PROFILE",
        help="default (risks in context), fsbp (adds what Security Hub's Foundational Security Best "
        "Practices require of every function, with a compliance summary) or strict (every hygiene check); "
        "default: from the configuration, else default",
    )
    scan.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: pyproject.toml or .lambdasec.toml)",
    )
    scan.add_argument(
        "--rules",
        action="append",
        metavar="ID,...",
        help="run only these rules (ids or names, comma-separated, repeatable); replaces the configuration's",
    )
    scan.add_argument(
        "--skip-rules",
        action="append",
        metavar="ID,...",
        help="skip these rules too (ids or names, comma-separated, repeatable); adds to the configuration's",
    )
    scan.add_argument(
        "--var-file",
        dest="var_files",
        action="append",
        type=Path,
        metavar="FILE",
        help="Terraform variables file applied to every root module after terraform.tfvars and "
        "*.auto.tfvars, as terraform -var-file (repeatable; later files win)",
    )
    scan.add_argument(
        "--var",
        dest="variables",
        action="append",
        metavar="NAME=VALUE",
        help="Terraform variable set in every root module after the variable files, as terraform -var "
        "(repeatable; later ones win); VALUE is read as HCL when it is a list, map, number or boolean, "
        "else it is a string",
    )
    scan.add_argument(
        "--stage",
        metavar="NAME",
        help="Serverless Framework stage, as serverless deploy --stage: feeds ${opt:stage} and ${sls:stage}, "
        "picks the stage's params and .env.<stage> (default: from the configuration, else the file's)",
    )
    scan.add_argument(
        "--param",
        dest="params",
        action="append",
        metavar="KEY=VALUE",
        help="Serverless Framework parameter, as serverless deploy --param: ${param:KEY} is the string "
        "VALUE, ahead of the file's stage params (repeatable; later ones win)",
    )
    scan.add_argument(
        "--allow-incomplete",
        action="store_true",
        default=None,
        help="exit 0/1 on findings even when an input could not be read (errors are still reported)",
    )
    scan.add_argument(
        "--quiet", action="store_true", help="terminal report: only findings and diagnostics, no summary"
    )
    scan.add_argument("--verbose", action="store_true", help="terminal report: also list suppressed findings")
    scan.add_argument("--no-color", action="store_true", help="no colours (also off when NO_COLOR is set)")
    scan.add_argument("--today", type=_iso_date, help=argparse.SUPPRESS)

    rules = commands.add_parser(
        "rules", help="list every rule", description="List every rule, or the rules a profile runs."
    )
    rules.set_defaults(command=_run_rules)
    rules.add_argument(
        "--profile",
        choices=[str(p) for p in Profile],
        metavar="PROFILE",
        help="list only the rules this profile runs: default, fsbp or strict",
    )
    rules.add_argument("--no-color", action="store_true", help="no colours (also off when NO_COLOR is set)")

    rule = commands.add_parser(
        "rule", help="show a rule's documentation", description="Show a rule's documentation."
    )
    rule.set_defaults(command=_run_rule)
    rule.add_argument("rule_id", metavar="RULE", help="rule id (LS201) or name (function-url-auth-none)")
    rule.add_argument("--no-color", action="store_true", help="no colours (also off when NO_COLOR is set)")
    return parser


def plan_outputs(formats: Sequence[str] | None, outputs: Sequence[Path] | None) -> list[Output]:
    """Pair each --format with the --output in the same position; the rest go to standard output."""
    outputs = list(outputs or [])
    if formats is None:
        formats = [] if outputs else [str(ReportFormat.TERMINAL)]
    if len(outputs) > len(formats):
        raise ConfigError("each --output needs a --format before it (e.g. --format sarif --output out.sarif)")
    plan = [
        Output(format=ReportFormat(fmt), path=outputs[i] if i < len(outputs) else None)
        for i, fmt in enumerate(formats)
    ]
    if sum(1 for output in plan if output.path is None) > 1:
        raise ConfigError("at most one --format can go to standard output; give the others an --output FILE")
    return plan


def exit_code(result: ScanResult, *, fail_on: Severity, allow_incomplete: bool) -> int:
    """3 for an incomplete scan (unless allowed), else 1 for findings at or above `fail_on`, else 0."""
    if not result.complete and not allow_incomplete:
        return EXIT_INCOMPLETE
    if any(f.severity.rank >= fail_on.rank for f in result.active_findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _run_scan(args: argparse.Namespace) -> int:
    from lambdasec.reporters import reporter_for

    plan = plan_outputs(args.formats, args.outputs)
    color = _color(args)
    width = _width(sys.stdout)
    reporters = [
        reporter_for(
            output.format,
            color=color and output.path is None,
            verbose=args.verbose,
            quiet=args.quiet,
            width=width if output.path is None else DEFAULT_WIDTH,
        )
        for output in plan
    ]
    paths = tuple(args.paths) or (Path("."),)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ConfigError(f"no such file or directory: {', '.join(missing)}")
    root = paths[0] if paths[0].is_dir() else paths[0].parent
    settings = load_settings(config_file=args.config, root=root).with_overrides(
        rules=_rule_refs(args.rules),
        skip_rules=_rule_refs(args.skip_rules),
        fail_on=Severity(args.fail_on) if args.fail_on is not None else None,
        allow_incomplete=args.allow_incomplete,
        profile=Profile(args.profile) if args.profile is not None else None,
        var_files=tuple(args.var_files) if args.var_files else None,
        variables=_variables(args.variables),
        stage=_stage(args.stage),
        params=_params(args.params),
    )

    from lambdasec.scan import ScanRequest, scan

    result = scan(ScanRequest(paths=paths, settings=settings, today=args.today or date.today()))
    if args.keep is not None:
        args.keep.append(result)
    # The process ends after the reports are written: keep the collector (and its pass at exit) off the
    # millions of objects a large scan leaves behind.
    gc.freeze()

    for output, reporter in zip(plan, reporters, strict=True):
        text = reporter.render(result)
        if output.path is None:
            _write_stdout(text)
            continue
        try:
            output.path.parent.mkdir(parents=True, exist_ok=True)
            output.path.write_text(text, encoding="utf-8")
        except OSError as exc:
            return _fail(f"cannot write {output.path}: {exc.strerror or exc}")
    return exit_code(result, fail_on=settings.fail_on, allow_incomplete=settings.allow_incomplete)


def _write_stdout(text: str) -> None:
    """Write to standard output; a reader that went away (`| head`) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _run_rules(args: argparse.Namespace) -> int:
    from lambdasec.profiles import select_rules
    from lambdasec.reporters.rule_help import render_rule_table
    from lambdasec.rules import load_rules

    rules = load_rules()
    if args.profile is not None:
        rules = select_rules(rules, profile=Profile(args.profile), include=None, exclude=frozenset())
    infos = [rule.info() for rule in rules.rules]
    _write_stdout(render_rule_table(infos, color=_color(args), width=_width(sys.stdout)))
    return EXIT_OK


def _run_rule(args: argparse.Namespace) -> int:
    from lambdasec.reporters.rule_help import render_rule_doc
    from lambdasec.rules import load_rules

    rule = load_rules().get(args.rule_id)
    if rule is None:
        raise ConfigError(f"unknown rule {args.rule_id} (see `lambdasec rules`)")
    _write_stdout(render_rule_doc(rule.info(), color=_color(args), width=_width(sys.stdout)))
    return EXIT_OK


def _variables(assignments: Sequence[str] | None) -> dict[str, object] | None:
    """`--var NAME=VALUE`s as values by name, later ones winning; a malformed one is a usage error."""
    if not assignments:
        return None
    from lambdasec.sources.terraform.cli_vars import parse_assignment

    return _assignments("--var", assignments, parse_assignment)


def _stage(name: str | None) -> str | None:
    """`--stage NAME`; an empty name is a usage error."""
    if name is not None and not name.strip():
        raise ConfigError("--stage: the stage name is empty")
    return name


def _params(assignments: Sequence[str] | None) -> dict[str, str] | None:
    """`--param KEY=VALUE`s as string values by key, later ones winning; a malformed one is a usage error."""
    if not assignments:
        return None
    from lambdasec.sources.serverless.params import parse_cli_param

    return _assignments("--param", assignments, parse_cli_param)


def _assignments(
    flag: str, texts: Sequence[str], parse: Callable[[str], tuple[str, _Value]]
) -> dict[str, _Value]:
    """`parse` over each `flag` text, later names winning; its ValueError is a usage error naming the flag."""
    values: dict[str, _Value] = {}
    for text in texts:
        try:
            name, value = parse(text)
        except ValueError as exc:
            raise ConfigError(f"{flag}: {exc}") from None
        values[name] = value
    return values


def _rule_refs(values: Sequence[str] | None) -> frozenset[str] | None:
    """`--rules LS201,LS202 --rules LS301` -> {"LS201", "LS202", "LS301"}; None when the flag is absent."""
    if values is None:
        return None
    refs: frozenset[str] = frozenset()
    return refs.union(*(parse_rule_list(value) for value in values))


def use_color(*, no_color: bool, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, without --no-color and without a non-empty NO_COLOR (no-color.org)."""
    return not no_color and not environ.get("NO_COLOR") and stream.isatty()


def _color(args: argparse.Namespace) -> bool:
    return use_color(no_color=args.no_color, stream=sys.stdout, environ=os.environ)


def _width(stream: TextIO) -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns if stream.isatty() else DEFAULT_WIDTH


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _fail(message: str) -> int:
    sys.stderr.write(f"lambdasec: error: {message}\n")
    return EXIT_USAGE
