"""Joins handler code to the infrastructure's functions, runs each package's analysis, scans for secrets."""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Final

from lambdasec.findings import Diagnostic
from lambdasec.model import (
    CodeUnit,
    Flow,
    Inventory,
    LambdaFunction,
    Language,
    PackageType,
    TriggerKind,
    Unresolved,
)
from lambdasec.sources.code.function_units import FunctionPackage, function_package, function_results
from lambdasec.sources.code.handlers import language_of_runtime
from lambdasec.sources.code.package_job import (
    HandlerRequest,
    JobResult,
    PackageJob,
    prepare_analyzers,
    run_job,
)
from lambdasec.sources.code.tree import code_diagnostic
from lambdasec.sources.interface import InputFile, SourceOutput

__all__ = ["analyze_code"]

# Below this many packages the work runs in this process: starting workers would cost more than it saves.
_PARALLEL_FROM: Final = 32
_CHUNK: Final = 16


def analyze_code(inventory: Inventory, files: Iterable[InputFile], *, root: Path) -> SourceOutput:
    """Handler units of the inventory's functions and of code found by shape, their flows, and secrets.

    Each package (a function's code directory or archive, or the directory of a file with handler shapes)
    is one job; many jobs run in worker processes, one per CPU, and their results merge in a fixed order.
    """
    diagnostics: list[Diagnostic] = []
    code_files = list(files)
    packages, missing = _function_packages(inventory, root=root)
    jobs = [package.job for package in packages]
    claimed = [job.key for job in jobs]
    jobs.extend(_directory_jobs([f for f in code_files if not _within(f.display, claimed)]))
    results: list[JobResult] = []
    units: list[CodeUnit] = []
    flows: list[Flow] = []
    # Each result is taken in as it arrives, so making the functions' units overlaps the workers' jobs.
    for index, result in enumerate(_run(jobs)):
        results.append(result)
        if index < len(packages):
            functions = function_results(packages[index], result)
            units.extend(functions.units)
            flows.extend(functions.flows)
            diagnostics.extend(functions.diagnostics)
            missing.extend(functions.missing)
        else:
            units.extend(result.units)
            flows.extend(result.flows)
            diagnostics.extend(result.diagnostics)
    diagnostics.extend(_missing_handlers(missing))
    secrets = [secret for result in results for secret in result.secrets]
    return SourceOutput(
        inventory=Inventory(
            code_files=tuple(sorted((f for r in results for f in r.files), key=lambda f: f.key)),
            code_units=tuple(units),
            flows=tuple(flows),
            code_secrets=tuple(sorted(secrets, key=lambda s: s.key)),
        ),
        diagnostics=tuple(diagnostics),
    )


def _run(jobs: Sequence[PackageJob]) -> Iterator[JobResult]:
    """Results in job order: in worker processes when there are many jobs and the platform can fork."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < _PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(run_job, jobs)
        return
    prepare_analyzers()  # once here rather than in every worker: forked workers inherit the modules
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(run_job, jobs, chunksize=_CHUNK)


def _function_packages(inventory: Inventory, *, root: Path) -> tuple[list[FunctionPackage], list[_Missing]]:
    """One job per local package the infrastructure's functions use, with each function's handler."""
    requests: dict[str, list[HandlerRequest]] = defaultdict(list)
    missing: list[_Missing] = []
    is_package: dict[str, bool] = {}  # many functions share one package: its path is checked once
    for fn in inventory.functions:
        if fn.package_type is not PackageType.ZIP or fn.code.inline:
            continue
        local, handler, runtime = fn.code.local_path, fn.handler, fn.runtime
        where = fn.origin.file
        if isinstance(local, Unresolved):
            missing.append((where, fn.origin.line_of("code"), f"`{fn.display_name}` (`{local.reason}`)"))
            continue
        if local is None or not isinstance(handler, str):
            continue
        if local not in is_package:
            is_package[local] = _is_package(root / local)
        if not is_package[local]:
            missing.append((where, fn.origin.line_of("code"), f"`{fn.display_name}` ({local})"))
            continue
        language = language_of_runtime(runtime) if isinstance(runtime, str) else None
        if language is None and isinstance(runtime, str):
            continue  # a runtime whose code is not analysed (Java, .NET, Go, Ruby, custom)
        requests[local].append(
            HandlerRequest(
                function=fn.key,
                name=fn.display_name,
                handler=handler,
                languages=(language,) if language else (Language.PYTHON, Language.JAVASCRIPT),
                triggers=_triggers(fn, inventory),
                http=bool(inventory.routes_to(fn) or inventory.url_of(fn)),
                where=where,
                line=fn.origin.line_of("handler"),
            )
        )
    packages = [
        function_package(local, path=root / local, requests=found)
        for local, found in sorted(requests.items())
    ]
    return packages, missing


def _is_package(path: Path) -> bool:
    """True for a directory or a `.zip`/`.jar` archive: code the analysis can open."""
    return path.is_dir() or (path.is_file() and path.suffix.lower() in (".zip", ".jar"))


def _triggers(fn: LambdaFunction, inventory: Inventory) -> tuple[TriggerKind, ...]:
    kinds = {m.kind for m in inventory.event_sources_of(fn) if isinstance(m.kind, TriggerKind)}
    kinds.update(t.kind for t in inventory.push_triggers_of(fn))
    return tuple(sorted(kinds))


def _directory_jobs(files: list[InputFile]) -> Iterator[PackageJob]:
    """One job per directory of code files no function names: searched for secrets and handler shapes."""
    by_directory: dict[str, tuple[Path, list[str]]] = {}
    for item in files:
        key = item.display.rpartition("/")[0] or "."
        by_directory.setdefault(key, (item.path.parent, []))[1].append(item.path.name)
    for key, (directory, names) in sorted(by_directory.items()):
        yield PackageJob(key=key, path=directory, files=tuple(names))


_Missing = tuple[str | None, int | None, str]


def _missing_handlers(missing: list[_Missing]) -> Iterator[Diagnostic]:
    """One warning per infrastructure file naming the functions whose handler code was not found."""
    shown = 5
    by_file: dict[str | None, list[tuple[int | None, str]]] = defaultdict(list)
    for where, line, text in missing:
        by_file[where].append((line, text))
    for file, entries in by_file.items():
        names = [text for _, text in entries]
        listed = ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
        lines = [line for line, _ in entries if line is not None]
        count = "1 function" if len(names) == 1 else f"{len(names)} functions"
        yield code_diagnostic(
            f"handler code of {count} is not in the scanned tree, so it is not analysed: {listed}",
            file=file,
            line=min(lines) if lines else None,
            error=False,
        )


def _within(display: str, roots: Iterable[str]) -> bool:
    return any(
        root in ("", ".") or display == root or display.startswith((root + "/", root + "!")) for root in roots
    )
