"""Nested stacks and SAM applications with a local child template: the parent's values are the child's."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from lambdasec.config import Settings
from lambdasec.model import AuthType, Unresolved
from lambdasec.scan import ScanRequest, scan
from lambdasec.sources.cloudformation import CloudFormationSource
from lambdasec.sources.interface import SourceOutput
from sources.cfn.load import line, write

CHILD = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  UrlAuth:
    Type: String
    Default: AWS_IAM
  Memory:
    Type: Number
    Default: 128
  Subnets:
    Type: CommaDelimitedList
    Default: subnet-default
  Table:
    Type: String
    Default: default-table
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      MemorySize: !Ref Memory
      VpcConfig:
        SubnetIds: !Ref Subnets
        SecurityGroupIds: [sg-1]
      Environment:
        Variables:
          TABLE: !Ref Table
      FunctionUrlConfig:
        AuthType: !Ref UrlAuth
"""

STACK_PARENT = """
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./child/template.yaml
      Parameters:
        UrlAuth: NONE
        Memory: 1024
        Subnets: subnet-a,subnet-b
        Table: !Sub orders-${Env}
"""

APPLICATION_PARENT = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Child:
    Type: AWS::Serverless::Application
    Properties:
      Location: child/template.yaml
      Parameters:
        UrlAuth: NONE
        Table: !GetAtt Bucket.Arn
"""


def _load(root: Path, templates: dict[str, str]) -> SourceOutput:
    files = tuple(write(root, text, name=name) for name, text in templates.items())
    return CloudFormationSource(workers=0).load(files, root=root)


def _function(output: SourceOutput) -> tuple[object, ...]:
    (fn,) = output.inventory.functions
    (url,) = output.inventory.function_urls
    table = {var.name: var.value for var in fn.environment}["TABLE"]
    subnets = fn.vpc.subnet_ids if fn.vpc is not None else None
    return fn.origin.file, fn.memory_mb, subnets, table, url.auth_type, url.origin.file


def test_a_nested_stack_gives_its_values_to_the_child(tmp_path: Path) -> None:
    output = _load(tmp_path, {"template.yaml": STACK_PARENT, "child/template.yaml": CHILD})
    assert output.diagnostics == ()
    assert output.files == ("template.yaml", "child/template.yaml")
    assert _function(output) == (
        "child/template.yaml",
        1024,
        ("subnet-a", "subnet-b"),
        "orders-prod",
        AuthType.NONE,
        "child/template.yaml",
    )


def test_the_result_does_not_depend_on_the_order_of_the_files(tmp_path: Path) -> None:
    output = _load(tmp_path, {"child/template.yaml": CHILD, "template.yaml": STACK_PARENT})
    assert _function(output)[1:5] == (1024, ("subnet-a", "subnet-b"), "orders-prod", AuthType.NONE)


def test_an_application_value_the_parent_cannot_know_is_unresolved(tmp_path: Path) -> None:
    output = _load(tmp_path, {"template.yaml": APPLICATION_PARENT, "child/template.yaml": CHILD})
    assert _function(output)[1:5] == (
        128,
        ("subnet-default",),
        Unresolved("Child.Parameters.Table in template.yaml: !GetAtt Bucket.Arn"),
        AuthType.NONE,
    )


def test_a_child_without_a_parent_keeps_its_defaults(tmp_path: Path) -> None:
    output = _load(tmp_path, {"child/template.yaml": CHILD})
    assert _function(output)[1:5] == (128, ("subnet-default",), "default-table", AuthType.AWS_IAM)


def test_a_child_of_two_parents_takes_only_what_they_agree_on(tmp_path: Path) -> None:
    other = STACK_PARENT.replace("Memory: 1024", "Memory: 512").replace("Child:", "Other:")
    output = _load(
        tmp_path,
        {
            "template.yaml": STACK_PARENT,
            "other/template.yaml": other.replace("./child", "../child"),
            "child/template.yaml": CHILD,
        },
    )
    shown = "Other.Parameters.Memory in other/template.yaml and Child.Parameters.Memory in template.yaml"
    assert _function(output)[1:5] == (
        Unresolved(f"Memory is given differently by {shown}"),
        ("subnet-a", "subnet-b"),
        "orders-prod",
        AuthType.NONE,
    )


def test_values_pass_through_stacks_nested_twice(tmp_path: Path) -> None:
    top = """
    Resources:
      Middle:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: middle.yaml
          Parameters: {Auth: NONE}
    """
    middle = """
    Parameters:
      Auth: {Type: String, Default: AWS_IAM}
      Missing: {Type: String}
    Resources:
      Child:
        Type: AWS::CloudFormation::Stack
        Properties:
          TemplateURL: child/template.yaml
          Parameters: {UrlAuth: !Ref Auth, Table: !Ref Missing}
    """
    output = _load(
        tmp_path,
        {
            "top.yaml": textwrap.dedent(top),
            "middle.yaml": textwrap.dedent(middle),
            "child/template.yaml": CHILD,
        },
    )
    assert _function(output)[3:5] == (
        Unresolved("Child.Parameters.Table in middle.yaml: parameter Missing has no default"),
        AuthType.NONE,
    )


def test_the_url_the_parent_opens_is_reported_at_the_child_line(tmp_path: Path) -> None:
    write(tmp_path, STACK_PARENT, name="template.yaml")
    write(tmp_path, CHILD, name="child/template.yaml")
    request = ScanRequest(
        paths=(tmp_path,), settings=Settings(rules=frozenset({"LS201"})), today=date(2026, 11, 22)
    )
    found = [(f.rule, f.location.file, f.location.line) for f in scan(request).findings]
    assert found == [("LS201", "child/template.yaml", line(CHILD, "AuthType: !Ref UrlAuth"))]


LOOP_CHILD = """
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Parameters:
  Names: {Type: CommaDelimitedList, Default: one}
  Alias: {Type: String, Default: dev}
Resources:
  Fn::ForEach::Functions:
    - Name
    - !Ref Names
    - ${Name}Fn:
        Type: AWS::Serverless::Function
        Properties: {Runtime: python3.13, Handler: app.handler, CodeUri: src/, AutoPublishAlias: !Ref Alias}
"""

LOOP_PARENT = """
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters: {Names: "users, orders", Alias: live}
"""


def test_loops_and_aliases_expanded_at_load_time_read_the_given_values(tmp_path: Path) -> None:
    output = _load(tmp_path, {"parent.yaml": LOOP_PARENT, "child.yaml": LOOP_CHILD})
    assert output.diagnostics == ()
    inv = output.inventory
    assert sorted(fn.origin.resource for fn in inv.functions) == ["ordersFn", "usersFn"]
    assert sorted((alias.origin.resource, alias.name) for alias in inv.aliases) == [
        ("ordersFnAliaslive", "live"),
        ("usersFnAliaslive", "live"),
    ]
