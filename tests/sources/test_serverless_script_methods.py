"""String and array methods of configuration scripts give what JavaScript gives, or no result."""

from __future__ import annotations

from typing import Any

import pytest

from lambdasec.sources.serverless.script_methods import NO_RESULT, call_method, pattern_of


@pytest.mark.parametrize(
    ("target", "method", "args", "expected"),
    [
        ("/svc/src/fn", "split", ["/svc"], ["", "/src/fn"]),
        ("abc", "split", [""], ["a", "b", "c"]),
        ("/src/fn", "substring", [1], "src/fn"),
        ("abcdef", "substring", [4, 1], "bcd"),  # arguments swapped, as JavaScript does
        ("abcdef", "substring", [-3, 2], "ab"),  # negative counts as 0
        ("abcdef", "slice", [-3], "def"),
        ("abcdef", "slice", [1, -1], "bcde"),
        ("abcdef", "slice", [4, 1], ""),
        ("a-b-c", "replace", ["-", "_"], "a_b-c"),
        ("a-b-c", "replaceAll", ["-", "_"], "a_b_c"),
        ("a\\b\\c", "replace", [pattern_of("/\\\\/g"), "/"], "a/b/c"),
        ("a\\b\\c", "replace", [pattern_of("/\\\\/"), "/"], "a/b\\c"),
        ("AbC", "replace", [pattern_of("/b/i"), "x"], "AxC"),
        (" Shop ", "trim", [], "Shop"),
        ("Shop", "toUpperCase", [], "SHOP"),
        ("shop", "startsWith", ["sh"], True),
        ("shop", "includes", ["ho"], True),
        (["a", "b"], "join", ["-"], "a-b"),
        (["a", "b"], "join", [], "a,b"),
    ],
)
def test_methods(target: Any, method: str, args: list[Any], expected: Any) -> None:
    assert call_method(target, method, args) == expected


@pytest.mark.parametrize(
    ("target", "method", "args"),
    [
        ("abc", "charCodeAt", [0]),  # not modelled
        ("abc", "replace", ["b", "$&$&"]),  # substitution patterns are not modelled
        ("abc", "substring", ["1"]),
        (["a", 1], "join", ["-"]),
        (3, "toString", []),
    ],
)
def test_anything_else_gives_no_result(target: Any, method: str, args: list[Any]) -> None:
    assert call_method(target, method, args) is NO_RESULT


def test_patterns_with_flags_python_cannot_honour_are_none() -> None:
    assert pattern_of("/a/y") is None
    assert pattern_of("/(/g") is None
    pattern = pattern_of("/a.b/gs")
    assert pattern is not None
    assert pattern.every
