"""Step Functions state machines whose Task states invoke functions, as triggers (CloudFormation)."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import TriggerKind, Unresolved
from sources.cfn.load import diagnostics, fields, line, load

TEMPLATE = """
Parameters:
  Definition: {Type: String}
Resources:
  Worker:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: worker, Role: arn:aws:iam::111122223333:role/r}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Worker, FunctionVersion: "1", Name: live}
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/sfn
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
      Definition:
        StartAt: Start
        States:
          Start:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName: ${WorkerArn}
              Payload.$: $
            Next: Fan
          Fan:
            Type: Parallel
            Branches:
              - StartAt: Wait
                States:
                  Wait:
                    Type: Task
                    Resource: !Sub arn:${AWS::Partition}:states:::lambda:invoke.waitForTaskToken
                    Parameters:
                      FunctionName: !Ref Live
                      Payload: {token.$: $$.Task.Token}
                    End: true
              - StartAt: Each
                States:
                  Each:
                    Type: Map
                    ItemProcessor:
                      StartAt: Legacy
                      States:
                        Legacy:
                          Type: Task
                          Resource: arn:aws:lambda:us-east-1:111122223333:function:legacy:prod
                          End: true
                    End: true
            Next: Queue
          Queue:
            Type: Task
            Resource: arn:aws:states:::sqs:sendMessage
            Parameters: {QueueUrl: q, MessageBody.$: $}
            Next: Late
          Late:
            Type: Task
            QueryLanguage: JSONata
            Resource: arn:aws:states:::lambda:invoke
            Arguments:
              FunctionName: !GetAtt Worker.Arn
            Next: Chosen
          Chosen:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke
            Parameters:
              FunctionName.$: $.target
            Next: Direct
          Direct:
            Type: Task
            Resource: !GetAtt Worker.Arn
            End: true
  FromSub:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/sfn
      DefinitionString: !Sub
        - |
          {"StartAt": "One", "States": {
            "One": {"Type": "Task", "Resource": "arn:${AWS::Partition}:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "${Worker.Arn}:live", "Payload.$": "$"}, "Next": "Two"},
            "Two": {"Type": "Task", "Resource": "${Worker.Arn}", "TimeoutSeconds": ${Timeout}, "End": true}}}
        - Timeout: !Ref AWS::AccountId
  FromJoin:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/sfn
      DefinitionString:
        Fn::Join:
          - ""
          - - '{"StartAt":"Invoke","States":{"Invoke":{"Type":"Task","Resource":"arn:'
            - !Ref AWS::Partition
            - ':states:::lambda:invoke","Parameters":{"FunctionName":"'
            - !GetAtt Worker.Arn
            - '","Payload.$":"$"},"End":true}}}'
  FromParameter:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/sfn
      DefinitionString: !Ref Definition
"""
KEY = "template.yaml#"


def test_each_lambda_task_is_a_step_functions_trigger(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)

    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.origin.line) for t in output.inventory.push_triggers
    } == {
        KEY + "Machine/States/Start": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "Machine",
            "Start",
            line(TEMPLATE, "Start:"),
        ),
        KEY + "Machine/States/Wait": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "Machine",
            "Wait",
            line(TEMPLATE, "Wait:"),
        ),
        KEY + "Machine/States/Legacy": (
            TriggerKind.STEP_FUNCTIONS,
            "arn:aws:lambda:us-east-1:111122223333:function:legacy:prod",
            KEY + "Machine",
            "Legacy",
            line(TEMPLATE, "Legacy:"),
        ),
        KEY + "Machine/States/Late": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "Machine",
            "Late",
            line(TEMPLATE, "Late:"),
        ),
        KEY + "Machine/States/Chosen": (
            TriggerKind.STEP_FUNCTIONS,
            Unresolved("Chosen: FunctionName.$ $.target"),
            KEY + "Machine",
            "Chosen",
            line(TEMPLATE, "Chosen:"),
        ),
        KEY + "Machine/States/Direct": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "Machine",
            "Direct",
            line(TEMPLATE, "Direct:"),
        ),
        KEY + "FromSub/States/One": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "FromSub",
            "One",
            line(TEMPLATE, "DefinitionString: !Sub"),
        ),
        KEY + "FromSub/States/Two": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "FromSub",
            "Two",
            line(TEMPLATE, "DefinitionString: !Sub"),
        ),
        KEY + "FromJoin/States/Invoke": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "Worker",
            KEY + "FromJoin",
            "Invoke",
            line(TEMPLATE, "DefinitionString:", nth=2),
        ),
    }
    assert diagnostics(output) == {
        (
            "warning",
            "template.yaml",
            line(TEMPLATE, "DefinitionString: !Ref Definition"),
            "`FromParameter`: the state machine's definition cannot be read; the functions it invokes are"
            " not known",
        )
    }


def test_function_line_is_the_property_naming_it(tmp_path: Path) -> None:
    inv = load(tmp_path, TEMPLATE).inventory
    by_state = {t.detail: t for t in inv.push_triggers}

    assert fields(by_state["Start"]) == {"function": line(TEMPLATE, "FunctionName: ${WorkerArn}")}
    assert fields(by_state["Direct"]) == {"function": line(TEMPLATE, "Resource: !GetAtt Worker.Arn")}
    assert fields(by_state["One"]) == {"function": line(TEMPLATE, "DefinitionString: !Sub")}


def test_step_functions_invokes_synchronously() -> None:
    assert not TriggerKind.STEP_FUNCTIONS.is_asynchronous
