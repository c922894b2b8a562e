"""SAM `AutoPublishAlias: !Ref <parameter>`: the alias is named by the parameter's default, as SAM does."""

from __future__ import annotations

from pathlib import Path

from sources.cfn.load import diagnostics, line, load

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Parameters:
  Alias: {Type: String, Default: live}
  Unknown: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: !Ref Alias
      FunctionUrlConfig: {AuthType: AWS_IAM}
      Events:
        Queue:
          Type: SQS
          Properties: {Queue: !GetAtt Queue.Arn}
  NoDefault:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: !Ref Unknown
"""


def test_alias_named_by_a_parameter_default(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    inv = output.inventory
    assert [(alias.origin.resource, alias.name, alias.function) for alias in inv.aliases] == [
        ("FnAliaslive", "live", "template.yaml#Fn")
    ]
    assert [mapping.qualifier for mapping in inv.event_source_mappings] == ["live"]
    assert [url.qualifier for url in inv.function_urls] == ["live"]
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            line(TEMPLATE, "AutoPublishAlias: !Ref Unknown"),
            "`AutoPublishAlias` must be an alias name (letters, digits, - and _); no alias generated",
        )
    }
