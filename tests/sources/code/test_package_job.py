"""One package's job: each file read once, and the garbage collector left as it was found."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from lambdasec.findings import Diagnostic
from lambdasec.model import SinkKind
from lambdasec.sources.code.package_job import PackageJob, run_job
from lambdasec.sources.code.tree import DirectoryTree

APP = "import helpers\n\ndef handler(event, context):\n    return helpers.run(event['cmd'])\n"
HELPERS = "import os\n\ndef run(command):\n    os.system(command)\n"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    counted: Counter[str] = Counter()
    read = DirectoryTree.read

    def counting(self: DirectoryTree, path: str) -> str | Diagnostic:
        counted[path] += 1
        return read(self, path)

    monkeypatch.setattr(DirectoryTree, "read", counting)
    yield counted


def _package(root: Path) -> Path:
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "helpers.py").write_text(HELPERS, encoding="utf-8")
    return root


def test_a_directory_job_reads_the_handler_and_the_helper_it_imports_once(
    tmp_path: Path, reads: Counter[str]
) -> None:
    result = run_job(PackageJob(key="pkg", path=_package(tmp_path), files=("app.py", "helpers.py")))
    assert [(unit.key, unit.origin.line) for unit in result.units] == [("pkg/app.py:handler", 3)]
    assert [(flow.unit, flow.sink, flow.origin.file, flow.origin.line) for flow in result.flows] == [
        ("pkg/app.py:handler", SinkKind.SHELL, "pkg/helpers.py", 4)
    ]
    assert sorted(file.key for file in result.files) == ["pkg/app.py", "pkg/helpers.py"]
    assert reads == Counter({"app.py": 1, "helpers.py": 1})


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_as_it_was_after_a_job(tmp_path: Path, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        run_job(PackageJob(key="pkg", path=_package(tmp_path), files=("app.py", "helpers.py")))
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
