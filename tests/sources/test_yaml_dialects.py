"""Which plain scalars are booleans follows the file's consumer: CloudFormation reads YAML 1.1 (`yes`,
`Off`, `n` are booleans), the Serverless Framework reads with js-yaml (YAML 1.2 core: only `true` and
`false` are); mapping keys are always their text (an environment variable named `Off`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lambdasec.model import EnvVar, SourceKind
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.interface import InputFile
from lambdasec.sources.yaml_events import load_template_text
from lambdasec.sources.yaml_loader import MarkedDict, YamlDialect, load_yaml

KEYS = (
    "Off: 1\nOn: 2\nYes: 3\nNo: 4\ny: 5\nn: 6\ntrue: 7\nFALSE: 8\n12: 9\n0x1F: 10\n1.5: 11\n~: 12\n'q': 13\n"
)
VALUES = (
    "[yes, Yes, YES, no, No, NO, on, On, ON, off, Off, OFF, y, Y, n, N, true, True, TRUE, false, False,"
    " FALSE, 'yes', !!str on, ~, null, '', 12, 0x1F, 1.5, 2012-10-17]"
)
COMMON = [None, None, "", 12, 31, 1.5, "2012-10-17"]


def _loaders() -> list[Any]:
    return [load_template_text, load_yaml]


@pytest.mark.parametrize("load", _loaders())
@pytest.mark.parametrize("dialect", list(YamlDialect))
def test_mapping_keys_are_their_text_as_written(load: Any, dialect: YamlDialect) -> None:
    document = load(KEYS, dialect=dialect)
    assert isinstance(document, MarkedDict)
    assert list(document.items()) == [
        ("Off", 1),
        ("On", 2),
        ("Yes", 3),
        ("No", 4),
        ("y", 5),
        ("n", 6),
        ("true", 7),
        ("FALSE", 8),
        ("12", 9),
        ("0x1F", 10),
        ("1.5", 11),
        ("~", 12),
        ("q", 13),
    ]
    assert document.key_lines == {key: line for line, key in enumerate(document, start=1)}


@pytest.mark.parametrize("load", _loaders())
def test_cloudformation_reads_yaml_1_1_booleans(load: Any) -> None:
    """CloudFormation treats unquoted YAML 1.1 booleans as booleans (`Value: YES` tags a resource `true`)."""
    assert load(VALUES, dialect=YamlDialect.CLOUDFORMATION) == [
        *[True] * 3,
        *[False] * 3,
        *[True] * 3,
        *[False] * 3,
        *["y", "Y", "n", "N"],  # PyYAML leaves the one-letter forms text, as before
        *[True] * 3,
        *[False] * 3,
        "yes",
        "on",
        *COMMON,
    ]


@pytest.mark.parametrize("load", _loaders())
def test_js_yaml_reads_only_true_and_false_as_booleans(load: Any) -> None:
    """The Serverless Framework loads its files with js-yaml: `on`, `Off`, `yes` and `n` are text."""
    assert load(VALUES, dialect=YamlDialect.JS_YAML) == [
        *["yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"],
        *[True] * 3,
        *[False] * 3,
        "yes",
        "on",
        *COMMON,
    ]


def test_the_default_dialect_is_cloudformations() -> None:
    assert load_template_text("a: on\nOff: no\n") == {"a": True, "Off": False}
    assert load_yaml("a: on\nOff: no\n") == {"a": True, "Off": False}


def test_a_cloudformation_variable_named_off_keeps_its_name(tmp_path: Path) -> None:
    """`Variables: {Off: yes}`: the variable is named `Off`; CloudFormation passes the YAML 1.1 boolean
    value on as `true`."""
    template = tmp_path / "template.yaml"
    template.write_text(
        """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/r
      Code: {ZipFile: "x"}
      Environment:
        Variables:
          Off: yes
          On: "No"
          y: n
""",
        encoding="utf-8",
    )
    item = InputFile(path=template, display="template.yaml", kind=SourceKind.CLOUDFORMATION)
    output = CloudFormationSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    [function] = output.inventory.functions
    assert function.environment == (
        EnvVar(name="Off", value="true"),
        EnvVar(name="On", value="No"),
        EnvVar(name="y", value="n"),
    )


def test_a_mapping_keyed_by_account_ids_finds_its_entries(tmp_path: Path) -> None:
    """`Mappings` keyed by plain account ids (`111122223333:`) are looked up by their text, as
    `Fn::FindInMap` names them."""
    template = tmp_path / "template.yaml"
    template.write_text(
        """AWSTemplateFormatVersion: "2010-09-09"
Mappings:
  Accounts:
    111122223333:
      Stage: prod
    1.10:
      Stage: dev
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/r
      Code: {ZipFile: "x"}
      Environment:
        Variables:
          PROD: !FindInMap [Accounts, 111122223333, Stage]
          DEV: !FindInMap [Accounts, "1.10", Stage]
""",
        encoding="utf-8",
    )
    item = InputFile(path=template, display="template.yaml", kind=SourceKind.CLOUDFORMATION)
    output = CloudFormationSource().load((item,), root=tmp_path)
    assert output.diagnostics == ()
    [function] = output.inventory.functions
    assert function.environment == (EnvVar(name="PROD", value="prod"), EnvVar(name="DEV", value="dev"))
