"""Tests for the benchmark runner's measurement and table (bench/run.py); no scan is run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load_runner() -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # run.py imports its sibling generate_sam
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


run = _load_runner()


def test_markdown_table_formats_each_row() -> None:
    row = run.Row(
        size=1000, template_mb=0.8148, functions=1000, findings=321, seconds=1.234, peak_rss_mb=95.4
    )
    assert run.markdown_table([row]).splitlines() == [
        "| functions (generated) | template MB | functions (scanned) | findings | seconds | peak MB"
        " | seconds per 1,000 functions |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        "| 1,000 | 0.8 | 1,000 | 321 | 1.23 | 95 | 1.234 |",
    ]


def test_measure_reports_exit_code_and_memory_of_the_child(tmp_path: Path) -> None:
    # The child holds ~60 MB; its own rusage must show at least that much.
    code = "import sys; block = bytearray(60 * 1024 * 1024); sys.exit(1)"
    result = run.measure([sys.executable, "-c", code], log=tmp_path / "log")
    assert result.exit_code == 1
    assert result.peak_rss_mb >= 60
    assert result.seconds > 0


def test_scan_command_writes_json_to_the_output_file() -> None:
    command = run.scan_command(Path("corpus"), Path("out.json"), base=["lambdasec"])
    assert command == ["lambdasec", "scan", "corpus", "--format", "json", "--output", "out.json"]


def test_bench_size_fails_loudly_on_a_crashing_scan(tmp_path: Path) -> None:
    corpus = sys.modules["generate_sam"].write_corpus(tmp_path / "sam-3", functions=3)
    crash = [sys.executable, "-c", "print('boom'); raise SystemExit(2)"]
    with pytest.raises(run.BenchError, match=r"exited 2:\nboom"):
        run.bench_size(corpus, repeat=1, work=tmp_path, base=crash)


def test_bench_size_reads_functions_and_findings_from_the_report(tmp_path: Path) -> None:
    corpus = sys.modules["generate_sam"].write_corpus(tmp_path / "sam-4", functions=4)
    # A stand-in scanner: writes a schema-1 report to the path after --output and exits 1 (findings).
    fake = (
        "import json, sys; out = sys.argv[sys.argv.index('--output') + 1]; "
        "json.dump({'summary': {'functions': 4}, 'findings': [{}, {}, {}]}, open(out, 'w')); sys.exit(1)"
    )
    row = run.bench_size(corpus, repeat=2, work=tmp_path, base=[sys.executable, "-c", fake])
    assert (row.size, row.functions, row.findings) == (4, 4, 3)
    assert row.template_mb == corpus.total_bytes / 1e6
