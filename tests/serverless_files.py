"""Loading one serverless.yml written from a test's text, as the Serverless source reads it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless


def load_service(tmp_path: Path, text: str) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    """`text` (dedented) as `tmp_path/serverless.yml`, loaded with no environment or options."""
    path = tmp_path / "serverless.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory, diagnostics
