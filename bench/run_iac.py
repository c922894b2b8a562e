"""Benchmark lambdasec against checkov on generated Terraform and Serverless projects; print Markdown tables.

checkov runs from its own virtual environment (`--checkov-venv`), on the same files in the same run, and
is skipped cleanly when that environment is not given or has no `checkov`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shlex
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import generate_serverless
import generate_terraform
from generate_sam import DEFAULT_SEED, DEFAULT_SIZES, Corpus
from run import OK_EXIT_CODES, BenchError, Run, lambdasec_command, measure

SOURCES: dict[str, tuple[str, Callable[..., Corpus]]] = {
    "terraform": ("terraform", generate_terraform.write_corpus),
    "serverless": ("serverless", generate_serverless.write_corpus),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Timing:
    """Runs of one tool on one corpus: every wall time, the highest peak memory, what it reported."""

    seconds: tuple[float, ...]
    peak_rss_mb: float
    reported: int

    @property
    def best(self) -> float:
        """The fastest run."""
        return min(self.seconds)

    @property
    def median(self) -> float:
        """The median run."""
        return statistics.median(self.seconds)


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One corpus size: its input and both tools' timings (checkov None when not run)."""

    size: int
    files: int
    input_mb: float
    functions: int
    lambdasec: Timing
    checkov: Timing | None


def lambdasec_scan(target: Path, output: Path, *, base: Sequence[str]) -> list[str]:
    """The lambdasec command measured."""
    return [*base, "scan", str(target), "--format", "json", "--output", str(output)]


def checkov_scan(target: Path, output: Path, *, checkov: Path, framework: str) -> list[str]:
    """The checkov command measured: one framework, no download from Prisma Cloud, JSON to a file."""
    return [
        str(checkov),
        "--directory",
        str(target),
        "--framework",
        framework,
        "--skip-download",
        "--quiet",
        "--compact",
        "--output",
        "json",
        "--output-file-path",
        str(output),
    ]


def _checked(command: Sequence[str], *, log: Path) -> Run:
    run = measure(command, log=log)
    if run.exit_code not in OK_EXIT_CODES:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise BenchError(f"`{shlex.join(command)}` exited {run.exit_code}:\n{tail}")
    return run


def bench_both(
    corpus: Corpus,
    *,
    repeat: int,
    checkov_repeat: int,
    work: Path,
    base: Sequence[str],
    checkov: Path | None,
    framework: str,
) -> tuple[Timing, int, Timing | None]:
    """Both tools on `corpus`, taking turns run by run (lambdasec, checkov, lambdasec, ...), so that a
    machine getting slower or faster during the measurement weighs on both alike.

    lambdasec's timing with the number of functions it scanned, and checkov's (None when not run).
    """
    ours_out, theirs_out = work / "lambdasec.json", work / "checkov"
    ours_command = lambdasec_scan(corpus.root, ours_out, base=base)
    theirs_command = (
        checkov_scan(corpus.root, theirs_out, checkov=checkov, framework=framework) if checkov else None
    )
    ours: list[Run] = []
    theirs: list[Run] = []
    for turn in range(max(repeat, checkov_repeat if theirs_command else 0)):
        if turn < repeat:
            ours.append(_checked(ours_command, log=work / "lambdasec.log"))
        if theirs_command is not None and turn < checkov_repeat:
            theirs.append(_checked(theirs_command, log=work / "checkov.log"))
    functions, findings = _counts(ours_out, _LAMBDASEC_COUNTS)
    ours_timing = _timing(ours, reported=findings)
    if not theirs:
        return ours_timing, functions, None
    _, failed = _counts(theirs_out / "results_json.json", _CHECKOV_COUNTS)
    return ours_timing, functions, _timing(theirs, reported=failed)


def _timing(runs: Sequence[Run], *, reported: int) -> Timing:
    return Timing(
        seconds=tuple(r.seconds for r in runs),
        peak_rss_mb=max(r.peak_rss_mb for r in runs),
        reported=reported,
    )


# Reports are counted in a child process: reading checkov's report of 1,000 functions (hundreds of MB) here
# would raise this process's peak memory, and a child started later inherits that peak in its own
# ru_maxrss (exec records the old address space's high-water mark), which would corrupt the figures.
_LAMBDASEC_COUNTS = (
    "import json, sys; r = json.load(open(sys.argv[1], encoding='utf-8'));"
    " print(int(r['summary']['functions']), len(r['findings']))"
)
_CHECKOV_COUNTS = (
    "import json, sys; r = json.load(open(sys.argv[1], encoding='utf-8'));"
    " rs = r if isinstance(r, list) else [r];"
    " print(0, sum(int(x['summary']['failed']) for x in rs if isinstance(x, dict) and 'summary' in x))"
)


def _counts(report: Path, script: str) -> tuple[int, int]:
    """Two numbers `script` prints about the JSON `report`, read in a child process."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(report)], capture_output=True, text=True, check=False
    )
    try:
        first, second = (int(part) for part in done.stdout.split())
    except ValueError:
        raise BenchError(f"cannot read the report {report}: {done.stderr.strip()[-500:]}") from None
    return first, second


def markdown_table(rows: Sequence[Row]) -> str:
    """One source's results; the ratio is checkov's median time over lambdasec's."""
    lines = [
        "| functions | files | input MB | lambdasec findings | lambdasec best s | lambdasec median s"
        " | lambdasec peak MB | checkov failed checks | checkov median s | checkov peak MB"
        " | checkov / lambdasec (medians) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ours = r.lambdasec
        theirs = r.checkov
        checkov_cells = (
            f"{theirs.reported:,} | {theirs.median:.2f} | {theirs.peak_rss_mb:.0f}"
            f" | {theirs.median / ours.median:.1f}x"
            if theirs is not None
            else "not run | | |"
        )
        lines.append(
            f"| {r.functions:,} | {r.files:,} | {r.input_mb:.1f} | {ours.reported:,} | {ours.best:.2f}"
            f" | {ours.median:.2f} | {ours.peak_rss_mb:.0f} | {checkov_cells} |"
        )
    return "\n".join(lines)


def growth(rows: Sequence[Row]) -> str:
    """How each tool's median time grows from one size to the next."""
    parts: list[str] = []
    for smaller, larger in itertools.pairwise(rows):
        factor = larger.size / smaller.size
        text = (
            f"{smaller.size:,} -> {larger.size:,} functions ({factor:.0f}x): lambdasec "
            f"{larger.lambdasec.median / smaller.lambdasec.median:.1f}x"
        )
        if smaller.checkov is not None and larger.checkov is not None:
            text += f", checkov {larger.checkov.median / smaller.checkov.median:.1f}x"
        parts.append(text)
    return "; ".join(parts)


def _checkov_binary(venv: Path | None) -> Path | None:
    if venv is None:
        return None
    binary = venv / "bin" / "checkov"
    return binary if binary.is_file() and os.access(binary, os.X_OK) else None


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate, scan with both tools, print one table per source."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sources", default="terraform,serverless", help="comma-separated (default: %(default)s)"
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="comma-separated function counts (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="lambdasec runs per size (default: 3)")
    parser.add_argument("--checkov-venv", type=Path, help="virtual environment with checkov installed")
    parser.add_argument("--checkov-repeat", type=int, default=3, help="checkov runs per size (default: 3)")
    parser.add_argument(
        "--checkov-max-size", type=int, default=0, help="run checkov only up to this many functions (0: all)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = parser.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",")]
    checkov = _checkov_binary(args.checkov_venv)
    if args.checkov_venv is not None and checkov is None:
        print(f"note: no checkov in {args.checkov_venv}; checkov is not run", file=sys.stderr)
    base = lambdasec_command()
    load_before = os.getloadavg()[0]
    tables: list[str] = []
    for source in args.sources.split(","):
        framework, write = SOURCES[source]
        rows: list[Row] = []
        for size in sizes:
            corpus = write(args.out / f"{source}-{size}", functions=size, seed=args.seed)
            work = args.out / f"work-{source}-{size}"
            work.mkdir(parents=True, exist_ok=True)
            run_checkov = checkov is not None and (
                args.checkov_max_size <= 0 or size <= args.checkov_max_size
            )
            try:
                ours, functions, theirs = bench_both(
                    corpus,
                    repeat=args.repeat,
                    checkov_repeat=args.checkov_repeat,
                    work=work,
                    base=base,
                    checkov=checkov if run_checkov else None,
                    framework=framework,
                )
            except BenchError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            rows.append(
                Row(
                    size=size,
                    files=len(corpus.templates),
                    input_mb=corpus.total_bytes / 1e6,
                    functions=functions,
                    lambdasec=ours,
                    checkov=theirs,
                )
            )
            print(f"measured {source} {size:,} functions", file=sys.stderr)
        tables.append(f"### {source}\n\n{markdown_table(rows)}\n\nGrowth: {growth(rows)}")

    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"Benchmark: python bench/run_iac.py {' '.join(argv if argv is not None else sys.argv[1:])}".rstrip()
    )
    print(f"lambdasec runs per size: {args.repeat}; checkov runs per size: {args.checkov_repeat}")
    print()
    print("\n\n".join(tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
