"""Wildcard matching, covering and overlapping, against a brute-force reference."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from lambdasec.iam.wildcards import (
    _intersects,
    _reachable,
    arn_overlaps,
    covers,
    matches,
    overlaps,
    strip_policy_variables,
)

ALPHABET = "ab:"
PATTERN = st.text(alphabet="ab:*?", max_size=6)
WORDS = ["".join(p) for n in range(6) for p in itertools.product(ALPHABET, repeat=n)]


def reference(pattern: str, value: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def test_matches_is_case_sensitive_unless_folded() -> None:
    assert matches("s3:Get*", "s3:GetObject")
    assert not matches("s3:get*", "s3:GetObject")
    assert matches("s3:get*", "S3:GETOBJECT", fold=True)
    assert matches("iam:*Role*", "iam:PassRole")
    assert matches("s3:GetObjec?", "s3:GetObject")
    assert not matches("s3:GetObjec?", "s3:GetObjects")


def test_covers_patterns() -> None:
    assert covers("*", "anything*")
    assert covers("s3:*", "s3:Get*")
    assert covers("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/logs/*")
    assert not covers("arn:aws:s3:::bucket/*", "*")
    assert not covers("s3:Get*", "s3:*")
    assert not covers("a?c", "a*c")


def test_overlaps_patterns() -> None:
    assert overlaps("s3:Get*", "s3:*Object")
    assert overlaps("arn:aws:s3:::b*", "arn:aws:s3:::bucket/key")
    assert not overlaps("s3:Get*", "s3:Put*")
    assert not overlaps("arn:aws:s3:::a/*", "arn:aws:s3:::b/*")


def test_policy_variables_widen_to_star() -> None:
    assert strip_policy_variables("arn:aws:s3:::b/${aws:username}/*") == ("arn:aws:s3:::b/*/*", True)
    assert strip_policy_variables("arn:aws:s3:::b/key") == ("arn:aws:s3:::b/key", False)
    text, had = strip_policy_variables("arn:aws:s3:::b/${*}")
    assert had is False
    assert matches(text, "arn:aws:s3:::b/*")
    assert not matches(text, "arn:aws:s3:::b/x")


@settings(max_examples=300, deadline=None)
@given(pattern=PATTERN, value=st.text(alphabet=ALPHABET, max_size=6))
def test_matches_agrees_with_reference(pattern: str, value: str) -> None:
    assert matches(pattern, value) == reference(pattern, value)


@settings(max_examples=300, deadline=None)
@given(a=PATTERN, b=PATTERN)
def test_covers_is_sound(a: str, b: str) -> None:
    """When `covers(a, b)`, every word of the small universe matched by b is matched by a."""
    if covers(a, b):
        assert all(reference(a, w) for w in WORDS if reference(b, w))


@settings(max_examples=300, deadline=None)
@given(a=PATTERN, b=PATTERN)
def test_overlaps_never_misses_a_common_word(a: str, b: str) -> None:
    """`overlaps` over-approximates: a word matched by both means it answers True."""
    if any(reference(a, w) and reference(b, w) for w in WORDS):
        assert overlaps(a, b)


def test_overlaps_on_arn_patterns() -> None:
    own = "arn:*:logs:*:*:log-group:/aws/lambda/orders-api:*"
    other = "arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/other:*"
    assert overlaps(other, own)  # as strings: the partition `*` may span colons
    assert not arn_overlaps(other, own)  # as ARNs it may not
    assert arn_overlaps("arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/*", own)
    assert arn_overlaps("*", own)
    assert not arn_overlaps("arn:aws:s3:::b/*", own)
    assert overlaps("a*b*c", "*b?")
    assert not overlaps("a*", "b*")
    assert not overlaps("*a", "*b")
    assert overlaps("S3:GET*", "s3:*object", fold=True)


@settings(max_examples=500, deadline=None)
@given(a=st.text(alphabet="ab:*?", max_size=10), b=st.text(alphabet="ab:*?", max_size=10))
def test_intersects_shortcuts_agree_with_the_full_programme(a: str, b: str) -> None:
    """Pairing off leading and trailing tokens never changes the answer of the dynamic programme."""
    assert _intersects(a, b) is _reachable(a, b)


def test_intersects_pairs_off_literal_ends() -> None:
    group = "log-group:/aws/lambda/bench-0001-bench-fn00000:*"
    assert _intersects("log-group:/aws/lambda/bench-0001-bench*:*", group)
    assert _intersects("log-group:/aws/lambda/bench-0001-bench*:*:*", group)
    assert not _intersects("log-group:/aws/lambda/other*:*", group)
    assert not _intersects("log-group:/aws/lambda/*:x", "log-group:/aws/lambda/*:y")
    assert _intersects("a?c*", "abc")
    assert not _intersects("ab", "abc")
    assert _intersects("ab*", "ab")
    assert not _intersects("a?", "a")


def test_intersects_star_led_and_star_ended_patterns_always_meet() -> None:
    assert _intersects("x*a?b", "xc?d*") and _reachable("*a?b", "c?d*")  # `xcdab` and its like
    assert _intersects("*:*", "-fn00002:*")
    assert not _intersects("x*ab", "y*")


def test_arn_overlaps_of_a_pattern_with_itself() -> None:
    group = "arn:*:logs:*:*:log-group:/aws/lambda/orders-api:*"
    assert arn_overlaps(group, group)
    assert arn_overlaps("arn:aws:s3:::orders/?x", "arn:aws:s3:::orders/?x")
    assert arn_overlaps("orders", "orders")
    # An escaped `*` (`${*}`) stands for the character, which the stand-in text itself is not.
    escaped = "arn:aws:s3:::orders/\x00"
    assert not arn_overlaps(escaped, escaped)
    assert not arn_overlaps("orders\x00", "orders\x00")
    assert arn_overlaps(escaped, "arn:aws:s3:::orders/*")
