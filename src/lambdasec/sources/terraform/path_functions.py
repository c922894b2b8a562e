"""Terraform's filesystem path functions (`basename`, `dirname`, `abspath`, `pathexpand`) on known paths."""

from __future__ import annotations

import posixpath
from typing import Final

from lambdasec.model import Unresolved

__all__ = ["absolute", "basename", "clean", "dirname", "pathexpand"]

_HOME: Final = Unresolved("pathexpand of a path in the home directory")


def clean(path: str) -> str:
    """The shortest equivalent path, as Go's `filepath.Clean` gives it (`""` is `.`, `//a` is `/a`)."""
    out = posixpath.normpath(path)
    return "/" + out.lstrip("/") if out.startswith("//") else out


def basename(path: str) -> str:
    """The last element of `path` (Go's `filepath.Base`): trailing slashes ignored, `.` for `""`."""
    if not path:
        return "."
    stripped = path.rstrip("/")
    return stripped.rpartition("/")[2] if stripped else "/"


def dirname(path: str) -> str:
    """All but the last element of `path`, cleaned (Go's `filepath.Dir`): `.` when there is none."""
    return clean(path[: path.rfind("/") + 1])


def absolute(path: str, *, cwd: str | None) -> str | None:
    """`abspath(path)`: an absolute path cleaned; a relative one joined to the working directory `cwd`
    (None when that is not known, as it is only where a local file path is read)."""
    if path.startswith("/"):
        return clean(path)
    return None if cwd is None else clean(posixpath.join(cwd, path))


def pathexpand(path: str) -> str | Unresolved:
    """`pathexpand(path)`: a path starting with `~` names the home directory of the user running
    Terraform, which is not known; any other path is returned unchanged."""
    return _HOME if path.startswith("~") else path
