"""Static evaluation of intrinsic functions, pseudo parameters and conditions."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from lambdasec.model import SourceKind, Unresolved
from lambdasec.sources.cloudformation.diagnostics import Diagnostics
from lambdasec.sources.cloudformation.intrinsics import MAX_DEPTH, NO_VALUE, Link, Resolver, describe
from lambdasec.sources.yaml_loader import load_yaml

TEMPLATE = """\
Parameters:
  Env:
    Type: String
    Default: prod
  Auth:
    Type: String
  Subnets:
    Type: CommaDelimitedList
    Default: "subnet-a, subnet-b"
  Memory:
    Type: Number
    Default: 512
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /app/auth
Mappings:
  Sizes:
    prod: {memory: "1024", subnets: [a, b]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  HasAuth: !Equals [!Ref Auth, NONE]
  ProdOrAuth: !Or [!Condition IsProd, !Condition HasAuth]
  DevAndAuth: !And [!Condition IsDev, !Condition HasAuth]
  Loop: !Not [!Condition Loop]
Resources:
  Fn:
    Type: AWS::Lambda::Function
  Role:
    Type: AWS::IAM::Role
"""


def evaluate(expression: str, *, deep: bool = True) -> tuple[Any, Diagnostics]:
    """Evaluate the YAML `expression` in the context of TEMPLATE."""
    doc = load_yaml(
        TEMPLATE + "Values:\n  X: " + textwrap.dedent(expression).strip().replace("\n", "\n    ") + "\n"
    )
    diagnostics = Diagnostics(file="t.yaml", source=SourceKind.CLOUDFORMATION)
    resolver = Resolver(doc, diagnostics=diagnostics)
    node = doc["Values"]["X"]
    return (resolver.deep(node) if deep else resolver.resolve(node)), diagnostics


def value(expression: str) -> Any:
    result, diagnostics = evaluate(expression)
    assert diagnostics.items == ()
    return result


def warnings(expression: str) -> tuple[Any, list[tuple[int | None, str]]]:
    result, diagnostics = evaluate(expression)
    assert all(d.level == "warning" and d.file == "t.yaml" for d in diagnostics.items)
    return result, [(d.line, d.message) for d in diagnostics.items]


VALUES_LINE = TEMPLATE.count("\n") + 2  # the line of `X:` under `Values:`


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("!Ref Env", "prod"),
        ("!Ref Auth", Unresolved("parameter Auth has no default")),
        ("!Ref Subnets", ["subnet-a", "subnet-b"]),
        ("!Ref Memory", 512),
        ("!Ref FromSsm", Unresolved("!Ref FromSsm (read from SSM parameter /app/auth)")),
        ("!Ref AWS::Partition", "aws"),
        ("!Ref AWS::URLSuffix", "amazonaws.com"),
        ("!Ref AWS::Region", Unresolved("!Ref AWS::Region")),
        ("!Ref AWS::AccountId", Unresolved("!Ref AWS::AccountId")),
        ("!Ref AWS::StackName", Unresolved("!Ref AWS::StackName")),
        ("{Ref: Env}", "prod"),
        ("!Ref Fn", Link("Fn")),
        ("!GetAtt Fn.Arn", Link("Fn", "Arn")),
        ("!GetAtt [Role, Arn]", Link("Role", "Arn")),
        ("{Fn::GetAtt: [Role, RoleId]}", Link("Role", "RoleId")),
        ("{Fn::GetAtt: Role.Arn}", Link("Role", "Arn")),
    ],
)
def test_references(expression: str, expected: Any) -> None:
    assert value(expression) == expected


def test_no_value_removes_the_property_and_list_items() -> None:
    assert value("!Ref AWS::NoValue") is NO_VALUE
    assert value("{A: !Ref AWS::NoValue, B: 1}") == {"B": 1}
    assert value("[a, !Ref AWS::NoValue, b]") == ["a", "b"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("!Sub ${Env}-orders", "prod-orders"),
        (
            "!Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ),
        ('!Sub ["${Name}-${Env}", {Name: !Join ["-", [a, b]]}]', "a-b-prod"),
        ('!Sub "${!Literal}-${Env}"', "${Literal}-prod"),
        ("!Sub ${Memory}MB", "512MB"),
        ("!Sub no-variables", "no-variables"),
        ("!Sub arn:${AWS::Region}:x", Unresolved("!Sub arn:${AWS::Region}:x")),
        ("!Sub ${Fn.Arn}/invocations", Unresolved("!Sub ${Fn.Arn}/invocations")),
        ("!Sub ${Auth}", Unresolved("!Sub ${Auth}")),
        ('!Join [",", [a, !Ref Env, 3]]', "a,prod,3"),
        ('!Join [",", !Ref Subnets]', "subnet-a,subnet-b"),
        ('!Join ["", ["arn:", !Ref AWS::Region]]', Unresolved("!Join [, [arn:, !Ref AWS::Region]]")),
        ("!Select [1, [a, b, c]]", "b"),
        ('!Select ["0", !Ref Subnets]', "subnet-a"),
        ('!Select [0, !GetAZs ""]', Unresolved("!Select [0, !GetAZs ]")),
        ('!Split [",", "a,b"]', ["a", "b"]),
        ('!Join ["|", !Split [",", "a,b"]]', "a|b"),
        ("!FindInMap [Sizes, !Ref Env, memory]", "1024"),
        ("!FindInMap [Sizes, prod, subnets]", ["a", "b"]),
        ('!FindInMap [Sizes, dev, memory, {DefaultValue: "128"}]', "128"),
        ("!ImportValue shared-vpc", Unresolved("!ImportValue shared-vpc")),
        ('!ImportValue {Fn::Sub: "${Env}-vpc"}', Unresolved("!ImportValue !Sub ${Env}-vpc")),
        ('!Base64 "echo ${Env}"', "ZWNobyAke0Vudn0="),
        ('!Base64 {Fn::Sub: "echo ${Env}"}', "ZWNobyBwcm9k"),
        ('!GetAZs ""', Unresolved("!GetAZs ")),
        ("!Length [a, b, !Ref AWS::NoValue]", 2),
        ("{Fn::Length: !Ref Subnets}", 2),
        ("!ToJsonString {a: !Ref Env, b: [1, true]}", '{"a":"prod","b":[1,true]}'),
        ("!ToJsonString {a: !Ref AWS::Region}", Unresolved("!ToJsonString {a: !Ref AWS::Region}")),
        ("!Cidr [10.0.0.0/16, 4, 8]", Unresolved("!Cidr [10.0.0.0/16, 4, 8]")),
    ],
)
def test_functions(expression: str, expected: Any) -> None:
    assert value(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("!If [IsProd, big, small]", "big"),
        ("!If [IsDev, big, small]", "small"),
        ("!If [HasAuth, a, b]", Unresolved("!If [HasAuth, a, b]")),
        ("!If [HasAuth, same, same]", "same"),
        (
            "!If [ProdOrAuth, on-path, off-path]",
            "on-path",
        ),  # Or: one true operand decides despite an unknown one
        ("!If [DevAndAuth, on-path, off-path]", "off-path"),  # And: one false operand decides
        ("!If [IsProd, !Ref AWS::NoValue, x]", NO_VALUE),
        ("!If [IsProd, {Mode: Active}, {Mode: PassThrough}]", {"Mode": "Active"}),
        ('!Equals [!Ref Memory, "512"]', True),
        ("!Equals [!Ref Auth, x]", Unresolved("!Equals [!Ref Auth, x]")),
    ],
)
def test_conditions_evaluate_over_parameter_defaults(expression: str, expected: Any) -> None:
    assert value(expression) == expected


def test_the_chosen_branch_keeps_its_line_marks() -> None:
    result, _ = evaluate("!If\n- IsProd\n- {Mode: Active}\n- {Mode: PassThrough}", deep=False)
    assert result == {"Mode": "Active"}
    assert result.line == VALUES_LINE + 2


@pytest.mark.parametrize(
    ("expression", "expected", "message"),
    [
        (
            "{Fn::Frobnicate: [a]}",
            Unresolved("!Frobnicate [a]"),
            "unknown intrinsic function `Fn::Frobnicate`",
        ),
        ("!Frob thing", Unresolved("!Frob thing"), "unknown YAML tag `!Frob`"),
        ("!Ref Nowhere", Unresolved("!Ref Nowhere"), "!Ref to undefined parameter or resource `Nowhere`"),
        (
            "!GetAtt Nowhere.Arn",
            Unresolved("!GetAtt Nowhere.Arn"),
            "Fn::GetAtt of undefined resource `Nowhere`",
        ),
        ("!Select [5, [a]]", Unresolved("!Select [5, [a]]"), "Fn::Select index 5 is out of range"),
        ('!Join "abc"', Unresolved("!Join abc"), "Fn::Join expects [delimiter, [values]]"),
        (
            "!FindInMap [Sizes, dev, memory]",
            Unresolved("!FindInMap [Sizes, dev, memory]"),
            "Fn::FindInMap finds no entry Sizes.dev.memory",
        ),
        ("!If [Missing, a, b]", Unresolved("!If [Missing, a, b]"), "undefined condition `Missing`"),
        (
            "!Transform {Name: AWS::Include}",
            Unresolved("!Transform {Name: AWS::Include}"),
            "Fn::Transform macros are not expanded",
        ),
    ],
)
def test_what_cannot_be_understood_is_unresolved_with_a_warning(
    expression: str, expected: Any, message: str
) -> None:
    result, found = warnings(expression)
    assert result == expected
    assert found == [(VALUES_LINE, message)]


def test_a_circular_condition_is_reported_where_it_is_declared() -> None:
    result, found = warnings("!If [Loop, a, b]")
    assert result == Unresolved("!If [Loop, a, b]")
    assert found == [
        (
            TEMPLATE.splitlines().index("  Loop: !Not [!Condition Loop]") + 1,
            "condition `Loop` refers to itself",
        )
    ]


def test_deep_nesting_stops_with_a_warning_instead_of_recursing() -> None:
    expression = "x"
    for _ in range(MAX_DEPTH + 5):
        expression = (
            f"!Join ['', [{expression}]]" if expression == "x" else "{Fn::Join: ['', [" + expression + "]]}"
        )
    result, found = warnings(expression)
    assert isinstance(result, Unresolved)
    assert found == [(VALUES_LINE, "expression nests too deeply to evaluate")]


def test_excluded_resources_follow_their_condition() -> None:
    doc = load_yaml(
        TEMPLATE
        + "  Only:\n    Type: AWS::SNS::Topic\n    Condition: IsDev\n"
        + "  Maybe:\n    Type: AWS::SNS::Topic\n    Condition: HasAuth\n"
    )
    resolver = Resolver(doc, diagnostics=Diagnostics(file="t.yaml", source=SourceKind.CLOUDFORMATION))
    assert resolver.included(doc["Resources"]["Fn"]) is True
    assert resolver.included(doc["Resources"]["Only"]) is False
    assert resolver.included(doc["Resources"]["Maybe"]) is True  # unknown: kept


def test_describe_gives_short_forms() -> None:
    assert describe({"Fn::GetAtt": ["Bucket", "Arn"]}) == "!GetAtt Bucket.Arn"
    assert describe({"Fn::Sub": ["${A}-x", {"A": "b"}]}) == "!Sub ${A}-x"
    assert describe({"Fn::Join": ["", ["a", {"Ref": "B"}]]}) == "!Join [, [a, !Ref B]]"
    assert describe({"Fn::Join": ["", ["x" * 200]]}).endswith("…")
    assert len(describe({"Fn::Join": ["", ["x" * 200]]})) == 120
