"""Joins handler code to the infrastructure's functions, runs each language's analysis, scans for secrets."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from lambdasec.findings import Diagnostic
from lambdasec.model import (
    CodeFile,
    CodeSecret,
    CodeUnit,
    Flow,
    HandlerMatch,
    Inventory,
    LambdaFunction,
    Language,
    Origin,
    PackageType,
    SourceKind,
    TriggerKind,
)
from lambdasec.sources.code.analyzer import LanguageAnalyzer, Package, ParsedFile
from lambdasec.sources.code.handlers import (
    JS_SUFFIXES,
    PYTHON_SUFFIXES,
    language_of_file,
    language_of_runtime,
    parse_handler,
)
from lambdasec.sources.code.tree import MAX_FILE_BYTES, CodeTree, DirectoryTree, code_diagnostic, open_tree
from lambdasec.sources.interface import InputFile, SourceOutput

__all__ = ["analyze_code"]

# A file is parsed for handler shapes only when its text looks like it may define one.
_SHAPE_HINT: Final = re.compile(
    r"def\s+\w+\s*\(\s*\w+\s*(?::[^,()]*)?,\s*_?\w*"  # def f(event, context) and def f(event: dict, ctx: X)
    r"|^\w*handler\s*=|exports\.|module\.exports|export\s+(?:const|async|function|default|\{)",
    re.MULTILINE,
)


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


@dataclass(slots=True, kw_only=True)
class _Run:
    """The state of one code analysis: packages by root, what was found, what went wrong."""

    root: Path
    analyzers: dict[Language, LanguageAnalyzer]
    packages: dict[str, tuple[CodeTree, dict[Language, Package]]] = field(default_factory=dict)
    files: dict[str, CodeFile] = field(default_factory=dict)
    units: list[tuple[CodeUnit, Package]] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)
    # Per infrastructure file, the functions whose handler code is not in the scanned tree.
    missing: dict[str | None, list[tuple[int | None, str]]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def package(self, tree: CodeTree, *, key: str, language: Language) -> Package:
        """The package of `language` files of `tree` (one per tree and language family), created once."""
        _, by_language = self.packages.setdefault(key, (tree, {}))
        analyzer = self.analyzers[language]
        family = min(analyzer.languages)
        if family not in by_language:
            suffixes = PYTHON_SUFFIXES if language is Language.PYTHON else JS_SUFFIXES
            by_language[family] = Package(
                root=key,
                paths=frozenset(p for p in tree.files(suffixes) if language_of_file(p) in self.analyzers),
                loader=lambda path: self._parse(tree, path),
            )
        return by_language[family]

    def _parse(self, tree: CodeTree, path: str) -> ParsedFile | Diagnostic | None:
        language = language_of_file(path)
        if language is None or language not in self.analyzers:
            return None
        display = tree.display(path)
        text = tree.read(path)
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


def analyze_code(inventory: Inventory, files: Iterable[InputFile], *, root: Path) -> SourceOutput:
    """Handler units of the inventory's functions and of code found by shape, their flows, and secrets."""
    run = _Run(root=root, analyzers=_analyzers())
    claimed: set[str] = set()
    for fn in inventory.functions:
        claimed.update(_function_units(run, fn, inventory=inventory))
    code_files = list(files)
    _shape_units(run, [f for f in code_files if not _within(f.display, claimed)])
    flows = _analyze(run)
    secrets = _secrets(run, code_files)
    for _, packages in run.packages.values():
        for package in packages.values():
            run.diagnostics.extend(package.diagnostics)
    for tree, _ in run.packages.values():
        run.diagnostics.extend(getattr(tree, "diagnostics", ()))
    run.diagnostics.extend(_missing_handlers(run.missing))
    return SourceOutput(
        inventory=Inventory(
            code_files=tuple(sorted(run.files.values(), key=lambda f: f.key)),
            code_units=tuple(unit for unit, _ in run.units),
            flows=flows,
            code_secrets=secrets,
        ),
        diagnostics=tuple(run.diagnostics),
    )


def _function_units(run: _Run, fn: LambdaFunction, *, inventory: Inventory) -> set[str]:
    """The unit of `fn` when its package is local and its handler resolves; returns the root claimed."""
    if fn.package_type is not PackageType.ZIP or fn.code.inline:
        return set()
    local, handler, runtime = fn.code.local_path, fn.handler, fn.runtime
    if not isinstance(local, str) or not isinstance(handler, str):
        return set()
    where = fn.origin.file
    tree = open_tree(run.root / local, display=local)
    if tree is None:
        run.missing.setdefault(where, []).append(
            (fn.origin.line_of("code"), f"`{fn.display_name}` ({local})")
        )
        return set()
    language = language_of_runtime(runtime) if isinstance(runtime, str) else None
    languages = [language] if language is not None else [Language.PYTHON, Language.JAVASCRIPT]
    languages = [candidate for candidate in languages if candidate in run.analyzers]
    if not languages:
        return set()
    for candidate_language in languages:
        ref = parse_handler(handler, candidate_language)
        if ref is None:
            continue
        for path in ref.candidates:
            if not tree.exists(path):
                continue
            file_language = language_of_file(path) or candidate_language
            if file_language not in run.analyzers:
                continue
            package = run.package(tree, key=local, language=file_language)
            parsed = package.load(path)
            if parsed is None:
                # The file does not parse (a diagnostic says why): the unit exists, so rules say it was
                # not evaluated instead of counting it as clean.
                unit = _unit(
                    fn, file=tree.display(path), language=file_language, symbol=ref.symbol, line=None
                )
                run.units.append((_bind(unit, fn, inventory=inventory), package))
                return {local}
            analyzer = run.analyzers[file_language]
            line = analyzer.handler_line(parsed, ref.symbol)
            if line is None:
                run.diagnostics.append(
                    code_diagnostic(
                        f"handler `{handler}` of `{fn.display_name}`: no `{ref.symbol}` in {path}",
                        file=parsed.display,
                        error=False,
                    )
                )
                return {local}
            unit = _unit(fn, file=parsed.display, language=parsed.language, symbol=ref.symbol, line=line)
            run.units.append((_bind(unit, fn, inventory=inventory), package))
            run.owners.setdefault(local, fn.key)
            return {local}
    if language is not None or isinstance(tree, DirectoryTree):
        run.missing.setdefault(where, []).append(
            (fn.origin.line_of("handler"), f"`{fn.display_name}` ({handler} in {local})")
        )
    return {local}


def _missing_handlers(missing: dict[str | None, list[tuple[int | None, str]]]) -> Iterable[Diagnostic]:
    """One warning per infrastructure file naming the functions whose handler code was not found."""
    shown = 5
    for file, entries in missing.items():
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


def _unit(fn: LambdaFunction, *, file: str, language: Language, symbol: str, line: int | None) -> CodeUnit:
    key = f"{file}:{symbol}@{fn.display_name}"
    return CodeUnit(
        key=key,
        file=file,
        symbol=symbol,
        language=language,
        function=fn.key,
        match=HandlerMatch.INFRASTRUCTURE,
        origin=Origin(source=SourceKind.CODE, file=file, line=line, resource=key),
    )


def _bind(unit: CodeUnit, fn: LambdaFunction, *, inventory: Inventory) -> CodeUnit:
    """`unit` with the triggers of `fn`, and whether an API route or a function URL invokes it."""
    triggers = {m.kind for m in inventory.event_sources_of(fn) if isinstance(m.kind, TriggerKind)}
    triggers.update(t.kind for t in inventory.push_triggers_of(fn))
    http = bool(inventory.routes_to(fn) or inventory.url_of(fn))
    return dataclasses.replace(unit, triggers=tuple(sorted(triggers)), http=http)


def _shape_units(run: _Run, files: list[InputFile]) -> None:
    """Handlers recognized by shape in code that no function of the infrastructure names."""
    for item in files:
        language = language_of_file(item.display)
        if language is None or language not in run.analyzers:
            continue
        try:
            with item.path.open("rb") as stream:
                head = stream.read(256 * 1024)
        except OSError as exc:
            run.diagnostics.append(
                code_diagnostic(f"cannot read file: {exc.strerror or exc}", file=item.display)
            )
            continue
        if not _SHAPE_HINT.search(head.decode("utf-8", "replace")):
            continue
        directory = item.path.parent
        display_dir = item.display.rpartition("/")[0]
        tree = DirectoryTree(root=directory, display_root=display_dir)
        key = display_dir or "."
        known = run.packages.get(key)
        package = run.package(known[0] if known else tree, key=key, language=language)
        parsed = package.load(item.path.name)
        if parsed is None:
            continue
        for shape in run.analyzers[language].handler_shapes(parsed):
            unit_key = f"{parsed.display}:{shape.symbol}"
            run.units.append(
                (
                    CodeUnit(
                        key=unit_key,
                        file=parsed.display,
                        symbol=shape.symbol,
                        language=parsed.language,
                        match=HandlerMatch.SHAPE,
                        origin=Origin(
                            source=SourceKind.CODE, file=parsed.display, line=shape.line, resource=unit_key
                        ),
                    ),
                    package,
                )
            )


def _analyze(run: _Run) -> tuple[Flow, ...]:
    flows: list[Flow] = []
    for unit, package in run.units:
        analyzer = run.analyzers[unit.language]
        parsed = package.load(_relative(unit.file, package.root))
        if parsed is None:
            continue
        try:
            analysis = analyzer.analyze(unit, parsed=parsed, package=package)
        except RecursionError:
            run.diagnostics.append(
                code_diagnostic(
                    f"`{unit.symbol}` nests too deeply to analyse", file=unit.file, line=unit.origin.line
                )
            )
            continue
        flows.extend(analysis.flows)
        run.diagnostics.extend(analysis.diagnostics)
    return tuple(flows)


def _relative(display: str, root: str) -> str:
    """`display` relative to a package root shown as `root` (a directory, or an archive joined with `!`)."""
    return display if root in ("", ".") else display[len(root) + 1 :]


def _within(display: str, roots: Iterable[str]) -> bool:
    return any(
        root in ("", ".") or display == root or display.startswith((root + "/", root + "!")) for root in roots
    )


def _secrets(run: _Run, files: list[InputFile]) -> tuple[CodeSecret, ...]:
    """Credentials in every code file found, and in the code and configuration files of each package."""
    from lambdasec.sources.code.secrets_scan import is_scanned, scan_secrets

    texts: dict[str, str] = {}
    for item in files:
        try:
            if item.path.stat().st_size > MAX_FILE_BYTES:
                continue
            texts[item.display] = item.path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
    for tree, _ in run.packages.values():
        for path in tree.files(("",)):
            display = tree.display(path)
            if display in texts or not is_scanned(path):
                continue
            text = tree.read(path)
            if isinstance(text, str):
                texts[display] = text
    found: list[CodeSecret] = []
    for display in sorted(texts):
        owner = _owner(display, run.owners)
        found.extend(
            dataclasses.replace(secret, function=owner) if owner else secret
            for secret in scan_secrets(texts[display], file=display)
        )
    return tuple(found)


def _owner(display: str, owners: dict[str, str]) -> str | None:
    """The function whose package (the longest root) holds the file at `display`."""
    best: tuple[int, str] | None = None
    for root, function in owners.items():
        if _within(display, (root,)) and (best is None or len(root) > best[0]):
            best = (len(root), function)
    return best[1] if best else None
