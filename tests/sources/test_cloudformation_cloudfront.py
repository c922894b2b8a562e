"""Lambda@Edge: CloudFront distribution function associations as push triggers (CloudFormation, SAM)."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import TriggerKind, Unresolved
from lambdasec.sources.cloudformation.sam_marks import node
from lambdasec.sources.cloudformation.sam_refs import published_refs, with_published_refs
from lambdasec.sources.yaml_loader import MarkedDict
from sources.cfn.load import diagnostics, fields, line, load

TEMPLATE = """
Parameters:
  Live: {Type: String}
Resources:
  Edge:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: edge, Role: arn:aws:iam::111122223333:role/edge}
  EdgeVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Edge}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: !Ref EdgeVersion
            - EventType: origin-response
              LambdaFunctionARN: !Sub "${Edge.Arn}:3"
        CacheBehaviors:
          - PathPattern: /api/*
            TargetOriginId: site
            ViewerProtocolPolicy: https-only
          - PathPattern: /img/*
            TargetOriginId: site
            ViewerProtocolPolicy: https-only
            LambdaFunctionAssociations:
              - EventType: origin-request
                IncludeBody: true
                LambdaFunctionARN: arn:aws:lambda:us-east-1:111122223333:function:resize:7
              - EventType: viewer-response
                LambdaFunctionARN: !Join [":", [!GetAtt Edge.Arn, !GetAtt EdgeVersion.Version]]
  Paused:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: false
        DefaultCacheBehavior:
          TargetOriginId: site
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: !Ref Live
"""
KEY = "template.yaml#"


def test_each_association_is_a_cloudfront_trigger_of_the_function_behind_the_version(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    inv = output.inventory

    assert diagnostics(output) == set()
    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.enabled, t.origin.line) for t in inv.push_triggers
    } == {
        KEY + "Cdn/DefaultCacheBehavior/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "Edge",
            KEY + "Cdn",
            "viewer-request",
            True,
            line(TEMPLATE, "- EventType: viewer-request"),
        ),
        KEY + "Cdn/DefaultCacheBehavior/LambdaFunctionAssociations/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "Edge",
            KEY + "Cdn",
            "origin-response",
            True,
            line(TEMPLATE, "- EventType: origin-response"),
        ),
        KEY + "Cdn/CacheBehaviors/1/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            "arn:aws:lambda:us-east-1:111122223333:function:resize:7",
            KEY + "Cdn",
            "origin-request",
            True,
            line(TEMPLATE, "- EventType: origin-request"),
        ),
        KEY + "Cdn/CacheBehaviors/1/LambdaFunctionAssociations/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "Edge",
            KEY + "Cdn",
            "viewer-response",
            True,
            line(TEMPLATE, "- EventType: viewer-response"),
        ),
        KEY + "Paused/DefaultCacheBehavior/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            Unresolved("parameter Live has no default"),
            KEY + "Paused",
            "viewer-request",
            False,
            line(TEMPLATE, "- EventType: viewer-request", nth=2),
        ),
    }
    edge = inv.function(KEY + "Edge")
    assert edge is not None
    assert [t.detail for t in inv.push_triggers_of(edge)] == [
        "viewer-request",
        "origin-response",
        "viewer-response",
    ]
    first = next(t for t in inv.push_triggers if t.detail == "viewer-request")
    assert fields(first) == {
        "function": line(TEMPLATE, "LambdaFunctionARN: !Ref EdgeVersion"),
        "detail": line(TEMPLATE, "- EventType: viewer-request"),
        "enabled": line(TEMPLATE, "Enabled: true"),
    }
    assert not TriggerKind.CLOUDFRONT.is_asynchronous


SAM = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Edge:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: exports.handler = async (e) => e.Records[0].cf.request;
      AutoPublishAlias: live
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          LambdaFunctionAssociations:
            - EventType: origin-request
              LambdaFunctionARN: !Ref Edge.Version
            - EventType: viewer-request
              LambdaFunctionARN: !Sub "${Edge.Version}"
"""


def test_sam_version_reference_names_the_published_version_of_the_function(tmp_path: Path) -> None:
    output = load(tmp_path, SAM)
    inv = output.inventory

    assert diagnostics(output) == set()
    assert {t.key: (t.kind, t.function, t.detail, t.origin.line) for t in inv.push_triggers} == {
        KEY + "Cdn/DefaultCacheBehavior/LambdaFunctionAssociations/0": (
            TriggerKind.CLOUDFRONT,
            KEY + "Edge",
            "origin-request",
            line(SAM, "- EventType: origin-request"),
        ),
        KEY + "Cdn/DefaultCacheBehavior/LambdaFunctionAssociations/1": (
            TriggerKind.CLOUDFRONT,
            KEY + "Edge",
            "viewer-request",
            line(SAM, "- EventType: viewer-request"),
        ),
    }


def test_sam_alias_reference_is_rewritten_without_touching_the_input() -> None:
    alias = node(3, [("Type", "AWS::Lambda::Alias")])
    alias["Properties"] = node(3, [("FunctionName", node(3, [("Ref", "Fn")])), ("Name", "live")])
    grant = node(7, [("FunctionName", node(8, [("Ref", "Fn.Alias")])), ("Principal", "s3.amazonaws.com")])
    resources = MarkedDict(1)
    resources.update({"FnAliaslive": alias, "Grant": grant})
    refs = published_refs(resources)

    rewritten = with_published_refs(grant, refs)

    assert refs == {"Fn.Alias": "FnAliaslive"}
    assert rewritten == {"FunctionName": {"Ref": "FnAliaslive"}, "Principal": "s3.amazonaws.com"}
    assert rewritten["FunctionName"].line == 8
    assert grant["FunctionName"] == {"Ref": "Fn.Alias"}
    assert with_published_refs(alias, refs) is alias


CONDITIONAL = """
Parameters:
  Experiment: {Type: String}
  Stage: {Type: String, Default: prod}
Conditions:
  RunExperiment: !Equals [!Ref Experiment, "yes"]
  IsDev: !Equals [!Ref Stage, dev]
Resources:
  Edge:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: edge, Role: arn:aws:iam::111122223333:role/edge}
  EdgeVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Edge}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          LambdaFunctionAssociations:
            - !If
              - IsDev
              - EventType: viewer-request
                LambdaFunctionARN: !Ref EdgeVersion
              - !Ref AWS::NoValue
            - !If
              - RunExperiment
              - EventType: origin-request
                LambdaFunctionARN: !Ref EdgeVersion
              - !Ref AWS::NoValue
        CacheBehaviors:
          - !If
            - RunExperiment
            - PathPattern: /ab/*
              TargetOriginId: site
              LambdaFunctionAssociations:
                - EventType: viewer-response
                  LambdaFunctionARN: !Ref EdgeVersion
            - !Ref AWS::NoValue
"""


def test_a_behavior_or_association_under_an_unknown_condition_may_exist(tmp_path: Path) -> None:
    """`!If [Cond, {...}, !Ref AWS::NoValue]` with a condition on a parameter without a default: the
    trigger is kept, possibly enabled; a condition known to be false drops it."""
    output = load(tmp_path, CONDITIONAL)
    unknown = Unresolved("condition RunExperiment")

    assert diagnostics(output) == set()
    assert [
        (t.key.removeprefix(KEY), t.function, t.detail, t.enabled) for t in output.inventory.push_triggers
    ] == [
        ("Cdn/DefaultCacheBehavior/LambdaFunctionAssociations/1", KEY + "Edge", "origin-request", unknown),
        ("Cdn/CacheBehaviors/0/LambdaFunctionAssociations/0", KEY + "Edge", "viewer-response", unknown),
    ]


WHOLE_LIST = """
Parameters:
  Stage: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Edge:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: edge, Role: arn:aws:iam::111122223333:role/edge}
  EdgeVersion:
    Type: AWS::Lambda::Version
    Properties: {FunctionName: !Ref Edge}
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        DefaultCacheBehavior:
          TargetOriginId: site
          LambdaFunctionAssociations: !If
            - IsProd
            - - EventType: viewer-request
                LambdaFunctionARN: !Ref EdgeVersion
            - !Ref AWS::NoValue
        CacheBehaviors: !If
          - IsProd
          - - PathPattern: /api/*
              TargetOriginId: site
              LambdaFunctionAssociations:
                - EventType: origin-request
                  LambdaFunctionARN: !Ref EdgeVersion
          - []
"""


def test_a_whole_list_under_an_unknown_condition_may_exist(tmp_path: Path) -> None:
    """`LambdaFunctionAssociations: !If [Cond, [...], !Ref AWS::NoValue]` (and the same for
    `CacheBehaviors`): the items of each branch may exist, as items under `!If` do."""
    output = load(tmp_path, WHOLE_LIST)
    unknown = Unresolved("condition IsProd")

    assert diagnostics(output) == set()
    assert [
        (t.key.removeprefix(KEY), t.function, t.detail, t.enabled, t.origin.line)
        for t in output.inventory.push_triggers
    ] == [
        (
            "Cdn/DefaultCacheBehavior/LambdaFunctionAssociations/0",
            KEY + "Edge",
            "viewer-request",
            unknown,
            line(WHOLE_LIST, "EventType: viewer-request"),
        ),
        (
            "Cdn/CacheBehaviors/0/LambdaFunctionAssociations/0",
            KEY + "Edge",
            "origin-request",
            unknown,
            line(WHOLE_LIST, "EventType: origin-request"),
        ),
    ]
