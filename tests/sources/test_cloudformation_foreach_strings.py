"""`Fn::ForEach`: `${Identifier}` and `&{Identifier}` in plain strings are replaced, as the transform does."""

from __future__ import annotations

from pathlib import Path

from sources.cfn.load import load

TEMPLATE = """
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Resources:
  Fn::ForEach::Endpoints:
    - Endpoint
    - [users, order-items]
    - '&{Endpoint}Function':
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: main.handler
          CodeUri: endpoints/${Endpoint}/
          Environment:
            Variables:
              PLAIN: table-&{Endpoint}
              OWN: !Sub
                - ${Endpoint}-x
                - Endpoint: fixed
              OTHER: ${Other}
"""


def test_plain_strings_hold_the_loop_item(tmp_path: Path) -> None:
    for name in ("users", "order-items"):
        (tmp_path / "endpoints" / name).mkdir(parents=True)
        (tmp_path / "endpoints" / name / "main.py").write_text("def handler(event, context):\n    pass\n")
    output = load(tmp_path, TEMPLATE)
    assert output.diagnostics == ()
    inv = output.inventory
    found = {
        fn.origin.resource: (fn.code.local_path, [(var.name, var.value) for var in fn.environment])
        for fn in inv.functions
    }
    assert found == {
        "usersFunction": (
            "endpoints/users",
            [("PLAIN", "table-users"), ("OWN", "fixed-x"), ("OTHER", "${Other}")],
        ),
        "orderitemsFunction": (
            "endpoints/order-items",
            [("PLAIN", "table-orderitems"), ("OWN", "fixed-x"), ("OTHER", "${Other}")],
        ),
    }
