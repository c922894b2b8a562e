"""Serverless services and CloudFormation templates read in worker processes give the serial results."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lambdasec.findings import DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.sources import serverless
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.interface import InputFile, SourceOutput
from lambdasec.sources.serverless import ServerlessSource
from lambdasec.workers import worker_count

pytestmark = pytest.mark.skipif(worker_count() < 2, reason="worker processes need fork and 2 CPUs")

_RULES = Path(__file__).parents[1] / "rules"
_BAD_YAML = "service: broken\nprovider:\n  name: aws\nfunctions:\n  fn: [unclosed\n"
_BAD_YAML_MESSAGE = "invalid YAML: while parsing a flow sequence did not find expected ',' or ']'"
_PARENT = os.getpid()


def _fixtures(pattern: str, kind: SourceKind) -> list[InputFile]:
    paths = sorted(_RULES.glob(pattern))
    return [InputFile(path=path, display=path.relative_to(_RULES).as_posix(), kind=kind) for path in paths]


def _bad_files(tmp_path: Path, kind: SourceKind, *, name: str) -> list[InputFile]:
    """An invalid YAML file, an invalid UTF-8 file and a missing one, named like the source's files."""
    (tmp_path / "yaml").mkdir()
    (tmp_path / "yaml" / name).write_text(_BAD_YAML, encoding="utf-8")
    (tmp_path / "bytes").mkdir()
    (tmp_path / "bytes" / name).write_bytes(b"service: x\n\xff\xfe\n")
    return [
        InputFile(path=tmp_path / folder / name, display=f"{folder}/{name}", kind=kind)
        for folder in ("yaml", "bytes", "gone")
    ]


def _services(tmp_path: Path) -> tuple[InputFile, ...]:
    good = _fixtures("*/serverless/**/serverless.yml", SourceKind.SERVERLESS)
    bad = _bad_files(tmp_path, SourceKind.SERVERLESS, name="serverless.yml")
    return (*good[:5], *bad, *good[5:])


def _fixture(file: str | None) -> bool:
    return file is not None and file.startswith("LS")


def _same(parallel: SourceOutput, serial: SourceOutput) -> None:
    assert parallel.files == serial.files
    assert parallel.diagnostics == serial.diagnostics
    assert parallel.inventory == serial.inventory


def test_serverless_services_in_workers_load_as_in_one_process(tmp_path: Path) -> None:
    files = _services(tmp_path)
    serial = ServerlessSource(environ={"HOME": "/h"}, workers=0).load(files, root=_RULES)
    parallel = ServerlessSource(environ={"HOME": "/h"}, workers=2).load(files, root=_RULES)

    _same(parallel, serial)
    assert len(serial.files) == len(files) - 3
    assert len(serial.inventory.functions) > len(serial.files)
    bad = [(d.level, d.file, d.line, d.message) for d in serial.diagnostics if not _fixture(d.file)]
    assert bad == [
        (DiagnosticLevel.ERROR, "yaml/serverless.yml", 6, _BAD_YAML_MESSAGE),
        (
            DiagnosticLevel.ERROR,
            "bytes/serverless.yml",
            None,
            "not a text file (invalid UTF-8 at byte 11); not read",
        ),
        (DiagnosticLevel.ERROR, "gone/serverless.yml", None, "cannot read file: No such file or directory"),
    ]


def _compile_dies_in_worker(item: InputFile, **settings: object) -> object:
    if item.display.startswith("LS2") and os.getpid() != _PARENT:
        os._exit(3)  # a worker killed mid-file, as by the out-of-memory killer
    return _COMPILE(item, **settings)  # type: ignore[arg-type]


_COMPILE = serverless._compile_file


def test_services_a_dead_worker_was_reading_are_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _services(tmp_path)
    serial = ServerlessSource(workers=0).load(files, root=_RULES)
    monkeypatch.setattr(serverless, "_compile_file", _compile_dies_in_worker)

    _same(ServerlessSource(workers=2).load(files, root=_RULES), serial)


def test_templates_in_workers_load_as_in_one_process(tmp_path: Path) -> None:
    good = [
        *_fixtures("*/cloudformation/**/template.yaml", SourceKind.CLOUDFORMATION),
        *_fixtures("*/sam/**/template.yaml", SourceKind.SAM),
    ]
    files = (*good[:7], *_bad_files(tmp_path, SourceKind.CLOUDFORMATION, name="template.yaml"), *good[7:])
    serial = CloudFormationSource(workers=0).load(files, root=_RULES)
    parallel = CloudFormationSource(workers=2).load(files, root=_RULES)

    _same(parallel, serial)
    assert len(serial.files) == len(files) - 3
    bad = [(d.level, d.file, d.line, d.message) for d in serial.diagnostics if not _fixture(d.file)]
    assert bad == [
        (DiagnosticLevel.ERROR, "yaml/template.yaml", 6, _BAD_YAML_MESSAGE),
        (
            DiagnosticLevel.ERROR,
            "bytes/template.yaml",
            None,
            "not a text file (invalid UTF-8 at byte 11); not read",
        ),
        (DiagnosticLevel.ERROR, "gone/template.yaml", None, "cannot read file: No such file or directory"),
    ]
