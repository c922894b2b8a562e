"""Code packages read from directories and zip archives, with hostile archives refused file by file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.sources.code.tree import MAX_FILE_BYTES, DirectoryTree, ZipTree, open_tree


def test_directory_tree_lists_sources_and_skips_dependencies(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "node_modules" / "lib").mkdir(parents=True)
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "db.py").write_text("y = 2\n")
    (tmp_path / "node_modules" / "lib" / "index.js").write_text("z\n")
    tree = DirectoryTree(root=tmp_path, display_root="src")
    assert tree.files((".py", ".js")) == ("app.py", "pkg/db.py")
    assert tree.read("pkg/db.py") == "y = 2\n"
    assert tree.display("pkg/db.py") == "src/pkg/db.py"
    assert tree.exists("app.py")
    assert not tree.exists("../app.py")


def test_directory_tree_refuses_binary_and_oversized_files(tmp_path: Path) -> None:
    (tmp_path / "bin.py").write_bytes(b"\x00\x01")
    (tmp_path / "big.py").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    tree = DirectoryTree(root=tmp_path, display_root=".")
    binary = tree.read("bin.py")
    big = tree.read("big.py")
    assert isinstance(binary, Diagnostic) and binary.file == "bin.py" and "NUL" in binary.message
    assert isinstance(big, Diagnostic) and big.file == "big.py" and "limit" in big.message


def test_zip_tree_reads_members_and_refuses_escapes_and_bombs(tmp_path: Path) -> None:
    archive = tmp_path / "fn.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("app.py", "def handler(event, context):\n    return 1\n")
        out.writestr("../evil.py", "import os\n")
        out.writestr("bomb.py", "#" * (1024 * 1024))
    tree = open_tree(archive, display="build/fn.zip")
    assert isinstance(tree, ZipTree)
    assert tree.files((".py",)) == ("app.py", "bomb.py")
    assert tree.read("app.py") == "def handler(event, context):\n    return 1\n"
    assert tree.display("app.py") == "build/fn.zip!app.py"
    bomb = tree.read("bomb.py")
    assert isinstance(bomb, Diagnostic) and bomb.file == "build/fn.zip!bomb.py"
    assert [d.message for d in tree.diagnostics] == ["member `../evil.py` escapes the archive; skipped"]


def test_a_broken_archive_is_a_diagnostic(tmp_path: Path) -> None:
    archive = tmp_path / "fn.zip"
    archive.write_bytes(b"PK\x03\x04 not really")
    tree = open_tree(archive, display="fn.zip")
    assert isinstance(tree, ZipTree)
    assert tree.files((".py",)) == ()
    assert len(tree.diagnostics) == 1 and tree.diagnostics[0].file == "fn.zip"
    assert tree.diagnostics[0].message.startswith("cannot read zip archive")
