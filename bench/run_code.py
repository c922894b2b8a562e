"""Benchmark the handler-code analysis on generated corpora, beside semgrep and bandit when installed."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generate_code import DEFAULT_SEED, DEFAULT_SIZES, Corpus, write_corpus
from run import Run, lambdasec_command, measure

HERE = Path(__file__).resolve().parent
SEMGREP_RULES = HERE / "semgrep" / "lambda-taint.yml"


@dataclass(frozen=True, slots=True, kw_only=True)
class Tool:
    """A scanner to time: how to build its command, which exit codes mean success, how to count results."""

    name: str
    command: Callable[[Path, Path], list[str]]
    ok_exit_codes: tuple[int, ...]
    count: Callable[[Path], int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One tool on one corpus: median and spread of the wall times, peak memory, what it reported."""

    tool: str
    handlers: int
    median: float
    fastest: float
    slowest: float
    peak_rss_mb: float
    results: int


def _lambdasec(base: Sequence[str]) -> Tool:
    def command(target: Path, output: Path) -> list[str]:
        return [*base, "scan", str(target), "--format", "json", "--output", str(output)]

    def count(output: Path) -> int:
        report = json.loads(output.read_text(encoding="utf-8"))
        return sum(1 for f in report["findings"] if f["location"]["source"] == "code")

    return Tool(name="lambdasec", command=command, ok_exit_codes=(0, 1), count=count)


def _semgrep(venv: Path) -> Tool:
    def command(target: Path, output: Path) -> list[str]:
        return [
            str(venv / "bin" / "semgrep"),
            "scan",
            "--config",
            str(SEMGREP_RULES),
            "--metrics=off",
            "--disable-version-check",
            # The corpora live under bench/out/, which git ignores; semgrep would skip every file in it.
            "--no-git-ignore",
            "--json",
            "--output",
            str(output),
            "--quiet",
            str(target),
        ]

    def count(output: Path) -> int:
        report = json.loads(output.read_text(encoding="utf-8"))
        if not report["paths"]["scanned"]:
            raise SystemExit(f"semgrep scanned no file (see {output}): its timing would mean nothing")
        return len(report["results"])

    return Tool(name="semgrep", command=command, ok_exit_codes=(0, 1), count=count)


def _bandit(venv: Path) -> Tool:
    def command(target: Path, output: Path) -> list[str]:
        return [str(venv / "bin" / "bandit"), "-r", str(target), "-f", "json", "-o", str(output), "-q"]

    def count(output: Path) -> int:
        return len(json.loads(output.read_text(encoding="utf-8"))["results"])

    return Tool(name="bandit", command=command, ok_exit_codes=(0, 1), count=count)


def bench(tool: Tool, corpus: Corpus, *, repeat: int, work: Path) -> Row:
    """Run `tool` on `corpus` `repeat` times."""
    output = work / f"{tool.name}-{corpus.handlers}.json"
    log = work / f"{tool.name}-{corpus.handlers}.log"
    command = tool.command(corpus.root, output)
    runs: list[Run] = []
    for _ in range(repeat):
        output.unlink(missing_ok=True)
        run = measure(command, log=log)
        if run.exit_code not in tool.ok_exit_codes:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"`{shlex.join(command)}` exited {run.exit_code}:\n{tail}")
        runs.append(run)
    seconds = [r.seconds for r in runs]
    return Row(
        tool=tool.name,
        handlers=corpus.handlers,
        median=statistics.median(seconds),
        fastest=min(seconds),
        slowest=max(seconds),
        peak_rss_mb=max(r.peak_rss_mb for r in runs),
        results=tool.count(output),
    )


def markdown(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table, with each tool's median relative to lambdasec's on the same corpus."""
    ours = {r.handlers: r.median for r in rows if r.tool == "lambdasec"}
    lines = [
        "| handlers | tool | median s | fastest s | slowest s | peak MB | results | median / lambdasec |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {r.handlers:,} | {r.tool} | {r.median:.2f} | {r.fastest:.2f} | {r.slowest:.2f}"
        f" | {r.peak_rss_mb:.0f} | {r.results:,} | {r.median / ours[r.handlers]:.1f}x |"
        for r in rows
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate, time each tool, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and size (median counts)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--semgrep-venv", type=Path, help="virtual environment where semgrep is installed")
    parser.add_argument("--bandit-venv", type=Path, help="virtual environment where bandit is installed")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args(argv)

    tools = [_lambdasec(lambdasec_command())]
    for name, venv, make in (("semgrep", args.semgrep_venv, _semgrep), ("bandit", args.bandit_venv, _bandit)):
        if venv is None:
            continue
        if not (venv / "bin" / name).is_file():
            print(f"skip {name}: not installed in {venv}", file=sys.stderr)
            continue
        tools.append(make(venv))
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = write_corpus(args.out / f"code-{size}", handlers=size, seed=args.seed)
        for tool in tools:
            rows.append(bench(tool, corpus, repeat=args.repeat, work=args.out))
            print(f"measured {tool.name} on {size:,} handlers", file=sys.stderr)
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    given = " ".join(argv if argv is not None else sys.argv[1:])
    print(f"Benchmark: python bench/run_code.py {given}".rstrip())
    print()
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
