"""Joins handler code to the infrastructure's functions, runs each package's analysis, scans for secrets."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import chain
from pathlib import Path
from typing import Final

from lambdasec.collector import collector_paused
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
from lambdasec.records import record
from lambdasec.sources.code.function_units import (
    FunctionPackage,
    HandlerSetting,
    function_package,
    function_results,
)
from lambdasec.sources.code.handlers import language_of_runtime
from lambdasec.sources.code.package_job import (
    JobResult,
    PackageJob,
    prepare_jobs,
    run_job,
)
from lambdasec.sources.code.tree import SOURCE_FILE_SUFFIXES, code_diagnostic
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.pool import ordered_map
from lambdasec.workers import worker_count

__all__ = ["analyze_code"]

# Below this many packages, or this many bytes of code in them, the work runs in this process: starting
# workers and sending their results back would cost more than it saves (a generated project of 10,000
# functions in 100 packages of two small files each runs a third faster here).
_PARALLEL_FROM: Final = 32
_PARALLEL_BYTES: Final = 256 * 1024
_CHUNK: Final = 16
_SEPARATOR: Final = re.compile("[/!]")
# The languages a function's code may be in when its runtime is not known.
_ANY_LANGUAGE: Final = (Language.PYTHON, Language.JAVASCRIPT)


def analyze_code(inventory: Inventory, files: Iterable[InputFile], *, root: Path) -> SourceOutput:
    """Handler units of the inventory's functions and of code found by shape, their flows, and secrets.

    Each package (a function's code directory or archive, or the directory of a file with handler shapes)
    is one job; many jobs run in worker processes, one per CPU, and their results merge in a fixed order.
    The collector is paused while the functions' packages and units are made (jobs pause it themselves):
    they live until the scan ends, and it would only scan them again and again.
    """
    diagnostics: list[Diagnostic] = []
    code_files = list(files)
    with collector_paused():
        packages, missing = _function_packages(inventory, root=root)
    jobs = [package.job for package in packages]
    claimed = {job.key for job in jobs}
    jobs.extend(_directory_jobs([f for f in code_files if not _within(f.display, claimed)]))
    results: list[JobResult] = []
    units: list[CodeUnit] = []
    flows: list[Flow] = []
    # Each result is taken in as it arrives, so making the functions' units overlaps the workers' jobs.
    for index, result in enumerate(_run(jobs, files=code_files)):
        results.append(result)
        if index < len(packages):
            with collector_paused():
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


def _run(jobs: Sequence[PackageJob], *, files: Sequence[InputFile]) -> Iterator[JobResult]:
    """Results in job order: in worker processes when there are many jobs with much code (`files` are the
    code files found in the tree) and the platform can fork."""
    workers = worker_count() if len(jobs) >= _PARALLEL_FROM and _much_code(jobs, files) else 0
    if workers:
        prepare_jobs()
    # Small chunks keep the workers evenly busy to the end; results are small, so sending more is cheap.
    yield from ordered_map(run_job, jobs, workers=workers, max_chunk=_CHUNK)


def _much_code(jobs: Sequence[PackageJob], files: Sequence[InputFile]) -> bool:
    """True when the code files and the archives among the packages (whose files discovery does not
    list) hold `_PARALLEL_BYTES` or more."""
    archives = (job.path for job in jobs if job.path.suffix.lower() in (".zip", ".jar"))
    total = 0
    for path in chain(archives, (item.path for item in files)):
        try:
            total += path.stat().st_size
        except OSError:
            continue  # the job reports why it cannot read it
        if total >= _PARALLEL_BYTES:
            return True
    return False


def _function_packages(inventory: Inventory, *, root: Path) -> tuple[list[FunctionPackage], list[_Missing]]:
    """One job per local package the infrastructure's functions use, with each function's handler."""
    found: dict[str, list[tuple[LambdaFunction, HandlerSetting]]] = defaultdict(list)
    missing: list[_Missing] = []
    # Many functions share a package and a runtime: each path is checked and each runtime read once.
    is_package: dict[str, bool] = {}
    languages_of: dict[str, tuple[Language, ...] | None] = {}
    invoked = _Invocations.of(inventory)
    triggers_of, http = invoked.triggers.get, invoked.http
    zip_package = PackageType.ZIP  # read once: an enum member looked up on its class costs ten times more
    for fn in inventory.functions:
        if fn.package_type is not zip_package or fn.code.inline:
            continue
        local, handler, runtime = fn.code.local_path, fn.handler, fn.runtime
        if isinstance(local, Unresolved):
            note = f"`{fn.display_name}` (`{local.reason}`)"
            missing.append((fn.origin.file, fn.origin.line_of("code"), note))
            continue
        if local is None or not isinstance(handler, str):
            continue
        if local not in is_package:
            is_package[local] = _is_package(root / local)
        if not is_package[local]:
            missing.append((fn.origin.file, fn.origin.line_of("code"), f"`{fn.display_name}` ({local})"))
            continue
        if not isinstance(runtime, str):
            languages: tuple[Language, ...] | None = _ANY_LANGUAGE
        elif runtime in languages_of:
            languages = languages_of[runtime]
        else:
            language = language_of_runtime(runtime)
            languages = languages_of[runtime] = (language,) if language else None
        if languages is None:
            continue  # a runtime whose code is not analysed (Java, .NET, Go, Ruby, custom)
        key = fn.key
        setting = HandlerSetting(handler, languages, triggers_of(key, ()), key in http)
        found[local].append((fn, setting))
    packages = [
        function_package(local, path=root / local, functions=functions)
        for local, functions in sorted(found.items())
    ]
    return packages, missing


def _is_package(path: Path) -> bool:
    """True for a directory, a `.zip`/`.jar` archive or a single source file: code the analysis can open."""
    if path.is_dir():
        return True
    suffix = path.suffix.lower()
    return path.is_file() and (suffix in (".zip", ".jar") or suffix in SOURCE_FILE_SUFFIXES)


@record
class _Invocations:
    """What invokes each function (by inventory key): its kinds of trigger, sorted, and whether HTTP does."""

    triggers: Mapping[str, tuple[TriggerKind, ...]]
    http: frozenset[str]

    @classmethod
    def of(cls, inventory: Inventory) -> _Invocations:
        """One pass over the inventory's triggers, routes and URLs instead of a look-up per function."""
        kinds: dict[str, set[TriggerKind]] = defaultdict(set)
        function = inventory.function
        for mapping in inventory.event_source_mappings:
            fn = function(mapping.function)
            if fn is not None and isinstance(mapping.kind, TriggerKind):
                kinds[fn.key].add(mapping.kind)
        for trigger in inventory.push_triggers:
            fn = function(trigger.function)
            if fn is not None:
                kinds[fn.key].add(trigger.kind)
        http: set[str] = set()
        refs = [route.function for route in inventory.api_routes]
        refs.extend(url.function for url in inventory.function_urls)
        for ref in refs:
            fn = function(ref)
            if fn is not None:
                http.add(fn.key)
        return cls(triggers={key: tuple(sorted(found)) for key, found in kinds.items()}, http=frozenset(http))


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


def _within(display: str, roots: AbstractSet[str]) -> bool:
    """True when `display` is one of `roots` or inside one (a directory, or an archive joined with `!`).

    Looks up each of the path's own prefixes, so the cost does not grow with the number of roots.
    """
    if display in roots or not roots.isdisjoint(("", ".")):
        return True
    return any(display[: match.start()] in roots for match in _SEPARATOR.finditer(display))
