"""The event-based template loader gives exactly what `load_yaml` gives: values, types, lines and errors."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdasec.sources.yaml_events import load_template_text
from lambdasec.sources.yaml_loader import YamlDialect, YamlError, load_yaml
from yaml_trees import same


def outcome(load: Any, text: str, dialect: YamlDialect) -> tuple[str, Any]:
    try:
        return "ok", load(text, dialect=dialect)
    except YamlError as exc:
        return "error", (exc.message, exc.line)


def check(text: str) -> None:
    for dialect in YamlDialect:
        fast = outcome(load_template_text, text, dialect)
        slow = outcome(load_yaml, text, dialect)
        assert fast[0] == slow[0], dialect
        if fast[0] == "ok":
            same(fast[1], slow[1])
        else:
            assert fast[1] == slow[1], dialect


DOCUMENTS = {
    "template": """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: [AWS::Serverless-2016-10-31]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Name: !Sub "${AWS::StackName}-orders"
      Layers:
        - !Ref SharedLayer
        - arn:aws:lambda:us-east-1:123456789012:layer:x:1
      Env: !If
        - IsProd
        - {A: !Join [",", [a, b]]}
        - !Ref AWS::NoValue
      Version: 2012-10-17
      Custom: !Frobnicate thing
      Tagged: !Frobnicate {a: 1}
      Listed: !Frobnicate [1, 2]
      Scalars: [yes, No, on, "on", ~, null, '', 0x1F, 0o17, 1_000, 1:30, .inf, -.Inf, .NaN, 3.5e2, +7]
      Stamp: 2001-12-14t21:59:43.10-05:00
      Block: |
        line one
        line two
      Folded: >
        folded
        text
""",
    "anchors": "base: &base {a: 1, b: [x, y]}\nuses: [*base, *base]\nscalar: &s hello\nagain: *s\n",
    "aliases as keys and tagged anchors": "&k a: 1\nb: &t !Ref x\n*k : *t\nc: [*t]\n",
    "merge keys": "base: &base {a: 1, b: 2}\nchild:\n  <<: *base\n  b: 3\n",
    "explicit tags": "a: !!str 123\nb: !!int '7'\nc: !!float '1'\nd: !!binary aGVsbG8=\n",
    "explicit collection tags": "e: !!map {x: 1}\nf: !!seq [1]\n",
    "non-specific tag": "a: ! 123\n",
    "json": '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Timeout": 3}}}}',
    "scalar document": "just text\n",
    "empty document": "",
    "comments only": "# nothing\n",
    "explicit document": "---\na: 1\n...\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "unhashable key": "? [a, b]\n: 1\n",
    "tagged key": "!Ref x: 1\n",
    "recursive alias": "a: &a [*a]\n",
    "unknown alias": "a: *nowhere\n",
    "value tag": "a: =\n",
    "null and bool keys": "null: 1\ntrue: 2\n3: 4\n",
    "yaml 1.1 boolean keys and values": "Off: on\nOn: Off\nYes: n\n[No, y]: 1\n{n: 1}: 2\n~: 1.5\n",
    "anchored keys": "&k Off: yes\n*k : 2\nv: *k\n&n 7: x\nw: *n\n",
    "explicit boolean tag": "a: !!bool yes\nb: !!bool 'true'\n",
    "duplicate keys": "a: 1\nb: 2\na: 3\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)),
    "deep nesting": "a: " + "[" * 300 + "]" * 300 + "\n",
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents(name: str) -> None:
    check(DOCUMENTS[name])


TRICKY = st.sampled_from(
    [
        "yes",
        "off",
        "~",
        "null",
        "0x1F",
        "1_000",
        "1:30",
        "2012-10-17",
        ".inf",
        "=",
        "<<",
        "!Ref",
        "",
        "a: b",
        "- x",
    ]
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12), TRICKY
)
DATA = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(data=DATA, flow=st.sampled_from([False, True, None]))
def test_generated_documents(data: Any, flow: bool | None) -> None:
    check(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))
