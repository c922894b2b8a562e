"""Reads the local files `file()` and `templatefile()` name, as Terraform does from its working directory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

__all__ = ["LocalFiles"]

# A file larger than this is not read (policies and templates are small); the call stays unknown.
_MAX_BYTES: Final = 1_000_000


class LocalFiles:
    """Text files under `root` (the scanned directory), by path relative to `cwd` (the root module's
    directory, where Terraform runs) or absolute; what is outside `root`, missing, too large or not
    UTF-8 text is None. Each file is read once."""

    def __init__(self, *, root: Path, cwd: Path) -> None:
        self.root = root
        self.cwd = cwd
        self._read: dict[Path, str | None] = {}

    def read(self, path: str) -> str | None:
        """The text of the file at `path`, or None when it cannot be read."""
        target = Path(os.path.normpath(self.cwd / path.replace("\\", "/")))
        if target not in self._read:
            self._read[target] = self._load(target)
        return self._read[target]

    def _load(self, target: Path) -> str | None:
        if not target.is_relative_to(self.root):
            return None
        try:
            if not target.is_file() or target.stat().st_size > _MAX_BYTES:
                return None
            return target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
