"""serverless-step-functions: the Lambda tasks of `stepFunctions.stateMachines` as Step Functions triggers."""

from __future__ import annotations

from pathlib import Path

from lambdasec.findings import Diagnostic
from lambdasec.model import Inventory, SourceKind, TriggerKind
from lambdasec.sources.interface import InputFile
from lambdasec.sources.serverless import load_serverless

SERVICE = """\
service: flows
provider:
  name: aws
  runtime: python3.12
plugins:
  - serverless-step-functions
functions:
  work:
    handler: app.work
  approve:
    handler: app.approve
stepFunctions:
  stateMachines:
    orders:
      definition:
        StartAt: Fan
        States:
          Fan:
            Type: Parallel
            Next: Approve
            Branches:
              - StartAt: Each
                States:
                  Each:
                    Type: Map
                    End: true
                    ItemProcessor:
                      StartAt: Work
                      States:
                        Work:
                          Type: Task
                          Resource:
                            Fn::GetAtt: [work, Arn]
                          End: true
          Approve:
            Type: Task
            Resource: arn:aws:states:::lambda:invoke.waitForTaskToken
            Parameters:
              FunctionName: !GetAtt approve.Arn
              Payload: {token.$: $$.Task.Token}
            End: true
    named:
      id: NamedMachine
      definition:
        StartAt: Deployed
        States:
          Deployed:
            Type: Task
            Resource: arn:aws:lambda:us-east-1:111122223333:function:deployed:live
            End: true
"""
KEY = "serverless.yml#"


def _load(tmp_path: Path) -> tuple[Inventory, tuple[Diagnostic, ...]]:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE, encoding="utf-8")
    item = InputFile(path=path, display="serverless.yml", kind=SourceKind.SERVERLESS)
    inventory, diagnostics = load_serverless(item, environ={}, options={})
    assert inventory is not None
    return inventory, diagnostics


def _line(marker: str) -> int:
    return next(n for n, text in enumerate(SERVICE.splitlines(), start=1) if marker in text)


def test_each_lambda_task_is_a_step_functions_trigger(tmp_path: Path) -> None:
    inventory, diagnostics = _load(tmp_path)

    assert diagnostics == ()
    machine = KEY + "OrdersStepFunctionsStateMachine"
    assert {
        t.key: (t.kind, t.function, t.source, t.detail, t.origin.line) for t in inventory.push_triggers
    } == {
        machine + "/States/Work": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "WorkLambdaFunction",
            machine,
            "Work",
            _line("Work:"),
        ),
        machine + "/States/Approve": (
            TriggerKind.STEP_FUNCTIONS,
            KEY + "ApproveLambdaFunction",
            machine,
            "Approve",
            _line("Approve:"),
        ),
        KEY + "NamedMachine/States/Deployed": (
            TriggerKind.STEP_FUNCTIONS,
            "arn:aws:lambda:us-east-1:111122223333:function:deployed:live",
            KEY + "NamedMachine",
            "Deployed",
            _line("Deployed:"),
        ),
    }
    work = inventory.function(KEY + "WorkLambdaFunction")
    assert work is not None
    assert [t.detail for t in inventory.push_triggers_of(work)] == ["Work"]
