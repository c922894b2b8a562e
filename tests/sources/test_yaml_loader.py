"""Tests for the line-marking YAML loader."""

from __future__ import annotations

import copy
import pickle

import pytest

from lambdasec.sources.yaml_loader import MarkedDict, MarkedList, YamlError, line_of, load_yaml

TEMPLATE = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      Name: !Sub "${AWS::StackName}-orders"
      Layers:
        - !Ref SharedLayer
        - arn:aws:lambda:us-east-1:123456789012:layer:x:1
      Version: 2012-10-17
      Custom: !Frobnicate thing
"""


def test_short_form_tags_become_long_form_with_lines() -> None:
    doc = load_yaml(TEMPLATE)
    props = doc["Resources"]["Fn"]["Properties"]
    assert props == {
        "Role": {"Fn::GetAtt": ["FnRole", "Arn"]},
        "Name": {"Fn::Sub": "${AWS::StackName}-orders"},
        "Layers": [{"Ref": "SharedLayer"}, "arn:aws:lambda:us-east-1:123456789012:layer:x:1"],
        "Version": "2012-10-17",
        "Custom": {"!Frobnicate": "thing"},
    }
    assert isinstance(props, MarkedDict)
    assert props.line == 5
    assert props.key_lines == {"Role": 5, "Name": 6, "Layers": 7, "Version": 10, "Custom": 11}
    layers = props["Layers"]
    assert isinstance(layers, MarkedList)
    assert layers.item_lines == [8, 9]
    assert line_of(layers, 1) == 9
    assert line_of(props, "Missing") == 5
    assert line_of(doc["Resources"]["Fn"]) == 3


def test_json_keeps_lines() -> None:
    doc = load_yaml('{\n  "Resources": {\n    "Fn": {"Type": "AWS::Lambda::Function"}\n  }\n}\n')
    assert doc["Resources"].key_lines == {"Fn": 3}


def test_timestamps_stay_strings() -> None:
    assert load_yaml("d: 2012-10-17\nt: 2001-12-14t21:59:43.10-05:00\n") == {
        "d": "2012-10-17",
        "t": "2001-12-14t21:59:43.10-05:00",
    }


def test_alias_bomb_is_refused_with_line() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(YamlError) as err:
        load_yaml("\n".join(lines) + "\n")
    assert "YAML bomb" in err.value.message
    assert err.value.line == 1


def test_modest_aliases_are_fine() -> None:
    doc = load_yaml("base: &base {Runtime: python3.12}\nfn: *base\n")
    assert doc["fn"] == {"Runtime": "python3.12"}


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlError, match="recursive"):
        load_yaml("a: &a [*a]\n")


def test_syntax_error_reports_line() -> None:
    with pytest.raises(YamlError) as err:
        load_yaml("Resources:\n  Fn: [1,\n  Other: x\n")
    assert err.value.line == 4


def test_unhashable_key_is_an_error_not_a_crash() -> None:
    with pytest.raises(YamlError, match="unhashable"):
        load_yaml("? [a, b]\n: value\n")


def test_pickling_and_copying_keep_types_items_and_lines() -> None:
    doc = load_yaml("a:\n  b: [1, 2]\n  c:\n    - x: 1\nd: 2\n")
    shared = doc["a"]["c"]
    doc["e"] = shared  # a subtree used twice stays one object
    for again in (
        *(pickle.loads(pickle.dumps(doc, protocol)) for protocol in range(pickle.HIGHEST_PROTOCOL + 1)),
        copy.deepcopy(doc),
    ):
        assert again == doc
        assert type(again) is MarkedDict and type(again["a"]["c"]) is MarkedList
        assert (again.line, again.key_lines) == (1, {"a": 1, "d": 5})
        assert (again["a"].line, again["a"].key_lines) == (2, {"b": 2, "c": 3})
        assert (again["a"]["b"].line, again["a"]["b"].item_lines) == (2, [2, 2])
        assert (again["a"]["c"].line, again["a"]["c"].item_lines) == (4, [4])
        assert again["a"]["c"][0].key_lines == {"x": 4}
        assert again["e"] is again["a"]["c"]
