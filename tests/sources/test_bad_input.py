"""Bad input never stops a scan: each problem is a diagnostic with file and line; other templates load."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from lambdasec.model import Unresolved
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.discover import discover
from lambdasec.sources.interface import SourceOutput

GOOD = """\
Resources:
  Good:
    Type: AWS::Lambda::Function
    Properties: {Role: r, Runtime: python3.12}
"""


def scan(root: Path, files: dict[str, str | bytes]) -> SourceOutput:
    """Write `files` next to a valid `good.yaml` and load whatever discovery selects."""
    for name, content in {"good.yaml": GOOD, **files}.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"))
    found = discover([root])
    output = CloudFormationSource().load(found.files, root=found.root)
    assert [fn.key for fn in output.inventory.functions if fn.origin.file == "good.yaml"] == [
        "good.yaml#Good"
    ]
    return output


def problems(output: SourceOutput) -> set[tuple[str, str | None, int | None, str]]:
    return {(str(d.level), d.file, d.line, d.message) for d in output.diagnostics}


def test_bad_yaml(tmp_path: Path) -> None:
    output = scan(tmp_path, {"template.yaml": "Resources:\n  Fn:\n    Type: [unclosed\n"})
    assert problems(output) == {
        (
            "error",
            "template.yaml",
            4,
            "invalid YAML: while parsing a flow sequence did not find expected ',' or ']'",
        )
    }
    assert output.files == ("good.yaml",)


def test_bad_yaml_in_a_file_that_is_not_meant_as_a_template_is_ignored(tmp_path: Path) -> None:
    output = scan(tmp_path, {"notes.yaml": "mentions AWS::Lambda and Resources\n  - : [\n"})
    assert problems(output) == set()


def test_invalid_json(tmp_path: Path) -> None:
    text = '{\n  "Resources": {\n    "Fn": {"Type": "AWS::Lambda::Function",}\n'
    output = scan(tmp_path, {"stack.json": text})
    expected = "invalid JSON: Expecting property name enclosed in double quotes (column 44)"
    assert problems(output) == {("error", "stack.json", 3, expected)}


def test_json_that_yaml_refuses_still_loads_without_lines(tmp_path: Path) -> None:
    long_key = "k" * 1100  # YAML limits implicit keys to 1024 characters; JSON does not
    text = json.dumps(
        {
            "Metadata": {long_key: 1},
            "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs22.x"}}},
        }
    )
    output = scan(tmp_path, {"stack.json": text})
    assert problems(output) == set()
    (fn,) = [f for f in output.inventory.functions if f.origin.file == "stack.json"]
    assert (fn.runtime, fn.origin.line, fn.origin.fields) == ("nodejs22.x", None, ())


def test_yaml_alias_bomb(tmp_path: Path) -> None:
    bomb = "\n".join(
        ["Resources:", '  a: &a ["x","x","x","x","x","x","x","x","x","x"]']
        + [f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(6)]
    )
    output = scan(tmp_path, {"template.yaml": bomb + "\n"})
    ((level, file, line, message),) = problems(output)
    assert (level, file, line) == ("error", "template.yaml", 1)
    assert message.startswith("invalid YAML: YAML aliases expand to more than ")
    assert message.endswith(" nodes (a YAML bomb?); not loaded")


def test_oversized_file_is_rejected_by_its_size_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "template.yaml"
    with big.open("wb") as stream:
        stream.write(GOOD.encode())
        stream.truncate(50 * 1024 * 1024)
    original = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self.name != "template.yaml", "the oversized template was read"
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    output = scan(tmp_path, {})
    assert problems(output) == {
        ("error", "template.yaml", None, "file is 50.0 MiB, over the 32 MiB limit for templates; not read")
    }


def test_binary_garbage_named_like_a_template(tmp_path: Path) -> None:
    output = scan(tmp_path, {"template.yaml": bytes(range(256)) * 4})
    assert problems(output) == {
        ("error", "template.yaml", None, "not a text file (it contains NUL bytes); not read")
    }


def test_undecodable_text(tmp_path: Path) -> None:
    output = scan(
        tmp_path, {"template.yaml": b"Resources:\n  Fn:\n    Type: AWS::Lambda::Function \xff\xfe\n"}
    )
    assert problems(output) == {
        ("error", "template.yaml", None, "not a text file (invalid UTF-8 at byte 49); not read")
    }


def test_a_template_name_without_resources_is_a_warning(tmp_path: Path) -> None:
    output = scan(tmp_path, {"template.yaml": "Description: nothing here\n"})
    assert problems(output) == {
        ("warning", "template.yaml", None, "not a CloudFormation template: no `Resources` with `AWS::` types")
    }


def test_unknown_intrinsic_and_unknown_tag(tmp_path: Path) -> None:
    output = scan(
        tmp_path,
        {
            "stack.yaml": """
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Role: r
                  Runtime: {Fn::Frobnicate: [python3.12]}
                  Handler: !Weird app.handler
            """
        },
    )
    assert problems(output) == {
        ("warning", "stack.yaml", 6, "unknown intrinsic function `Fn::Frobnicate`"),
        ("warning", "stack.yaml", 7, "unknown YAML tag `!Weird`"),
    }
    (fn,) = [f for f in output.inventory.functions if f.origin.file == "stack.yaml"]
    assert (fn.runtime, fn.handler) == (
        Unresolved("!Frobnicate [python3.12]"),
        Unresolved("!Weird app.handler"),
    )


def test_wrong_types_are_errors_and_become_unresolved(tmp_path: Path) -> None:
    output = scan(
        tmp_path,
        {
            "stack.yaml": """
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Role: [not, a, string]
                  Layers: "arn:aws:lambda:us-east-1:123456789012:layer:x:1"
                  MemorySize: lots
                  Environment: {Variables: [A, B]}
                  Architectures: [sparc]
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Statement: {Effect: Allow, Action: 5}}
                  Policies: 5
              Broken: 12
              Url:
                Type: AWS::Lambda::Url
                Properties: "TargetFunctionArn"
            """
        },
    )
    (fn,) = [f for f in output.inventory.functions if f.origin.file == "stack.yaml"]
    assert fn.role == Unresolved("Role: a list where a string belongs")
    assert fn.layers == Unresolved("Layers: a string where a list belongs")
    assert fn.memory_mb == Unresolved("MemorySize: a string where an integer belongs")
    assert fn.environment == Unresolved("Environment.Variables: a list where a mapping belongs")
    assert fn.architectures == (Unresolved("Architectures: unknown value sparc"),)
    (role,) = output.inventory.roles
    assert role.policies == ()
    assert role.trust_policy.statements[0].actions == ("5",)  # type: ignore[union-attr]
    (url,) = output.inventory.function_urls
    assert url.function == Unresolved("TargetFunctionArn is missing")
    warn = "value not evaluated"
    assert problems(output) == {
        ("error", "stack.yaml", 5, f"`Fn`: `Role` should be a string, not a list; {warn}"),
        ("error", "stack.yaml", 6, f"`Fn`: `Layers` should be a list, not a string; {warn}"),
        ("error", "stack.yaml", 7, f"`Fn`: `MemorySize` should be an integer, not a string; {warn}"),
        (
            "error",
            "stack.yaml",
            8,
            f"`Fn`: `Environment.Variables` should be a mapping, not a list; {warn}",
        ),
        ("warning", "stack.yaml", 9, "`Fn`: `Architectures` is `sparc`, expected one of x86_64, arm64"),
        ("error", "stack.yaml", 14, f"`Role`: `Policies` should be a list, not a number; {warn}"),
        ("warning", "stack.yaml", 15, "resource `Broken` has no `Type`; ignored"),
        ("error", "stack.yaml", 18, f"`Url`: `Properties` should be a mapping, not a string; {warn}"),
        ("warning", "stack.yaml", 16, "`Url`: required property `TargetFunctionArn` is missing"),
        ("warning", "stack.yaml", 16, "`Url`: required property `AuthType` is missing"),
    }


def test_json_with_a_trailing_comma_is_invalid_even_though_yaml_accepts_it(tmp_path: Path) -> None:
    text = '{\n  "Resources": {\n    "Fn": {"Type": "AWS::Lambda::Function",}\n  }\n}\n'
    output = scan(tmp_path, {"stack.template.json": text})
    expected = "invalid JSON: Expecting property name enclosed in double quotes (column 44)"
    assert problems(output) == {("error", "stack.template.json", 3, expected)}
    assert output.files == ("good.yaml",)
