"""`Fn::ForEach`: a `Fn::Sub` left with no variable is the string SAM reads (an event's `Path`)."""

from __future__ import annotations

from pathlib import Path

from lambdasec.model import Unresolved
from sources.cfn.load import load

TEMPLATE = """
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Fn::ForEach::Endpoints:
    - Endpoint
    - [users, orders]
    - ${Endpoint}Function:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: main.handler
          CodeUri: src/
          Environment:
            Variables:
              NAME: !Sub ${Endpoint}
              TABLE: !Sub ${Endpoint}-${AWS::StackName}
          Events:
            Api:
              Type: Api
              Properties:
                Path: !Sub /${Endpoint}
                Method: get
"""


def test_event_paths_and_values_from_the_loop_item(tmp_path: Path) -> None:
    output = load(tmp_path, TEMPLATE)
    assert output.diagnostics == ()
    inv = output.inventory
    assert sorted((route.path, route.function) for route in inv.api_routes) == [
        ("/orders", "template.yaml#ordersFunction"),
        ("/users", "template.yaml#usersFunction"),
    ]
    names = {fn.origin.resource: [(var.name, var.value) for var in fn.environment] for fn in inv.functions}
    assert {key: value[0] for key, value in names.items()} == {
        "usersFunction": ("NAME", "users"),
        "ordersFunction": ("NAME", "orders"),
    }
    assert [value[1][1] for value in names.values()] == [
        Unresolved("!Sub users-${AWS::StackName}"),
        Unresolved("!Sub orders-${AWS::StackName}"),
    ]
