"""`.terraform/modules/modules.json`: where `terraform init` put the directory of each module call."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.records import record
from lambdasec.sources.terraform.hcl import SOURCE_NAME

__all__ = [
    "MANIFEST_PATH",
    "InstalledModules",
    "ManifestEntry",
    "ModuleManifest",
    "read_manifest",
    "source_changed",
]

# Relative to the root module's directory (Terraform's default data directory).
MANIFEST_PATH: Final = Path(".terraform", "modules", "modules.json")
# A module registry address: `[host/]namespace/name/provider[//subdirectory]`.
_REGISTRY: Final = re.compile(
    r"^(?:(?P<host>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)+)/)?(?P<module>[0-9A-Za-z_-]+/[0-9A-Za-z_-]+/[0-9a-z]+)"
    r"(?P<subdir>//.*)?$"
)
_DEFAULT_REGISTRY: Final = "registry.terraform.io"
# Hosts Terraform reads as git shorthands, never as module registries.
_GIT_HOSTS: Final = frozenset({"github.com", "bitbucket.org"})


@record
class ManifestEntry:
    """One installed module call: its dotted key (`a.b` for call `b` in module `a`), the source it was
    installed from, the version for registry modules, and its directory (normalized, absolute)."""

    key: str
    source: str
    version: str | None
    directory: Path
    written: str


@record
class ModuleManifest:
    """The manifest of one root module: its path as displayed (relative to the scanned root) and its
    entries by key."""

    display: str
    entries: Mapping[str, ManifestEntry]


def read_manifest(root_module: Path, *, root: Path) -> ModuleManifest | Diagnostic | None:
    """The module manifest of the root module in `root_module`; None when there is none (`terraform init`
    was not run) and a warning naming the file when it cannot be read or is not in Terraform's format."""
    path = root_module / MANIFEST_PATH
    display = _display(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return _warning(f"cannot read the module manifest: {reason}", display, line=None)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _warning(f"cannot parse the module manifest: {exc.msg}", display, line=exc.lineno)
    entries = _entries(data, root_module=root_module)
    if entries is None:
        return _warning(
            "the module manifest is not in the format `terraform init` writes (a `Modules` list of objects"
            " with `Key`, `Source` and `Dir` strings)",
            display,
            line=None,
        )
    return ModuleManifest(display=display, entries=entries)


def source_changed(entry: ManifestEntry, source: object) -> bool:
    """Whether the call's `source` surely differs from the one its module was installed from, as Terraform
    finds when it refuses to plan ("Module source has changed"). Only registry addresses are compared
    beyond the exact text: Terraform rewrites the other shorthands (`github.com/...`) when it installs."""
    if not isinstance(source, str) or source == entry.source:
        return False
    written, installed = _registry_address(source), _registry_address(entry.source)
    return written is not None and installed is not None and written != installed


def _registry_address(source: str) -> str | None:
    """A registry address with its host made explicit (`registry.terraform.io` by default), lower case
    as the registry compares them; None for another kind of source."""
    match = _REGISTRY.match(source)
    if match is None or (match["host"] or "").lower() in _GIT_HOSTS:
        return None
    host = match["host"] or _DEFAULT_REGISTRY
    return f"{host}/{match['module']}".lower() + (match["subdir"] or "")


def _entries(data: object, *, root_module: Path) -> dict[str, ManifestEntry] | None:
    """The entries of a manifest's JSON value, or None when it is not shaped as Terraform writes it."""
    if not isinstance(data, Mapping):
        return None
    records = data.get("Modules")
    if not isinstance(records, list):
        return None
    entries: dict[str, ManifestEntry] = {}
    for listed in records:
        if not isinstance(listed, Mapping):
            return None
        key, source, directory = listed.get("Key"), listed.get("Source"), listed.get("Dir")
        version = listed.get("Version")
        if not (isinstance(key, str) and isinstance(source, str) and isinstance(directory, str)):
            return None
        if version is not None and not isinstance(version, str):
            return None
        entries[key] = ManifestEntry(
            key=key,
            source=source,
            version=version or None,
            directory=Path(os.path.normpath(root_module / directory)),
            written=directory,
        )
    return entries


def _warning(message: str, display: str, *, line: int | None) -> Diagnostic:
    return Diagnostic(
        level=DiagnosticLevel.WARNING,
        source=SOURCE_NAME,
        message=f"{message}; modules installed by `terraform init` are not read",
        file=display,
        line=line,
    )


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()


class InstalledModules:
    """The module manifest of one root module, read once, when a remote module call first needs it."""

    def __init__(self, *, root_module: Path, root: Path) -> None:
        self._root_module = root_module
        self._root = root
        self._read = False
        self._manifest: ModuleManifest | Diagnostic | None = None

    def manifest(self) -> ModuleManifest | Diagnostic | None:
        """See `read_manifest`."""
        if not self._read:
            self._manifest = read_manifest(self._root_module, root=self._root)
            self._read = True
        return self._manifest
