"""The Python analysis's library knowledge: secret names, credential keys, removed paths."""

from __future__ import annotations

import textwrap

import pytest

from lambdasec.sources.code.analyzer import ParsedFile
from lambdasec.sources.code.python import PythonAnalyzer
from lambdasec.sources.code.python.modules import index_module
from lambdasec.sources.code.python.specs import is_credential_key, is_secret_name


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("API_KEY", True),
        ("STRIPE_SECRET", True),
        ("GITHUB_TOKEN", True),
        ("DATABASE_DSN", True),
        ("SECRET_ARN", False),
        ("TOKEN_TABLE", False),
        ("API_KEY_ID", False),
        ("TABLE_NAME", False),
        ("LOG_LEVEL", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


@pytest.mark.parametrize(
    ("key", "credential"),
    [
        ("Authorization", True),
        ("cookie", True),
        ("x-api-key", True),
        ("password", True),
        ("refresh_token", True),
        ("client_secret", True),
        ("username", False),
        ("email", False),
    ],
)
def test_credential_keys(key: str, credential: bool) -> None:
    assert is_credential_key(key) is credential


def test_removed_paths_of_a_module() -> None:
    text = textwrap.dedent(
        """
        import os
        import shutil
        from pathlib import Path

        CACHE = "/tmp/cache/"

        def clean(name):
            os.remove("/tmp/key.pem")
            shutil.rmtree(CACHE)
            Path("/tmp/token.json").unlink()
            os.unlink(name)
            items.remove("/tmp/not-a-file-call")
        """
    )
    parsed = PythonAnalyzer().parse(path="app.py", display="app.py", text=text)
    assert isinstance(parsed, ParsedFile)
    assert index_module(parsed).removed == frozenset({"/tmp/key.pem", "/tmp/cache", "/tmp/token.json"})
