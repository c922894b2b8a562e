"""The per-rule fixture folders under tests/rules: discovery and the expectations each file declares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harness.annotations import Annotation, SidecarEntry, load_sidecar, parse_annotations

RULES_DIR = Path(__file__).parents[1] / "rules"
FOLDER = re.compile(r"^(?P<id>LS\d{3})-(?P<name>[a-z0-9-]+)$")
SIDECAR = "expected.toml"
JSON_SUFFIXES = (".json",)


@dataclass(frozen=True, slots=True, kw_only=True)
class FixtureDir:
    """`tests/rules/<ID>-<slug>/<source>/`."""

    rule: str
    name: str
    source: str
    path: Path

    @property
    def label(self) -> str:
        return f"{self.rule}-{self.name}/{self.source}"

    def files(self) -> list[Path]:
        """Input files of the fixture (everything but the sidecar), sorted."""
        return sorted(p for p in self.path.rglob("*") if p.is_file() and p.name != SIDECAR)

    def annotations(self, file: Path) -> list[Annotation]:
        return [] if file.suffix in JSON_SUFFIXES else parse_annotations(file.read_text(encoding="utf-8"))

    def sidecar(self) -> list[SidecarEntry]:
        path = self.path / SIDECAR
        return load_sidecar(path) if path.is_file() else []


def rule_folders() -> list[Path]:
    """Every `<ID>-<slug>` folder."""
    return sorted(p for p in RULES_DIR.iterdir() if p.is_dir() and FOLDER.match(p.name))


def fixture_dirs() -> list[FixtureDir]:
    """Every source folder of every rule folder."""
    found: list[FixtureDir] = []
    for folder in rule_folders():
        match = FOLDER.match(folder.name)
        assert match is not None
        found.extend(
            FixtureDir(rule=match["id"], name=match["name"], source=source.name, path=source)
            for source in sorted(folder.iterdir())
            if source.is_dir()
        )
    return found
