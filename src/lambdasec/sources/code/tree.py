"""A code package's files, from a directory or a zip archive, read with size and path guards."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.sources.discover import SKIPPED_DIRECTORIES

if TYPE_CHECKING:
    import zipfile

__all__ = [
    "MAX_FILE_BYTES",
    "SOURCE",
    "SOURCE_FILE_SUFFIXES",
    "CodeTree",
    "DirectoryTree",
    "FileTree",
    "ZipTree",
    "code_diagnostic",
    "open_tree",
]

SOURCE: Final = "code"
MAX_FILE_BYTES: Final = 2 * 1024 * 1024
# A package with more files than this is cut off with a diagnostic (a vendored monorepo, not a handler).
MAX_FILES: Final = 20_000
# Zip guards: members read in total, and the compression ratio beyond which a member is a bomb.
MAX_ZIP_TOTAL_BYTES: Final = 256 * 1024 * 1024
MAX_ZIP_RATIO: Final = 200
# A package that is one file: the source files a handler setting can name.
SOURCE_FILE_SUFFIXES: Final = frozenset({".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"})


def code_diagnostic(
    message: str, *, file: str | None, line: int | None = None, error: bool = True
) -> Diagnostic:
    """A diagnostic of the code source."""
    level = DiagnosticLevel.ERROR if error else DiagnosticLevel.WARNING
    return Diagnostic(level=level, source=SOURCE, message=message, file=file, line=line)


class CodeTree(Protocol):
    """The files of one deployment package; paths are relative and POSIX."""

    def files(self, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """Paths of the files ending with one of `suffixes`, sorted."""
        ...

    def exists(self, path: str) -> bool:
        """True when `path` is a file of the package."""
        ...

    def read(self, path: str) -> str | Diagnostic:
        """The text of `path`, or a diagnostic when it is too large, binary or unreadable."""
        ...

    def display(self, path: str) -> str:
        """`path` as shown to users: relative to the scan root (`pkg.zip!app.py` inside an archive)."""
        ...


@dataclass(slots=True, kw_only=True)
class DirectoryTree:
    """A package that is a directory of the scanned tree."""

    root: Path
    display_root: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _listing: tuple[str, ...] | None = None

    def _all(self) -> tuple[str, ...]:
        if self._listing is None:
            found: list[str] = []
            top = os.fspath(self.root)
            for directory, subdirectories, names in os.walk(top):
                subdirectories[:] = sorted(
                    d
                    for d in subdirectories
                    if d not in SKIPPED_DIRECTORIES
                    and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
                )
                # os.walk joins each directory onto `top`, so the rest of the string is the relative path.
                relative = directory[len(top) :].lstrip(os.sep).replace(os.sep, "/")
                found.extend(f"{relative}/{name}" if relative else name for name in sorted(names))
                if len(found) > MAX_FILES:
                    self.diagnostics.append(
                        code_diagnostic(
                            f"more than {MAX_FILES} files in the package; the rest is not analysed",
                            file=self.display_root,
                        )
                    )
                    break
            self._listing = tuple(sorted(found[:MAX_FILES]))
        return self._listing

    def files(self, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """Paths of the files ending with one of `suffixes`, sorted."""
        return tuple(p for p in self._all() if p.endswith(suffixes))

    def exists(self, path: str) -> bool:
        """True when `path` is a file of the package (never outside it)."""
        return _inside(path) and (self.root / path).is_file()

    def read(self, path: str) -> str | Diagnostic:
        """The text of `path`, or a diagnostic."""
        # plain strings: a pathlib.Path costs more than the read
        return _read_file(os.path.join(self.root, path), display=self.display(path))

    def display(self, path: str) -> str:
        """Relative to the scan root."""
        return path if self.display_root in ("", ".") else f"{self.display_root}/{path}"


@dataclass(slots=True, kw_only=True)
class FileTree:
    """A package of one source file, at the package's root under its own name: what a Terraform
    `archive_file` zipping a `source_file` deploys."""

    file: Path
    display_root: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def files(self, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """The file's name when it ends with one of `suffixes`."""
        return (self.file.name,) if self.file.name.endswith(suffixes) else ()

    def exists(self, path: str) -> bool:
        """True for the file's own name."""
        return path == self.file.name

    def read(self, path: str) -> str | Diagnostic:
        """The file's text, or a diagnostic."""
        if path != self.file.name:
            return code_diagnostic("no such file in the package", file=self.display(path))
        return _read_file(os.fspath(self.file), display=self.display_root)

    def display(self, path: str) -> str:
        """The file's path relative to the scan root."""
        return self.display_root if path == self.file.name else f"{self.display_root}!{path}"


@dataclass(slots=True, kw_only=True)
class ZipTree:
    """A package that is a zip archive (a Terraform `filename`, a built artifact), read without extracting."""

    archive: Path
    display_root: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _members: dict[str, zipfile.ZipInfo] | None = None
    _read_total: int = 0

    def _index(self) -> dict[str, zipfile.ZipInfo]:
        if self._members is None:
            import zipfile  # imported on first use: only packages shipped as archives need it

            self._members = {}
            try:
                with zipfile.ZipFile(self.archive) as archive:
                    infos = archive.infolist()
            except (OSError, zipfile.BadZipFile) as exc:
                self.diagnostics.append(
                    code_diagnostic(f"cannot read zip archive: {exc}", file=self.display_root)
                )
                return self._members
            for info in infos[: MAX_FILES + 1]:
                name = info.filename
                if info.is_dir():
                    continue
                if not _inside(name):
                    self.diagnostics.append(
                        code_diagnostic(
                            f"member `{name}` escapes the archive; skipped", file=self.display_root
                        )
                    )
                    continue
                self._members[posixpath.normpath(name)] = info
            if len(infos) > MAX_FILES:
                self.diagnostics.append(
                    code_diagnostic(
                        f"more than {MAX_FILES} members in the archive; the rest is not analysed",
                        file=self.display_root,
                    )
                )
        return self._members

    def files(self, suffixes: tuple[str, ...]) -> tuple[str, ...]:
        """Member paths ending with one of `suffixes`, sorted, outside skipped directories."""
        return tuple(
            sorted(
                name
                for name in self._index()
                if name.endswith(suffixes) and not SKIPPED_DIRECTORIES.intersection(name.split("/")[:-1])
            )
        )

    def exists(self, path: str) -> bool:
        """True when `path` is a member."""
        return posixpath.normpath(path) in self._index()

    def read(self, path: str) -> str | Diagnostic:
        """A member's text, refusing oversized members, compression bombs and encrypted entries."""
        display = self.display(path)
        info = self._index().get(posixpath.normpath(path))
        if info is None:
            return code_diagnostic("no such member", file=display)
        if info.file_size > MAX_FILE_BYTES:
            return code_diagnostic(f"member of {info.file_size} bytes is over the size limit", file=display)
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            return code_diagnostic("member compresses more than a source file can: not read", file=display)
        if self._read_total + info.file_size > MAX_ZIP_TOTAL_BYTES:
            return code_diagnostic("the archive's read budget is spent: not read", file=display)
        import zipfile  # imported on first use: only packages shipped as archives need it

        try:
            with zipfile.ZipFile(self.archive) as archive, archive.open(info) as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
            # RuntimeError: an encrypted member; NotImplementedError: an unsupported compression method.
            return code_diagnostic(f"cannot read member: {exc}", file=display)
        self._read_total += len(data)
        if len(data) > MAX_FILE_BYTES:
            return code_diagnostic("member is larger than its header says: not read", file=display)
        return _decode(data, display=display)

    def display(self, path: str) -> str:
        """`archive.zip!member`."""
        return f"{self.display_root}!{path}"


def open_tree(path: Path, *, display: str) -> DirectoryTree | ZipTree | FileTree | None:
    """The tree for a package path: a directory, a `.zip`/`.jar` archive, a single source file, or None
    for anything else."""
    if path.is_dir():
        return DirectoryTree(root=path, display_root=display)
    if path.is_file() and path.suffix.lower() in (".zip", ".jar"):
        return ZipTree(archive=path, display_root=display)
    if path.is_file() and path.suffix.lower() in SOURCE_FILE_SUFFIXES:
        return FileTree(file=path, display_root=display)
    return None


def _read_file(target: str, *, display: str) -> str | Diagnostic:
    """The text of the file at `target`, or a diagnostic when it is too large, binary or unreadable."""
    try:
        size = os.stat(target).st_size
        if size > MAX_FILE_BYTES:
            return code_diagnostic(
                f"file of {size} bytes is over the {MAX_FILE_BYTES}-byte limit", file=display
            )
        with open(target, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        return code_diagnostic(f"cannot read file: {exc.strerror or exc}", file=display)
    return _decode(data, display=display)


def _inside(path: str) -> bool:
    normalized = posixpath.normpath(path)
    return not (normalized.startswith(("/", "../")) or normalized == ".." or "\\" in path or ":" in path)


def _decode(data: bytes, *, display: str) -> str | Diagnostic:
    if b"\x00" in data:
        return code_diagnostic("not a text file (NUL bytes)", file=display)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return code_diagnostic(f"not UTF-8 text (byte {exc.start})", file=display)
