"""The line reader gives exactly what `load_yaml` gives for the block YAML it reads, and refuses the rest."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lambdasec.sources.yaml_events import _Fallback, _resolve_plain, _resolve_plain_core
from lambdasec.sources.yaml_lines import NotPlainBlock, read_plain_block
from lambdasec.sources.yaml_loader import YamlDialect, YamlError, load_yaml
from yaml_trees import same

_RESOLVERS = {YamlDialect.CLOUDFORMATION: _resolve_plain, YamlDialect.JS_YAML: _resolve_plain_core}

READ = {
    "serverless service": """\
service: orders  # the service
frameworkVersion: "3"

provider:
  name: aws
  stage: ${opt:stage, 'dev'}
  environment:
    TABLE: orders-${sls:stage}
  iam:
    role:
      statements:
        - Effect: Allow
          Action:
            - dynamodb:GetItem
          Resource: "*"

functions:
  create:
    handler: app.handler
    events:
      - http:
          path: orders/{id}
          method: post
      - schedule: rate(1 hour)
    enabled: Off
    retries: 0x1F
    ratio: .inf
    nothing:
    tilde: ~
""",
    "indentless sequences and compact mappings": """\
plugins:
- one
- two
list:
-   a: 1
    b:
    - x
    -   y
- c: 2
after: 3
""",
    "tags, flow sequences and empty collections": """\
Resources:
  Fn:
    Properties:
      Role: !GetAtt FnRole.Arn
      Name: !Sub 'bench-${Stage}'
      Layers:
        - !Ref Shared
      Action: [sqs:SendMessage, sqs:GetQueueUrl]
      Empty: []
      None: {}
      Value: !If
        - IsProd
        - a
      Joined: !Join
        - ","
        - [a, b]
""",
    "comments and trailing spaces": "a:   \n  # note\n  b: 1   # one\n\n  c: 'x y'  \n# end\n",
    "indented root": "  a: 1\n  b:\n    - 2\n",
    "duplicate keys": "a: 1\nb: 2\na:\n  c: 3\n",
    "keys with colons": "Fn::GetAtt: x\naws:SourceArn: y\nhttp://host: z\n",
    "repeated lines": "a:\n  x: 1\n  l:\n    - 1\nb:\n  x: 1\n  l:\n    - 1\n",
}

REFUSED = {
    "block scalar": "a: |\n  text\n",
    "multi-line plain scalar": "a: one\n  two\n",
    "anchor": "a: &x 1\nb: *x\n",
    "escape": 'a: "x\\ty"\n',
    "quoted single quote": "a: 'it''s'\n",
    "flow mapping": "a: {b: 1}\n",
    "flow sequence of quoted items": 'a: ["x", y]\n',
    "quoted key": '"a": 1\n',
    "tab": "a:\t1\n",
    "carriage return": "a: 1\r\nb: 2\r\n",
    "delete character": "a: 1\nb: x\x7fy\n",
    "control character": "a: 1\nb: x\x1by\n",
    "document marker": "---\na: 1\n",
    "scalar document": "text\n",
    "empty document": "# nothing\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "mapping value in a scalar": "a: b: c\n",
    "nested sequence on one line": "- - a\n",
    "empty item": "-\n  a: 1\n",
    "empty tagged value": "a: !Ref\nb: 1\n",
    "merge key": "<<: {a: 1}\n",
    "value tag": "a: =\n",
}


def reference(text: str, dialect: YamlDialect) -> Any:
    return load_yaml(text, dialect=dialect)


@pytest.mark.parametrize("name", sorted(READ))
@pytest.mark.parametrize("dialect", list(YamlDialect))
def test_reads_like_load_yaml(name: str, dialect: YamlDialect) -> None:
    text = READ[name]
    same(read_plain_block(text, _RESOLVERS[dialect]), reference(text, dialect))


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refuses(name: str) -> None:
    with pytest.raises((NotPlainBlock, _Fallback)):
        read_plain_block(REFUSED[name], _resolve_plain)


KEYS = st.sampled_from(["a", "Fn::GetAtt", "aws:Source", "x.y", "k-1", "2", "on", "null", "a:", "a b", "<<"])
SCALARS = st.sampled_from(
    [
        "1",
        "yes",
        "Off",
        "~",
        "",
        "0x1F",
        "1:30",
        "2012-10-17",
        "-1",
        "- x",
        "a: b",
        "a #c",
        "a#c",
        "'q'",
        '"d"',
        "'it''s'",
        "[a, b:c]",
        "[]",
        "{}",
        "!Ref x",
        "!GetAtt A.B",
        "!Sub '${X}'",
        "arn:aws:s3:::b/*",
        "${opt:stage, 'dev'}",
        "x:",
        "=",
        ":",
        "?",
        "# c",
    ]
)


@st.composite
def block_lines(draw: st.DrawFn) -> str:
    """Block-style documents with irregular indentation, so that some are invalid YAML."""
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.integers(0, 6))
        match draw(st.integers(0, 4)):
            case 0:
                lines.append(f"{indent}{draw(KEYS)}: {draw(SCALARS)}")
            case 1:
                lines.append(f"{indent}{draw(KEYS)}:")
            case 2:
                lines.append(f"{indent}- {draw(SCALARS)}")
            case 3:
                lines.append(f"{indent}- {draw(KEYS)}: {draw(SCALARS)}")
            case _:
                lines.append(f"{indent}# comment" if draw(st.booleans()) else "")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "  \n"]))


@settings(max_examples=600, deadline=None)
@given(text=block_lines(), dialect=st.sampled_from(list(YamlDialect)))
def test_generated_block_documents(text: str, dialect: YamlDialect) -> None:
    try:
        fast = read_plain_block(text, _RESOLVERS[dialect])
    except (NotPlainBlock, _Fallback):
        return
    try:
        slow = reference(text, dialect)
    except YamlError as exc:  # pragma: no cover - a failure: the reader accepted invalid YAML
        pytest.fail(f"read invalid YAML ({exc.message}):\n{text}")
    same(fast, slow)
