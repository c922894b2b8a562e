"""Suppressions: inline `lambdasec: ignore[...]` comments, CloudFormation metadata and config ignores."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from functools import cached_property
from pathlib import Path

from lambdasec.config import IgnoreEntry
from lambdasec.findings import Diagnostic, DiagnosticLevel, Finding, Suppression
from lambdasec.model import Inventory
from lambdasec.records import record

__all__ = ["InlineIgnore", "apply_suppressions", "parse_inline_ignores"]

SOURCE = "suppressions"
# `# lambdasec: ignore[LS201,LS301] -- reason` (or `//`); the reason may also follow `:` or nothing.
_INLINE = re.compile(
    r"(?:#|//)\s*lambdasec:\s*ignore\[(?P<rules>[^\]]*)\]\s*(?:(?:--|—|:)\s*)?(?P<reason>.*?)\s*(?:\*/)?$",
    re.IGNORECASE,
)
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*)")


@record
class InlineIgnore:
    """One inline suppression comment: its line, the rules it names and its reason."""

    line: int
    rules: frozenset[str]
    reason: str


def parse_inline_ignores(text: str) -> dict[int, InlineIgnore]:
    """Inline suppression comments of a file by 1-based line."""
    found: dict[int, InlineIgnore] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "lambdasec" not in line:
            continue
        match = _INLINE.search(line)
        if match is None:
            continue
        rules = frozenset(part.strip().upper() for part in match["rules"].split(",") if part.strip())
        found[number] = InlineIgnore(
            line=number,
            rules=rules,
            reason=match["reason"].strip(),
        )
    return found


@dataclass
class _Files:
    """Source files read under the scan root, each parsed once."""

    root: Path
    cache: dict[str, tuple[dict[int, InlineIgnore], tuple[str, ...]]] = dataclasses.field(
        default_factory=dict
    )

    def get(self, file: str) -> tuple[dict[int, InlineIgnore], tuple[str, ...]]:
        """The inline suppressions of `file` by line, and its lines (none when it has no suppression)."""
        if file not in self.cache:
            try:
                text = (self.root / file).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            # Most files hold no suppression: they are not split into lines at all.
            found = parse_inline_ignores(text) if "lambdasec" in text else {}
            self.cache[file] = (found, tuple(text.splitlines()) if found else ())
        return self.cache[file]

    def commented(self, file: str | None) -> bool:
        """True when `file` holds an inline suppression."""
        return file is not None and bool(self.get(file)[0])


@dataclass
class _Suppressor:
    inventory: Inventory
    ignores: Sequence[IgnoreEntry]
    files: _Files
    today: date
    warnings: dict[tuple[str | None, int | None, str], Diagnostic] = dataclasses.field(default_factory=dict)

    @cached_property
    def resource_lines(self) -> Mapping[tuple[str | None, str], int]:
        """First line of every modelled resource, by (file, resource id)."""
        lines: dict[tuple[str | None, str], int] = {}
        for field in dataclasses.fields(Inventory):
            for item in getattr(self.inventory, field.name):
                origin = getattr(item, "origin", None)
                if origin is not None and origin.line is not None:
                    lines.setdefault((origin.file, origin.resource), origin.line)
        return lines

    def suppress(self, finding: Finding) -> Finding:
        # Inline comments first, then CloudFormation metadata, then the configuration; the last two are
        # skipped when nothing declares them (the usual case, asked once per finding).
        suppression = self._inline(finding)
        if suppression is None and self.inventory.declared_ignores:
            suppression = self._metadata(finding)
        if suppression is None and self.ignores:
            suppression = self._config(finding)
        return finding if suppression is None else dataclasses.replace(finding, suppressed=suppression)

    def _warn(self, message: str, *, file: str | None, line: int | None) -> None:
        self.warnings.setdefault(
            (file, line, message),
            Diagnostic(level=DiagnosticLevel.WARNING, source=SOURCE, message=message, file=file, line=line),
        )

    # -- inline comments -------------------------------------------------------------------------

    def _inline(self, finding: Finding) -> Suppression | None:
        file, line = finding.location.file, finding.location.line
        if file is None:
            return None
        comments, lines = self.files.get(file)
        if not comments:
            return None
        candidates = list(_candidates(comments, lines, line))
        resource_line = self.resource_lines.get((file, finding.resource.id))
        if resource_line is not None and resource_line != line:
            candidates.extend(_candidates(comments, lines, resource_line))
        for comment in candidates:
            if finding.rule not in comment.rules:
                continue
            if not comment.reason:
                self._warn(
                    f"inline suppression of {finding.rule} has no reason and is ignored; "
                    f"write `lambdasec: ignore[{finding.rule}] -- <why this is acceptable>`",
                    file=file,
                    line=comment.line,
                )
                continue
            return Suppression(kind="inline", reason=comment.reason)
        return None

    # -- CloudFormation Metadata -----------------------------------------------------------------

    def _metadata(self, finding: Finding) -> Suppression | None:
        for declared in self.inventory.declared_ignores:
            if declared.rule.upper() != finding.rule or declared.resource != finding.resource.id:
                continue
            if declared.file is not None and declared.file != finding.location.file:
                continue
            if not declared.reason.strip():
                self._warn(
                    f"Metadata suppression of {finding.rule} on `{declared.resource}` has no reason "
                    "and is ignored; add a `reason`",
                    file=declared.file,
                    line=declared.line,
                )
                continue
            return Suppression(kind="metadata", reason=declared.reason.strip())
        return None

    # -- configuration ---------------------------------------------------------------------------

    def _config(self, finding: Finding) -> Suppression | None:
        for entry in self.ignores:
            if not _matches(entry, finding):
                continue
            scope = entry.resource or entry.file or "every resource"
            if not entry.reason.strip():
                self._warn(
                    f"configured ignore of {entry.rule} for {scope} has no reason", file=None, line=None
                )
                continue
            if entry.expires is not None and entry.expires < self.today:
                self._warn(
                    f"configured ignore of {entry.rule} for {scope} expired on {entry.expires.isoformat()} "
                    "and no longer applies",
                    file=None,
                    line=None,
                )
                continue
            expires = entry.expires.isoformat() if entry.expires else None
            return Suppression(kind="config", reason=entry.reason.strip(), expires=expires)
        return None


def _candidates(
    comments: Mapping[int, InlineIgnore], lines: Sequence[str], line: int | None
) -> Iterable[InlineIgnore]:
    """Comments on `line` itself, then the block of comment-only lines directly above it."""
    if line is None:
        return
    if line in comments:
        yield comments[line]
    above = line - 1
    while 1 <= above <= len(lines) and _COMMENT_LINE.match(lines[above - 1]):
        if above in comments:
            yield comments[above]
        above -= 1


def _matches(entry: IgnoreEntry, finding: Finding) -> bool:
    if entry.rule != finding.rule:
        return False
    if entry.resource is not None and entry.resource not in (finding.resource.id, finding.function):
        return False
    return entry.file is None or (
        finding.location.file is not None and fnmatchcase(finding.location.file, entry.file)
    )


def apply_suppressions(
    findings: Iterable[Finding],
    *,
    inventory: Inventory,
    ignores: Sequence[IgnoreEntry],
    root: Path,
    today: date,
) -> tuple[list[Finding], list[Diagnostic]]:
    """Mark suppressed findings (never drop them) and warn about suppressions that cannot apply.

    Inline comments win over CloudFormation metadata, which wins over configured ignores. A
    suppression without a reason, or a configured one past its `expires` date, is not applied.
    """
    suppressor = _Suppressor(inventory=inventory, ignores=ignores, files=_Files(root=root), today=today)
    if inventory.declared_ignores or ignores:
        marked = [suppressor.suppress(finding) for finding in findings]
    else:
        # Only inline comments can apply: a finding in a file without any is kept as it is, and whether a
        # file has any is asked once per file, not once per finding.
        commented: dict[str | None, bool] = {}
        marked = []
        for finding in findings:
            file = finding.location.file
            if file not in commented:
                commented[file] = suppressor.files.commented(file)
            marked.append(suppressor.suppress(finding) if commented[file] else finding)
    return marked, list(suppressor.warnings.values())
