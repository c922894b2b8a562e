"""Fixture expectations: inline `lambdasec-expect:` annotations and `expected.toml` sidecars."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lambdasec.findings import Finding

__all__ = [
    "Annotation",
    "SidecarEntry",
    "annotated_rules",
    "compare_annotations",
    "compare_sidecar",
    "load_sidecar",
    "parse_annotations",
]

KINDS = ("expect", "ok", "todo-expect", "todo-ok")
_ANNOTATION = re.compile(
    r"^\s*(?:#|//)\s*lambdasec-(?P<kind>todo-expect|todo-ok|expect|ok):\s*"
    r"(?P<rules>LS\d{3}(?:\s*,\s*LS\d{3})*)"
    r"(?P<attrs>(?:\s+[a-z_]+=[^\s]+)*)"
    r"\s*(?:--\s*(?P<note>.*?))?\s*$"
)
_LOOSE = re.compile(r"lambdasec-(?:todo-)?(?:expect|ok)\b")


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """One rule of one annotation comment, resolved to the line it applies to."""

    kind: str
    rule: str
    line: int
    comment_line: int
    attrs: tuple[tuple[str, str], ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SidecarEntry:
    """One `[[expect]]` / `[[ok]]` / `[[todo-expect]]` / `[[todo-ok]]` entry of an expected.toml."""

    kind: str
    rule: str
    resource: str
    field: str | None = None
    file: str | None = None
    note: str = ""
    attrs: tuple[tuple[str, str], ...] = ()


_SIDECAR_KEYS = frozenset({"rule", "resource", "field", "file", "note"})


def parse_annotations(text: str) -> list[Annotation]:
    """Annotations of a file; each applies to the next line that is not itself an annotation.

    A malformed annotation (`lambdasec-expect LS201`, missing id, annotation at the end of the file)
    raises ValueError so a typo can never silently disable an expectation.
    """
    lines = text.splitlines()
    pending: list[tuple[int, re.Match[str]]] = []
    found: list[Annotation] = []
    for number, line in enumerate(lines, start=1):
        match = _ANNOTATION.match(line)
        if match is not None:
            pending.append((number, match))
            continue
        if _LOOSE.search(line):
            raise ValueError(f"line {number}: malformed or trailing annotation: {line.strip()}")
        for comment_line, annotation in pending:
            found.extend(_expand(annotation, comment_line=comment_line, line=number))
        pending = []
    if pending:
        raise ValueError(f"line {pending[0][0]}: annotation with no line after it")
    return found


def _expand(match: re.Match[str], *, comment_line: int, line: int) -> Iterable[Annotation]:
    attrs = tuple(tuple(pair.split("=", 1)) for pair in match["attrs"].split())
    for rule in re.findall(r"LS\d{3}", match["rules"]):
        yield Annotation(
            kind=match["kind"],
            rule=rule,
            line=line,
            comment_line=comment_line,
            attrs=attrs,  # type: ignore[arg-type]
            note=(match["note"] or "").strip(),
        )


def annotated_rules(annotations: Iterable[Annotation | SidecarEntry]) -> set[str]:
    """Rules named by any annotation or sidecar entry."""
    return {a.rule for a in annotations}


def _describe(finding: Finding) -> str:
    return f"{finding.rule} line {finding.location.line}: {finding.message}"


def compare_annotations(
    findings: Sequence[Finding], annotations: Sequence[Annotation], *, rules: Iterable[str], file: str
) -> list[str]:
    """Every mismatch between a file's findings and its annotations, for the rules under test.

    Exact set comparison of (rule, line): a finding on an unannotated line is a failure too.
    """
    under_test = set(rules)
    by_key: dict[tuple[str, int | None], list[Finding]] = {}
    for finding in findings:
        if finding.rule in under_test:
            by_key.setdefault((finding.rule, finding.location.line), []).append(finding)
    problems: list[str] = []
    claimed: set[tuple[str, int | None]] = set()
    for note in annotations:
        if note.rule not in under_test:
            continue
        key = (note.rule, note.line)
        fired = by_key.get(key, [])
        where = f"{file}:{note.line} (annotation on line {note.comment_line})"
        claimed.add(key)  # reported below by kind, not again as unexpected
        match note.kind:
            case "expect":
                if not fired:
                    problems.append(f"{where}: expected {note.rule}, got nothing")
                problems.extend(_attribute_problems(note, fired, where=where))
            case "ok":
                problems.extend(f"{where}: marked ok for {note.rule}, but got {_describe(f)}" for f in fired)
            case "todo-expect":
                problems.extend(
                    f"{where}: known false negative fires now ({_describe(f)}); make it lambdasec-expect"
                    for f in fired
                )
            case "todo-ok":
                if not fired:
                    problems.append(
                        f"{where}: known false positive of {note.rule} stopped; make it lambdasec-ok"
                    )
    for key, fired in sorted(by_key.items(), key=lambda item: (item[0][1] or 0, item[0][0])):
        if key not in claimed:
            problems.extend(f"{file}:{key[1]}: unexpected {_describe(f)}" for f in fired)
    return problems


def _attribute_problems(note: Annotation, fired: Sequence[Finding], *, where: str) -> list[str]:
    problems: list[str] = []
    for name, wanted in note.attrs:
        for finding in fired:
            actual = _attribute(finding, name)
            if actual != wanted:
                problems.append(f"{where}: {note.rule} {name} is {actual!r}, annotation says {wanted!r}")
    return problems


def _attribute(finding: Finding, name: str) -> str:
    match name:
        case "suppressed":
            return finding.suppressed.kind if finding.suppressed else "no"
        case "severity" | "confidence":
            return str(getattr(finding, name))
        case _:
            return str(dict(finding.properties).get(name, getattr(finding, name, None)))


def load_sidecar(path: Path) -> list[SidecarEntry]:
    """Entries of an expected.toml (arrays of tables named after the annotation kinds)."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(document) - set(KINDS)
    if unknown:
        raise ValueError(f"{path}: unknown tables {sorted(unknown)}; use {', '.join(KINDS)}")
    return [
        SidecarEntry(
            kind=kind,
            rule=item["rule"],
            resource=item["resource"],
            field=item.get("field"),
            file=item.get("file"),
            note=item.get("note", ""),
            attrs=tuple((k, str(v)) for k, v in item.items() if k not in _SIDECAR_KEYS),
        )
        for kind in KINDS
        for item in document.get(kind, [])
    ]


def compare_sidecar(
    findings: Sequence[Finding], entries: Sequence[SidecarEntry], *, rules: Iterable[str], file: str
) -> list[str]:
    """Every mismatch between a JSON file's findings and its sidecar, matched on (rule, resource, field)."""
    under_test = set(rules)
    relevant = [f for f in findings if f.rule in under_test]
    problems: list[str] = []
    claimed: set[int] = set()
    for entry in entries:
        if entry.rule not in under_test or (entry.file is not None and entry.file != file):
            continue
        fired = [i for i, f in enumerate(relevant) if _matches(entry, relevant[i])]
        where = f"{file}: {entry.kind} {entry.rule} on `{entry.resource}`" + (
            f" field `{entry.field}`" if entry.field else ""
        )
        match entry.kind:
            case "expect":
                claimed.update(fired)
                if not fired:
                    problems.append(f"{where}: got nothing")
                problems.extend(
                    f"{where}: {name} is {_attribute(relevant[i], name)!r}, expected.toml says {wanted!r}"
                    for i in fired
                    for name, wanted in entry.attrs
                    if _attribute(relevant[i], name) != wanted
                )
            case "ok":
                problems.extend(f"{where}: but got {_describe(relevant[i])}" for i in fired)
            case "todo-expect":
                problems.extend(f"{where}: now fires ({_describe(relevant[i])}); promote it" for i in fired)
            case "todo-ok":
                claimed.update(fired)
                if not fired:
                    problems.append(f"{where}: no longer fires; promote it to ok")
    problems.extend(
        f"{file}: unexpected {_describe(f)} on `{f.resource.id}` field `{f.field}`"
        for i, f in enumerate(relevant)
        if i not in claimed
    )
    return problems


def _matches(entry: SidecarEntry, finding: Finding) -> bool:
    return (
        finding.rule == entry.rule
        and finding.resource.id == entry.resource
        and (entry.field is None or finding.field == entry.field)
    )
