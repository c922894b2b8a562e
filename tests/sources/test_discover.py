"""Input discovery: roots, deterministic walking, skipped directories and recognition by content."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdasec.errors import ConfigError
from lambdasec.findings import Diagnostic, DiagnosticLevel
from lambdasec.model import SourceKind
from lambdasec.sources.discover import discover

TEMPLATE = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n"
JSON_TEMPLATE = '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}}'


def make(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def displays(root: Path, *paths: Path) -> list[str]:
    found = discover(list(paths) or [root])
    assert all(f.kind is SourceKind.CLOUDFORMATION for f in found.files)
    return [f.display for f in found.files]


def test_templates_are_recognized_by_content_not_by_name(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "stack.yml": TEMPLATE,
            "cfngoat.yaml": TEMPLATE,
            "backend/auth.yaml": TEMPLATE,
            "infra/api.json": JSON_TEMPLATE,
            "infra/network.template": TEMPLATE,
            "docker-compose.yml": "services:\n  web:\n    image: nginx\n",
            "package.json": '{"name": "app"}',
            "notes.md": TEMPLATE,
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        },
    )
    assert displays(tmp_path) == [
        "backend/auth.yaml",
        "cfngoat.yaml",
        "infra/api.json",
        "infra/network.template",
        "stack.yml",
    ]


def test_template_names_are_candidates_even_without_aws_types(tmp_path: Path) -> None:
    make(
        tmp_path, {"template.yaml": "Description: empty\n", "app.template.json": "{}", "other.yaml": "a: 1\n"}
    )
    assert displays(tmp_path) == ["app.template.json", "template.yaml"]


def test_dependency_environment_and_build_directories_are_skipped(tmp_path: Path) -> None:
    skipped = [
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
        "custom-env",
    ]
    make(tmp_path, {f"{name}/template.yaml": TEMPLATE for name in skipped})
    make(tmp_path, {"custom-env/pyvenv.cfg": "home = /usr/bin\n", "src/template.yaml": TEMPLATE})
    assert displays(tmp_path) == ["src/template.yaml"]


def test_the_walk_is_sorted_and_deterministic(tmp_path: Path) -> None:
    make(tmp_path, dict.fromkeys(["b/z.yaml", "a/y.yaml", "a.yaml", "b/a.yaml", "B.yaml"], TEMPLATE))
    assert displays(tmp_path) == ["B.yaml", "a.yaml", "a/y.yaml", "b/a.yaml", "b/z.yaml"]


def test_roots(tmp_path: Path) -> None:
    make(tmp_path, {"app/one/template.yaml": TEMPLATE, "app/two/stack.yaml": TEMPLATE, "app/x.txt": "x"})
    single = discover([tmp_path / "app/one/template.yaml"])
    assert single.root == tmp_path / "app/one"
    assert [f.display for f in single.files] == ["template.yaml"]
    directory = discover([tmp_path / "app"])
    assert directory.root == tmp_path / "app"
    several = discover([tmp_path / "app/one/template.yaml", tmp_path / "app/two"])
    assert several.root == tmp_path / "app"
    assert [f.display for f in several.files] == ["one/template.yaml", "two/stack.yaml"]
    assert several.files[0].path == tmp_path / "app/one/template.yaml"
    twice = discover([tmp_path / "app", tmp_path / "app/one/template.yaml"])
    assert [f.display for f in twice.files] == ["one/template.yaml", "two/stack.yaml"]


def test_a_missing_path_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="path does not exist"):
        discover([tmp_path / "nope"])


def test_an_explicit_file_that_is_no_input_is_reported(tmp_path: Path) -> None:
    make(tmp_path, {"README.md": "hello", "data.yaml": "a: 1\n"})
    found = discover([tmp_path / "README.md", tmp_path / "data.yaml"])
    assert found.files == ()
    unrecognized = "not a recognized input; ignored"
    assert found.diagnostics == tuple(
        Diagnostic(level=DiagnosticLevel.WARNING, source="discovery", message=unrecognized, file=name)
        for name in ("README.md", "data.yaml")
    )


def test_oversized_files_are_judged_by_their_beginning_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as stream:
        stream.write(TEMPLATE.encode())
        stream.truncate(40 * 1024 * 1024)  # sparse: 40 MiB on paper, nothing to read past the prefix
    data = tmp_path / "data.json"
    with data.open("wb") as stream:
        stream.truncate(40 * 1024 * 1024)
    assert displays(tmp_path) == ["big.yaml"]


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    make(tmp_path, {"real/template.yaml": TEMPLATE})
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert displays(tmp_path) == ["real/template.yaml"]


def test_display_paths_are_relative_to_the_root_with_forward_slashes() -> None:
    from lambdasec.sources.discover import _display

    root = Path("/work/app")
    assert _display(Path("/work/app/src/handler.py"), root) == "src/handler.py"
    assert _display(Path("/work/app"), root) == "."
    assert _display(Path("/work/application/x.py"), root) == "/work/application/x.py"
    assert _display(Path("/srv/x.py"), Path("/")) == "srv/x.py"
