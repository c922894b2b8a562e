"""Finds the inputs under the scanned paths and tells each file's kind by its content."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

from lambdasec.errors import ConfigError
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.records import record
from lambdasec.sources.interface import InputFile

__all__ = ["SKIPPED_DIRECTORIES", "Discovery", "discover"]

# Dependency folders, version control, virtual environments, caches and build output. A `cdk.out` cloud
# assembly is read through its manifest.json (the CDK source), never as loose templates. The modules that
# `terraform init` installed under `.terraform/modules` are read by the Terraform source through the module
# calls that use them (with their inputs), never as root modules of their own.
SKIPPED_DIRECTORIES: Final = frozenset(
    {
        "node_modules",
        ".git",
        ".hg",
        ".venv",
        "venv",
        "__pycache__",
        ".aws-sam",
        ".serverless",
        ".terraform",
        "cdk.out",
        "build",
        "dist",
        ".tox",
        ".mypy_cache",
    }
)
_CODE_SUFFIXES: Final = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_TEMPLATE_SUFFIXES: Final = (".yaml", ".yml", ".json", ".template")
# How much of an oversized file is read to decide whether it is meant as a template.
_PREFIX_BYTES: Final = 64 * 1024
_SOURCE: Final = "discovery"
# The Serverless Framework's configuration files by name.
_SERVERLESS_NAMES: Final = (
    "serverless.yml",
    "serverless.yaml",
    "serverless.json",
    "serverless.ts",
    "serverless.js",
    "serverless.mjs",
    "serverless.cjs",
)
# A serverless.yml by content: top-level `service:` and `provider:` keys.
_SERVERLESS_KEYS: Final = re.compile(rb"^service[ \t]*:", re.MULTILINE)
_SERVERLESS_PROVIDER: Final = re.compile(rb"^provider[ \t]*:", re.MULTILINE)


@record
class Discovery:
    """The scanned root, the input files found under it (sorted), and what could not be looked at."""

    root: Path
    files: tuple[InputFile, ...]
    diagnostics: tuple[Diagnostic, ...]


def discover(paths: Sequence[Path]) -> Discovery:
    """Walk `paths` (files or directories) and select the inputs a source can read.

    Raises ConfigError for a path that does not exist.
    """
    resolved: list[Path] = []
    for path in paths or (Path("."),):
        if not path.exists():
            raise ConfigError(f"path does not exist: {path}")
        resolved.append(path.resolve())
    root = _root(resolved)
    found: dict[Path, InputFile] = {}
    diagnostics: list[Diagnostic] = []
    for path in resolved:
        candidates = _walk(path, diagnostics, root=root) if path.is_dir() else iter([(path, True)])
        for file, explicit in candidates:
            kind = _classify(file, explicit=explicit, diagnostics=diagnostics, root=root)
            if kind is not None and file not in found:
                found[file] = InputFile(path=file, display=_display(file, root), kind=kind)
    files = tuple(sorted(found.values(), key=lambda f: f.display))
    return Discovery(root=root, files=files, diagnostics=tuple(diagnostics))


def _root(paths: list[Path]) -> Path:
    """The directory given, the parent of a file given, or the common directory of several paths."""
    common = Path(os.path.commonpath([str(p) for p in paths]))
    return common if common.is_dir() else common.parent


def _display(path: Path, root: Path) -> str:
    text, prefix = str(path), str(root)
    if prefix != os.sep and text.startswith(prefix + os.sep):
        # The common case, read off the strings: pathlib's relative_to parses both paths again each time,
        # which is noticeable over tens of thousands of files.
        rest = text[len(prefix) + 1 :]
        return rest if os.sep == "/" else rest.replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(top: Path, diagnostics: list[Diagnostic], *, root: Path) -> Iterator[tuple[Path, bool]]:
    """Files under `top` in sorted order, skipping dependency, environment and build directories."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            diagnostics.append(
                _warning(f"cannot read directory: {exc.strerror or exc}", directory, root=root)
            )
            continue
        if _holds_cloud_assembly(directory, entries):
            yield directory / "manifest.json", False
            continue
        subdirectories: list[Path] = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    # Skipped names are looked into only when they hold a cloud assembly (`cdk.out`).
                    skipped = entry.name in SKIPPED_DIRECTORIES or _is_virtualenv(entry.path)
                    if not skipped or _is_cloud_assembly(Path(entry.path)):
                        subdirectories.append(Path(entry.path))
                elif entry.is_file():
                    yield directory / entry.name, False
            except OSError:
                continue
        stack.extend(reversed(subdirectories))


def _holds_cloud_assembly(directory: Path, entries: list[os.DirEntry[str]]) -> bool:
    """`_is_cloud_assembly` from a directory listing already read, without more system calls."""
    names = {entry.name: entry for entry in entries}
    if "manifest.json" not in names:
        return False
    version = names.get("cdk.out")
    return directory.name == "cdk.out" or (version is not None and version.is_file())


def _is_cloud_assembly(directory: Path) -> bool:
    """A CDK cloud assembly: `manifest.json` in `cdk.out`, or next to the `cdk.out` version file."""
    if not (directory / "manifest.json").is_file():
        return False
    return directory.name == "cdk.out" or (directory / "cdk.out").is_file()


def _looks_like_plan(data: bytes) -> bool:
    # Imported on first use: the plan source pulls in the Terraform reader, which code-only scans never need.
    from lambdasec.sources.terraform_plan.document import looks_like_plan

    return looks_like_plan(data)


def _is_virtualenv(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, "pyvenv.cfg"))


def _classify(path: Path, *, explicit: bool, diagnostics: list[Diagnostic], root: Path) -> SourceKind | None:
    """The source kind of a file, judged by a cheap look at its name and text (the source parses it)."""
    name = path.name.lower()
    if name in _SERVERLESS_NAMES:
        return SourceKind.SERVERLESS
    if name.endswith((".tf", ".tf.json")):
        return SourceKind.TERRAFORM
    if _is_code(name):
        return SourceKind.CODE
    if name == "manifest.json" and _is_cloud_assembly(path.parent):
        return SourceKind.CDK
    if not (name.endswith(_TEMPLATE_SUFFIXES) or ".template." in name):
        if explicit:
            diagnostics.append(_warning("not a recognized input; ignored", path, root=root))
        return None
    # Imported on first use: the template reader pulls in the whole CloudFormation source, which
    # Terraform-only and code-only scans never need.
    from lambdasec.sources.cloudformation.template import MAX_TEMPLATE_BYTES, named_like_template

    named = named_like_template(path.name)
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            data = stream.read(_PREFIX_BYTES if size > MAX_TEMPLATE_BYTES else -1)
    except OSError as exc:
        if named or explicit:
            diagnostics.append(_warning(f"cannot read file: {exc.strerror or exc}", path, root=root))
        return None
    if name.endswith(".json") and _looks_like_plan(data):
        return SourceKind.TERRAFORM_PLAN
    if not name.endswith(".json") and _SERVERLESS_KEYS.search(data) and _SERVERLESS_PROVIDER.search(data):
        return SourceKind.SERVERLESS
    if named or (b"AWS::" in data and b"Resources" in data):
        return SourceKind.CLOUDFORMATION
    if explicit:
        diagnostics.append(_warning("not a recognized input; ignored", path, root=root))
    return None


def _is_code(name: str) -> bool:
    """Handler source code (Python, JavaScript, TypeScript) and `.env` files, which ship with it."""
    if name.endswith(_CODE_SUFFIXES):
        return not name.endswith(".d.ts")
    return name == ".env" or name.startswith(".env.")


def _warning(message: str, path: Path, *, root: Path) -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.WARNING, source=_SOURCE, message=message, file=_display(path, root)
    )
