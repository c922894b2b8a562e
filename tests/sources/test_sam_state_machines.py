"""SAM `AWS::Serverless::StateMachine`: the Lambda tasks of its definition are Step Functions triggers."""

from __future__ import annotations

import json
from pathlib import Path

from lambdasec.model import TriggerKind
from sources.cfn.load import diagnostics, line, load

TEMPLATE = """
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
  Inline:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
      Definition:
        StartAt: Fan
        States:
          Fan:
            Type: Parallel
            End: true
            Branches:
              - StartAt: Each
                States:
                  Each:
                    Type: Map
                    End: true
                    Iterator:
                      StartAt: Work
                      States:
                        Work:
                          Type: Task
                          Resource: arn:aws:states:::lambda:invoke.waitForTaskToken
                          Parameters:
                            FunctionName: ${WorkerArn}
                            Payload: {token.$: $$.Task.Token}
                          End: true
      Policies:
        - LambdaInvokePolicy: {FunctionName: !Ref Worker}
  FromFile:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
  Missing:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/missing.asl.json
  InS3:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: {Bucket: artifacts, Key: flow.asl.json}
"""
FLOW = {
    "StartAt": "Legacy",
    "States": {
        "Legacy": {"Type": "Task", "Resource": "${WorkerArn}", "Next": "Skip"},
        "Skip": {"Type": "Pass", "End": True},
    },
}
KEY = "template.yaml#"


def test_definition_inline_and_from_a_local_file(tmp_path: Path) -> None:
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "statemachine" / "flow.asl.json").write_text(json.dumps(FLOW))
    output = load(tmp_path, TEMPLATE)

    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.origin.line) for t in output.inventory.push_triggers
    } == {
        KEY + "Inline/States/Work": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "Inline",
            "Work",
            line(TEMPLATE, "Work:"),
        ),
        KEY + "FromFile/States/Legacy": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "FromFile",
            "Legacy",
            line(TEMPLATE, "DefinitionUri: statemachine/flow.asl.json"),
        ),
    }
    missing_at = line(TEMPLATE, "DefinitionUri: statemachine/missing.asl.json")
    s3_at = line(TEMPLATE, "DefinitionUri: {Bucket")
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            missing_at,
            "cannot read included file `statemachine/missing.asl.json`: No such file or directory",
        ),
        (
            "warning",
            "template.yaml",
            missing_at,
            "`Missing`: the state machine's definition cannot be read; the functions it invokes are"
            " not known",
        ),
        (
            "warning",
            "template.yaml",
            s3_at,
            "`InS3`: the state machine's definition is in S3; the functions it invokes are not known",
        ),
    }
