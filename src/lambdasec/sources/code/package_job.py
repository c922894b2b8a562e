"""One code package's work, runnable in a worker process: parse, resolve handlers, find shapes, analyse."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

from lambdasec.findings import Diagnostic
from lambdasec.model import (
    CodeFile,
    CodeSecret,
    CodeUnit,
    Flow,
    HandlerMatch,
    Language,
    Origin,
    SourceKind,
    TriggerKind,
)
from lambdasec.records import record
from lambdasec.sources.code.analyzer import Analysis, LanguageAnalyzer, Package, ParsedFile
from lambdasec.sources.code.event_shapes import EventPolicy, Invocation, http_invoked
from lambdasec.sources.code.handlers import JS_SUFFIXES, PYTHON_SUFFIXES, language_of_file, parse_handler
from lambdasec.sources.code.tree import CodeTree, DirectoryTree, FileTree, code_diagnostic, open_tree

__all__ = [
    "Absent",
    "HandlerOutcome",
    "HandlerRequest",
    "JobResult",
    "PackageJob",
    "make_unit",
    "prepare_jobs",
    "rebind",
    "rebind_unit",
    "run_job",
]

# A file no function names is parsed for handler shapes only when its text looks like it may define one.
_SHAPE_HINT: Final = re.compile(
    r"def\s+\w+\s*\(\s*\w+\s*(?::[^,()]*)?,\s*_?\w*"  # def f(event, context) and def f(event: dict, ctx: X)
    r"|^\w*handler\s*=|exports\.|module\.exports|export\s+(?:const|async|function|default|\{)",
    re.MULTILINE,
)


# Read once: an enum member looked up on its class costs ten times a global's read (once per function here).
_CODE: Final = SourceKind.CODE


@record
class HandlerRequest:
    """A function whose Handler names code in the package, with what the unit needs to know of it.

    `declared` is the function's origin in the infrastructure, for a note when the handler is not found.
    `name` is how messages show the function; `identity` what the unit's key (and so the fingerprints
    of its findings) is built from, which does not change with how the function is shown.
    """

    function: str
    name: str
    identity: str
    handler: str
    languages: tuple[Language, ...]
    triggers: tuple[TriggerKind, ...]
    http: bool
    declared: Origin


@record
class PackageJob:
    """A package (directory or archive) with the handlers the infrastructure names in it.

    A function's package (`requests` given) has every code and configuration file searched for
    credentials. A directory of code no function names lists its discovered `files`: each is searched
    for credentials, and for handler shapes when its text hints at one.
    """

    key: str
    path: Path
    requests: tuple[HandlerRequest, ...] = ()
    files: tuple[str, ...] = ()


@record
class Absent:
    """A handler's symbol missing from the file its setting names: the path in the package, the file
    shown, and the names the file does offer (None when its language does not list them)."""

    symbol: str
    path: str
    file: str
    exports: tuple[str, ...] | None


@record
class HandlerOutcome:
    """What one handler setting gave in its package, for every function using it.

    `unit` is the unit made for the request sent (None when no file matched); `flows` are its flows, to
    rebind to each function; `absent` tells what the matched file lacks; `malformed` is True when the
    setting is not one the runtime can load; `missing` is True when no file matched and that is worth a
    note; `too_deep` when the analysis gave up on deeply nested code.
    """

    unit: CodeUnit | None = None
    flows: tuple[Flow, ...] = ()
    absent: Absent | None = None
    malformed: bool = False
    missing: bool = False
    too_deep: bool = False


@record
class JobResult:
    """What one package gave: shape units and their flows, the outcome of each handler request (in the
    order of the job's requests), files read, secrets, diagnostics."""

    units: tuple[CodeUnit, ...] = ()
    flows: tuple[Flow, ...] = ()
    outcomes: tuple[HandlerOutcome, ...] = ()
    files: tuple[CodeFile, ...] = ()
    secrets: tuple[CodeSecret, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(slots=True, kw_only=True)
class _Job:
    """The working state of one package."""

    tree: CodeTree
    key: str
    analyzers: dict[Language, LanguageAnalyzer]
    packages: dict[Language, Package] = field(default_factory=dict)
    files: dict[str, CodeFile] = field(default_factory=dict)
    units: list[tuple[CodeUnit, Package]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Texts of source files read so far, so that the parser and the credentials search read a file once
    # between them (the parsed file keeps its text anyway).
    texts: dict[str, str] = field(default_factory=dict)
    # Handler settings (with the languages tried) already resolved in this package.
    located: dict[tuple[str, tuple[Language, ...]], _Located | None] = field(default_factory=dict)

    def package(self, language: Language) -> Package:
        """The package of `language` files (one per language family), created once."""
        family = min(self.analyzers[language].languages)
        if family not in self.packages:
            suffixes = PYTHON_SUFFIXES if language is Language.PYTHON else JS_SUFFIXES
            self.packages[family] = Package(
                root=self.key,
                paths=frozenset(p for p in self.tree.files(suffixes) if language_of_file(p) is not None),
                loader=self._parse,
            )
        return self.packages[family]

    def _parse(self, path: str) -> ParsedFile | Diagnostic | None:
        language = language_of_file(path)
        if language is None:
            return None
        display = self.tree.display(path)
        text = self.read(path)
        if isinstance(text, str):
            self.texts[path] = text
        result = (
            text
            if isinstance(text, Diagnostic)
            else self.analyzers[language].parse(path=path, display=display, text=text)
        )
        self.files[display] = CodeFile(
            key=display,
            language=language,
            parsed=not isinstance(result, Diagnostic),
            origin=Origin(source=SourceKind.CODE, file=display, line=1, resource=display),
        )
        return result

    def read(self, path: str) -> str | Diagnostic:
        """The text of `path` in the package, unless a source file's text was kept."""
        text = self.texts.get(path)
        return self.tree.read(path) if text is None else text


def run_job(job: PackageJob) -> JobResult:
    """Do all the work of one package. Bad input becomes diagnostics; nothing raises for it.

    The cyclic garbage collector is paused meanwhile: a job builds syntax trees of many small objects
    that live until it ends, and each collection of young objects would walk them again (about 7% of
    the work on 5,000 small handlers). What the job leaves is freed by reference counting, or collected
    once it is resumed.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run_job(job)
    finally:
        if paused:
            gc.enable()


def _run_job(job: PackageJob) -> JobResult:
    tree = open_tree(job.path, display=job.key)
    if tree is None:
        return JobResult()
    state = _Job(tree=tree, key=job.key, analyzers=_analyzers())
    outcomes = [_resolve(state, request) for request in job.requests]
    secrets: list[CodeSecret] = []
    if job.requests:
        packed = _packed(state, job.requests)
        secrets.extend(_secrets(state, paths=packed, owner=job.requests[0].function))
    else:
        secrets.extend(_directory_files(state, job.files))
    analysed = iter(_analyze(state))
    if job.requests:  # the units are the requests' units, in order
        outcomes = [_with_flows(o, next(analysed)) if o.unit is not None else o for o in outcomes]
        flows: list[Flow] = []
    else:
        flows = _shape_flows(state, analysed)
    for package in state.packages.values():
        state.diagnostics.extend(package.diagnostics)
    state.diagnostics.extend(getattr(tree, "diagnostics", ()))
    return JobResult(
        units=() if job.requests else tuple(unit for unit, _ in state.units),
        flows=tuple(flows),
        outcomes=tuple(outcomes),
        files=tuple(state.files.values()),
        secrets=tuple(secrets),
        diagnostics=tuple(state.diagnostics),
    )


def _with_flows(outcome: HandlerOutcome, flows: tuple[Flow, ...] | None) -> HandlerOutcome:
    if flows is None:
        return replace(outcome, too_deep=True)
    return replace(outcome, flows=flows) if flows else outcome  # most handlers reach no sink


def _shape_flows(state: _Job, analysed: Iterable[tuple[Flow, ...] | None]) -> list[Flow]:
    """The flows of the units found by shape; an error for each whose code nests too deeply."""
    flows: list[Flow] = []
    for (unit, _), found in zip(state.units, analysed, strict=True):
        if found is None:
            state.diagnostics.append(too_deep(unit))
        else:
            flows.extend(found)
    return flows


def too_deep(unit: CodeUnit) -> Diagnostic:
    """The error for a unit whose code nests too deeply to analyse."""
    return code_diagnostic(
        f"`{unit.symbol}` nests too deeply to analyse", file=unit.file, line=unit.origin.line
    )


def prepare_jobs() -> None:
    """Import what jobs use (the analyzers, tree-sitter, the secrets scanner) now, so that worker
    processes forked after this inherit it instead of each importing it again."""
    from lambdasec.sources.code import secrets_scan  # noqa: F401

    _analyzers()


def _analyzers() -> dict[Language, LanguageAnalyzer]:
    # Imported here: tree-sitter and the analyzers' tables load only when a scan reads code.
    from lambdasec.sources.code.javascript import JavaScriptAnalyzer
    from lambdasec.sources.code.python import PythonAnalyzer

    javascript = JavaScriptAnalyzer()
    return {
        Language.PYTHON: PythonAnalyzer(),
        Language.JAVASCRIPT: javascript,
        Language.TYPESCRIPT: javascript,
    }


@record
class _Located:
    """Where a handler setting resolves in the package: the file, its language, the symbol, its line."""

    path: str
    language: Language
    symbol: str
    package: Package
    parsed: ParsedFile | None
    line: int | None


def _resolve(state: _Job, request: HandlerRequest) -> HandlerOutcome:
    """The unit of a function's handler, or what keeps it from having one."""
    languages = request.languages
    # Found only when the setting parses (a search skips a language it does not parse in), so the
    # setting is parsed again only when not found.
    located = _locate(state, handler=request.handler, languages=languages)
    if located is None:
        if len(languages) == 1 and parse_handler(request.handler, languages[0]) is None:
            return HandlerOutcome(malformed=True)  # with the runtime unknown, it may be Go's or Java's
        return HandlerOutcome(missing=len(languages) == 1 or isinstance(state.tree, DirectoryTree | FileTree))
    if located.parsed is None:
        # The file does not parse (a diagnostic says why): the unit exists, so rules say it was not
        # evaluated instead of counting it as clean.
        file = state.tree.display(located.path)
        unit = make_unit(request, file=file, language=located.language, symbol=located.symbol, line=None)
        state.units.append((unit, located.package))
        return HandlerOutcome(unit=unit)
    if located.line is None:
        parsed = located.parsed
        exports = state.analyzers[parsed.language].handler_exports(parsed)
        absent = Absent(symbol=located.symbol, path=located.path, file=parsed.display, exports=exports)
        return HandlerOutcome(absent=absent)
    unit = make_unit(
        request,
        file=located.parsed.display,
        language=located.parsed.language,
        symbol=located.symbol,
        line=located.line,
    )
    state.units.append((unit, located.package))
    return HandlerOutcome(unit=unit)


def _locate(state: _Job, *, handler: str, languages: tuple[Language, ...]) -> _Located | None:
    """The file and symbol a handler setting names, found once per package (functions share handlers)."""
    key = (handler, languages)
    if key not in state.located:
        state.located[key] = _search(state, handler=handler, languages=languages)
    return state.located[key]


def _search(state: _Job, *, handler: str, languages: tuple[Language, ...]) -> _Located | None:
    for candidate_language in languages:
        ref = parse_handler(handler, candidate_language)
        if ref is None:
            continue
        for path in ref.candidates:
            if not state.tree.exists(path):
                continue
            language = language_of_file(path) or candidate_language
            package = state.package(language)
            parsed = package.load(path)
            line = None if parsed is None else state.analyzers[language].handler_line(parsed, ref.symbol)
            return _Located(
                path=path, language=language, symbol=ref.symbol, package=package, parsed=parsed, line=line
            )
    return None


def make_unit(
    request: HandlerRequest, *, file: str, language: Language, symbol: str, line: int | None
) -> CodeUnit:
    """The unit of `request`'s function, whose handler is `symbol` in `file`, defined on `line`."""
    key = _unit_key(file, symbol, request.identity)
    return CodeUnit(
        key=key,
        file=file,
        symbol=symbol,
        language=language,
        function=request.function,
        match=HandlerMatch.INFRASTRUCTURE,
        triggers=request.triggers,
        http=request.http,
        origin=Origin(source=SourceKind.CODE, file=file, line=line, resource=key),
    )


def rebind_unit(unit: CodeUnit, *, function: str, identity: str) -> CodeUnit:
    """`unit`, made for another function with the same handler setting, as the unit of `function`
    (whose unit key is built from `identity`)."""
    file = unit.file
    key = _unit_key(file, unit.symbol, identity)
    return CodeUnit(
        key=key,
        file=file,
        symbol=unit.symbol,
        language=unit.language,
        function=function,
        match=unit.match,
        triggers=unit.triggers,
        http=unit.http,
        origin=Origin(source=_CODE, file=file, line=unit.origin.line, resource=key),
    )


def _unit_key(file: str, symbol: str, identity: str) -> str:
    return f"{file}:{symbol}@{identity}"


def _shapes(state: _Job, path: str) -> None:
    """Handlers recognized by their shape in a file no function names."""
    language = language_of_file(path)
    if language is None:
        return
    parsed = state.package(language).load(path)
    if parsed is None:
        return
    for shape in state.analyzers[language].handler_shapes(parsed):
        key = f"{parsed.display}:{shape.symbol}"
        unit = CodeUnit(
            key=key,
            file=parsed.display,
            symbol=shape.symbol,
            language=parsed.language,
            match=HandlerMatch.SHAPE,
            origin=Origin(source=SourceKind.CODE, file=parsed.display, line=shape.line, resource=key),
        )
        state.units.append((unit, state.package(language)))


def _analyze(state: _Job) -> list[tuple[Flow, ...] | None]:
    """Each unit's flows (None when its code nests too deeply to analyse), in the order of the units.

    The analysis reads a unit's code and how it is invoked (`Invocation`), so units sharing a handler
    and an event policy are analysed once: the flows are the same, rebound to each unit. A unit invoked
    otherwise reuses an analysis of its handler too when its invocation gives every answer that analysis
    asked for (a handler that never reads its event is analysed once for all its kinds of trigger).
    The diagnostics, about the same code, are kept once per handler and kinds of trigger.
    """
    found: list[tuple[Flow, ...] | None] = []
    done: dict[tuple[str, str, EventPolicy], tuple[CodeUnit, Analysis] | None] = {}
    asked: dict[tuple[str, str], list[tuple[Invocation, tuple[CodeUnit, Analysis]]]] = {}
    reported: set[tuple[str, str, tuple[TriggerKind, ...], bool]] = set()
    policies: dict[tuple[tuple[TriggerKind, ...], bool], EventPolicy] = {}
    for unit, package in state.units:
        parsed = package.load(_relative(unit.file, package.root))
        if parsed is None:
            found.append(())
            continue
        kinds = (unit.triggers, unit.http)
        if kinds not in policies:
            policies[kinds] = EventPolicy.for_unit(unit)
        policy = policies[kinds]
        shared = (unit.file, unit.symbol, policy)
        if shared not in done:
            invocation = Invocation(policy=policy, http_invoked=http_invoked(unit))
            earlier = asked.setdefault((unit.file, unit.symbol), [])
            analysed = next((result for before, result in earlier if before.agrees(invocation)), None)
            if analysed is None:
                analysed = _analysis(state, unit, parsed=parsed, package=package, invocation=invocation)
                if analysed is not None:
                    earlier.append((invocation, analysed))
            done[shared] = analysed
        analysed = done[shared]
        if analysed is None:
            found.append(None)
            continue
        first, analysis = analysed
        found.append(analysis.flows if first is unit else tuple(rebind(f, unit=unit) for f in analysis.flows))
        signature = (unit.file, unit.symbol, unit.triggers, unit.http)
        if signature not in reported:
            reported.add(signature)
            state.diagnostics.extend(analysis.diagnostics)
    return found


def _analysis(
    state: _Job, unit: CodeUnit, *, parsed: ParsedFile, package: Package, invocation: Invocation
) -> tuple[CodeUnit, Analysis] | None:
    """`unit`'s analysis as invoked by `invocation`, with the unit it was made for; None when its code
    nests too deeply."""
    try:
        analysis = state.analyzers[unit.language].analyze(
            unit, parsed=parsed, package=package, invocation=invocation
        )
    except RecursionError:
        return None
    return unit, analysis


def rebind(flow: Flow, *, unit: CodeUnit) -> Flow:
    """`flow`, found for another unit of the same handler code, as the flow of `unit`."""
    key = unit.key + flow.key[len(flow.unit) :]
    return replace(
        flow, key=key, unit=unit.key, function=unit.function, origin=replace(flow.origin, resource=key)
    )


def _relative(display: str, root: str) -> str:
    """`display` relative to a package root shown as `root` (a directory, or an archive joined with `!`);
    a package of one file is shown as that file, which the package holds under its own name."""
    if display == root:
        return display.rpartition("/")[2]
    return display if root in ("", ".") else display[len(root) + 1 :]


def _packed(state: _Job, requests: tuple[HandlerRequest, ...]) -> tuple[str, ...]:
    """The package's files as its deployment tool packs them: the Serverless Framework leaves its own
    configuration file (`serverless.yml`, `serverless.ts`, ...) out of the package."""
    configurations = {
        r.declared.file for r in requests if r.declared.source is SourceKind.SERVERLESS and r.declared.file
    }
    files = state.tree.files(("",))
    if not configurations:
        return files
    return tuple(path for path in files if state.tree.display(path) not in configurations)


def _secrets(state: _Job, *, paths: Iterable[str], owner: str | None) -> Iterator[CodeSecret]:
    """Credentials in the code and configuration files among `paths`, owned by the package's function."""
    from lambdasec.sources.code.secrets_scan import is_scanned, scan_secrets

    for path in paths:
        if not is_scanned(path):
            continue
        text = state.read(path)
        if isinstance(text, str):
            for secret in scan_secrets(text, file=state.tree.display(path)):
                yield replace(secret, function=owner) if owner else secret


def _directory_files(state: _Job, paths: Iterable[str]) -> Iterator[CodeSecret]:
    """Each file no function names: its credentials, and its handler shapes when its text hints at one."""
    from lambdasec.sources.code.secrets_scan import is_scanned, scan_secrets

    for path in paths:
        text = state.read(path)
        language = language_of_file(path)
        if isinstance(text, Diagnostic):
            if language is not None:
                state.diagnostics.append(text)
            continue
        if is_scanned(path):
            yield from scan_secrets(text, file=state.tree.display(path))
        if language is None:
            continue
        state.texts[path] = text  # parsed below, or when a file of the directory imports it
        if _SHAPE_HINT.search(text):
            _shapes(state, path)
