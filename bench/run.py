"""Benchmark `lambdasec scan` on generated SAM corpora of several sizes and print a Markdown table."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generate_sam import DEFAULT_SEED, DEFAULT_SIZES, Corpus, write_corpus

OK_EXIT_CODES = (0, 1)  # 1 only means "findings at or above --fail-on", expected here


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """One measured scan: wall seconds, peak resident memory of the scan process, exit code."""

    seconds: float
    peak_rss_mb: float
    exit_code: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """The best run of one corpus size with what the scan reported."""

    size: int
    template_mb: float
    functions: int
    findings: int
    seconds: float
    peak_rss_mb: float

    @property
    def seconds_per_1000(self) -> float:
        """Wall seconds per 1,000 functions."""
        return self.seconds * 1000 / self.size


class BenchError(RuntimeError):
    """A scan failed or wrote output the benchmark cannot read."""


def lambdasec_command() -> list[str]:
    """How to start lambdasec: the `lambdasec` script beside this Python, else `python -m lambdasec`."""
    script = Path(sys.executable).with_name("lambdasec")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "lambdasec"]


def scan_command(target: Path, output: Path, *, base: Sequence[str]) -> list[str]:
    """The command line measured."""
    return [*base, "scan", str(target), "--format", "json", "--output", str(output)]


def _scan_env() -> dict[str, str]:
    """The scan's environment: as here, but compiled modules may be cached as on a normal install.

    Some machines set PYTHONDONTWRITEBYTECODE, which makes every run recompile lambdasec (about 0.2 s);
    `pip install` writes the bytecode once, so users do not pay that.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(command: Sequence[str], *, log: Path) -> Run:
    """Run `command` once; its own rusage (os.wait4) gives the peak RSS of that process alone."""
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink, env=_scan_env())
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds=seconds, peak_rss_mb=usage.ru_maxrss / 1024, exit_code=proc.returncode)


def bench_size(corpus: Corpus, *, repeat: int, work: Path, base: Sequence[str]) -> Row:
    """Scan `corpus` `repeat` times; keep the fastest run and the highest peak memory."""
    output = work / f"scan-{sum(corpus.functions)}.json"
    log = work / f"scan-{sum(corpus.functions)}.log"
    command = scan_command(corpus.root, output, base=base)
    runs: list[Run] = []
    for _ in range(repeat):
        output.unlink(missing_ok=True)
        run = measure(command, log=log)
        if run.exit_code not in OK_EXIT_CODES:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise BenchError(f"`{shlex.join(command)}` exited {run.exit_code}:\n{tail}")
        runs.append(run)
    try:
        report = json.loads(output.read_text(encoding="utf-8"))
        functions = int(report["summary"]["functions"])
        findings = len(report["findings"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"cannot read the scan report {output}: {exc}") from exc
    return Row(
        size=sum(corpus.functions),
        template_mb=corpus.total_bytes / 1e6,
        functions=functions,
        findings=findings,
        seconds=min(r.seconds for r in runs),
        peak_rss_mb=max(r.peak_rss_mb for r in runs),
    )


def markdown_table(rows: Sequence[Row]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| functions (generated) | template MB | functions (scanned) | findings | seconds | peak MB"
        " | seconds per 1,000 functions |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {r.size:,} | {r.template_mb:.1f} | {r.functions:,} | {r.findings:,} | {r.seconds:.2f}"
        f" | {r.peak_rss_mb:.0f} | {r.seconds_per_1000:.3f} |"
        for r in rows
    )
    return "\n".join(lines)


def _display(path: Path) -> Path:
    """`path` relative to the working directory when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate, scan, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated function counts (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per size; the fastest counts (default: 3)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-template", type=int, default=0, help="functions per file (0: all in one)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",")]
    base = lambdasec_command()
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    for size in sizes:
        corpus = write_corpus(
            args.out / f"sam-{size}", functions=size, seed=args.seed, per_template=args.per_template
        )
        try:
            rows.append(bench_size(corpus, repeat=args.repeat, work=args.out, base=base))
        except BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"measured {size:,} functions", file=sys.stderr)

    out = _display(args.out)
    shown = ["lambdasec"] if base[0].endswith("lambdasec") else ["python", "-m", "lambdasec"]
    example = scan_command(out / f"sam-{sizes[-1]}", out / f"scan-{sizes[-1]}.json", base=shown)
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"Benchmark: python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip())
    print(f"Each scan: `{shlex.join(example)}` (best of {args.repeat}; peak RSS of the scan process)")
    print()
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
