"""Start-up cost: what each command imports, and the quick look for rule plugins before importlib.metadata."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.machinery import PathFinder
from pathlib import Path

import pytest

import lambdasec
from lambdasec.rules import InvalidRuleError, discover_rules, may_declare_plugins

# Print the modules a snippet imports beyond what the bare interpreter already has.
_PROBE = """
import json, sys
before = set(sys.modules)
{snippet}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _imported_by(snippet: str) -> set[str]:
    # `-S` skips the site module: .pth files of the environment can import modules at start-up (zipfile,
    # shutil, importlib.resources...) and would hide that lambdasec imports them too. The search path is
    # passed on instead, lambdasec's own directory first.
    path = [str(Path(lambdasec.__file__).parents[1]), *(entry for entry in sys.path if entry)]
    done = subprocess.run(
        [sys.executable, "-S", "-c", _PROBE.format(snippet=snippet)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(path)},
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _under(modules: set[str], package: str) -> set[str]:
    return {name for name in modules if name == package or name.startswith(package + ".")}


def test_version_imports_no_model_rules_sources_or_reporters() -> None:
    modules = _imported_by(
        "from lambdasec._cli import main\nassert main(['--version']) == 0",
    )

    assert "lambdasec._cli" in modules
    for package in ("lambdasec.model", "lambdasec.rules", "lambdasec.sources", "lambdasec.findings", "rich"):
        assert _under(modules, package) == set(), package
    assert "lambdasec.reporters.json" not in modules
    assert "tomllib" not in modules


def test_json_scan_of_an_empty_directory_loads_no_reader_rich_metadata_or_pool(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report.json"
    empty = tmp_path / "empty"
    empty.mkdir()
    modules = _imported_by(
        "from lambdasec._cli import main\n"
        f"main(['scan', {str(empty)!r}, '--format', 'json', '--output', {str(report)!r}])",
    )

    assert json.loads(report.read_text())["summary"]["functions"] == 0
    assert "lambdasec.rules.engine" in modules
    for package in (
        "lambdasec.sources.cloudformation",
        "lambdasec.sources.serverless",
        "lambdasec.sources.terraform",
        "lambdasec.sources.cdk",
        "rich",
        "importlib.metadata",
        "importlib.resources",  # data files are opened only when a rule reads one
        "tomllib",
        "multiprocessing",  # worker pools start only for many files or packages
        "concurrent.futures",
        "zipfile",  # code packages that are archives are opened only when a function uses one
        "traceback",  # formatted only when a rule crashes
        "difflib",  # suggestions only for a misspelt IAM action or service
    ):
        assert _under(modules, package) == set(), package
    assert "lambdasec.reporters.terminal" not in modules
    assert "lambdasec.reporters.sarif" not in modules


def _distribution(site: Path, name: str, entry_points: str) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def only_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sys.path of one empty site directory, searched by the standard finder only."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [str(site)])
    monkeypatch.setattr(sys, "meta_path", [PathFinder])
    return site


def test_no_distribution_declaring_the_group_means_no_plugins(only_site: Path) -> None:
    _distribution(only_site, "other_tool", "[console_scripts]\nother = other_tool:main\n")

    assert may_declare_plugins() is False


def test_a_distribution_declaring_the_group_is_noticed(only_site: Path) -> None:
    _distribution(only_site, "other_tool", "[console_scripts]\nother = other_tool:main\n")
    _distribution(only_site, "lambdasec_extra", "[lambdasec.rules]\nextra = lambdasec_extra.rules\n")

    assert may_declare_plugins() is True


def test_a_zip_on_sys_path_leaves_the_answer_to_importlib_metadata(only_site: Path) -> None:
    archive = only_site.parent / "bundle.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    sys.path.append(str(archive))

    assert may_declare_plugins() is True


def test_a_path_object_on_sys_path_leaves_the_answer_to_importlib_metadata(only_site: Path) -> None:
    sys.path.append(only_site.parent)  # type: ignore[arg-type]

    assert may_declare_plugins() is True


def test_a_declared_plugin_is_loaded_and_validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The plugin points at the built-in LS000 module: loading it through the entry point makes the id
    # appear twice, which validation reports; the error proves the entry point was read.
    _distribution(tmp_path, "lambdasec_extra", "[lambdasec.rules]\nextra = lambdasec.rules.internal\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])

    with pytest.raises(InvalidRuleError, match=r"LS000: id declared twice"):
        discover_rules(include_plugins=True)
